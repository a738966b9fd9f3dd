/**
 * Venues, their entrances, entrance codes, venue events and public reports in D1: every statement
 * on those tables except an application's own writes (application-store.ts) and its documents
 * (document-store.ts). Functions that return a prepared statement are parts of a caller's batch,
 * which D1 runs as one transaction.
 *
 * BLOB columns (a code's signed bytes) come back through `blobBytes`: D1 hands them over in more
 * than one shape.
 */
import type { ReportKind, ReportStatus } from "@lintel/contract";
import type { SuspensionReason } from "@lintel/protocol";
import { blobBytes, isUniqueViolation } from "../db/d1.ts";
import type { VenueCategory } from "./categories.ts";
import type { IssuedEntranceCode } from "./codes.ts";
import { IS_MATCH } from "./match-store.ts";
import { scopeFilter, type VenueScope } from "./scope.ts";

// ── Venues ──────────────────────────────────────────────────────────────────────────────────

export type VenueStatus = "draft" | "submitted" | "rejected" | "approved" | "suspended";

export interface VenueRow {
  readonly id: string;
  readonly nameEn: string;
  readonly nameZh: string;
  readonly address: string;
  readonly category: VenueCategory;
  /** One of the deployment's district ids; null: the first district (a venue from before). */
  readonly district: string | null;
  readonly status: VenueStatus;
  readonly operatorId: string | null;
  readonly contactSealed: string | null;
  readonly licenceSealed: string | null;
  readonly askIdNumber: number;
  readonly feedback: string | null;
  /** While the status is 'suspended': why (a SUSPENSION_REASONS value). */
  readonly suspensionReason: SuspensionReason | null;
  readonly updatedAt: number;
}

const VENUE_COLUMNS = `id, name_en AS nameEn, name_zh AS nameZh, address, category, district, status,
  operator_id AS operatorId, contact_sealed AS contactSealed, licence_sealed AS licenceSealed,
  ask_id_number AS askIdNumber, feedback, suspension_reason AS suspensionReason,
  updated_at AS updatedAt`;

export async function venueById(db: D1Database, venueId: string): Promise<VenueRow | null> {
  return db
    .prepare(`SELECT ${VENUE_COLUMNS} FROM venues WHERE id = ?`)
    .bind(venueId)
    .first<VenueRow>();
}

export interface PublicVenue {
  readonly id: string;
  readonly nameEn: string;
  readonly nameZh: string;
  readonly category: string;
}

/** Approved venues by id, after `after` (a page cursor), at most `limit`. */
export async function approvedVenues(
  db: D1Database,
  after: string | undefined,
  limit: number,
): Promise<PublicVenue[]> {
  const { results } = await db
    .prepare(
      `SELECT id, name_en AS nameEn, name_zh AS nameZh, category FROM venues
        WHERE status = 'approved' AND (?1 IS NULL OR id > ?1) ORDER BY id LIMIT ?2`,
    )
    .bind(after ?? null, limit)
    .all<PublicVenue>();
  return results;
}

export async function approvedVenue(db: D1Database, venueId: string): Promise<PublicVenue | null> {
  return db
    .prepare(
      `SELECT id, name_en AS nameEn, name_zh AS nameZh, category FROM venues
        WHERE id = ? AND status = 'approved'`,
    )
    .bind(venueId)
    .first<PublicVenue>();
}

/** Whether `entranceId` is an entrance of `venueId`. */
/** Every entrance of a venue, open or closed, in the operator's order (the staff pass check). */
export async function venueEntranceLabels(
  db: D1Database,
  venueId: string,
): Promise<Array<{ id: string; labelEn: string; labelZh: string }>> {
  const { results } = await db
    .prepare(
      `SELECT id, label_en AS labelEn, label_zh AS labelZh FROM entrances
        WHERE venue_id = ? ORDER BY created_at, id`,
    )
    .bind(venueId)
    .all<{ id: string; labelEn: string; labelZh: string }>();
  return results;
}

export async function isEntranceOf(
  db: D1Database,
  venueId: string,
  entranceId: string,
): Promise<boolean> {
  const row = await db
    .prepare("SELECT 1 AS yes FROM entrances WHERE id = ? AND venue_id = ?")
    .bind(entranceId, venueId)
    .first<{ yes: number }>();
  return row !== null;
}

// ── Venue events ────────────────────────────────────────────────────────────────────────────

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

// ── Entrance codes ──────────────────────────────────────────────────────────────────────────

