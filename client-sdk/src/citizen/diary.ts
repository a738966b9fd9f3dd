/**
 * The diary: the visits this device checked in, kept on the device so the person can see where
 * they were, check out, and delete their check-ins.
 *
 * What a seized or stolen phone reveals, plainly. Whoever can open the app's storage (an unlocked
 * phone, a backup, a forensic copy) reads from the diary, for every visit still in it: the venue
 * and entrance (names and ids), the arrival time and the expected departure, when the person
 * checked out, how many people were in the party, and the receipts (which name the entrance and
 * the hours). That is a list of where this person went during the retention period. The diary
 * also holds the deletion secrets, so that person can delete those check-ins from the service
 * (but not read them). The offline queue (queue.ts) holds the same for check-ins not yet sent.
 *
 * What it does not reveal: contact details. The SDK never stores the name, phone number or ID
 * number typed at check-in, nor the companions' names (only how many there were): they exist
 * only inside the ciphertexts, which this device cannot decrypt. An app that keeps the person's
 * own details to fill in the form next time stores them itself, and its own notice must say so.
 *
 * What the SDK does about it: {@link pruneDiary} removes every visit whose check-ins the service
 * has deleted at the end of retention (retentionDays after the visit's last hour), so the diary
 * never outlives the data; {@link forgetAll} empties the diary and the queue on the device at
 * once (it does not delete the check-ins on the service: deleteVisit does that, before
 * forgetting). The SDK does not encrypt IndexedDB itself: protection at rest is the phone's lock
 * screen and disk encryption.
 *
 * Storage: {@link memoryVisitStore} (tests, Node, apps that keep nothing), or
 * {@link indexedDbVisitStore} (database "lintel", object store "visits", one record per visit
 * keyed by its id).
 */
import { localized } from "@lintel/contract";
import { epochDay, epochDestructionDay } from "@lintel/protocol";
import { LintelError } from "../errors.ts";
import { isSignedName, withSignedNames } from "./signed-names.ts";
import { indexedDbStore, type KeyedStore, memoryStore } from "./store.ts";
import type { ConfirmedSubmission, Visit } from "./visit.ts";

export type VisitStore = KeyedStore<Visit>;

const isString = (v: unknown): v is string => typeof v === "string";
const isSeconds = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

function isSubmission(value: unknown): value is ConfirmedSubmission {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    isString(v.idempotencyKey) &&
    isString(v.deletionSecret) &&
    v.receipt instanceof Uint8Array &&
    isSeconds(v.storedAt) &&
    (v.dayWord === undefined || localized.safeParse(v.dayWord).success)
  );
}

/** Whether a stored value is a visit this SDK wrote. */
export function isVisit(value: unknown): value is Visit {
  if (!isSubmission(value)) return false;
  const v = value as unknown as Record<string, unknown>;
  return (
    ["id", "deployment", "venueId", "entranceId"].every((k) => isString(v[k])) &&
    isSignedName(v.venueName) &&
    isSignedName(v.entranceName) &&
    isSeconds(v.arrival) &&
    isSeconds(v.expectedDeparture) &&
    isSeconds(v.slotSeconds) &&
    Array.isArray(v.slots) &&
    v.slots.length > 0 &&
    v.slots.every(isSeconds) &&
    Number.isInteger(v.headCount) &&
    Array.isArray(v.companions) &&
    v.companions.every(isSubmission) &&
    (v.checkedOutAt === undefined || isSeconds(v.checkedOutAt))
  );
}

/** A diary that lasts as long as the page or process. */
export function memoryVisitStore(): VisitStore {
  return memoryStore<Visit>();
}

/** A diary in IndexedDB (browser): database "lintel", object store "visits". */
export function indexedDbVisitStore(): VisitStore {
  return indexedDbStore("visits", isVisit, withSignedNames);
}

/** Visits, newest arrival first. */
export async function listVisits(store: VisitStore): Promise<Visit[]> {
  return (await store.list()).sort((a, b) => b.arrival - a.arrival);
}

/**
 * Automatic check-out at the default stay: the open visits whose expected departure has come.
 * Their ciphertexts end there already, so checking them out sends nothing (checkOut with `now`
 * deletes no slot); it only marks them as over.
 */
export function dueForCheckOut(visits: readonly Visit[], now: Date = new Date()): Visit[] {
  const seconds = now.getTime() / 1000;
  if (!Number.isFinite(seconds)) throw new LintelError("bad-value", "now is not a valid time");
  return visits.filter((v) => v.checkedOutAt === undefined && v.expectedDeparture <= seconds);
}

/**
 * Removes the visits whose check-ins the service has deleted by now: those whose last slot's day
 * plus `retentionDays` (the deployment's) has passed (PROTOCOL.md §4.6). Returns what it removed.
 */
export async function pruneDiary(
  store: VisitStore,
  retentionDays: number,
  now: Date = new Date(),
): Promise<Visit[]> {
  const today = Math.floor(now.getTime() / 86_400_000);
  if (!Number.isFinite(today)) throw new LintelError("bad-value", "now is not a valid time");
  const expired = (await store.list()).filter((v) => {
    const lastSlot = v.slots[v.slots.length - 1] ?? v.arrival;
    return today >= epochDestructionDay(epochDay(lastSlot), retentionDays);
  });
  for (const v of expired) await store.remove(v.id);
  return expired;
}

/** Anything with records to forget: the diary, the offline queue. */
export interface Forgettable {
  list(): Promise<ReadonlyArray<{ readonly id: string }>>;
  remove(id: string): Promise<void>;
}

/**
 * Forgets everything the SDK keeps on this device about visits: every record of each store given
 * (the diary, and the offline queue if there is one). Check-ins on the service stay, unreadable,
 * until retention ends; call deleteVisit for each visit first to delete them there too.
 */
export async function forgetAll(...stores: readonly Forgettable[]): Promise<void> {
  for (const store of stores) {
    for (const { id } of await store.list()) await store.remove(id);
  }
}
