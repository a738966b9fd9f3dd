/**
 * C2SP tiled transparency logs (c2sp.org/tlog-tiles, "Merkle Tree" and "Log entries"): resource
 * paths, which tiles a tree has, and the tile and entry-bundle encodings.
 *
 * Paths, relative to the log prefix:
 *   tile/<L>/<N>[.p/<W>]        Merkle tree tiles
 *   tile/entries/<N>[.p/<W>]    entry bundles
 * - <L>: level, ASCII decimal 0 … 63 without leading zeroes.
 * - <N>: tile index, written in zero-padded 3-digit path elements, every element but the last
 *   prefixed with "x": 1234067 → x001/x234/067, 5 → 005. The element count is the smallest that
 *   holds N (as the example shows and golang.org/x/mod/sumdb/tlog writes), so x000/005 is refused:
 *   every tile has exactly one path.
 * - .p/<W>: only on partial tiles; W is 1 … 255, ASCII decimal without leading zeroes.
 *
 * Tiles have height 8: a full tile is 256 hashes (8,192 bytes). Level 0 holds leaf hashes; each
 * hash at level l ≥ 1 is the Merkle tree hash of a full tile at level l − 1. Tile n at level l
 * spans entries [n·256^(l+1), (n+1)·256^(l+1)). A tree of size s has floor(s / 256^(l+1)) full
 * tiles at level l and, when floor(s / 256^l) mod 256 is not 0, one partial tile of that width;
 * empty tiles do not exist. E.g. size 70,000: 273 full level-0 tiles, a level-0 partial of width
 * 112, one full level-1 tile, a level-1 partial of width 17, a level-2 partial of width 1.
 *
 * Entry bundles are the level-0 tiles' entries: a sequence of big-endian uint16 length-prefixed
 * entries (so an entry is at most 65,535 bytes), with the same N and W as the level-0 tile.
 *
 * Trees here are RFC 9162 trees with 64-bit sizes (≤ 2^64 − 1), so a path naming a tile that no
 * such tree can have (for instance any tile at level 8 or above, whose hashes each span 2^64
 * entries) is refused even though the path syntax allows levels up to 63.
 */
import { ProtocolError } from "../../errors.ts";
import { HASH_BYTES, U64_MAX } from "../note/text.ts";

export const TILE_HEIGHT = 8;
export const TILE_WIDTH = 256;
export const TILE_BYTES = TILE_WIDTH * HASH_BYTES;
export const MAX_TILE_LEVEL = 63;
export const MAX_ENTRY_BYTES = 0xffff;

/** A Merkle tree tile: `width` is 256 for a full tile, 1 … 255 for a partial one. */
export interface Tile {
  readonly level: number;
  readonly index: bigint;
  readonly width: number;
}

/** An entry bundle (the entries of the level-0 tile with the same index and width). */
export interface EntryBundle {
  readonly index: bigint;
  readonly width: number;
}

const WIDTH = BigInt(TILE_WIDTH);

function checkSize(size: bigint, what: string): void {
  if (typeof size !== "bigint" || size < 0n || size > U64_MAX) {
    throw new ProtocolError("bad-value", `${what} must be a bigint from 0 to 2^64 − 1`);
  }
}

function checkLevel(level: number): void {
  if (!Number.isInteger(level) || level < 0 || level > MAX_TILE_LEVEL) {
    throw new ProtocolError(
      "bad-value",
      `a tile level is a whole number from 0 to ${MAX_TILE_LEVEL}`,
    );
  }
}

function checkWidth(width: number): void {
  if (!Number.isInteger(width) || width < 1 || width > TILE_WIDTH) {
    throw new ProtocolError("bad-value", `a tile width is a whole number from 1 to ${TILE_WIDTH}`);
  }
}

/** Hashes at `level` in the largest tree (2^64 − 1 leaves): floor((2^64 − 1) / 256^level). */
function maxHashesAt(level: number): bigint {
  return U64_MAX >> BigInt(TILE_HEIGHT * level);
}