export function insertCode(
  db: D1Database,
  code: IssuedEntranceCode,
  issuedAt: number,
): D1PreparedStatement {
  return db
    .prepare(
      "INSERT INTO entrance_codes (entrance_id, version, signed, manual_code, created_at) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(code.entranceId, code.version, code.signed, code.manualCode, issuedAt);
}

export interface CurrentCode {
  readonly entranceId: string;
  readonly labelEn: string;
  readonly labelZh: string;
  readonly version: number;
  readonly signed: Uint8Array;
  readonly manual: string;
  readonly issuedAt: number;
  readonly kioskRequired: boolean;
}

/** The current code of every active entrance of a venue, in the entrances' order. */
export async function currentCodes(db: D1Database, venueId: string): Promise<CurrentCode[]> {
  const { results } = await db
    .prepare(
      `SELECT e.id AS entranceId, e.label_en AS labelEn, e.label_zh AS labelZh, ec.version,
                ec.signed, ec.manual_code AS manual, ec.created_at AS issuedAt,
                e.kiosk_required AS kioskRequired
           FROM entrances e JOIN entrance_codes ec
             ON ec.entrance_id = e.id AND ec.version = e.code_version
          WHERE e.venue_id = ? AND e.active = 1 ORDER BY e.created_at, e.id`,
    )
    .bind(venueId)
    .all<
      Omit<CurrentCode, "signed" | "kioskRequired"> & { signed: unknown; kioskRequired: number }
    >();
  return results.map((r) => ({
    ...r,
    signed: blobBytes(r.signed),
    kioskRequired: r.kioskRequired === 1,
  }));
}

/** One version of an entrance's code (its signed bytes) and whether the entrance is in kiosk mode. */
export async function entranceCode(
  db: D1Database,
  entranceId: string,
  version: number,
): Promise<{ signed: Uint8Array; kioskRequired: boolean } | null> {
  const row = await db
    .prepare(
      `SELECT ec.signed, e.kiosk_required AS kioskRequired
           FROM entrance_codes ec JOIN entrances e ON e.id = ec.entrance_id
          WHERE ec.entrance_id = ? AND ec.version = ?`,
    )
    .bind(entranceId, version)
    .first<{ signed: unknown; kioskRequired: number }>();
  return row ? { signed: blobBytes(row.signed), kioskRequired: row.kioskRequired === 1 } : null;
}

/** The newest code of an active entrance of an approved venue: what its staff and apps print. */
export async function latestPublishedCode(
  db: D1Database,
  entranceId: string,
): Promise<{ version: number; signed: Uint8Array; manual: string } | null> {
  const row = await db
    .prepare(
      `SELECT ec.version AS version, ec.signed AS signed, ec.manual_code AS manual
         FROM entrance_codes ec
         JOIN entrances e ON e.id = ec.entrance_id
         JOIN venues v ON v.id = e.venue_id
        WHERE ec.entrance_id = ? AND v.status = 'approved' AND e.active = 1
        ORDER BY ec.version DESC LIMIT 1`,
    )
    .bind(entranceId)
    .first<{ version: number; signed: unknown; manual: string }>();
  return row ? { ...row, signed: blobBytes(row.signed) } : null;
}

/** The code version a normalized manual-entry code stands for, replaced or not. */
export async function codeByManual(
  db: D1Database,
  manual: string,
): Promise<{
  entranceId: string;
  version: number;
  signed: Uint8Array;
  replacedAt: number | null;
} | null> {
  const row = await db
    .prepare(
      `SELECT entrance_id AS entranceId, version, signed, replaced_at AS replacedAt
         FROM entrance_codes WHERE manual_code = ?`,
    )
    .bind(manual)
    .first<{ entranceId: string; version: number; signed: unknown; replacedAt: number | null }>();
  return row ? { ...row, signed: blobBytes(row.signed) } : null;
}

export interface CodeStanding {
  readonly replacedAt: number | null;
  readonly active: number;
  readonly status: string;
  readonly kioskRequired: number;
  /** Set when an approved amendment retired the entrance. */
  readonly retiredAt: number | null;
  /** The entrance to scan instead of a retired one, with its names; null: none. */
  readonly insteadId: string | null;
  readonly insteadEn: string | null;
  readonly insteadZh: string | null;
}

/**
 * What check-in needs to know of a code version: replaced? entrance retired (and where to scan
 * instead)? entrance active? venue approved?
 */
export async function codeStanding(
  db: D1Database,
  venueId: string,
  entranceId: string,
  version: number,
): Promise<CodeStanding | null> {
  return db
    .prepare(
      `SELECT ec.replaced_at AS replacedAt, e.active AS active, v.status AS status,
            e.kiosk_required AS kioskRequired, e.retired_at AS retiredAt,
            r.id AS insteadId, r.label_en AS insteadEn, r.label_zh AS insteadZh
       FROM entrance_codes ec JOIN entrances e ON e.id = ec.entrance_id
       JOIN venues v ON v.id = e.venue_id
       LEFT JOIN entrances r ON r.id = e.replaced_by AND r.venue_id = e.venue_id
      WHERE ec.entrance_id = ? AND ec.version = ? AND e.venue_id = ?`,
    )
    .bind(entranceId, version, venueId)
    .first<CodeStanding>();
}

/** How many times an entrance's code was replaced since `since` (Unix seconds). */
export async function replacementsSince(
  db: D1Database,
  venueId: string,
  entranceId: string,
  since: number,
): Promise<number> {
  const row = await db
    .prepare(
      "SELECT COUNT(*) AS n FROM venue_events WHERE venue_id = ? AND action = 'code-replaced' AND detail LIKE ? AND at > ?",
    )
    .bind(venueId, `${entranceId} v%`, since)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

export interface Replacement {
  readonly venueId: string;
  readonly entranceId: string;
  /** The version the entrance is at now, and the one it moves to. */
  readonly from: number;
  readonly to: number;
  readonly code: IssuedEntranceCode;
  readonly actorId: string;
  readonly at: number;
  readonly reason: string;
}

/**
 * Moves an entrance to its new code version in one guarded batch: false when another
 * replacement got there first (two replacements cannot both win).
 */
export async function claimReplacement(db: D1Database, r: Replacement): Promise<boolean> {
  const [update] = await db
    .batch([
      db
        .prepare("UPDATE entrances SET code_version = ? WHERE id = ? AND code_version = ?")
        .bind(r.to, r.entranceId, r.from),
      db
        .prepare(
          "UPDATE entrance_codes SET replaced_at = ? WHERE entrance_id = ? AND replaced_at IS NULL AND (SELECT code_version FROM entrances WHERE id = ?) = ?",
        )
        .bind(r.at, r.entranceId, r.entranceId, r.to),
      insertCode(db, r.code, r.at),
      venueEvent(
        db,
        r.venueId,
        "code-replaced",
        r.actorId,
        r.at,
        `${r.entranceId} v${r.to}: ${r.reason}`,
      ),
    ])
    .catch((e: unknown) => {
      // The new version's code row exists already: the other replacement won.
      if (isUniqueViolation(e)) return [{ meta: { changes: 0 } }];
      throw e;
    });
  return (update?.meta.changes ?? 0) === 1;
}

/** Undoes a claimed replacement (the log did not take it), as one batch. */
export async function undoReplacement(db: D1Database, r: Replacement): Promise<void> {
  await db.batch([
    db
      .prepare("DELETE FROM entrance_codes WHERE entrance_id = ? AND version = ?")
      .bind(r.entranceId, r.to),
    db
      .prepare("UPDATE entrance_codes SET replaced_at = NULL WHERE entrance_id = ? AND version = ?")
      .bind(r.entranceId, r.from),
    db
      .prepare("UPDATE entrances SET code_version = ? WHERE id = ? AND code_version = ?")
      .bind(r.from, r.entranceId, r.to),
    db
      .prepare(
        "DELETE FROM venue_events WHERE venue_id = ? AND action = 'code-replaced' AND detail LIKE ? AND at = ?",
      )
      .bind(r.venueId, `${r.entranceId} v${r.to}:%`, r.at),
  ]);
}

/** Switches an entrance's kiosk mode, with its venue event, in one batch. */
export async function setKioskRequired(
  db: D1Database,
  venueId: string,
  entranceId: string,
  required: boolean,
  actorId: string,
  at: number,
): Promise<void> {
  await db.batch([
    db
      .prepare("UPDATE entrances SET kiosk_required = ? WHERE id = ?")
      .bind(required ? 1 : 0, entranceId),
    venueEvent(
      db,
      venueId,
      required ? "kiosk-required" : "kiosk-optional",
      actorId,
      at,
      entranceId,
    ),
  ]);
}

// ── Public reports ──────────────────────────────────────────────────────────────────────────

// ── Registry review ─────────────────────────────────────────────────────────────────────────

export interface QueuedVenue {
  readonly id: string;
  readonly nameEn: string;
  readonly nameZh: string;
  readonly category: VenueCategory;
  readonly district: string | null;
  readonly status: VenueRow["status"];
  readonly updatedAt: number;
  readonly entrances: number;
  readonly possibleDuplicates: number;
  /** Whether an entrance amendment of it awaits the registry's decision. */
  readonly amendmentPending: boolean;
}

/** At most one amendment per venue is pending (migrations/0010's partial unique index). */
const AMENDMENT_PENDING =
  "EXISTS (SELECT 1 FROM entrance_amendments a WHERE a.venue_id = v.id AND a.status = 'pending')";

/**
 * Venues in `scope` in one status, oldest change first (the review queue), at most 200, each
 * with how many other venues of the scope may be the same venue (match-store.ts): a venue
 * outside the scope is not even counted. `amendmentPending`: only those with an entrance
 * amendment awaiting decision.
 */
export async function venuesInStatus(
  db: D1Database,
  status: VenueRow["status"],
  scope: VenueScope | null,
  filter: { readonly amendmentPending?: boolean } = {},
): Promise<QueuedVenue[]> {
  const venue = scopeFilter(scope, "v");
  const other = scopeFilter(scope, "o");
  const { results } = await db
    .prepare(
      `SELECT v.id, v.name_en AS nameEn, v.name_zh AS nameZh, v.category, v.district, v.status,
              v.updated_at AS updatedAt, (SELECT COUNT(*) FROM entrances e WHERE e.venue_id = v.id) AS entrances,
              (SELECT COUNT(*) FROM venues o WHERE ${IS_MATCH} AND ${other.sql}) AS possibleDuplicates,
              ${AMENDMENT_PENDING} AS amendmentPending
         FROM venues v WHERE v.status = ? AND ${venue.sql}
          AND ${filter.amendmentPending ? AMENDMENT_PENDING : "1"}
        ORDER BY v.updated_at, v.id LIMIT 200`,
    )
    .bind(...other.binds, status, ...venue.binds)
    .all<Omit<QueuedVenue, "amendmentPending"> & { amendmentPending: number }>();
  return results.map((r) => ({ ...r, amendmentPending: r.amendmentPending === 1 }));
}

/**
 * Approves a submitted venue and stores the first code of each entrance that has none, in one
 * batch guarded on the venue's status: `won` is false when another reviewer decided first (then
 * nothing is written). `issued` are the codes actually stored.
 */
export async function approveVenue(
  db: D1Database,
  venueId: string,
  codes: readonly IssuedEntranceCode[],
  actorId: string,
  at: number,
): Promise<{ won: boolean; issued: IssuedEntranceCode[] }> {
  const [update, , ...inserted] = await db.batch([
    db
      .prepare(
        "UPDATE venues SET status = 'approved', feedback = NULL, updated_at = ? WHERE id = ? AND status = 'submitted'",
      )
      .bind(at, venueId),
    venueEventIfChanged(db, venueId, "approved", actorId, at),
    ...codes.map((code) =>
      db
        .prepare(
          `INSERT INTO entrance_codes (entrance_id, version, signed, manual_code, created_at)
             SELECT ?, ?, ?, ?, ? WHERE (SELECT status FROM venues WHERE id = ?) = 'approved'
               AND NOT EXISTS (SELECT 1 FROM entrance_codes WHERE entrance_id = ?)`,
        )
        .bind(
          code.entranceId,
          code.version,
          code.signed,
          code.manualCode,
          at,
          venueId,
          code.entranceId,
        ),
    ),
  ]);
  return {
    won: (update?.meta.changes ?? 0) === 1,
    issued: codes.filter((_, i) => (inserted[i]?.meta.changes ?? 0) === 1),
  };
}

/** Undoes an approval (the log refused its entrances): codes, event and status, in one batch. */
export async function undoApproval(
  db: D1Database,
  venueId: string,
  issued: readonly IssuedEntranceCode[],
  actorId: string,
  at: number,
): Promise<void> {
  const undo = [
    ...issued.map((code) =>
      db
        .prepare("DELETE FROM entrance_codes WHERE entrance_id = ? AND version = ?")
        .bind(code.entranceId, code.version),
    ),
    db
      .prepare(
        "DELETE FROM venue_events WHERE venue_id = ? AND action = 'approved' AND at = ? AND actor_id = ?",
      )
      .bind(venueId, at, actorId),
    db
      .prepare(
        "UPDATE venues SET status = 'submitted', updated_at = ? WHERE id = ? AND status = 'approved'",
      )
      .bind(at, venueId),
  ];
  await db.batch(undo);
}

/** Sends a submitted application back with feedback; false when another reviewer decided first. */
export async function rejectVenue(
  db: D1Database,
  venueId: string,
  feedback: string,
  actorId: string,
  at: number,
): Promise<boolean> {
  const [update] = await db.batch([
    db
      .prepare(
        "UPDATE venues SET status = 'rejected', feedback = ?, updated_at = ? WHERE id = ? AND status = 'submitted'",
      )
      .bind(feedback, at, venueId),
    venueEventIfChanged(db, venueId, "rejected", actorId, at, feedback),
  ]);
  return (update?.meta.changes ?? 0) === 1;
}

export interface ReportRow {
  readonly id: string;
  readonly venueId: string;
  readonly nameEn: string;
  readonly nameZh: string;
  readonly entranceId: string | null;
  readonly labelEn: string | null;
  readonly labelZh: string | null;
  readonly kind: ReportKind;
  readonly status: ReportStatus;
  readonly reportedHour: number;
  readonly handledAt: number | null;
  readonly handledBy: string | null;
  readonly count: number;
  readonly note: string | null;
  readonly operatorAnswer: string | null;
}

/**
 * Reports in one status about venues in `scope`, newest hour first, at most 500 (the registry's
 * inbox); a report merged into another is counted in it, not listed.
 */
export async function reportsInStatus(
  db: D1Database,
  status: ReportStatus,
  scope: VenueScope | null,
): Promise<ReportRow[]> {
  const venue = scopeFilter(scope, "v");
  const { results } = await db
    .prepare(
      `SELECT r.id, r.venue_id AS venueId, v.name_en AS nameEn, v.name_zh AS nameZh,
              r.entrance_id AS entranceId, e.label_en AS labelEn, e.label_zh AS labelZh,
              r.kind, r.status, r.reported_hour AS reportedHour, r.handled_at AS handledAt,
              a.label AS handledBy, r.note, r.operator_answer AS operatorAnswer,
              (SELECT COUNT(*) FROM reports m WHERE m.merged_into = r.id) + 1 AS count
         FROM reports r JOIN venues v ON v.id = r.venue_id
         LEFT JOIN entrances e ON e.id = r.entrance_id
         LEFT JOIN accounts a ON a.id = r.handled_by
        WHERE r.status = ? AND r.merged_into IS NULL AND ${venue.sql}
        ORDER BY r.reported_hour DESC, r.id LIMIT 500`,
    )
    .bind(status, ...venue.binds)
    .all<ReportRow>();
  return results;
}

/** The venue a report is about, to check the caller may act on it; null: no such report. */
export async function reportVenueId(db: D1Database, reportId: string): Promise<string | null> {
  const row = await db
    .prepare("SELECT venue_id AS venueId FROM reports WHERE id = ?")
    .bind(reportId)
    .first<{ venueId: string }>();
  return row?.venueId ?? null;
}

/**
 * Moves a report on, with the registry's note when given (else the note stays); false when
 * there is no such report, or it was merged into another (that one is worked instead).
 */
export async function setReportStatus(
  db: D1Database,
  reportId: string,
  status: ReportStatus,
  note: string | undefined,
  handledBy: string,
  at: number,
): Promise<boolean> {
  const result = await db
    .prepare(
      `UPDATE reports SET status = ?1, note = COALESCE(?2, note), handled_by = ?3, handled_at = ?4,
          closed_at = CASE WHEN ?1 = 'closed' THEN COALESCE(closed_at, ?4) ELSE NULL END
        WHERE id = ?5 AND merged_into IS NULL`,
    )
    .bind(status, note ?? null, handledBy, at, reportId)
    .run();
  return result.meta.changes === 1;
}

export interface ExportedVenue {
  readonly id: string;
  readonly nameEn: string;
  readonly nameZh: string;
  readonly address: string;
  readonly category: string;
  readonly district: string | null;
  readonly status: string;
  readonly entrances: number;
  readonly updatedAt: number;
}

/** Every venue in `scope`, by id, for the registry's CSV export. */
export async function allVenues(
  db: D1Database,
  scope: VenueScope | null,
): Promise<ExportedVenue[]> {
  const venue = scopeFilter(scope, "v");
  const { results } = await db
    .prepare(
      `SELECT v.id, v.name_en AS nameEn, v.name_zh AS nameZh, v.address, v.category, v.district,
              v.status, (SELECT COUNT(*) FROM entrances e WHERE e.venue_id = v.id) AS entrances,
              v.updated_at AS updatedAt
         FROM venues v WHERE ${venue.sql} ORDER BY v.id`,
    )
    .bind(...venue.binds)
    .all<ExportedVenue>();
  return results;
}
