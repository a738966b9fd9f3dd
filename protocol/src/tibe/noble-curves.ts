/**
 * The reference BLS12-381 backend: @noble/curves, pure JavaScript, audited, and loadable
 * everywhere (browsers, Node, workerd) without WebAssembly. Every other backend must give the same
 * bytes (see backend.ts).
 *
 * Points are noble's projective points; GT elements are noble's Fp12 values. Decoding is
 * `fromBytes` + `assertValidity` (on the curve and in the prime-order subgroup) + a refusal of
 * infinity; encoding never re-checks a point (a point made here is valid by construction).
 */
import { bls12_381 } from "@noble/curves/bls12-381.js";
import { ProtocolError } from "../errors.ts";
import type { CurveBackend, PreparedG2 } from "./backend.ts";
import { handleCasts } from "./handles.ts";

const G1 = bls12_381.G1.Point;
const G2 = bls12_381.G2.Point;
const Fp12 = bls12_381.fields.Fp12;

type G1Point = InstanceType<typeof G1>;
type G2Point = InstanceType<typeof G2>;
type Gt = ReturnType<typeof bls12_381.pairing>;
type Lines = ReturnType<typeof bls12_381.utils.calcPairingPrecomputes>;

const { g1, g2, gt, asG1, asG2, asGt } = handleCasts<G1Point, G2Point, Gt>();

function decode<P extends { assertValidity(): void; is0(): boolean }>(
  parse: (bytes: Uint8Array) => P,
  bytes: Uint8Array,
  length: number,
  group: string,
  what: string,
): P {
  if (!(bytes instanceof Uint8Array) || bytes.length !== length)
    throw new ProtocolError("bad-length", `${what} must be ${length} bytes`);
  let point: P;
  try {
    point = parse(bytes);
    point.assertValidity();
  } catch {
    throw new ProtocolError("bad-point", `${what} is not a valid ${group} point`);
  }
  if (point.is0()) throw new ProtocolError("bad-point", `${what} is the point at infinity`);
  return point;
}

/** Lintel never encodes the point at infinity (backend.ts): refused alike by every backend. */
function encode(p: { is0(): boolean; toBytes(compressed: boolean): Uint8Array }): Uint8Array {
  if (p.is0()) throw new ProtocolError("bad-point", "the point at infinity is never encoded");
  return p.toBytes(true);
}

/**
 * g^e in the cyclotomic subgroup by 4-bit windows with cyclotomic squarings — about twice as fast
 * as a generic Fp12 exponentiation.
 */
function cyclotomicPow(g: Gt, e: bigint): Gt {
  const table: Gt[] = [Fp12.ONE, g];
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

function millerLoop(p: G1Point, lines: Lines): Gt {
  const { x, y } = p.toAffine();
  return bls12_381.millerLoopBatch([[lines, x, y]]);
}

export const nobleCurves: CurveBackend = {
  name: "noble",

  g1FromBytes: (bytes, what) => asG1(decode((b) => G1.fromBytes(b), bytes, 48, "G1", what)),
  // noble's fromBytes checks the subgroup as it decodes: nothing to skip.
  g1FromBytesCheckedLater: (bytes, what) =>
    asG1(decode((b) => G1.fromBytes(b), bytes, 48, "G1", what)),
  g1ToBytes: (p) => encode(g1(p)),
  g1Base: (s) => asG1(G1.BASE.multiply(s)),
  g1Mul: (p, s) => asG1(g1(p).multiply(s)),
  g1Add: (a, b) => asG1(g1(a).add(g1(b))),
  g1Equal: (a, b) => g1(a).equals(g1(b)),
  g1IsZero: (p) => g1(p).is0(),

  g2FromBytes: (bytes, what) => asG2(decode((b) => G2.fromBytes(b), bytes, 96, "G2", what)),
  g2ToBytes: (p) => encode(g2(p)),
  g2Mul: (p, s) => asG2(g2(p).multiply(s)),
  g2Add: (a, b) => asG2(g2(a).add(g2(b))),
  g2IsZero: (p) => g2(p).is0(),
  hashToG2: (message, dst) =>
    asG2(bls12_381.G2.hashToCurve(message, { DST: dst }) as unknown as G2Point),

  pairing: (p, q) => asGt(bls12_381.pairing(g1(p), g2(q))),
  pairingProductIsOne: (pairs) =>
    Fp12.eql(bls12_381.pairingBatch(pairs.map(([p, q]) => ({ g1: g1(p), g2: g2(q) }))), Fp12.ONE),
  prepareG2: (q) => bls12_381.utils.calcPairingPrecomputes(g2(q)) as unknown as PreparedG2,
  pairPrepared: (p, q) => asGt(Fp12.finalExponentiate(millerLoop(g1(p), q as unknown as Lines))),
  gtPow: (g, s) => asGt(cyclotomicPow(gt(g), s)),
  gtToBytes: (g) => Fp12.toBytes(gt(g)),
};
