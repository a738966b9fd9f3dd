/**
 * Reads Merkle tree nodes out of C2SP tlog-tiles hash tiles. Tiles hold the nodes of every 8th
 * level (tile level t holds tree level 8t); a node at level 8t + r is the root of 2^r consecutive
 * hashes of one level-t tile, computed here. Tiles are fetched once per run and checked to be
 * exactly the size they should be; a tile whose content is wrong shows up as a root mismatch.
 */
import { nodeHash } from "../merkle/hashes.ts";
import type { AsyncHashReader, NodeRef } from "../merkle/tree.ts";
import { decodeTile, TILE_HEIGHT, TILE_WIDTH } from "../tiles/tiles.ts";
import type { LogSource } from "./source.ts";

const H = BigInt(TILE_HEIGHT);
const W = BigInt(TILE_WIDTH);

export interface TileHashReader extends AsyncHashReader {
  /** Tiles fetched so far (for progress and figures). */
  readonly tilesFetched: () => number;
}

export function tileHashReader(source: LogSource, size: bigint): TileHashReader {
  const cache = new Map<string, Promise<Uint8Array[]>>();
  let fetched = 0;

  function tileWidth(level: number, index: bigint): number {
    const nodesAtLevel = size >> (BigInt(level) * H);
    const remaining = nodesAtLevel - index * W;
    return Number(remaining >= W ? W : remaining);
  }

  function tile(level: number, index: bigint): Promise<Uint8Array[]> {
    const width = tileWidth(level, index);
    const key = `${level}/${index}/${width}`;
    let hit = cache.get(key);
    if (!hit) {
      fetched++;
      hit = source.tile(level, index, width).then((bytes) => decodeTile(bytes, width));
      cache.set(key, hit);
    }
    return hit;
  }

  async function node({ level, index }: NodeRef): Promise<Uint8Array> {
    const t = Math.floor(level / TILE_HEIGHT);
    const r = BigInt(level % TILE_HEIGHT);
    const first = index << r;
    const hashes = await tile(t, first / W);
    const offset = Number(first % W);
    let layer = hashes.slice(offset, offset + (1 << Number(r)));
    while (layer.length > 1) {
      const next: Uint8Array[] = [];
      for (let i = 0; i < layer.length; i += 2) next.push(nodeHash(layer[i]!, layer[i + 1]!));
      layer = next;
    }
    return layer[0]!;
  }

  return {
    getNodes: (nodes) => Promise.all(nodes.map(node)),
    tilesFetched: () => fetched,
  };
}