/** Refuses a tile no tree of at most 2^64 − 1 leaves has. */
function checkExists(level: number, index: bigint, width: number, what: string): void {
  if (typeof index !== "bigint" || index < 0n) {
    throw new ProtocolError("bad-value", `a ${what} index is a non-negative bigint`);
  }
  if (index * WIDTH + BigInt(width) > maxHashesAt(level)) {
    throw new ProtocolError(
      "bad-value",
      `no tree of at most 2^64 − 1 entries has the level-${level} ${what} ${index} of width ${width}`,
    );
  }
}

/** N in 3-digit groups, all but the last prefixed with "x": 1234067 → "x001/x234/067". */
export function formatTileIndex(index: bigint): string {
  checkSize(index, "a tile index");
  const groups: string[] = [];
  let n = index;
  do {
    groups.unshift((n % 1000n).toString().padStart(3, "0"));
    n /= 1000n;
  } while (n > 0n);
  return groups.map((g, i) => (i < groups.length - 1 ? `x${g}` : g)).join("/");
}

const INDEX = /^(?:x[0-9]{3}\/)*[0-9]{3}$/;

/** Parses the N encoding strictly: exactly the form formatTileIndex writes. */
export function parseTileIndex(text: string): bigint {
  // 2^64 − 1 takes 7 groups (33 characters); refuse longer text before any arithmetic.
  if (typeof text === "string" && text.length > 33 && INDEX.test(text)) {
    throw new ProtocolError("bad-value", "a tile index must be below 2^64");
  }
  if (typeof text !== "string" || !INDEX.test(text)) {
    throw new ProtocolError(
      "bad-encoding",
      `a tile index is 3-digit groups, all but the last starting with x, got ${JSON.stringify(String(text).slice(0, 60))}`,
    );
  }
  const index = BigInt(text.replace(/[x/]/g, ""));
  if (index > U64_MAX) {
    throw new ProtocolError("bad-value", "a tile index must be below 2^64");
  }
  if (formatTileIndex(index) !== text) {
    throw new ProtocolError("bad-encoding", `the tile index ${text} has a leading zero group`);
  }
  return index;
}

function suffix(width: number): string {
  return width === TILE_WIDTH ? "" : `.p/${width}`;
}

/** tile/<L>/<N>[.p/<W>] */
export function formatTilePath(tile: Tile): string {
  checkLevel(tile.level);
  checkWidth(tile.width);
  checkExists(tile.level, tile.index, tile.width, "tile");
  return `tile/${tile.level}/${formatTileIndex(tile.index)}${suffix(tile.width)}`;
}

/** tile/entries/<N>[.p/<W>] */
export function formatEntryBundlePath(bundle: EntryBundle): string {
  checkWidth(bundle.width);
  checkExists(0, bundle.index, bundle.width, "entry bundle");
  return `tile/entries/${formatTileIndex(bundle.index)}${suffix(bundle.width)}`;
}

const PARTIAL = /^(.*)\.p\/([1-9][0-9]{0,2})$/s;

function splitWidth(rest: string): { index: string; width: number } {
  const m = PARTIAL.exec(rest);
  if (m === null) {
    if (rest.includes(".p")) {
      throw new ProtocolError(
        "bad-encoding",
        "a partial tile suffix is .p/<width>, the width 1 to 255 without leading zeroes",
      );
    }
    return { index: rest, width: TILE_WIDTH };
  }
  const width = Number(m[2]);
  if (width >= TILE_WIDTH) {
    throw new ProtocolError("bad-value", "a partial tile is 1 to 255 hashes wide");
  }
  return { index: m[1]!, width };
}

