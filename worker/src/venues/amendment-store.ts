/**
 * Entrance amendments in D1 (migrations/0010): proposed by a venue's operator, approved or
 * refused by the registry. An approval is one batch, guarded on the amendment still pending and
 * the venue still approved: the decision, the new entrances and their first codes, the renamed
 * entrances' new code versions (the old ones marked replaced), the retirements, and a venue_events
 * row for each. A concurrent code replacement of a renamed entrance makes the new version's
 * insert collide and the whole batch fail, so nothing is half applied. When the log then refuses
 * the entries, `undoApproval` puts everything back in one batch.
 */
import { isUniqueViolation } from "../db/d1.ts";
import { ProblemError } from "../problems/problem.ts";
import type { AmendmentChanges } from "./amendment-plan.ts";
import type { IssuedEntranceCode } from "./codes.ts";
import { venueEvent, venueEventIfChanged } from "./store.ts";

export type AmendmentStatus = "pending" | "approved" | "refused";

export interface AmendmentRow {
  readonly id: string;
  readonly venueId: string;
  readonly status: AmendmentStatus;
  readonly changes: AmendmentChanges;
  readonly proposedAt: number;
  readonly decidedAt: number | null;
  readonly refusal: string | null;
}

const COLUMNS = `id, venue_id AS venueId, status, changes, proposed_at AS proposedAt,
  decided_at AS decidedAt, refusal`;

type StoredRow = Omit<AmendmentRow, "changes"> & { changes: string };

function parsed(row: StoredRow): AmendmentRow {
  return { ...row, changes: JSON.parse(row.changes) as AmendmentChanges };
}

/** Stores a proposal; a second pending amendment of the venue is refused by the unique index. */
export async function proposeAmendment(
  db: D1Database,
  amendment: { id: string; venueId: string; changes: AmendmentChanges },
  actorId: string,
  at: number,
): Promise<void> {
  await db
    .batch([
      db
        .prepare(
          `INSERT INTO entrance_amendments (id, venue_id, changes, status, proposed_by, proposed_at)
           VALUES (?, ?, ?, 'pending', ?, ?)`,
        )
        .bind(amendment.id, amendment.venueId, JSON.stringify(amendment.changes), actorId, at),
      venueEvent(db, amendment.venueId, "amendment-proposed", actorId, at, amendment.id),
    ])
    .catch((e: unknown) => {
      if (!isUniqueViolation(e)) throw e;
      throw new ProblemError(
        "amendment-pending",
        "This venue has an amendment awaiting the registry's decision already.",
      );
    });
}

export async function amendmentsOf(db: D1Database, venueId: string): Promise<AmendmentRow[]> {
  const { results } = await db
    .prepare(
      `SELECT ${COLUMNS} FROM entrance_amendments WHERE venue_id = ?
        ORDER BY proposed_at DESC, rowid DESC LIMIT 50`,
    )
    .bind(venueId)
    .all<StoredRow>();
  return results.map(parsed);
}

export async function amendmentById(
  db: D1Database,
  venueId: string,
  id: string,
): Promise<AmendmentRow | null> {
  const row = await db
    .prepare(`SELECT ${COLUMNS} FROM entrance_amendments WHERE id = ? AND venue_id = ?`)
    .bind(id, venueId)
    .first<StoredRow>();
  return row ? parsed(row) : null;
}

/** The registry refuses a pending amendment; false when it was decided meanwhile. */
export async function refuseAmendment(
  db: D1Database,
  row: AmendmentRow,
  reason: string,
  actorId: string,
  at: number,
): Promise<boolean> {
  const [update] = await db.batch([
    db
      .prepare(
        `UPDATE entrance_amendments SET status = 'refused', refusal = ?, decided_by = ?,
                decided_at = ? WHERE id = ? AND status = 'pending'`,
      )
      .bind(reason, actorId, at, row.id),
    venueEventIfChanged(db, row.venueId, "amendment-refused", actorId, at, reason),
  ]);
  return (update?.meta.changes ?? 0) === 1;
}

/** A renamed entrance's move to its new code version. */
export interface Renaming {
  readonly entranceId: string;
  readonly from: number;
  readonly to: number;
  readonly label: { readonly en: string; readonly zh: string };
  readonly previous: { readonly en: string; readonly zh: string };
  readonly code: IssuedEntranceCode;
}

export interface Approval {
  readonly amendment: AmendmentRow;
  /** The first code of each added entrance, in the amendment's order. */
  readonly added: readonly IssuedEntranceCode[];
  readonly renamed: readonly Renaming[];
  readonly actorId: string;
  readonly at: number;
}

// Each statement after the decision runs only if this batch made it (a lost race writes nothing).
const DECIDED_HERE = `EXISTS (SELECT 1 FROM entrance_amendments
  WHERE id = ? AND status = 'approved' AND decided_by = ? AND decided_at = ?)`;

