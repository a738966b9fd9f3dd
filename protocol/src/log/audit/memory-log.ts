/**
 * A complete C2SP tlog-tiles log held in memory: a signed checkpoint, every tile and every entry
 * bundle, served through the same path reader as a real log. For tests, benchmarks and tools that
 * build or mirror a small log; the log writer's answers must match these byte for byte.
 */
import { formatCheckpoint } from "../checkpoint/checkpoint.ts";
import { MemoryTree } from "../merkle/memory.ts";
import { ed25519NoteSigner, signNote } from "../note/note.ts";
import {
  encodeEntryBundle,
  encodeTile,
  parseEntryBundlePath,
  parseTilePath,
  TILE_HEIGHT,
  TILE_WIDTH,
} from "../tiles/tiles.ts";
import type { ReadPath } from "./source.ts";

/** Paths as in tlog-tiles, relative to the log's prefix ("checkpoint", "tile/…"). */
export function memoryLogReader(
  entries: readonly Uint8Array[],
  origin: string,
  secretKey: Uint8Array,
): ReadPath {
  const tree = new MemoryTree();
  for (const e of entries) tree.appendEntry(e);
  const note = signNote(formatCheckpoint({ origin, size: tree.size, rootHash: tree.root() }), [
    ed25519NoteSigner(origin, secretKey),
  ]);
  return async (path) => {
    if (path === "checkpoint") return new TextEncoder().encode(note);
    if (path.startsWith("tile/entries/")) {
      const b = parseEntryBundlePath(path);
      const first = Number(b.index) * TILE_WIDTH;
      return encodeEntryBundle(entries.slice(first, first + b.width));
    }
    const t = parseTilePath(path);
    return encodeTile(
      Array.from({ length: t.width }, (_, i) =>
        tree.getNode(t.level * TILE_HEIGHT, t.index * BigInt(TILE_WIDTH) + BigInt(i)),
      ),
    );
  };
}
