/**
 * Rectification orders in D1 (migrations/0008): issued by the registry, answered once by the
 * venue's operator, closed by the registry. Each change is one guarded statement with its
 * venue_events row in the same batch, so a lost race (an order closed while being answered)
 * changes nothing.
 */
import type { RECTIFICATION_STATES } from "@lintel/contract";
import { venueEvent, venueEventIfChanged } from "./store.ts";

export type RectificationState = (typeof RECTIFICATION_STATES)[number];

export interface RectificationRow {
  readonly id: string;
  readonly venueId: string;
  readonly findings: string;
  readonly deadline: number;
  readonly issuedAt: number;
  readonly answer: string | null;
  readonly answeredAt: number | null;
  readonly closedAt: number | null;
}

/** What the columns say about an order at `now` (Unix seconds). */
export function rectificationState(row: RectificationRow, now: number): RectificationState {
  if (row.closedAt !== null) return "closed";
  if (row.answeredAt !== null) return "answered";
  return now > row.deadline ? "overdue" : "open";
}

const COLUMNS = `id, venue_id AS venueId, findings, deadline, issued_at AS issuedAt, answer,
  answered_at AS answeredAt, closed_at AS closedAt`;

export async function issueRectification(
  db: D1Database,
  order: { id: string; venueId: string; findings: string; deadline: number },
  actorId: string,
  at: number,
): Promise<void> {
  await db.batch([
    db
      .prepare(
        `INSERT INTO rectification_orders (id, venue_id, findings, deadline, issued_by, issued_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .bind(order.id, order.venueId, order.findings, order.deadline, actorId, at),
    venueEvent(db, order.venueId, "rectification-ordered", actorId, at, order.id),
  ]);
}

/** A venue's orders, newest first. */
export async function rectificationsOf(
  db: D1Database,
  venueId: string,
): Promise<RectificationRow[]> {
  const { results } = await db
    .prepare(
      `SELECT ${COLUMNS} FROM rectification_orders WHERE venue_id = ?
        ORDER BY issued_at DESC, id DESC LIMIT 200`,
    )
    .bind(venueId)
    .all<RectificationRow>();
  return results;
}

export async function rectificationById(
  db: D1Database,
  venueId: string,
  id: string,
): Promise<RectificationRow | null> {
  return db
    .prepare(`SELECT ${COLUMNS} FROM rectification_orders WHERE id = ? AND venue_id = ?`)
    .bind(id, venueId)
    .first<RectificationRow>();
}

/** The operator's one answer; false when the order was answered or closed meanwhile. */
export async function answerRectification(
  db: D1Database,
  row: RectificationRow,
  answer: string,
  actorId: string,
  at: number,
): Promise<boolean> {
  const [update] = await db.batch([
    db
      .prepare(
        `UPDATE rectification_orders SET answer = ?, answered_by = ?, answered_at = ?
          WHERE id = ? AND answered_at IS NULL AND closed_at IS NULL`,
      )
      .bind(answer, actorId, at, row.id),
    venueEventIfChanged(db, row.venueId, "rectification-answered", actorId, at, row.id),
  ]);
  return (update?.meta.changes ?? 0) === 1;
}

/** The registry closes an order; false when it was closed meanwhile. */
export async function closeRectification(
  db: D1Database,
  row: RectificationRow,
  actorId: string,
  at: number,
): Promise<boolean> {
  const [update] = await db.batch([
    db
      .prepare(
        `UPDATE rectification_orders SET closed_by = ?, closed_at = ?
          WHERE id = ? AND closed_at IS NULL`,
      )
      .bind(actorId, at, row.id),
    venueEventIfChanged(db, row.venueId, "rectification-closed", actorId, at, row.id),
  ]);
  return (update?.meta.changes ?? 0) === 1;
}
