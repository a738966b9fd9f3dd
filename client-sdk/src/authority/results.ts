/**
 * From decrypted records to the list an officer works from (PROTOCOL.md §11.5): a stay that spans
 * several slots was encrypted once per slot with the same record, so identical records at one
 * entrance are one contact, listed with every slot they were found in. A citizen card's sealed
 * contact is opened with the authority's box key pair when one is given; without it the contact
 * is marked as needing that key, never guessed at.
 */
import {
  type CheckInRecord,
  type Contact,
  isProtocolError,
  type RecordedBy,
  type ScopeIdentity,
} from "@lintel/protocol";
import { openSealedContact, ready } from "@lintel/protocol/seal";
import type { DecryptOutcome } from "./work.ts";

export type FoundContactDetails =
  | { readonly kind: "contact"; readonly contact: Contact }
  /** Opened with the authority's box key. */
  | { readonly kind: "card"; readonly contact: Contact }
  /** No box secret key was given: "sealed card, needs the authority key". */
  | { readonly kind: "sealed-card" }
  /** The card does not open with the key given (another key, or a forged card): the protocol's code. */
  | { readonly kind: "card-unreadable"; readonly code: string };

export interface FoundContact {
  readonly entranceId: string;
  readonly recordedBy: RecordedBy;
  /** Unix seconds. */
  readonly arrival: number;
  readonly expectedDeparture: number;
  readonly companions: number;
  readonly details: FoundContactDetails;
  /** Slot starts (Unix seconds) this record was found in, ascending. */
  readonly slots: readonly number[];
}

export interface IdentityOutcome {
  readonly identity: ScopeIdentity;
  readonly outcomes: readonly DecryptOutcome[];
}

export interface AuthorityBoxKeyPair {
  readonly publicKey: Uint8Array;
  readonly secretKey: Uint8Array;
}

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

/** A record's contact as the officer sees it: a card opened with `box` when it is given. */
/** One contact of the result: the record's facts, its details (a card opened with `box`). */
export async function foundContact(
  entranceId: string,
  record: CheckInRecord,
  slots: number[],
  box?: AuthorityBoxKeyPair,
): Promise<FoundContact> {
  return {
    entranceId,
    recordedBy: record.recordedBy,
    arrival: record.arrival,
    expectedDeparture: record.expectedDeparture,
    companions: record.companions,
    details: await contactDetails(record, box),
    slots: slots.sort((a, b) => a - b),
  };
}

export async function contactDetails(
  record: CheckInRecord,
  box: AuthorityBoxKeyPair | undefined,
): Promise<FoundContactDetails> {
  if (record.contactKind === "contact") return { kind: "contact", contact: record.contact };
  if (!box) return { kind: "sealed-card" };
  await ready();
  try {
    return {
      kind: "card",
      contact: openSealedContact(record.sealedCard, box.publicKey, box.secretKey),
    };
  } catch (e) {
    if (isProtocolError(e)) return { kind: "card-unreadable", code: e.code };
    throw e;
  }
}

/**
 * One contact per distinct (entrance, record bytes), in order of arrival, then entrance.
 * Failed outcomes are not contacts: count them with {@link countFailures}.
 */
export async function collectContacts(
  identities: readonly IdentityOutcome[],
  box?: AuthorityBoxKeyPair,
): Promise<FoundContact[]> {
  const found = new Map<
    string,
    { record: CheckInRecord; entranceId: string; slots: Set<number> }
  >();
  for (const { identity, outcomes } of identities) {
    for (const o of outcomes) {
      if (!o.ok) continue;
      // The entrance is not inside the record, so the same bytes at two entrances are two visits.
      const key = `${identity.entranceId}\u0000${hex(o.plaintext)}`;
      let hit = found.get(key);
      if (!hit) {
        hit = { record: o.record, entranceId: identity.entranceId, slots: new Set() };
        found.set(key, hit);
      }
      hit.slots.add(identity.slotStart);
    }
  }
  const out: Array<FoundContact & { key: string }> = [];
  for (const [key, { record, entranceId, slots }] of found) {
    out.push({ ...(await foundContact(entranceId, record, [...slots], box)), key });
  }
  return out.sort(byArrival).map(({ key: _, ...contact }) => contact);
}

/**
 * The list's order: arrival, then entrance, then the record's bytes — a total order, so the
 * list does not depend on which thread answered first.
 */
export function byArrival(
  a: { arrival: number; entranceId: string; key: string },
  b: { arrival: number; entranceId: string; key: string },
): number {
  const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  return a.arrival - b.arrival || cmp(a.entranceId, b.entranceId) || cmp(a.key, b.key);
}

/** Ciphertexts that did not give a record, by the protocol's error code. */
export function countFailures(identities: readonly IdentityOutcome[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { outcomes } of identities) {
    for (const o of outcomes) if (!o.ok) counts[o.code] = (counts[o.code] ?? 0) + 1;
  }
  return counts;
}