/** Parses tile/<L>/<N>[.p/<W>] strictly (one accepted spelling per tile). */
export function parseTilePath(path: string): Tile {
  if (typeof path !== "string" || !path.startsWith("tile/")) {
    throw new ProtocolError("bad-encoding", "a tile path starts with tile/");
  }
  const rest = path.slice("tile/".length);
  const slash = rest.indexOf("/");
  const levelText = slash < 0 ? rest : rest.slice(0, slash);
  if (!/^(?:0|[1-9][0-9]?)$/.test(levelText)) {
    throw new ProtocolError(
      "bad-encoding",
      `a tile level is decimal without leading zeroes, got ${JSON.stringify(levelText.slice(0, 20))}`,
    );
  }
  const level = Number(levelText);
  if (level > MAX_TILE_LEVEL) {
    throw new ProtocolError("bad-value", `a tile level is at most ${MAX_TILE_LEVEL}`);
  }
  if (slash < 0) throw new ProtocolError("bad-encoding", "a tile path is tile/<L>/<N>");
  const { index: indexText, width } = splitWidth(rest.slice(slash + 1));
  const index = parseTileIndex(indexText);
  checkExists(level, index, width, "tile");
  return { level, index, width };
}

/** Parses tile/entries/<N>[.p/<W>] strictly. */
export function parseEntryBundlePath(path: string): EntryBundle {
  if (typeof path !== "string" || !path.startsWith("tile/entries/")) {
    throw new ProtocolError("bad-encoding", "an entry bundle path starts with tile/entries/");
  }
  const { index: indexText, width } = splitWidth(path.slice("tile/entries/".length));
  const index = parseTileIndex(indexText);
  checkExists(0, index, width, "entry bundle");
  return { index, width };
}

export interface LevelShape {
  readonly level: number;
  /** Full tiles at this level: indexes 0 … fullTiles − 1. */
  readonly fullTiles: bigint;
  /** Width of the partial tile (index fullTiles) at this level, or 0 when there is none. */
  readonly partialWidth: number;
}

/** Per level, how many full tiles a tree of `size` has and the width of its partial tile. */
export function tileShape(size: bigint): LevelShape[] {
  checkSize(size, "a tree size");
  const levels: LevelShape[] = [];
  for (let level = 0, hashes = size; hashes > 0n; level++, hashes /= WIDTH) {
    levels.push({ level, fullTiles: hashes / WIDTH, partialWidth: Number(hashes % WIDTH) });
  }
  return levels;
}

/**
 * The tiles a tree of `newSize` has that a tree of `oldSize` does not have in the same form:
 * the full tiles completed between the two sizes, and the partial tiles at the right edge of the
 * new tree. This is what a log writes when it grows from oldSize to newSize. Level by level,
 * index order.
 */
export function* newTiles(oldSize: bigint, newSize: bigint): Generator<Tile> {
  checkSize(oldSize, "the old tree size");
  checkSize(newSize, "the new tree size");
  if (oldSize > newSize) {
    throw new ProtocolError("bad-value", "the old tree size is larger than the new one");
  }
  let oldHashes = oldSize;
  let newHashes = newSize;
  for (let level = 0; newHashes > 0n; level++) {
    for (let index = oldHashes / WIDTH; index < newHashes / WIDTH; index++) {
      yield { level, index, width: TILE_WIDTH };
    }
    const width = Number(newHashes % WIDTH);
    if (width > 0 && newHashes !== oldHashes) {
      yield { level, index: newHashes / WIDTH, width };
    }
    oldHashes /= WIDTH;
    newHashes /= WIDTH;
  }
}

/** Every tile of a tree of `size` (newTiles from the empty tree). */
export function tilesForSize(size: bigint): Generator<Tile> {
  return newTiles(0n, size);
}

/** The entry bundles a tree of newSize has that a tree of oldSize does not have in that form. */
export function* newEntryBundles(oldSize: bigint, newSize: bigint): Generator<EntryBundle> {
  for (const tile of newTiles(oldSize, newSize)) {
    if (tile.level !== 0) return;
    yield { index: tile.index, width: tile.width };
  }
}

/**
 * The tile at `level` holding hash number `hashIndex` of that level, in a tree of `size`
 * (full if the tree completes it, else the tree's partial tile), and the hash's offset in it.
 * With level 0 this is the tile (and entry bundle) holding leaf `hashIndex`.
 */
