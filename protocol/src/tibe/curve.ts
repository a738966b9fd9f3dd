/**
 * BLS12-381 as Lintel uses it (via @noble/curves): G1 points are 48-byte compressed, G2 points
 * 96-byte compressed (ZCash serialisation). Every point that arrives from outside goes through
 * these decoders, which reject non-canonical encodings, points off the curve, points outside the
 * prime-order subgroup and the point at infinity, always with a typed ProtocolError.
 */
import { bls12_381 } from "@noble/curves/bls12-381.js";
import { ProtocolError } from "../errors.ts";

export const bls = bls12_381;
export const G1 = bls12_381.G1.Point;
export const G2 = bls12_381.G2.Point;
export const Fp12 = bls12_381.fields.Fp12;
export const Fr = bls12_381.fields.Fr;

export type G1Point = InstanceType<typeof G1>;
export type G2Point = InstanceType<typeof G2>;
export type GtElement = ReturnType<typeof bls12_381.pairing>;

export const G1_BYTES = 48;
export const G2_BYTES = 96;
const SCALAR_BYTES = 32; // trustee-key.ts exports the same constant

/**
 * A secret share (PROTOCOL.md §2.4): a 32-byte big-endian integer in [1, r − 1]. Any other input
 * — another length, zero, r or more — is "bad-scalar".
 */
export function decodeScalar(bytes: Uint8Array, what: string): bigint {
  if (!(bytes instanceof Uint8Array) || bytes.length !== SCALAR_BYTES) {
    throw new ProtocolError("bad-scalar", `${what} must be ${SCALAR_BYTES} bytes`);
  }
  let s = 0n;
  for (const b of bytes) s = (s << 8n) | BigInt(b);
  if (s === 0n || s >= Fr.ORDER)
    throw new ProtocolError("bad-scalar", `${what} is not in [1, r − 1]`);
  return s;
}

export function decodeG1(bytes: Uint8Array, what: string): G1Point {
  if (bytes.length !== G1_BYTES)
    throw new ProtocolError("bad-length", `${what} must be ${G1_BYTES} bytes`);
  let point: G1Point;
  try {
    point = G1.fromBytes(bytes);
    point.assertValidity();
  } catch {
    throw new ProtocolError("bad-point", `${what} is not a valid G1 point`);
  }
  if (point.is0()) throw new ProtocolError("bad-point", `${what} is the point at infinity`);
  return point;
}

export function decodeG2(bytes: Uint8Array, what: string): G2Point {
  if (bytes.length !== G2_BYTES)
    throw new ProtocolError("bad-length", `${what} must be ${G2_BYTES} bytes`);
  let point: G2Point;
  try {
    point = G2.fromBytes(bytes);
    point.assertValidity();
  } catch {
    throw new ProtocolError("bad-point", `${what} is not a valid G2 point`);
  }
  if (point.is0()) throw new ProtocolError("bad-point", `${what} is the point at infinity`);
  return point;
}

/**
 * g^e for g in GT (the cyclotomic subgroup), by 4-bit windows with cyclotomic squarings — about
 * twice as fast as a generic Fp12 exponentiation. Used when an identity's e(Q, mpk) is cached.
 */
export function gtPow(g: GtElement, e: bigint): GtElement {
  const table: GtElement[] = [Fp12.ONE, g];
  for (let i = 2; i < 16; i++) table.push(Fp12.mul(table[i - 1]!, g));
  let acc = Fp12.ONE;
  const hex = e.toString(16);
  for (let i = 0; i < hex.length; i++) {
    if (i > 0) for (let k = 0; k < 4; k++) acc = Fp12._cyclotomicSquare(acc);
    const digit = Number.parseInt(hex[i]!, 16);
    if (digit !== 0) acc = Fp12.mul(acc, table[digit]!);
  }
  return acc;
}
