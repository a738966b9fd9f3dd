/**
 * A venue's suspension and reinstatement in D1: each one guarded batch (the status change, its
 * reason and its venue_events row), so two registry staff acting at once cannot both succeed.
 * The routes log the change after claiming it and undo the claim when the log refuses, so the
 * database never holds a suspension the log does not show, nor the log one that did not happen.
 */
import type { SuspensionReason } from "@lintel/protocol";
import { venueEvent, venueEventIfChanged } from "./store.ts";

/** approved → suspended; false when the venue was not approved any more. */
export async function claimSuspension(
  db: D1Database,
  venueId: string,
  reason: SuspensionReason,
  actorId: string,
  at: number,
): Promise<boolean> {
  const [update] = await db.batch([
    db
      .prepare(
        `UPDATE venues SET status = 'suspended', suspension_reason = ?, updated_at = ?
          WHERE id = ? AND status = 'approved'`,
      )
      .bind(reason, at, venueId),
    venueEventIfChanged(db, venueId, "suspended", actorId, at, reason),
  ]);
  return (update?.meta.changes ?? 0) === 1;
}

/** suspended → approved; false when the venue was not suspended any more. */
export async function claimReinstatement(
  db: D1Database,
  venueId: string,
  actorId: string,
  at: number,
): Promise<boolean> {
  const [update] = await db.batch([
    db
      .prepare(
        `UPDATE venues SET status = 'approved', suspension_reason = NULL, updated_at = ?
          WHERE id = ? AND status = 'suspended'`,
      )
      .bind(at, venueId),
    venueEventIfChanged(db, venueId, "reinstated", actorId, at),
  ]);
  return (update?.meta.changes ?? 0) === 1;
}

/** Undoes a claimed suspension the log refused: the status and reason back, and a note why. */
export async function undoSuspension(
  db: D1Database,
  venueId: string,
  actorId: string,
  at: number,
): Promise<void> {
  await db.batch([
    db
      .prepare(
        `UPDATE venues SET status = 'approved', suspension_reason = NULL, updated_at = ?
          WHERE id = ? AND status = 'suspended'`,
      )
      .bind(at, venueId),
    venueEvent(db, venueId, "suspension-undone", actorId, at, "the log refused it"),
  ]);
}

/** Undoes a claimed reinstatement the log refused. */
export async function undoReinstatement(
  db: D1Database,
  venueId: string,
  reason: SuspensionReason,
  actorId: string,
  at: number,
): Promise<void> {
  await db.batch([
    db
      .prepare(
        `UPDATE venues SET status = 'suspended', suspension_reason = ?, updated_at = ?
          WHERE id = ? AND status = 'approved'`,
      )
      .bind(reason, at, venueId),
    venueEvent(db, venueId, "reinstatement-undone", actorId, at, "the log refused it"),
  ]);
}
