/**
 * What the threshold IBE needs from BLS12-381 beyond backend.ts: the sizes of its encodings and
 * the strict decoding of a secret share. Points go through the active backend (backend.ts).
 */
import { ProtocolError } from "../errors.ts";
import { curves, G1_BYTES, type G1Handle, G2_BYTES } from "./backend.ts";

export { G1_BYTES, G2_BYTES };

/** A trustee's or epoch key's public key, and the master key: G1 points (PROTOCOL.md §4.1). */
export const SHARE_KEY_BYTES = G1_BYTES;
/** A proof of possession: a G2 point. */
export const PROOF_OF_POSSESSION_BYTES = G2_BYTES;
/** A partial identity key, and a combined identity key: G2 points. */
export const PARTIAL_KEY_BYTES = G2_BYTES;

/** r, the prime order of G1, G2 and GT. */
export const CURVE_ORDER = 0x73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001n;
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
  if (s === 0n || s >= CURVE_ORDER)
    throw new ProtocolError("bad-scalar", `${what} is not in [1, r − 1]`);
  return s;
}

const negatedGenerators = new WeakMap<object, G1Handle>();

/** −g1 of the active backend, made once per backend: the fixed point of every pairing check. */
export function negatedG1(): G1Handle {
  const backend = curves();
  let point = negatedGenerators.get(backend);
  if (!point) {
    point = backend.g1Base(CURVE_ORDER - 1n);
    negatedGenerators.set(backend, point);
  }
  return point;
}
