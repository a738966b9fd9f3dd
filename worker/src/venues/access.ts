/**
 * Which venues a signed-in account may act on: an operator only on the venues it applied for;
 * registry staff on every venue. Anything else looks like a missing venue (404), so that ids
 * of other operators' venues cannot be probed.
 */
import type { Principal } from "../env.ts";
import { ProblemError } from "../problems/problem.ts";
import { type VenueRow, venueById } from "./store.ts";

export async function venueFor(
  db: D1Database,
  principal: Principal,
  venueId: string | undefined,
): Promise<VenueRow> {
  const row = venueId ? await venueById(db, venueId) : null;
  const allowed =
    row !== null &&
    (principal.role === "registry" ||
      (principal.role === "operator" && row.operatorId === principal.accountId));
  if (!row || !allowed) throw new ProblemError("not-found", "No such venue for this account.");
  return row;
}

export function requireStatus(venue: VenueRow, ...statuses: VenueRow["status"][]): void {
  if (!statuses.includes(venue.status)) {
    throw new ProblemError(
      "wrong-state",
      `This needs the venue to be ${statuses.join(" or ")}; it is ${venue.status}.`,
    );
  }
}
