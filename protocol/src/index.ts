/**
 * @lintel/protocol — formats, cryptography and log algorithms shared by the worker, the SDK and
 * the pages. Pure: no I/O, no host APIs beyond those declared in globals.d.ts.
 * Sealing with libsodium lives behind the separate "@lintel/protocol/seal" entry point so that
 * the worker never loads it.
 */
export { decodeBase64url, encodeBase64url } from "./encoding/base64url.ts";
export { isProtocolError, ProtocolError, type ProtocolErrorCode } from "./errors.ts";
export {
  ED25519_PUBLIC_KEY_BYTES,
  ED25519_SECRET_KEY_BYTES,
  ED25519_SIGNATURE_BYTES,
  type Ed25519KeyPair,
  ed25519PublicKey,
  ed25519Sign,
  ed25519Verify,
  generateEd25519KeyPair,
} from "./keys/ed25519.ts";
export {
  assertProofOfPossession,
  G1_COMPRESSED_BYTES,
  G2_COMPRESSED_BYTES,
  generateTrusteeKey,
  POP_DST,
  SCALAR_BYTES,
  type TrusteeKey,
  verifyProofOfPossession,
} from "./tibe/trustee-key.ts";
