/**
 * Point decoding and GT arithmetic, run against every backend: the reference (@noble/curves) and
 * the fast one (mcl-wasm). Each must refuse the same inputs with the same codes.
 */
import { bls12_381 as bls } from "@noble/curves/bls12-381.js";
import { describe, expect, it } from "vitest";
import { loadFastCurves } from "../fast-curves/index.ts";
import { codeOf } from "../testing/code-of.ts";
import type { CurveBackend } from "./backend.ts";
import { nobleCurves } from "./noble-curves.ts";

const Fp = bls.fields.Fp;
const Fp12 = bls.fields.Fp12;
const G1 = bls.G1.Point;
const G2 = bls.G2.Point;

const backends: [string, CurveBackend][] = [
  ["noble", nobleCurves],
  ["mcl", await loadFastCurves()],
];

/** A point on y² = x³ + 4 over Fp that is NOT in the prime-order subgroup, compressed. */
function nonSubgroupG1(): Uint8Array {
  for (let x = 1n; ; x++) {
    const rhs = Fp.add(Fp.pow(x, 3n), 4n);
    let y: bigint;
    try {
      y = Fp.sqrt(rhs);
    } catch {
      continue;
    }
    const point = G1.fromAffine({ x, y });
    if (point.isTorsionFree()) continue;
    const bytes = new Uint8Array(48);
    let v = x;
    for (let i = 47; i >= 0; i--) {
      bytes[i] = Number(v & 0xffn);
      v >>= 8n;
    }
    bytes[0]! |= 0x80; // compressed flag
    if (y > Fp.neg(y)) bytes[0]! |= 0x20; // sign flag: the larger root
    return bytes;
  }
}

describe.each(backends)(
  "point decoding with %s (attack: invalid points, points outside the subgroup)",
  (_, c) => {
    it("accepts valid points and round-trips them", () => {
      const p = G1.BASE.multiply(12345n).toBytes(true);
      expect(c.g1ToBytes(c.g1FromBytes(p, "p"))).toEqual(p);
      const q = G2.BASE.multiply(678n).toBytes(true);
      expect(c.g2ToBytes(c.g2FromBytes(q, "q"))).toEqual(q);
    });

    it("refuses a point on the curve but outside the prime-order subgroup", () => {
      expect(codeOf(() => c.g1FromBytes(nonSubgroupG1(), "p"))).toBe("bad-point");
    });

    it("refuses infinity, off-curve x, wrong lengths and uncompressed forms", () => {
      const infinity = new Uint8Array(48);
      infinity[0] = 0xc0;
      const codes = [
        infinity,
        new Uint8Array(48).fill(0xff),
        G1.BASE.toBytes(true).subarray(1),
        G1.BASE.toBytes(false),
      ].map((b) => codeOf(() => c.g1FromBytes(b, "p")));
      expect(codes).toEqual(["bad-point", "bad-point", "bad-length", "bad-length"]);
      const infinity2 = new Uint8Array(96);
      infinity2[0] = 0xc0;
      expect(codeOf(() => c.g2FromBytes(infinity2, "q"))).toBe("bad-point");
      expect(codeOf(() => c.g2FromBytes(G2.BASE.toBytes(false), "q"))).toBe("bad-length");
    });

    it("refuses a non-canonical encoding: x + p, and the sort flag on infinity", () => {
      const g = G1.BASE.toAffine();
      const bytes = new Uint8Array(48);
      let v = g.x + Fp.ORDER;
      for (let i = 47; i >= 0; i--, v >>= 8n) bytes[i] = Number(v & 0xffn);
      if (bytes[0]! < 0x20) {
        bytes[0]! |= 0x80;
        expect(codeOf(() => c.g1FromBytes(bytes, "p"))).toBe("bad-point");
      }
      const sortedInfinity = new Uint8Array(48);
      sortedInfinity[0] = 0xe0;
      expect(codeOf(() => c.g1FromBytes(sortedInfinity, "p"))).toBe("bad-point");
    });

    it("refuses x = 1, the smallest x whose x³ + 4 is not a square (must-reject vector)", () => {
      const isSquare = (x: bigint) =>
        Fp.eql(Fp.pow(Fp.add(Fp.pow(x, 3n), 4n), (Fp.ORDER - 1n) / 2n), Fp.ONE);
      expect(isSquare(1n)).toBe(false);
      // x = 5 (the "outside the subgroup" vector) is on the curve, but not in the subgroup.
      expect(isSquare(5n)).toBe(true);
      expect(G1.fromAffine({ x: 5n, y: Fp.sqrt(129n) }).isTorsionFree()).toBe(false);
      for (const flags of [0x80, 0xa0]) {
        const bytes = new Uint8Array(48);
        bytes[0] = flags;
        bytes[47] = 1;
        expect(codeOf(() => c.g1FromBytes(bytes, "p"))).toBe("bad-point");
      }
    });

    it("refuses to encode the point at infinity, in either group", () => {
      const r = bls.fields.Fr.ORDER;
      expect(codeOf(() => c.g1ToBytes(c.g1Add(c.g1Base(1n), c.g1Base(r - 1n))))).toBe("bad-point");
      const q = c.hashToG2(new Uint8Array([1]), "LINTEL-TEST");
      expect(codeOf(() => c.g2ToBytes(c.g2Add(q, c.g2Mul(q, r - 1n))))).toBe("bad-point");
    });

    it("computes GT powers like the generic exponentiation", () => {
      const g = c.pairing(c.g1Base(1n), c.g2FromBytes(G2.BASE.toBytes(true), "g2"));
      const reference = bls.pairing(G1.BASE, G2.BASE);
      expect(c.gtToBytes(g)).toEqual(Fp12.toBytes(reference));
      for (const e of [1n, 2n, 15n, 16n, 0x1234567890abcdefn, bls.fields.Fr.ORDER - 1n]) {
        expect(c.gtToBytes(c.gtPow(g, e))).toEqual(Fp12.toBytes(Fp12.pow(reference, e)));
      }
    });
  },
);
