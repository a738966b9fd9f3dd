/**
 * The BLS12-381 seam: every curve operation of the threshold IBE goes through one
 * {@link CurveBackend}, so a fast implementation can serve the hot paths while @noble/curves stays
 * the reference. Both must produce identical bytes for every operation; the test vectors and a
 * cross-backend property test (fast-curves/backends.test.ts) prove it.
 *
 * Group roles (PROTOCOL.md §4.1):
 *
 *   G1 (48-byte compressed)  master key, trustee and epoch public keys, the ciphertext's U
 *   G2 (96-byte compressed)  identities Q = H2(id), partial and identity keys, proofs of possession
 *   GT                       pairing values, serialised as 576 bytes (Fp12, see gtToBytes)
 *
 * Points are opaque handles, valid only with the backend that made them; code that caches them
 * (PreparedMasterKey, the decryption key cache) keys its cache by backend. Every decoder is strict:
 * the canonical ZCash compressed encoding, on the curve, in the prime-order subgroup, not the
 * point at infinity — anything else throws ProtocolError "bad-point" (or "bad-length").
 *
 * Scalars are bigints in [0, r). Which backend is active is process-wide ({@link useCurves});
 * @noble/curves is active until something installs another.
 */

import { nobleCurves } from "./noble-curves.ts";

declare const g1Brand: unique symbol;
declare const g2Brand: unique symbol;
declare const gtBrand: unique symbol;
declare const linesBrand: unique symbol;

/** A G1 point of the active backend. */
export interface G1Handle {
  readonly [g1Brand]: true;
}
/** A G2 point of the active backend. */
export interface G2Handle {
  readonly [g2Brand]: true;
}
/** A GT element (pairing value) of the active backend. */
export interface GtHandle {
  readonly [gtBrand]: true;
}
/** A fixed G2 point with its Miller-loop line coefficients computed once. */
export interface PreparedG2 {
  readonly [linesBrand]: true;
}

export const G1_BYTES = 48;
export const G2_BYTES = 96;
export const GT_BYTES = 576;

export interface CurveBackend {
  /** "noble" for the reference, "mcl" for mcl-wasm. */
  readonly name: string;

  g1FromBytes(bytes: Uint8Array, what: string): G1Handle;
  /**
   * A G1 encoding decoded by every rule but the subgroup check — for a point that is only used
   * until it is compared with one made here (a ciphertext's U against r·g1: equality with a
   * subgroup point is the membership check), or whose exact bytes were already decoded with
   * the check (a master key's shares, checked with their proofs). A backend may check anyway.
   */
  g1FromBytesCheckedLater(bytes: Uint8Array, what: string): G1Handle;
  /** The 48-byte encoding; the point at infinity (never encoded by the protocol) is "bad-point". */
  g1ToBytes(p: G1Handle): Uint8Array;
  /** s·g1 for s in [1, r). */
  g1Base(s: bigint): G1Handle;
  g1Mul(p: G1Handle, s: bigint): G1Handle;
  g1Add(a: G1Handle, b: G1Handle): G1Handle;
  g1Equal(a: G1Handle, b: G1Handle): boolean;
  g1IsZero(p: G1Handle): boolean;

  g2FromBytes(bytes: Uint8Array, what: string): G2Handle;
  /** The 96-byte encoding; the point at infinity is "bad-point". */
  g2ToBytes(p: G2Handle): Uint8Array;
  g2Mul(p: G2Handle, s: bigint): G2Handle;
  g2Add(a: G2Handle, b: G2Handle): G2Handle;
  g2IsZero(p: G2Handle): boolean;
  /** RFC 9380 hash_to_curve for G2 (BLS12381G2_XMD:SHA-256_SSWU_RO_) under `dst`. */
  hashToG2(message: Uint8Array, dst: string): G2Handle;

  pairing(p: G1Handle, q: G2Handle): GtHandle;
  /** Π e(p_i, q_i) = 1, with one final exponentiation. */
  pairingProductIsOne(pairs: readonly (readonly [G1Handle, G2Handle])[]): boolean;
  prepareG2(q: G2Handle): PreparedG2;
  /** e(p, q) for a prepared q: the Miller loop reuses q's line coefficients. */
  pairPrepared(p: G1Handle, q: PreparedG2): GtHandle;
  /** g^s in GT. */
  gtPow(g: GtHandle, s: bigint): GtHandle;
  /**
   * The 576-byte serialisation of PROTOCOL.md §4.1: the twelve Fp coefficients of the Fp12 tower
   * element, 48 bytes big-endian each, in the order c0.c0.c0, c0.c0.c1, c0.c1.c0, … c1.c2.c1
   * (c0 before c1 at every level) — @noble/curves' Fp12.toBytes.
   */
  gtToBytes(g: GtHandle): Uint8Array;
}

let active: CurveBackend = nobleCurves;

/** The active backend. */
export function curves(): CurveBackend {
  return active;
}

/** Makes `backend` the active one for every later operation in this realm (thread). */
export function useCurves(backend: CurveBackend): void {
  active = backend;
}
