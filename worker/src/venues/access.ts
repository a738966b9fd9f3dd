/**
 * Which venues a signed-in account may act on: an operator only on the venues it applied for;
 * registry staff on every venue. Anything else looks like a missing venue (404), so that ids
 * of other operators' venues cannot be probed.
 */
import type { Principal } from "../env.ts";
import { ProblemError } from "../problems/problem.ts";

export interface VenueRow {
  readonly id: string;
  readonly nameEn: string;
  readonly nameZh: string;
  readonly address: string;
  readonly category: string;
  readonly status: "draft" | "submitted" | "rejected" | "approved" | "suspended";
  readonly operatorId: string | null;
  readonly contactSealed: string | null;
  readonly askIdNumber: number;
  readonly feedback: string | null;
  readonly updatedAt: number;
}

const VENUE_COLUMNS = `id, name_en AS nameEn, name_zh AS nameZh, address, category, status,
  operator_id AS operatorId, contact_sealed AS contactSealed, ask_id_number AS askIdNumber,
  feedback, updated_at AS updatedAt`;

export async function venueFor(
  db: D1Database,
  principal: Principal,
  venueId: string | undefined,
): Promise<VenueRow> {
  const row = venueId
    ? await db
        .prepare(`SELECT ${VENUE_COLUMNS} FROM venues WHERE id = ?`)
        .bind(venueId)
        .first<VenueRow>()
    : null;
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

/**
 * A venue_events row. With `onlyIfChanged`, it is recorded only if the statement just before it
 * in the batch changed a row: a guarded status change that lost a race leaves no event behind.
 */
export function venueEvent(
  db: D1Database,
  venueId: string,
  action: string,
  actorId: string,
  at: number,
  detail: string | null = null,
  options: { readonly onlyIfChanged?: boolean } = {},
): D1PreparedStatement {
  const insert = "INSERT INTO venue_events (venue_id, action, actor_id, detail, at)";
  const sql = options.onlyIfChanged
    ? `${insert} SELECT ?, ?, ?, ?, ? WHERE changes() = 1`
    : `${insert} VALUES (?, ?, ?, ?, ?)`;
  return db.prepare(sql).bind(venueId, action, actorId, detail, at);
}

export function venueEventIfChanged(
  db: D1Database,
  venueId: string,
  action: string,
  actorId: string,
  at: number,
  detail: string | null = null,
): D1PreparedStatement {
  return venueEvent(db, venueId, action, actorId, at, detail, { onlyIfChanged: true });
}
