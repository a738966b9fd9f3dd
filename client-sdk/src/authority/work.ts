/**
 * The unit of decryption work (PROTOCOL.md §11.5 step 4), the same in every thread: one identity's
 * combined key, its identity bytes and a batch of its ciphertexts in, one outcome per ciphertext
 * out. Pure apart from libsodium's one-time load, so that a Node worker thread, a browser Web
 * Worker and the calling thread all run exactly this code.
 *
 * A ciphertext that does not decrypt is an outcome, not an exception: the service stores whatever
 * 386 bytes a device sent (it cannot check them), so one bad ciphertext must not hide the others.
 */
import {
  type CheckInRecord,
  decodeCheckInRecord,
  decryptWithIdentityKey,
  isProtocolError,
} from "@lintel/protocol";
import { ready, xchacha20poly1305 } from "@lintel/protocol/seal";

export interface DecryptJob {
  /** The combined 48-byte identity key D (§4.5). */
  readonly identityKey: Uint8Array;
  /** The §4.2 identity bytes the ciphertexts were made for. */
  readonly idBytes: Uint8Array;
  readonly ciphertexts: readonly Uint8Array[];
}

export type DecryptOutcome =
  | {
      readonly ok: true;
      /** The 240-byte record exactly as decrypted: identical bytes are one record (§11.5). */
      readonly plaintext: Uint8Array;
      readonly record: CheckInRecord;
    }
  /** `code` is the protocol's error code: "decryption-failed", or a decoding error of the record. */
  | { readonly ok: false; readonly code: string };

export async function decryptJob(job: DecryptJob): Promise<DecryptOutcome[]> {
  await ready();
  return job.ciphertexts.map((ciphertext) => {
    try {
      const plaintext = decryptWithIdentityKey(
        xchacha20poly1305,
        job.identityKey,
        job.idBytes,
        ciphertext,
      );
      return { ok: true, plaintext, record: decodeCheckInRecord(plaintext) };
    } catch (e) {
      if (isProtocolError(e)) return { ok: false, code: e.code };
      throw e;
    }
  });
}
