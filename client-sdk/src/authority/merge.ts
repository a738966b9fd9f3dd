/**
 * Merging decrypted records into contacts as they arrive (PROTOCOL.md §11.5), for streaming
 * decryption: the same rule as results.ts's collectContacts — identical record bytes at one
 * entrance are one contact, listed with every slot they were found in — applied one packed
 * answer at a time, so that no stage keeps every plaintext of a query.
 *
 * What is kept is what the result needs: per distinct record, its bytes as a map key (a
 * one-byte-per-character string, the smallest key a JavaScript Map compares by value), the
 * decoded record and its slots. A record is decoded only the first time it is met, here rather
 * than in the threads (bytes that do not decode count as failures with the protocol's code,
 * every copy, as in decryptJob); its later copies (the same stay in the next slot) cost a
 * lookup. The records are decoded from a copy of
 * their 240 bytes, never a view into the answer, so a contact does not keep a whole answer's
 * buffer alive.
 */
import {
  type CheckInRecord,
  decodeCheckInRecord,
  isProtocolError,
  type ScopeIdentity,
} from "@lintel/protocol";
import { type AuthorityBoxKeyPair, byArrival, type FoundContact, foundContact } from "./results.ts";
import type { PackedDecryptOutcome } from "./work.ts";

type Merged =
  | {
      readonly record: CheckInRecord;
      /** Slot starts, in the order found; sorted once at the end. */
      readonly slots: number[];
    }
  /** Bytes that decrypted but do not decode as a record: each copy is a failure with `code`. */
  | { readonly code: string };

/** A Map key holding exactly the bytes: one UTF-16 unit per byte, so distinct bytes differ. */
function bytesKey(bytes: Uint8Array): string {
  let key = "";
  // Chunks keep the argument list far below engines' limits whatever the record size.
  for (let i = 0; i < bytes.length; i += 1024) {
    key += String.fromCharCode.apply(null, bytes.subarray(i, i + 1024) as unknown as number[]);
  }
  return key;
}

/** The first copy of a record, decoded once: the threads leave decoding to this thread. */
function decode(bytes: Uint8Array, slot: number): Merged {
  try {
    return { record: decodeCheckInRecord(bytes), slots: [slot] };
  } catch (e) {
    if (isProtocolError(e)) return { code: e.code };
    throw e;
  }
}

export class ContactMerger {
  /** entrance → record key → contact so far; the entrance is not inside the record. */
  readonly #byEntrance = new Map<string, Map<string, Merged>>();
  readonly #failures: Record<string, number> = {};
  #ciphertexts = 0;

  /** Ciphertexts merged so far, failed ones included. */
  get ciphertexts(): number {
    return this.#ciphertexts;
  }

  /** Ciphertexts that did not give a record, by the protocol's error code. */
  failures(): Record<string, number> {
    return { ...this.#failures };
  }

  /** One packed answer for ciphertexts of `identity`. */
  add(identity: ScopeIdentity, outcome: PackedDecryptOutcome): void {
    const { status, codes, plaintexts, recordBytes } = outcome;
    let found = this.#byEntrance.get(identity.entranceId);
    if (!found) {
      found = new Map();
      this.#byEntrance.set(identity.entranceId, found);
    }
    for (let i = 0; i < status.length; i++) {
      this.#ciphertexts++;
      const s = status[i]!;
      if (s !== 0) {
        const code = codes[s - 1] ?? "decryption-failed";
        this.#failures[code] = (this.#failures[code] ?? 0) + 1;
        continue;
      }
      const bytes = plaintexts.subarray(i * recordBytes, (i + 1) * recordBytes);
      const key = bytesKey(bytes);
      let hit = found.get(key);
      if (!hit) {
        hit = decode(bytes.slice(), identity.slotStart);
        found.set(key, hit);
      }
      if ("code" in hit) {
        this.#failures[hit.code] = (this.#failures[hit.code] ?? 0) + 1;
      } else if (!hit.slots.includes(identity.slotStart)) {
        hit.slots.push(identity.slotStart);
      }
    }
  }

  /** The contacts, in order of arrival, then entrance; cards opened with `box` if given. */
  async contacts(box?: AuthorityBoxKeyPair): Promise<FoundContact[]> {
    const out: Array<FoundContact & { key: string }> = [];
    for (const [entranceId, found] of this.#byEntrance) {
      for (const [key, merged] of found) {
        if ("code" in merged) continue;
        const { record, slots } = merged;
        out.push({ ...(await foundContact(entranceId, record, slots, box)), key });
      }
    }
    return out.sort(byArrival).map(({ key: _, ...contact }) => contact);
  }
}