/** Applies an approval in one batch; false when the amendment was decided meanwhile. */
export async function applyApproval(db: D1Database, a: Approval): Promise<boolean> {
  const { amendment, actorId, at } = a;
  const venueId = amendment.venueId;
  const guard = [amendment.id, actorId, at] as const;
  const event = (action: string, detail: string) =>
    db
      .prepare(
        `INSERT INTO venue_events (venue_id, action, actor_id, detail, at)
         SELECT ?, ?, ?, ?, ? WHERE ${DECIDED_HERE}`,
      )
      .bind(venueId, action, actorId, detail, at, ...guard);
  const insertCode = (code: IssuedEntranceCode) =>
    db
      .prepare(
        `INSERT INTO entrance_codes (entrance_id, version, signed, manual_code, created_at)
         SELECT ?, ?, ?, ?, ? WHERE ${DECIDED_HERE}`,
      )
      .bind(code.entranceId, code.version, code.signed, code.manualCode, at, ...guard);
  const statements: D1PreparedStatement[] = [
    db
      .prepare(
        `UPDATE entrance_amendments SET status = 'approved', decided_by = ?, decided_at = ?
          WHERE id = ? AND status = 'pending'
            AND (SELECT status FROM venues WHERE id = ?) = 'approved'`,
      )
      .bind(actorId, at, amendment.id, venueId),
    venueEventIfChanged(db, venueId, "amendment-approved", actorId, at, amendment.id),
  ];
  amendment.changes.add.forEach((added, position) => {
    const code = a.added[position];
    if (!code) throw new Error("an added entrance without its code");
    statements.push(
      // Entrances are listed by created_at: a new one comes after every entrance the venue has
      // (an application's are dated a second apart from when it was saved, maybe after now).
      db
        .prepare(
          `INSERT INTO entrances (id, venue_id, label_en, label_zh, created_at)
           SELECT ?, ?, ?, ?, MAX(?, (SELECT COALESCE(MAX(created_at), 0) + 1 FROM entrances
                                       WHERE venue_id = ?))
            WHERE ${DECIDED_HERE}`,
        )
        .bind(added.entranceId, venueId, added.label.en, added.label.zh, at, venueId, ...guard),
      insertCode(code),
      event("entrance-added", added.entranceId),
    );
  });
  for (const r of a.renamed) {
    statements.push(
      db
        .prepare(
          `UPDATE entrances SET label_en = ?, label_zh = ?, code_version = ?
            WHERE id = ? AND venue_id = ? AND ${DECIDED_HERE}`,
        )
        .bind(r.label.en, r.label.zh, r.to, r.entranceId, venueId, ...guard),
      db
        .prepare(
          `UPDATE entrance_codes SET replaced_at = ?
            WHERE entrance_id = ? AND replaced_at IS NULL AND ${DECIDED_HERE}`,
        )
        .bind(at, r.entranceId, ...guard),
      // A replacement that raced this approval holds version `to` already: this insert fails,
      // and with it the whole batch.
      insertCode(r.code),
      event("entrance-renamed", `${r.entranceId} v${r.to}`),
    );
  }
  for (const r of amendment.changes.retire) {
    statements.push(
      db
        .prepare(
          `UPDATE entrances SET active = 0, retired_at = ?, replaced_by = ?
            WHERE id = ? AND venue_id = ? AND retired_at IS NULL AND ${DECIDED_HERE}`,
        )
        .bind(at, r.replacedBy, r.entranceId, venueId, ...guard),
      event("entrance-retired", `${r.entranceId} → ${r.replacedBy ?? "none"}`),
    );
  }
  const [decision] = await db.batch(statements).catch((e: unknown) => {
    if (!isUniqueViolation(e)) throw e;
    throw new ProblemError(
      "wrong-state",
      "An entrance's code changed while the amendment was being approved; approve it again.",
    );
  });
  return (decision?.meta.changes ?? 0) === 1;
}

/** Undoes an applied approval the log refused, in one batch: the amendment is pending again. */
export async function undoApproval(db: D1Database, a: Approval): Promise<void> {
  const { amendment, actorId, at } = a;
  const venueId = amendment.venueId;
  const statements: D1PreparedStatement[] = [];
  for (const added of amendment.changes.add) {
    statements.push(
      db.prepare("DELETE FROM entrance_codes WHERE entrance_id = ?").bind(added.entranceId),
      db
        .prepare("DELETE FROM entrances WHERE id = ? AND venue_id = ?")
        .bind(added.entranceId, venueId),
    );
  }
  for (const r of a.renamed) {
    statements.push(
      db
        .prepare("DELETE FROM entrance_codes WHERE entrance_id = ? AND version = ?")
        .bind(r.entranceId, r.to),
      db
        .prepare(
          "UPDATE entrance_codes SET replaced_at = NULL WHERE entrance_id = ? AND version = ?",
        )
        .bind(r.entranceId, r.from),
      db
        .prepare(
          "UPDATE entrances SET label_en = ?, label_zh = ?, code_version = ? WHERE id = ? AND code_version = ?",
        )
        .bind(r.previous.en, r.previous.zh, r.from, r.entranceId, r.to),
    );
  }
  for (const r of amendment.changes.retire) {
    statements.push(
      db
        .prepare(
          "UPDATE entrances SET active = 1, retired_at = NULL, replaced_by = NULL WHERE id = ? AND retired_at = ?",
        )
        .bind(r.entranceId, at),
    );
  }
  statements.push(
    db
      .prepare(
        `DELETE FROM venue_events WHERE venue_id = ? AND actor_id = ? AND at = ?
            AND action IN ('amendment-approved', 'entrance-added', 'entrance-renamed', 'entrance-retired')`,
      )
      .bind(venueId, actorId, at),
    db
      .prepare(
        `UPDATE entrance_amendments SET status = 'pending', decided_by = NULL, decided_at = NULL
          WHERE id = ? AND status = 'approved'`,
      )
      .bind(amendment.id),
    venueEvent(db, venueId, "amendment-approval-undone", actorId, at, "the log refused it"),
  );
  await db.batch(statements);
}
