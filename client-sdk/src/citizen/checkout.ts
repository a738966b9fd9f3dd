/**
 * Leaving and deleting (PROTOCOL.md §5.5). A check-in covers every hour-slot of the expected stay;
 * leaving early deletes the slots still ahead, so the record no longer says the person was there
 * then. Deleting a visit deletes all of its slots. Both present the deletion secrets the device
 * kept — the head's and each companion's — and the service, which stores only their hashes,
 * deletes the matching ciphertexts (POST /api/checkins/delete).
 */
import { LintelError } from "../errors.ts";
import type { ServiceOptions } from "../http.ts";
import { deleteSubmission } from "./checkin.ts";
import type { ConfirmedSubmission, Visit } from "./visit.ts";

export interface CheckOutResult {
  /** The visit, marked as checked out. */
  readonly visit: Visit;
  /** Ciphertexts the service deleted (over the head and every companion). */
  readonly deleted: number;
}

function parties(visit: Visit): ConfirmedSubmission[] {
  return [visit, ...visit.companions];
}

async function deleteAll(
  service: ServiceOptions,
  visit: Visit,
  fromSlot: number | undefined,
): Promise<number> {
  let deleted = 0;
  for (const party of parties(visit)) {
    deleted += await deleteSubmission(service, visit.entranceId, party.deletionSecret, fromSlot);
  }
  return deleted;
}

/**
 * The first slot that starts after `now`: where an early check-out starts deleting. The slot
 * the person is in stays (they were there during it). Undefined when no slot is ahead.
 */
export function firstSlotAfter(visit: Visit, now: Date): number | undefined {
  const seconds = now.getTime() / 1000;
  if (!Number.isFinite(seconds)) throw new LintelError("bad-value", "now is not a valid time");
  return visit.slots.find((slot) => slot > seconds);
}

/**
 * Checks out at `now`: deletes, for the visit and every companion, the slots that start after
 * now. When none is ahead (the stay is over) nothing is sent. Throws the service's or the
 * network's LintelError; trying again is safe (deleting twice deletes nothing more).
 */
export async function checkOut(
  service: ServiceOptions,
  visit: Visit,
  now: Date = new Date(),
): Promise<CheckOutResult> {
  const fromSlot = firstSlotAfter(visit, now);
  const deleted = fromSlot === undefined ? 0 : await deleteAll(service, visit, fromSlot);
  const at = Math.floor(now.getTime() / 1000);
  return { visit: { ...visit, checkedOutAt: Math.min(at, visit.expectedDeparture) }, deleted };
}

/** Deletes every slot of the visit and of each companion; the number of ciphertexts deleted. */
export function deleteVisit(service: ServiceOptions, visit: Visit): Promise<number> {
  return deleteAll(service, visit, undefined);
}
