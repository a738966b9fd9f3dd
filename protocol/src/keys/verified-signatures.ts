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
import { ED25519_PUBLIC_KEY_BYTES, ed25519Verify } from "./ed25519.ts";
import { type Ed25519VerifyItem, ed25519VerifyBatch } from "./ed25519-async.ts";

/** `bytes` equals `kept` from `offset` to its end. */
const sameBytesAt = (kept: Uint8Array, offset: number, bytes: Uint8Array) => {
  if (kept.length - offset !== bytes.length) return false;
  for (let i = 0; i < bytes.length; i++) if (kept[offset + i] !== bytes[i]) return false;
  return true;
};

const signatureId = (signature: Uint8Array) => String.fromCharCode(...signature);

export class VerifiedSignatures {
  /**
   * Signature bytes (as a string) → each public key ‖ message it was found valid for: one copy,
   * so nothing the caller does to its arrays afterwards changes what is known.
   */
  private readonly valid = new Map<string, Uint8Array[]>();

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
    const kept = new Uint8Array(ED25519_PUBLIC_KEY_BYTES + message.length);
    kept.set(publicKey);
    kept.set(message, ED25519_PUBLIC_KEY_BYTES);
    const id = signatureId(signature);
    const list = this.valid.get(id);
    if (list) list.push(kept);
    else this.valid.set(id, [kept]);
  }

  /** Whether exactly this triple was found valid ahead of time. */
  has(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
    if (publicKey.length !== ED25519_PUBLIC_KEY_BYTES) return false;
    const list = this.valid.get(signatureId(signature));
    if (!list) return false;
    return list.some((kept) => {
      for (let i = 0; i < ED25519_PUBLIC_KEY_BYTES; i++) if (kept[i] !== publicKey[i]) return false;
      return sameBytesAt(kept, ED25519_PUBLIC_KEY_BYTES, message);
    });
  }

  /** Whether the signature verifies: looked up when verified ahead, else checked now in pure JS. */
  check(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
    return this.has(publicKey, message, signature) || ed25519Verify(publicKey, message, signature);
  }
}
