import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ProtocolError } from "../../errors.ts";
import { codeOf } from "../../testing/code-of.ts";
import {
  decodeEntryBundle,
  decodeTile,
  encodeEntryBundle,
  encodeTile,
  formatEntryBundlePath,
  formatTileIndex,
  formatTilePath,
  newEntryBundles,
  newTiles,
  parseEntryBundlePath,
  parseTileIndex,
  parseTilePath,
  TILE_BYTES,
  type Tile,
  tileForHash,
  tileShape,
  tilesForSize,
} from "./tiles.ts";

const U64_MAX = (1n << 64n) - 1n;
const show = (t: Tile) => `${t.level}/${t.index}/${t.width}`;

describe("the N encoding (c2sp.org/tlog-tiles)", () => {
  it.each([
    [1234067n, "x001/x234/067"], // the spec's example
    [123456789n, "x123/x456/789"], // golang.org/x/mod/sumdb/tlog's comment
    [0n, "000"],
    [5n, "005"],
    [999n, "999"],
    [1000n, "x001/000"],
    [1000000n, "x001/x000/000"],
    [U64_MAX, "x018/x446/x744/x073/x709/x551/615"],
  ])("%s ↔ %s", (n, text) => {
    expect(formatTileIndex(n)).toBe(text);
    expect(parseTileIndex(text)).toBe(n);
  });

  it.each([
    ["a leading zero group", "x000/005", "bad-encoding"],
    ["a missing x", "001/234", "bad-encoding"],
    ["an x on the last group", "x001/x234", "bad-encoding"],
    ["short groups", "x1/2", "bad-encoding"],
    ["a 4-digit group", "0005", "bad-encoding"],
    ["an upper-case X", "X001/234", "bad-encoding"],
    ["a trailing slash", "x001/234/", "bad-encoding"],
    ["empty", "", "bad-encoding"],
    ["2^64", "x018/x446/x744/x073/x709/x551/616", "bad-value"],
    ["eight groups", "x001/x000/x000/x000/x000/x000/x000/000", "bad-value"],
  ])("refuses %s", (_, text, code) => {
    expect(codeOf(() => parseTileIndex(text))).toBe(code);
  });
});

