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
import type { CurveBackend, PreparedG2 } from "./backend.ts";
import { decodePoint, encodePoint, handleCasts } from "./handles.ts";

const G1 = bls12_381.G1.Point;
const G2 = bls12_381.G2.Point;
const Fp12 = bls12_381.fields.Fp12;

type G1Point = InstanceType<typeof G1>;
type G2Point = InstanceType<typeof G2>;
type Gt = ReturnType<typeof bls12_381.pairing>;
type Lines = ReturnType<typeof bls12_381.utils.calcPairingPrecomputes>;

const { g1, g2, gt, asG1, asG2, asGt } = handleCasts<G1Point, G2Point, Gt>();

type NoblePoint = G1Point | G2Point;
const isZero = (p: NoblePoint) => p.is0();
const compressed = (p: NoblePoint) => p.toBytes(true);

/** noble's fromBytes, then its validity check (on the curve, in the prime-order subgroup). */
function parsed<P extends NoblePoint>(parse: (bytes: Uint8Array) => P) {
  return (bytes: Uint8Array): P => {
    const point = parse(bytes);
    point.assertValidity();
    return point;
  };
}
const parseG1 = parsed((b) => G1.fromBytes(b));
const parseG2 = parsed((b) => G2.fromBytes(b));

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

  g1FromBytes: (bytes, what) => asG1(decodePoint(bytes, 48, "G1", what, parseG1, isZero)),
  // noble's fromBytes checks the subgroup as it decodes: nothing to skip.
  g1FromBytesCheckedLater: (bytes, what) =>
    asG1(decodePoint(bytes, 48, "G1", what, parseG1, isZero)),
  g1ToBytes: (p) => encodePoint(g1(p), isZero, compressed),
  g1Base: (s) => asG1(G1.BASE.multiply(s)),
  g1Mul: (p, s) => asG1(g1(p).multiply(s)),
  g1Add: (a, b) => asG1(g1(a).add(g1(b))),
  g1Equal: (a, b) => g1(a).equals(g1(b)),
  g1IsZero: (p) => g1(p).is0(),

  g2FromBytes: (bytes, what) => asG2(decodePoint(bytes, 96, "G2", what, parseG2, isZero)),
  g2ToBytes: (p) => encodePoint(g2(p), isZero, compressed),
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
