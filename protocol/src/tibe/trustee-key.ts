/**
 * Trustee key shares for threshold identity-based encryption on BLS12-381.
 *
 *   s_i ← random scalar mod r            (secret share, 32 bytes big-endian)
 *   P_i = s_i · g2                        (public key, 96-byte compressed G2 point)
 *   π_i = s_i · H1_pop(P_i)               (proof of possession, 48-byte compressed G1 point)
 *   verify π_i:  e(π_i, g2) = e(H1_pop(P_i), P_i)
 *
 * The master public key of a day is Σ P_i + E_d. Without the proofs of possession, whoever
 * publishes the last key could choose it as (own key − the others) and decrypt alone, so every
 * key in that sum must come with a verified proof. H1_pop is RFC 9380 hash-to-G1 under its own
 * domain-separation tag, distinct from the tag used for identities, so a proof of possession can
 * never double as a partial identity key.
 */
import { bls12_381 } from "@noble/curves/bls12-381.js";
import { ProtocolError } from "../errors.ts";
import { decodeScalar, G2 } from "./curve.ts";

export const POP_DST = "LINTEL-V1-POP-BLS12381G1_XMD:SHA-256_SSWU_RO_";
export const G2_COMPRESSED_BYTES = 96;
export const G1_COMPRESSED_BYTES = 48;
export const SCALAR_BYTES = 32;

const bls = bls12_381.shortSignatures;

export interface TrusteeKey {
  readonly secretShare: Uint8Array;
  readonly publicKey: Uint8Array;
  readonly proofOfPossession: Uint8Array;
}

export const KEY_SEED_BYTES = 48;

/**
 * `seed`, for reproducible test vectors only: 48 bytes of input keying material, mapped to
 * s = (OS2IP(seed) mod (r − 1)) + 1 (PROTOCOL.md §2.5). Any other length is "bad-length".
 */
export function generateTrusteeKey(seed?: Uint8Array): TrusteeKey {
  if (seed !== undefined && (!(seed instanceof Uint8Array) || seed.length !== KEY_SEED_BYTES)) {
    throw new ProtocolError("bad-length", `a key seed is ${KEY_SEED_BYTES} bytes`);
  }
  const { secretKey, publicKey } = bls.keygen(seed);
  const publicBytes = publicKey.toBytes(true);
  const proof = bls.sign(bls.hash(publicBytes, POP_DST), secretKey);
  return { secretShare: secretKey, publicKey: publicBytes, proofOfPossession: proof.toBytes(true) };
}

/** True only for a valid subgroup point with a valid proof of possession; never throws. */
export function verifyProofOfPossession(
  publicKey: Uint8Array,
  proofOfPossession: Uint8Array,
): boolean {
  if (
    publicKey.length !== G2_COMPRESSED_BYTES ||
    proofOfPossession.length !== G1_COMPRESSED_BYTES
  ) {
    return false;
  }
  try {
    return bls.verify(proofOfPossession, bls.hash(publicKey, POP_DST), publicKey);
  } catch {
    return false;
  }
}

export function assertProofOfPossession(
  publicKey: Uint8Array,
  proofOfPossession: Uint8Array,
): void {
  if (!verifyProofOfPossession(publicKey, proofOfPossession)) {
    throw new ProtocolError("bad-proof-of-possession", "key has no valid proof of possession");
  }
}

/** The public share key P = s·g2 (96 bytes) of a secret share — what a trustee says it holds. */
export function shareKeyOf(secretShare: Uint8Array): Uint8Array {
  return G2.BASE.multiply(decodeScalar(secretShare, "secret share")).toBytes(true);
}