export function tileForHash(
  level: number,
  hashIndex: bigint,
  size: bigint,
): { tile: Tile; offset: number } {
  checkLevel(level);
  checkSize(size, "a tree size");
  const hashes = size >> BigInt(TILE_HEIGHT * level);
  if (typeof hashIndex !== "bigint" || hashIndex < 0n || hashIndex >= hashes) {
    throw new ProtocolError(
      "bad-value",
      `a tree of size ${size} has ${hashes} hashes at level ${level}, so no hash ${String(hashIndex)}`,
    );
  }
  const index = hashIndex / WIDTH;
  const width = (index + 1n) * WIDTH <= hashes ? TILE_WIDTH : Number(hashes % WIDTH);
  return { tile: { level, index, width }, offset: Number(hashIndex % WIDTH) };
}

/** Concatenates 1 … 256 hashes into tile data. */
export function encodeTile(hashes: readonly Uint8Array[]): Uint8Array {
  checkWidth(hashes.length);
  const out = new Uint8Array(hashes.length * HASH_BYTES);
  hashes.forEach((h, i) => {
    if (!(h instanceof Uint8Array) || h.length !== HASH_BYTES) {
      throw new ProtocolError("bad-length", `tile hash ${i} is not ${HASH_BYTES} bytes`);
    }
    out.set(h, i * HASH_BYTES);
  });
  return out;
}

/** Splits tile data that must hold exactly `width` hashes. */
export function decodeTile(data: Uint8Array, width: number): Uint8Array[] {
  checkWidth(width);
  if (!(data instanceof Uint8Array) || data.length !== width * HASH_BYTES) {
    throw new ProtocolError(
      "bad-length",
      `a tile of width ${width} is ${width * HASH_BYTES} bytes, got ${data instanceof Uint8Array ? data.length : "no bytes"}`,
    );
  }
  return Array.from({ length: width }, (_, i) => data.slice(i * HASH_BYTES, (i + 1) * HASH_BYTES));
}

/** Encodes 1 … 256 entries as an entry bundle: each a big-endian uint16 length, then its bytes. */
export function encodeEntryBundle(entries: readonly Uint8Array[]): Uint8Array {
  checkWidth(entries.length);
  let total = 0;
  entries.forEach((e, i) => {
    if (!(e instanceof Uint8Array)) throw new ProtocolError("bad-value", `entry ${i} is not bytes`);
    if (e.length > MAX_ENTRY_BYTES) {
      throw new ProtocolError(
        "field-too-long",
        `entry ${i} is ${e.length} bytes; an entry bundle holds entries of at most ${MAX_ENTRY_BYTES}`,
      );
    }
    total += 2 + e.length;
  });
  const out = new Uint8Array(total);
  let at = 0;
  for (const e of entries) {
    out[at] = e.length >> 8;
    out[at + 1] = e.length & 0xff;
    out.set(e, at + 2);
    at += 2 + e.length;
  }
  return out;
}

/**
 * Decodes an entry bundle that must hold exactly `width` entries (known from its path or the
 * checkpoint size): "truncated" if it ends early, "trailing-bytes" if bytes follow the last one.
 */
export function decodeEntryBundle(data: Uint8Array, width: number): Uint8Array[] {
  checkWidth(width);
  if (!(data instanceof Uint8Array))
    throw new ProtocolError("bad-value", "an entry bundle is bytes");
  const entries: Uint8Array[] = [];
  let at = 0;
  while (entries.length < width) {
    if (at + 2 > data.length) {
      throw new ProtocolError(
        "truncated",
        `the entry bundle ends after ${entries.length} of its ${width} entries`,
      );
    }
    const length = (data[at]! << 8) | data[at + 1]!;
    at += 2;
    if (at + length > data.length) {
      throw new ProtocolError(
        "truncated",
        `entry ${entries.length} of the bundle needs ${length} bytes, ${data.length - at} remain`,
      );
    }
    entries.push(data.slice(at, at + length));
    at += length;
  }
  if (at !== data.length) {
    throw new ProtocolError(
      "trailing-bytes",
      `${data.length - at} bytes follow the ${width} entries of the bundle`,
    );
  }
  return entries;
}
