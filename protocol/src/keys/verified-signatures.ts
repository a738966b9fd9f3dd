/**
 * Signatures found valid ahead of time, so that code which must stay synchronous (the log
 * policy's replay) can skip the pure-JS check of exactly those: verify a page concurrently with
 * {@link VerifiedSignatures.verify}, then replay with `known.has(A, M, sig) || ed25519Verify(A, M, sig)`.
 *
 * Only "valid" answers are kept, each for its exact (public key, message, signature) triple,
 * compared byte for byte. A triple that was not verified ahead — a different message, another key,
 * one byte changed anywhere — is not found, and the caller verifies it itself: the replay's
 * answers are the synchronous verifier's, whatever was or was not verified before. The async
 * verifier answers exactly as the synchronous one (ed25519-async.ts), so what this saves is time.
 */
import { ED25519_PUBLIC_KEY_BYTES, ED25519_SIGNATURE_BYTES, ed25519Verify } from "./ed25519.ts";
import { type Ed25519VerifyItem, ed25519VerifyBatch } from "./ed25519-async.ts";

/** `bytes` equals `kept` from `offset` on, for `bytes.length` bytes. */
const sameBytesAt = (kept: Uint8Array, offset: number, bytes: Uint8Array) => {
  for (let i = 0; i < bytes.length; i++) if (kept[offset + i] !== bytes[i]) return false;
  return true;
};

/** A lookup key from R's first six bytes (uniform for honest signatures); matches are compared in full. */
const bucketOf = (signature: Uint8Array) =>
  signature[0]! +
  signature[1]! * 2 ** 8 +
  signature[2]! * 2 ** 16 +
  signature[3]! * 2 ** 24 +
  signature[4]! * 2 ** 32 +
  signature[5]! * 2 ** 40;

const KEY = ED25519_PUBLIC_KEY_BYTES;
const SIG = ED25519_SIGNATURE_BYTES;

export class VerifiedSignatures {
  /**
   * Valid triples as one copy each, public key ‖ signature ‖ message (so nothing the caller does
   * to its arrays afterwards changes what is known), by {@link bucketOf} their signature.
   */
  private readonly valid = new Map<number, Uint8Array[]>();

  /** Verifies every item concurrently (ed25519VerifyBatch) and keeps the valid ones. */
  static async verify(items: readonly Ed25519VerifyItem[]): Promise<VerifiedSignatures> {
    const known = new VerifiedSignatures();
    const answers = await ed25519VerifyBatch(items);
    items.forEach((item, i) => {
      if (answers[i]) known.add(item);
    });
    return known;
  }

  private add({ publicKey, message, signature }: Ed25519VerifyItem): void {
    const kept = new Uint8Array(KEY + SIG + message.length);
    kept.set(publicKey);
    kept.set(signature, KEY);
    kept.set(message, KEY + SIG);
    const bucket = bucketOf(signature);
    const list = this.valid.get(bucket);
    if (list) list.push(kept);
    else this.valid.set(bucket, [kept]);
  }

  /** Whether exactly this triple was found valid ahead of time. */
  has(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
    if (publicKey.length !== KEY || signature.length !== SIG) return false;
    const list = this.valid.get(bucketOf(signature));
    return (
      list?.some(
        (kept) =>
          kept.length === KEY + SIG + message.length &&
          sameBytesAt(kept, 0, publicKey) &&
          sameBytesAt(kept, KEY, signature) &&
          sameBytesAt(kept, KEY + SIG, message),
      ) ?? false
    );
  }

  /** Whether the signature verifies: looked up when verified ahead, else checked now in pure JS. */
  check(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
    return this.has(publicKey, message, signature) || ed25519Verify(publicKey, message, signature);
  }
}
