/**
 * The unit of decryption work (PROTOCOL.md §11.5 step 4), the same in every thread: one identity's
 * combined key, its identity bytes and a batch of its ciphertexts in, one outcome per ciphertext
 * out. Pure apart from libsodium's one-time load, so that a Node worker thread, a browser Web
 * Worker and the calling thread all run exactly this code.
 *
 * A ciphertext that does not decrypt is an outcome, not an exception: the service stores whatever
 * 338 bytes a device sent (it cannot check them), so one bad ciphertext must not hide the others.
 *
 * The other unit is combining (§11.5 steps 2–3): one UTC day's shares and, for each of some of
 * its identities, the partial keys in share order. Each partial costs a pairing check (about
 * 44 ms an identity with four holders), so a 48-hour query would hold a page's main thread for
 * seconds; in the pool it does not. A partial key that fails its check is an outcome naming its
 * position, so the caller can name the holder.
 */
import {
  type CheckInRecord,
  combinePartialKeys,
  decodeCheckInRecord,
  decryptWithIdentityKey,
  isProtocolError,
  type KeyShare,
  PreparedMasterKey,
  verifyPartialKey,
} from "@lintel/protocol";
import { ready, xchacha20poly1305 } from "@lintel/protocol/seal";

export interface DecryptJob {
  /** The combined 96-byte identity key D (§4.5). */
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

export interface CombineJob {
  /** One UTC day's shares in holder order: the trustees, then E_d (§4.3). */
  readonly shares: readonly KeyShare[];
  readonly identities: ReadonlyArray<{
    readonly idBytes: Uint8Array;
    /** One per share, same order. */
    readonly partials: readonly Uint8Array[];
  }>;
}

export type CombineOutcome =
  | { readonly ok: true; readonly identityKey: Uint8Array }
  /** `holder`: the position in `shares` of the first partial key that fails alone (-1: none). */
  | { readonly ok: false; readonly holder: number };

export function combineJob(job: CombineJob): CombineOutcome[] {
  // The day's proofs of possession are checked here, in every job: a thread trusts nothing it
  // did not verify itself, and it is a few checks a job, not a few an identity.
  const mpk = PreparedMasterKey.fromShares(job.shares);
  return job.identities.map(({ idBytes, partials }) => {
    try {
      return { ok: true, identityKey: combinePartialKeys(mpk, idBytes, partials) };
    } catch (e) {
      if (!isProtocolError(e) || e.code !== "bad-signature") throw e;
      // Only on this error path is each key checked on its own.
      const holder = partials.findIndex(
        (k, i) => !verifyPartialKey(mpk.shares[i]!.publicKey, idBytes, k),
      );
      return { ok: false, holder };
    }
  });
}
