/**
 * Deletion tokens (PROTOCOL.md §5.5): the device keeps a random 32-byte secret per
 * check-in and sends only its hash with the ciphertexts; presenting the secret later (early
 * check-out, "delete my data") lets the server find and delete them. The server never holds the
 * secret, so a leaked database cannot be used to delete anyone's check-ins.
 *
 *   hash = SHA-256("LINTEL-V1 deletion" ‖ 0x00 ‖ secret)
 *
 * The label keeps this hash apart from every other SHA-256 in the protocol.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { concatBytes, constantTimeEqual, utf8 } from "../encoding/bytes.ts";
import { ProtocolError } from "../errors.ts";

export const DELETION_SECRET_BYTES = 32;
export const DELETION_HASH_BYTES = 32;

const LABEL = utf8("LINTEL-V1 deletion");

/** A fresh secret from the platform's CSPRNG. */
export function newDeletionSecret(): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(DELETION_SECRET_BYTES));
}

/** The value the server stores. Throws ProtocolError("bad-length") unless the secret is 32 bytes. */
export function deletionTokenHash(secret: Uint8Array): Uint8Array {
  if (secret.length !== DELETION_SECRET_BYTES) {
    throw new ProtocolError("bad-length", `a deletion secret is ${DELETION_SECRET_BYTES} bytes`);
  }
  return sha256(concatBytes(LABEL, new Uint8Array([0]), secret));
}

/**
 * Whether `secret` is the preimage of `storedHash`, compared in constant time. False (never an
 * error) for inputs of the wrong length.
 */
export function deletionSecretMatches(secret: Uint8Array, storedHash: Uint8Array): boolean {
  if (secret.length !== DELETION_SECRET_BYTES || storedHash.length !== DELETION_HASH_BYTES)
    return false;
  return constantTimeEqual(deletionTokenHash(secret), storedHash);
}
