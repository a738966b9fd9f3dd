/**
 * Reports from the public, beyond their first write: merging identical reports, the reporter's
 * reference, the registry's note and the operator's answer (migration 0009).
 *
 * A report identical to one not closed (same venue, same door or none, same kind) is stored
 * merged into it, so the registry's inbox shows one report with its count, not six rows. The
 * reporter's reference is 20 random bytes in base32; only its SHA-256 is stored, so the table
 * cannot be used to look a reporter's reference up.
 */
import type { ReportKind, ReportStatus } from "@lintel/contract";
import { encodeBase32, toHex } from "@lintel/protocol";

export interface NewReport {
  readonly id: string;
  readonly venueId: string;
  readonly entranceId: string | null;
  readonly kind: ReportKind;
  readonly reportedHour: number;
}

/** A fresh reference and its stored hash. */
export async function newReference(): Promise<{ reference: string; hash: string }> {
  const reference = encodeBase32(crypto.getRandomValues(new Uint8Array(20)));
  return { reference, hash: await referenceHash(reference) };
}

/** SHA-256 (hex) of the reference as typed, spaces and hyphens dropped, upper case. */
export async function referenceHash(reference: string): Promise<string> {
  const normalised = reference.replace(/[\s-]/g, "").toUpperCase();
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(normalised));
  return toHex(new Uint8Array(digest));
}

/**
 * Stores the report, merged into an identical one not closed when there is one. One statement:
 * D1 runs it alone, so the report it merges into is the one stored when it ran.
 */
export async function insertReport(db: D1Database, r: NewReport, hash: string): Promise<void> {
  await db
    .prepare(
      `INSERT INTO reports (id, venue_id, entrance_id, kind, reported_hour, reference_hash, merged_into)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6,
         (SELECT id FROM reports
           WHERE venue_id = ?2 AND entrance_id IS ?3 AND kind = ?4 AND status != 'closed'
             AND merged_into IS NULL
           ORDER BY reported_hour, id LIMIT 1))`,
    )
    .bind(r.id, r.venueId, r.entranceId, r.kind, r.reportedHour, hash)
    .run();
}

export interface FollowedReport {
  readonly kind: ReportKind;
  readonly nameEn: string;
  readonly nameZh: string;
  readonly status: ReportStatus;
  readonly reportedHour: number;
  readonly count: number;
  readonly answered: number;
}

/** What a reporter may know of the report their reference names: the merged report's state. */
export async function followReport(db: D1Database, hash: string): Promise<FollowedReport | null> {
  return db
    .prepare(
      `SELECT p.kind, v.name_en AS nameEn, v.name_zh AS nameZh, p.status,
              mine.reported_hour AS reportedHour,
              (SELECT COUNT(*) FROM reports m WHERE m.merged_into = p.id) + 1 AS count,
              p.operator_answered_at IS NOT NULL AS answered
         FROM reports mine
         JOIN reports p ON p.id = COALESCE(mine.merged_into, mine.id)
         JOIN venues v ON v.id = p.venue_id
        WHERE mine.reference_hash = ?`,
    )
    .bind(hash)
    .first<FollowedReport>();
}

export interface VenueReportRow {
  readonly id: string;
  readonly entranceId: string | null;
  readonly labelEn: string | null;
  readonly labelZh: string | null;
  readonly kind: ReportKind;
  readonly status: ReportStatus;
  readonly reportedHour: number;
  readonly count: number;
  readonly operatorAnswer: string | null;
}

const VENUE_REPORT_COLUMNS = `r.id, r.entrance_id AS entranceId, e.label_en AS labelEn,
  e.label_zh AS labelZh, r.kind, r.status, r.reported_hour AS reportedHour,
  (SELECT COUNT(*) FROM reports m WHERE m.merged_into = r.id) + 1 AS count,
  r.operator_answer AS operatorAnswer`;

/** A venue's reports (merged ones counted in theirs), newest first, at most 200. */
export async function reportsOfVenue(db: D1Database, venueId: string): Promise<VenueReportRow[]> {
  const { results } = await db
    .prepare(
      `SELECT ${VENUE_REPORT_COLUMNS}
         FROM reports r LEFT JOIN entrances e ON e.id = r.entrance_id
        WHERE r.venue_id = ? AND r.merged_into IS NULL
        ORDER BY r.reported_hour DESC, r.id LIMIT 200`,
    )
    .bind(venueId)
    .all<VenueReportRow>();
  return results;
}

export async function venueReport(
  db: D1Database,
  venueId: string,
  reportId: string,
): Promise<VenueReportRow | null> {
  return db
    .prepare(
      `SELECT ${VENUE_REPORT_COLUMNS}
         FROM reports r LEFT JOIN entrances e ON e.id = r.entrance_id
        WHERE r.venue_id = ? AND r.id = ? AND r.merged_into IS NULL`,
    )
    .bind(venueId, reportId)
    .first<VenueReportRow>();
}

/** The operator's one answer; false when it was answered already. */
export async function answerReport(
  db: D1Database,
  venueId: string,
  reportId: string,
  answer: string,
  at: number,
): Promise<boolean> {
  const result = await db
    .prepare(
      `UPDATE reports SET operator_answer = ?, operator_answered_at = ?
        WHERE id = ? AND venue_id = ? AND merged_into IS NULL AND operator_answered_at IS NULL`,
    )
    .bind(answer, at, reportId, venueId)
    .run();
  return result.meta.changes === 1;
}
