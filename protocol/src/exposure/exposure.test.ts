/**
 * Query scopes and releases (PROTOCOL.md §11.1, §11.3): scope order, in-scope tests at the
 * window's edges, the release hash with nulls as 32 zero bytes, and a release parser that raises
 * nothing but ProtocolError on arbitrary JSON.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { describe, expect, it } from "vitest";
import { ProtocolError } from "../errors.ts";
import { identityBytes } from "../tibe/identity.ts";
import {
  keyCommitment,
  parseRelease,
  partialKeysHash,
  releaseHash,
  releaseToJson,
} from "./release.ts";
import { inScope, queryScope } from "./scope.ts";

const H = 3600;
const T = 1_795_255_200; // 2026-11-21T10:00:00Z

describe("query scope", () => {
  it("lists entrances in the query's order, hours ascending, as §4.2 identities", () => {
    const scope = queryScope("demo", {
      entrances: ["b", "a"],
      windowStart: T,
      windowEnd: T + 2 * H,
    });
    expect(scope.map((s) => `${s.entranceId}@${s.slotStart - T}`)).toEqual([
      "b@0",
      "b@3600",
      "a@0",
      "a@3600",
    ]);
    expect(scope[2]!.idBytes).toEqual(
      identityBytes({ deployment: "demo", entranceId: "a", slotStart: T, slotSeconds: H }),
    );
  });

  it("includes the window's start and excludes its end", () => {
    const q = { entrances: ["a"], windowStart: T, windowEnd: T + H };
    expect(inScope(q, "a", T)).toBe(true);
    expect(inScope(q, "a", T + H)).toBe(false);
    expect(inScope(q, "a", T - H)).toBe(false);
    expect(inScope(q, "b", T)).toBe(false);
    expect(inScope(q, "a", T + 1)).toBe(false);
  });

  it("refuses empty, unaligned and oversized windows", () => {
    for (const [start, end] of [
      [T, T],
      [T + 1, T + H],
      [T, T + H + 1],
      [T + H, T],
    ]) {
      expect(() =>
        queryScope("demo", { entrances: ["a"], windowStart: start!, windowEnd: end! }),
      ).toThrow(ProtocolError);
    }
    const many = Array.from({ length: 256 }, (_, i) => `e${i}`);
    expect(() =>
      queryScope("demo", { entrances: many, windowStart: T, windowEnd: T + 24 * 7 * H }),
    ).toThrow(/identities/);
  });
});

describe("releases", () => {
  const key = (b: number) => new Uint8Array(96).fill(b);

  it("hash each key's commitment in scope order, a missing key as 32 zero bytes", () => {
    const all = new Uint8Array(32 * 3);
    all.set(sha256(key(1)), 0);
    all.set(sha256(key(3)), 64);
    expect(partialKeysHash([key(1), null, key(3)])).toEqual(sha256(all));
    expect(partialKeysHash([key(1), null, key(3)])).not.toEqual(
      partialKeysHash([key(1), key(3), null]),
    );
  });

  it("still match the logged hash when a key is withheld later with its commitment", () => {
    const logged = partialKeysHash([key(1), key(2), key(3)]);
    const later = {
      trusteeId: "trustee-a",
      queryIndex: 6n,
      releaseIndex: 9n,
      partialKeys: [key(1), null, key(3)],
      withheld: [null, keyCommitment(key(2)), null],
    };
    const parsed = parseRelease(JSON.parse(JSON.stringify(releaseToJson(later))), 3);
    expect(releaseHash(parsed)).toEqual(logged);
    // Without the commitment, or with another one, the release is not the logged one.
    const { withheld: _, ...bare } = parsed;
    expect(releaseHash(bare)).not.toEqual(logged);
    expect(releaseHash({ ...parsed, withheld: [null, keyCommitment(key(4)), null] })).not.toEqual(
      logged,
    );
    // A commitment is given only where the key is withheld.
    const json = releaseToJson(later);
    expect(() => parseRelease({ ...json, withheld: [json.partialKeys[0], null, null] })).toThrow(
      /only where the key is null/,
    );
    expect(() => parseRelease({ ...json, withheld: [null] })).toThrow(/as long as partialKeys/);
  });

  it("round-trip through JSON and check the count against the scope", () => {
    const json = releaseToJson({
      trusteeId: "log",
      queryIndex: 7n,
      releaseIndex: 9n,
      partialKeys: [key(2), null],
    });
    const parsed = parseRelease(JSON.parse(JSON.stringify(json)), 2);
    expect(parsed).toEqual({
      trusteeId: "log",
      queryIndex: 7n,
      releaseIndex: 9n,
      partialKeys: [key(2), null],
    });
    expect(() => parseRelease(json, 3)).toThrow(/2 partial keys, the scope 3/);
  });

  it("raise nothing but ProtocolError on arbitrary JSON", () => {
    const valid = releaseToJson({
      trusteeId: "t",
      queryIndex: 1n,
      releaseIndex: 2n,
      partialKeys: [key(5)],
    });
    const values: unknown[] = [null, 1, "x", [], {}, { ...valid, format: "lintel-release/2" }];
    const junk = [
      null,
      -1,
      1.5,
      "",
      "01",
      "18446744073709551616",
      {},
      [],
      true,
      "A".repeat(64),
      "AAAA",
    ];
    for (const field of ["trusteeId", "queryIndex", "releaseIndex", "partialKeys"] as const) {
      for (const j of junk) values.push({ ...valid, [field]: j });
      values.push({ ...valid, partialKeys: [j(junk)] });
    }
    function j(list: unknown[]) {
      return list[Math.floor(Math.random() * list.length)];
    }
    for (let i = 0; i < 500; i++) {
      const v = JSON.parse(JSON.stringify(valid)) as Record<string, unknown>;
      const k = ["trusteeId", "queryIndex", "releaseIndex", "partialKeys", "format"][i % 5]!;
      v[k] = j(junk);
      values.push(v);
    }
    for (const v of values) {
      try {
        parseRelease(v);
      } catch (e) {
        expect(e).toBeInstanceOf(ProtocolError);
      }
    }
  });
});
