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
  ciphertextBytes,
  combinePartialKeys,
  decodeCheckInRecord,
  decryptWithIdentityKey,
  isProtocolError,
  type KeyShare,
  PreparedMasterKey,
  verifyPartialKey,
} from "@lintel/protocol";
import { ready, xchacha20poly1305 } from "@lintel/protocol/seal";
import { LintelError } from "../errors.ts";

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

/** One slot ciphertext, opened with the job's identity key (throws the protocol's error). */
function openCiphertext(
  job: { readonly identityKey: Uint8Array; readonly idBytes: Uint8Array },
  ciphertext: Uint8Array,
): Uint8Array {
  return decryptWithIdentityKey(xchacha20poly1305, job.identityKey, job.idBytes, ciphertext);
}

export async function decryptJob(job: DecryptJob): Promise<DecryptOutcome[]> {
  await ready();
  return job.ciphertexts.map((ciphertext) => {
    try {
      const plaintext = openCiphertext(job, ciphertext);
      return { ok: true, plaintext, record: decodeCheckInRecord(plaintext) };
    } catch (e) {
      if (isProtocolError(e)) return { ok: false, code: e.code };
      throw e;
    }
  });
}

/**
 * The same work with the ciphertexts packed back to back in one buffer, and the answer packed
 * likewise: a job of a hundred ciphertexts crosses between threads as one transferred
 * ArrayBuffer each way instead of a hundred structured-cloned arrays and objects, and the
 * calling thread decodes only the records it has not seen yet (merge.ts).
 */
export interface PackedDecryptJob {
  readonly identityKey: Uint8Array;
  readonly idBytes: Uint8Array;
  /** Whole ciphertexts of `ciphertextBytes` bytes each, back to back. */
  readonly ciphertexts: Uint8Array;
  readonly ciphertextBytes: number;
}

export interface PackedDecryptOutcome {
  /**
   * One byte a ciphertext: 0 when it decrypted (the record is not decoded yet), else 1 + its
   * code's index in `codes`.
   */
  readonly status: Uint8Array;
  /** The protocol error codes of the failures, each once. */
  readonly codes: readonly string[];
  /** The records, `recordBytes` each in ciphertext order; zeros where one failed. */
  readonly plaintexts: Uint8Array;
  readonly recordBytes: number;
}

/** What a ciphertext of `size` bytes decrypts to: the IBE adds a fixed header and tag. */
export function recordBytesOf(size: number): number {
  return size - ciphertextBytes(0);
}

export async function decryptPackedJob(job: PackedDecryptJob): Promise<PackedDecryptOutcome> {
  await ready();
  const size = job.ciphertextBytes;
  const count = size > 0 ? Math.floor(job.ciphertexts.length / size) : 0;
  if (size <= ciphertextBytes(0) || count * size !== job.ciphertexts.length) {
    throw new LintelError("bad-value", "A packed job holds whole ciphertexts of one size.");
  }
  const recordBytes = recordBytesOf(size);
  const status = new Uint8Array(count);
  const plaintexts = new Uint8Array(count * recordBytes);
  const codes: string[] = [];
  const fail = (i: number, code: string) => {
    let at = codes.indexOf(code);
    if (at < 0) at = codes.push(code) - 1;
    status[i] = at + 1;
  };
  for (let i = 0; i < count; i++) {
    // A view, not a copy: the job's buffer is this thread's own.
    const ciphertext = job.ciphertexts.subarray(i * size, (i + 1) * size);
    try {
      const plaintext = openCiphertext(job, ciphertext);
      // Not decoded here: the calling thread decodes the first copy of each record it meets
      // (merge.ts) and counts one that does not decode as decryptJob would.
      plaintexts.set(plaintext, i * recordBytes);
    } catch (e) {
      if (isProtocolError(e)) fail(i, e.code);
      else throw e;
    }
  }
  return { status, codes, plaintexts, recordBytes };
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
