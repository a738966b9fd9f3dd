import { describe, expect, it } from "vitest";
import { ProtocolError } from "../errors.ts";
import { bls, decodeG1, decodeG2, Fp12, G1, G2, gtPow } from "./curve.ts";

const Fp = bls.fields.Fp;

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

describe("point decoding (attack 4: invalid points, points outside the subgroup)", () => {
  it("accepts valid points and round-trips them", () => {
    const p = G1.BASE.multiply(12345n);
    expect(decodeG1(p.toBytes(true), "p").equals(p)).toBe(true);
    const q = G2.BASE.multiply(678n);
    expect(decodeG2(q.toBytes(true), "q").equals(q)).toBe(true);
  });

  it("refuses a point on the curve but outside the prime-order subgroup", () => {
    const bytes = nonSubgroupG1();
    expect(() => decodeG1(bytes, "p")).toThrowError(ProtocolError);
    try {
      decodeG1(bytes, "p");
    } catch (e) {
      expect((e as ProtocolError).code).toBe("bad-point");
    }
  });

  it("refuses infinity, off-curve x, wrong lengths and uncompressed forms", () => {
    const infinity = new Uint8Array(48);
    infinity[0] = 0xc0;
    const codes = [
      infinity,
      new Uint8Array(48).fill(0xff),
      G1.BASE.toBytes(true).subarray(1),
      G1.BASE.toBytes(false),
    ].map((b) => {
      try {
        decodeG1(b, "p");
        return "accepted";
      } catch (e) {
        return (e as ProtocolError).code;
      }
    });
    expect(codes).toEqual(["bad-point", "bad-point", "bad-length", "bad-length"]);
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
      let code = "accepted";
      try {
        decodeG1(bytes, "p");
      } catch (e) {
        code = (e as ProtocolError).code;
      }
      expect(code).toBe("bad-point");
    }
  });

  it("computes GT powers like the generic exponentiation", () => {
    const g = bls.pairing(G1.BASE, G2.BASE);
    for (const e of [0n, 1n, 2n, 15n, 16n, 0x1234567890abcdefn, bls.fields.Fr.ORDER - 1n]) {
      expect(Fp12.eql(gtPow(g, e), Fp12.pow(g, e))).toBe(true);
    }
  });
});
