/**
 * Ed25519 (RFC 8032) keys for every party that signs: the registry (venue codes, deployment
 * records), the log (checkpoints), officers, auditors and witnesses. A secret key is the 32-byte
 * RFC 8032 seed; a public key is 32 bytes.
 */
import { ed25519 } from "@noble/curves/ed25519.js";
import { ProtocolError } from "../errors.ts";

export const ED25519_SECRET_KEY_BYTES = 32;
export const ED25519_PUBLIC_KEY_BYTES = 32;
export const ED25519_SIGNATURE_BYTES = 64;

export interface Ed25519KeyPair {
  readonly secretKey: Uint8Array;
  readonly publicKey: Uint8Array;
}

export function generateEd25519KeyPair(seed?: Uint8Array): Ed25519KeyPair {
  const secretKey = seed
    ? checkLength(seed, ED25519_SECRET_KEY_BYTES, "secret key")
    : ed25519.utils.randomSecretKey();
  return { secretKey, publicKey: ed25519.getPublicKey(secretKey) };
}

export function ed25519PublicKey(secretKey: Uint8Array): Uint8Array {
  return ed25519.getPublicKey(checkLength(secretKey, ED25519_SECRET_KEY_BYTES, "secret key"));
}

export function ed25519Sign(secretKey: Uint8Array, message: Uint8Array): Uint8Array {
  return ed25519.sign(message, checkLength(secretKey, ED25519_SECRET_KEY_BYTES, "secret key"));
}

/** Strict RFC 8032 verification (canonical S, small-order keys rejected); never throws on bad input. */
export function ed25519Verify(
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
): boolean {
  if (
    publicKey.length !== ED25519_PUBLIC_KEY_BYTES ||
    signature.length !== ED25519_SIGNATURE_BYTES
  ) {
    return false;
  }
  try {
    return ed25519.verify(signature, message, publicKey, { zip215: false });
  } catch {
    return false;
  }
}

function checkLength(bytes: Uint8Array, length: number, what: string): Uint8Array {
  if (bytes.length !== length) {
    throw new ProtocolError(
      "bad-length",
      `Ed25519 ${what} must be ${length} bytes, got ${bytes.length}`,
    );
  }
  return bytes;
}