describe("tile and entry bundle paths", () => {
  it.each([
    [{ level: 0, index: 1234067n, width: 256 }, "tile/0/x001/x234/067"],
    [{ level: 1, index: 0n, width: 17 }, "tile/1/000.p/17"],
    [{ level: 2, index: 5n, width: 255 }, "tile/2/005.p/255"],
    [{ level: 7, index: 0n, width: 255 }, "tile/7/000.p/255"],
    [{ level: 0, index: U64_MAX / 256n, width: 255 }, "tile/0/x072/x057/x594/x037/x927/935.p/255"],
  ])("formats and parses %o as %s", (tile, path) => {
    expect(formatTilePath(tile)).toBe(path);
    expect(parseTilePath(path)).toEqual(tile);
  });

  it("formats and parses entry bundle paths", () => {
    expect(formatEntryBundlePath({ index: 1234067n, width: 256 })).toBe(
      "tile/entries/x001/x234/067",
    );
    expect(formatEntryBundlePath({ index: 273n, width: 112 })).toBe("tile/entries/273.p/112");
    expect(parseEntryBundlePath("tile/entries/273.p/112")).toEqual({ index: 273n, width: 112 });
    expect(parseEntryBundlePath("tile/entries/x001/x234/067")).toEqual({
      index: 1234067n,
      width: 256,
    });
  });

  it.each([
    ["no prefix", "0/000", "bad-encoding"],
    ["a leading slash", "/tile/0/000", "bad-encoding"],
    ["a level with a leading zero", "tile/00/000", "bad-encoding"],
    ["a negative level", "tile/-1/000", "bad-encoding"],
    ["level 64", "tile/64/000", "bad-value"],
    ["level 100", "tile/100/000", "bad-encoding"],
    ["level 8 (each hash would span 2^64 entries)", "tile/8/000.p/1", "bad-value"],
    ["a full level-7 tile (2^64 entries)", "tile/7/000", "bad-value"],
    ["an index past 2^64 entries", "tile/1/x281/x474/x976/x710/656", "bad-value"],
    ["no index", "tile/0", "bad-encoding"],
    ["width 0", "tile/0/000.p/0", "bad-encoding"],
    ["width 256", "tile/0/000.p/256", "bad-value"],
    ["a width with a leading zero", "tile/0/000.p/05", "bad-encoding"],
    ["a width with a sign", "tile/0/000.p/+5", "bad-encoding"],
    ["a partial suffix without width", "tile/0/000.p", "bad-encoding"],
    ["a partial suffix with a slash", "tile/0/000.p/", "bad-encoding"],
    ["a bad index", "tile/0/x000/001", "bad-encoding"],
    ["a trailing slash", "tile/0/000/", "bad-encoding"],
    ["a doubled slash", "tile//0/000", "bad-encoding"],
    ["the data level of Go's sumdb", "tile/8/data/000", "bad-encoding"],
  ])("refuses a tile path with %s", (_, path, code) => {
    expect(codeOf(() => parseTilePath(path))).toBe(code);
  });

  it.each([
    ["a tile path", "tile/0/000"],
    ["no index", "tile/entries/"],
    ["width 256", "tile/entries/000.p/256"],
    ["entries past 2^64", "tile/entries/x072/x057/x594/x037/x927/936"],
    ["a level", "tile/entries/0/000"],
  ])("refuses an entry bundle path with %s", (_, path) => {
    expect(codeOf(() => parseEntryBundlePath(path))).not.toBe("no error");
  });

  it("round-trips every valid tile and bundle (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 7 }),
        fc.bigInt({ min: 0n, max: U64_MAX }),
        fc.integer({ min: 1, max: 256 }),
        (level, n, width) => {
          const index = n >> BigInt(8 * (level + 1));
          const tile = { level, index, width };
          try {
            const path = formatTilePath(tile);
            expect(parseTilePath(path)).toEqual(tile);
          } catch (e) {
            // Only the tiles no 64-bit tree has are refused.
            expect((e as ProtocolError).code).toBe("bad-value");
            expect((index * 256n + BigInt(width)) << BigInt(8 * level)).toBeGreaterThan(U64_MAX);
          }
          // Entry bundles exist exactly where level-0 tiles do.
          const bundleExists = index * 256n + BigInt(width) <= U64_MAX;
          if (level === 0 && bundleExists) {
            const path = formatEntryBundlePath({ index, width });
            expect(parseEntryBundlePath(path)).toEqual({ index, width });
          } else if (level === 0) {
            expect(() => formatEntryBundlePath({ index, width })).toThrow(ProtocolError);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it("throws only ProtocolError on random paths, and accepts only canonical ones (fuzz)", () => {
    const pieces = [
      "tile/",
      "entries/",
      "0",
      "1",
      "7",
      "x",
      "00",
      "/",
      ".p/",
      "255",
      "256",
      "x001/",
      "999",
    ];
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 60 }),
          fc.array(fc.constantFrom(...pieces), { maxLength: 10 }).map((a) => a.join("")),
        ),
        (path) => {
          for (const [parse, format] of [
            [parseTilePath, (t: unknown) => formatTilePath(t as Tile)],
            [parseEntryBundlePath, (b: unknown) => formatEntryBundlePath(b as Tile)],
            [parseTileIndex, (n: unknown) => formatTileIndex(n as bigint)],
          ] as const) {
            try {
              expect(format(parse(path))).toBe(path);
            } catch (e) {
              expect(e).toBeInstanceOf(ProtocolError);
            }
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe("which tiles a tree has", () => {
  it("matches the spec's example: a tree of 70,000 entries", () => {
    const tiles = [...tilesForSize(70000n)];
    const full0 = tiles.filter((t) => t.level === 0 && t.width === 256);
    expect(full0).toHaveLength(273);
    expect(full0.map((t) => t.index)).toEqual(Array.from({ length: 273 }, (_, i) => BigInt(i)));
    expect(tiles.filter((t) => !(t.level === 0 && t.width === 256)).map(show)).toEqual([
      "0/273/112",
      "1/0/256",
      "1/1/17",
      "2/0/1",
    ]);
    expect(tileShape(70000n)).toEqual([
      { level: 0, fullTiles: 273n, partialWidth: 112 },
      { level: 1, fullTiles: 1n, partialWidth: 17 },
      { level: 2, fullTiles: 0n, partialWidth: 1 },
    ]);
  });

  it("matches the spec's example: a tree of 256 entries", () => {
    expect([...tilesForSize(256n)].map(show)).toEqual(["0/0/256", "1/0/1"]);
  });

  it("has no tiles when empty", () => {
    expect([...tilesForSize(0n)]).toEqual([]);
    expect(tileShape(0n)).toEqual([]);
  });

  it("newTiles(a, b) is the tiles of b that a does not have (property, brute force)", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 70000n }),
        fc.bigInt({ min: 0n, max: 70000n }),
        (x, y) => {
          const [a, b] = x <= y ? [x, y] : [y, x];
          const inA = new Set([...tilesForSize(a)].map(show));
          const want = [...tilesForSize(b)].map(show).filter((t) => !inA.has(t));
          expect([...newTiles(a, b)].map(show)).toEqual(want);
          expect([...newEntryBundles(a, b)].map((t) => `0/${t.index}/${t.width}`)).toEqual(
            want.filter((t) => t.startsWith("0/")),
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it("agrees with the spec's formula floor(s / 256^l) mod 256 for partial widths (property)", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: U64_MAX }), (s) => {
        for (const { level, fullTiles, partialWidth } of tileShape(s)) {
          const scale = 256n ** BigInt(level);
          expect(BigInt(partialWidth)).toBe((s / scale) % 256n);
          expect(fullTiles).toBe(s / (scale * 256n));
        }
      }),
      { numRuns: 500 },
    );
  });

  it("handles 64-bit sizes: growing to 2^64 − 1", () => {
    const tiles = [...newTiles(U64_MAX - 300n, U64_MAX)];
    // Levels 2 and above hold the same hashes at both sizes, so their tiles are unchanged.
    expect(tiles.map(show)).toEqual([
      `0/${U64_MAX / 256n - 1n}/256`,
      `0/${U64_MAX / 256n}/255`,
      `1/${U64_MAX / 65536n}/255`,
    ]);
    const shape = tileShape(U64_MAX);
    expect(shape).toHaveLength(8);
    for (const { level, fullTiles, partialWidth } of shape) {
      expect(partialWidth).toBe(255);
      expect(fullTiles).toBe(U64_MAX >> BigInt(8 * (level + 1)));
      const partial = { level, index: fullTiles, width: partialWidth };
      expect(parseTilePath(formatTilePath(partial))).toEqual(partial);
    }
    for (const t of tiles) expect(parseTilePath(formatTilePath(t))).toEqual(t);
    // Generators are lazy: the first tile of the largest tree comes at once.
    expect(show(newTiles(0n, U64_MAX).next().value as Tile)).toBe("0/0/256");
  });

  it("refuses sizes outside 0 … 2^64 − 1 and a shrinking tree", () => {
    expect(codeOf(() => [...tilesForSize(-1n)])).toBe("bad-value");
    expect(codeOf(() => [...tilesForSize(1n << 64n)])).toBe("bad-value");
    expect(codeOf(() => [...newTiles(5n, 4n)])).toBe("bad-value");
    expect(codeOf(() => tileShape(1n << 64n))).toBe("bad-value");
  });

  it("finds the tile holding a hash", () => {
    expect(tileForHash(0, 69999n, 70000n)).toEqual({
      tile: { level: 0, index: 273n, width: 112 },
      offset: 111,
    });
    expect(tileForHash(0, 255n, 70000n)).toEqual({
      tile: { level: 0, index: 0n, width: 256 },
      offset: 255,
    });
    expect(tileForHash(1, 272n, 70000n)).toEqual({
      tile: { level: 1, index: 1n, width: 17 },
      offset: 16,
    });
    expect(tileForHash(2, 0n, 70000n)).toEqual({
      tile: { level: 2, index: 0n, width: 1 },
      offset: 0,
    });
    expect(codeOf(() => tileForHash(0, 70000n, 70000n))).toBe("bad-value");
    expect(codeOf(() => tileForHash(1, 273n, 70000n))).toBe("bad-value");
    expect(codeOf(() => tileForHash(3, 0n, 70000n))).toBe("bad-value");
  });
});

describe("tile data and entry bundles", () => {
  it("encodes and splits tiles of 1 … 256 hashes", () => {
    const hashes = Array.from({ length: 256 }, (_, i) => new Uint8Array(32).fill(i));
    const data = encodeTile(hashes);
    expect(data).toHaveLength(TILE_BYTES);
    expect(TILE_BYTES).toBe(8192);
    expect(decodeTile(data, 256)).toEqual(hashes);
    expect(decodeTile(data.subarray(0, 32 * 17), 17)).toEqual(hashes.slice(0, 17));
    expect(codeOf(() => decodeTile(data, 255))).toBe("bad-length");
    expect(codeOf(() => decodeTile(data.subarray(1), 256))).toBe("bad-length");
    expect(codeOf(() => encodeTile([]))).toBe("bad-value");
    expect(codeOf(() => encodeTile([new Uint8Array(31)]))).toBe("bad-length");
    expect(codeOf(() => encodeTile(Array.from({ length: 257 }, () => new Uint8Array(32))))).toBe(
      "bad-value",
    );
  });

  it("writes each entry as a big-endian uint16 length then its bytes", () => {
    const bundle = encodeEntryBundle([
      new Uint8Array([0xaa]),
      new Uint8Array(0),
      new Uint8Array(0x0102).fill(7),
    ]);
    expect(Array.from(bundle.subarray(0, 6))).toEqual([0x00, 0x01, 0xaa, 0x00, 0x00, 0x01]);
    expect(bundle[6]).toBe(0x02);
    expect(bundle).toHaveLength(3 + 2 + 2 + 0x0102);
  });

  it("round-trips bundles (property) and decodes strictly", () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 300 }), { minLength: 1, maxLength: 256 }),
        (entries) => {
          const data = encodeEntryBundle(entries);
          expect(decodeEntryBundle(data, entries.length)).toEqual(entries);
          expect(
            codeOf(() => decodeEntryBundle(data.subarray(0, data.length - 1), entries.length)),
          ).toBe("truncated");
          expect(
            codeOf(() => decodeEntryBundle(new Uint8Array([...data, 0]), entries.length)),
          ).toBe("trailing-bytes");
          if (entries.length > 1) {
            expect(codeOf(() => decodeEntryBundle(data, entries.length - 1))).toBe(
              "trailing-bytes",
            );
          }
          if (entries.length < 256) {
            expect(codeOf(() => decodeEntryBundle(data, entries.length + 1))).toBe("truncated");
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("refuses entries over 65,535 bytes and bundles of 0 or 257 entries", () => {
    expect(encodeEntryBundle([new Uint8Array(0xffff)])).toHaveLength(0x10001);
    expect(codeOf(() => encodeEntryBundle([new Uint8Array(0x10000)]))).toBe("field-too-long");
    expect(codeOf(() => encodeEntryBundle([]))).toBe("bad-value");
    expect(
      codeOf(() => encodeEntryBundle(Array.from({ length: 257 }, () => new Uint8Array(0)))),
    ).toBe("bad-value");
    expect(codeOf(() => decodeEntryBundle(new Uint8Array(0), 0))).toBe("bad-value");
    expect(codeOf(() => decodeEntryBundle(new Uint8Array(0), 1))).toBe("truncated");
    expect(codeOf(() => decodeEntryBundle(new Uint8Array([0]), 1))).toBe("truncated");
  });

  it("decodeEntryBundle throws only ProtocolError on random bytes (fuzz)", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 200 }),
        fc.integer({ min: -1, max: 258 }),
        (data, width) => {
          try {
            const entries = decodeEntryBundle(data, width);
            expect(encodeEntryBundle(entries)).toEqual(data);
          } catch (e) {
            expect(e).toBeInstanceOf(ProtocolError);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
