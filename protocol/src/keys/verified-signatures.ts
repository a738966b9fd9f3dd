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
import { ed25519Verify } from "./ed25519.ts";
import { type Ed25519VerifyItem, ed25519VerifyBatch } from "./ed25519-async.ts";

const sameBytes = (a: Uint8Array, b: Uint8Array) => {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
};

const signatureId = (signature: Uint8Array) => String.fromCharCode(...signature);

export class VerifiedSignatures {
  /** Signature bytes (as a string) → the (key, message) pairs it was found valid for. */
  private readonly valid = new Map<string, Ed25519VerifyItem[]>();

  /** Verifies every item concurrently (ed25519VerifyBatch) and keeps the valid ones. */
  static async verify(items: readonly Ed25519VerifyItem[]): Promise<VerifiedSignatures> {
    const known = new VerifiedSignatures();
    const answers = await ed25519VerifyBatch(items);
    items.forEach((item, i) => {
      if (answers[i]) known.add(item);
    });
    return known;
  }

  private add(item: Ed25519VerifyItem): void {
    // Copies: the caller's arrays may be reused or changed after the check.
    const kept = {
      publicKey: item.publicKey.slice(),
      message: item.message.slice(),
      signature: item.signature.slice(),
    };
    const id = signatureId(kept.signature);
    const list = this.valid.get(id);
    if (list) list.push(kept);
    else this.valid.set(id, [kept]);
  }

  /** Whether exactly this triple was found valid ahead of time. */
  has(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
    const list = this.valid.get(signatureId(signature));
    return (
      list?.some((v) => sameBytes(v.publicKey, publicKey) && sameBytes(v.message, message)) ?? false
    );
  }

  /** Whether the signature verifies: looked up when verified ahead, else checked now in pure JS. */
  check(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
    return this.has(publicKey, message, signature) || ed25519Verify(publicKey, message, signature);
  }
}
