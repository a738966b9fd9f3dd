/**
 * The native BLS12-381 backend for Node: blst (github.com/supranational/blst, with its x86-64 and
 * ARMv8 assembly) behind a small Node-API addon that Lintel builds at install time
 * (client-sdk/native/). Measured in one Node process (CPU time, 2026-12-06, AMD EPYC): a pairing
 * with the identity key's lines precomputed 0.53 ms against mcl-wasm's 3.0–3.3 ms; hash to G2
 * 0.19 ms against 1.7 ms. It serves where Node runs the hot paths — an authority's decryption
 * threads and the audit CLI; pages and workerd keep mcl-wasm.
 *
 * This file is the pure half: it turns the addon's byte-level calls into a {@link CurveBackend}.
 * Handles are the addon's own structures as bytes — blst_p1_affine (96 bytes), blst_p2_affine
 * (192), blst_fp12 (576, Montgomery form), and 68 blst_fp6 line coefficients for a prepared G2
 * point — so nothing is converted between calls.
 *
 * It gives the same bytes as the reference for every operation (client-sdk's native-curves test
 * holds it to that on random inputs, mutated encodings and the vectors), because:
 *
 *   encodings      blst's compress/uncompress are the ZCash format; uncompress refuses a
 *                  coordinate ≥ p, bad flags and points off the curve; the subgroup check
 *                  (blst_p1_affine_in_g1 / _p2_) is a separate call, skipped only for
 *                  g1FromBytesCheckedLater
 *   hash to G2     blst_hash_to_g2 is RFC 9380's BLS12381G2_XMD:SHA-256_SSWU_RO_ with the DST given
 *   pairing        blst_miller_loop + blst_final_exp is the optimal ate pairing with the same
 *                  final exponentiation as @noble/curves (equal GT values, not merely equal up to
 *                  a power)
 *   GT bytes       the twelve Fp coefficients of blst_fp12 lie in memory in PROTOCOL.md §4.1's
 *                  order (c0 before c1 at every level); each is written big-endian, out of
 *                  Montgomery form (blst_bendian_from_fp)
 *   GT powers      square-and-multiply over the 256 bits of the scalar with cyclotomic squarings,
 *                  valid because pairing values lie in the cyclotomic subgroup
 */

import type { CurveBackend, PreparedG2 } from "../tibe/backend.ts";
import { decodePoint, encodePoint, handleCasts } from "../tibe/handles.ts";

/**
 * The addon's calls. Every argument and result is a Uint8Array; a scalar is 32 bytes
 * little-endian. A decoder answers null for an encoding blst refuses. Wrong argument shapes throw.
 */
export interface BlstAddon {
  /** affine or null; `checkSubgroup` false skips only the subgroup check. */
  g1Decode(bytes: Uint8Array, checkSubgroup: boolean): Uint8Array | null;
  g2Decode(bytes: Uint8Array): Uint8Array | null;
  g1Encode(p: Uint8Array): Uint8Array;
  g2Encode(q: Uint8Array): Uint8Array;
  /** s·p, or s·g1 when p is null. */
  g1Mul(p: Uint8Array | null, scalar: Uint8Array): Uint8Array;
  g2Mul(q: Uint8Array, scalar: Uint8Array): Uint8Array;
  g1Add(a: Uint8Array, b: Uint8Array): Uint8Array;
  g2Add(a: Uint8Array, b: Uint8Array): Uint8Array;
  g1Equal(a: Uint8Array, b: Uint8Array): boolean;
  g1IsZero(p: Uint8Array): boolean;
  g2IsZero(q: Uint8Array): boolean;
  hashToG2(message: Uint8Array, dst: Uint8Array): Uint8Array;
  pairing(p: Uint8Array, q: Uint8Array): Uint8Array;
  /** Π e(p_i, q_i) = 1 for the affine points laid end to end. */
  pairingProductIsOne(ps: Uint8Array, qs: Uint8Array): boolean;
  prepareG2(q: Uint8Array): Uint8Array;
  pairPrepared(p: Uint8Array, lines: Uint8Array): Uint8Array;
  gtPow(g: Uint8Array, scalar: Uint8Array): Uint8Array;
  gtToBytes(g: Uint8Array): Uint8Array;
}

