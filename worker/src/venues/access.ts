/**
 * Which venues a signed-in account may act on: an operator only on the venues it applied for;
 * registry staff on the venues of their scope (their districts and sectors, venues/scope.ts).
 * Anything else looks like a missing venue (404), so that ids of other operators' venues, or of
 * venues outside a reviewer's scope, cannot be probed: a scoped reviewer is told the same thing
 * about a venue of another district as about an id that was never issued.
 *
 * Every route that touches one venue goes through `venueFor` (or `requireVenueInScope`): a new
 * registry route is scoped by that one line.
 */
import { isFullScope } from "@lintel/contract";
import type { Context } from "hono";
import type { AppBindings, Principal } from "../env.ts";
import { principalOf } from "../middleware/auth/index.ts";
import { ProblemError } from "../problems/problem.ts";
import { inScope } from "./scope.ts";
import { type VenueRow, venueById } from "./store.ts";

export async function venueFor(
  db: D1Database,
  principal: Principal,
  venueId: string | undefined,
): Promise<VenueRow> {
  const row = venueId ? await venueById(db, venueId) : null;
  if (!row || !mayAct(principal, row)) {
    throw new ProblemError(
      "not-found",
      principal.venues === null
        ? "No such venue for this account."
        : "No such venue in the districts and sectors you supervise.",
    );
  }
  return row;
}

/** The venue `venueId` for the signed-in caller of `c`, refused (404) when out of its reach. */
export function requireVenueInScope(
  c: Context<AppBindings>,
  venueId: string | undefined,
): Promise<VenueRow> {
  return venueFor(c.env.DB, principalOf(c), venueId);
}

/** Whether `principal` may act on `venue` (for rows found another way, e.g. a report's). */
export function mayAct(principal: Principal, venue: VenueRow): boolean {
  if (principal.role === "registry") return inScope(principal.venues, venue);
  return principal.role === "operator" && venue.operatorId === principal.accountId;
}

export function requireStatus(venue: VenueRow, ...statuses: VenueRow["status"][]): void {
  if (!statuses.includes(venue.status)) {
    throw new ProblemError(
      "wrong-state",
      `This needs the venue to be ${statuses.join(" or ")}; it is ${venue.status}.`,
    );
  }
}

/** Refuses (403) a caller that is not a registry reviewer of every district and sector. */
export function requireFullScope(p: Principal, what: string): void {
  if (p.scope === null || !isFullScope(p.scope)) {
    throw new ProblemError(
      "forbidden",
      `Only a reviewer of every district and sector may ${what}.`,
    );
  }
}