const G1_AFFINE = 96;
const G2_AFFINE = 192;

const encoder = new TextEncoder();

/** A scalar in [0, 2^256) as 32 bytes little-endian, blst's byte order for scalars. */
function scalarBytes(s: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32 && s > 0n; i++, s >>= 8n) out[i] = Number(s & 0xffn);
  return out;
}

/** Lays equal-sized byte strings end to end. */
function laidEndToEnd(parts: readonly Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(parts.length * size);
  parts.forEach((part, i) => {
    out.set(part, i * size);
  });
  return out;
}

/** The backend over a loaded addon. */
export function blstCurves(addon: BlstAddon): CurveBackend {
  const { g1, g2, gt, asG1, asG2, asGt } = handleCasts<Uint8Array, Uint8Array, Uint8Array>();
  const refused = (): never => {
    throw new Error("blst refused the encoding");
  };
  const parseG1 = (checkSubgroup: boolean) => (bytes: Uint8Array) =>
    addon.g1Decode(bytes, checkSubgroup) ?? refused();
  const parseG2 = (bytes: Uint8Array) => addon.g2Decode(bytes) ?? refused();
  const g1Checked = parseG1(true);
  const g1Unchecked = parseG1(false);

  return {
    name: "blst",

    g1FromBytes: (bytes, what) =>
      asG1(decodePoint(bytes, 48, "G1", what, g1Checked, addon.g1IsZero)),
    g1FromBytesCheckedLater: (bytes, what) =>
      asG1(decodePoint(bytes, 48, "G1", what, g1Unchecked, addon.g1IsZero)),
    g1ToBytes: (p) => encodePoint(g1(p), addon.g1IsZero, addon.g1Encode),
    g1Base: (s) => asG1(addon.g1Mul(null, scalarBytes(s))),
    g1Mul: (p, s) => asG1(addon.g1Mul(g1(p), scalarBytes(s))),
    g1Add: (a, b) => asG1(addon.g1Add(g1(a), g1(b))),
    g1Equal: (a, b) => addon.g1Equal(g1(a), g1(b)),
    g1IsZero: (p) => addon.g1IsZero(g1(p)),

    g2FromBytes: (bytes, what) => asG2(decodePoint(bytes, 96, "G2", what, parseG2, addon.g2IsZero)),
    g2ToBytes: (q) => encodePoint(g2(q), addon.g2IsZero, addon.g2Encode),
    g2Mul: (q, s) => asG2(addon.g2Mul(g2(q), scalarBytes(s))),
    g2Add: (a, b) => asG2(addon.g2Add(g2(a), g2(b))),
    g2IsZero: (q) => addon.g2IsZero(g2(q)),
    hashToG2: (message, dst) => asG2(addon.hashToG2(message, encoder.encode(dst))),

    pairing: (p, q) => asGt(addon.pairing(g1(p), g2(q))),
    pairingProductIsOne: (pairs) =>
      addon.pairingProductIsOne(
        laidEndToEnd(
          pairs.map(([p]) => g1(p)),
          G1_AFFINE,
        ),
        laidEndToEnd(
          pairs.map(([, q]) => g2(q)),
          G2_AFFINE,
        ),
      ),
    prepareG2: (q) => addon.prepareG2(g2(q)) as unknown as PreparedG2,
    pairPrepared: (p, q) => asGt(addon.pairPrepared(g1(p), q as unknown as Uint8Array)),
    gtPow: (g, s) => asGt(addon.gtPow(gt(g), scalarBytes(s))),
    gtToBytes: (g) => addon.gtToBytes(gt(g)),
  };
}
