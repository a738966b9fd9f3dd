/**
 * Venue requests in D1 (migrations/0012, 0014, 0015): filed by the venue's operator, refused or
 * approved once by an officer (a request granting contacts by as many officers as a query, its
 * approval entry kept while it gathers them), and a contacts request's sealed releases. A venue has at most one pending request (a partial unique index, so two filings
 * at once cannot both succeed); each decision is one guarded statement with its venue_events row
 * in the same batch, so a lost race changes nothing.
 */
import type { VenueRequestGrant, VenueRequestReason } from "@lintel/protocol";
import { isUniqueViolation } from "../db/d1.ts";
import { venueEvent, venueEventIfChanged } from "./store.ts";

export interface VenueRequestRow {
  readonly id: string;
  readonly venueId: string;
  readonly venueNameEn: string;
  readonly venueNameZh: string;
  readonly entrances: readonly string[];
  readonly windowStart: number;
  readonly windowEnd: number;
  readonly reason: VenueRequestReason;
  readonly note: string;
  readonly grants: readonly VenueRequestGrant[];
  readonly filedAt: number;
  readonly decidedAt: number | null;
  readonly refusal: string | null;
  readonly logIndex: string | null;
  /** The deciding officer's account id and label (their enrolment label in the log). */
  readonly decidedBy: string | null;
  readonly decidedByLabel: string | null;
  /** base64url X25519 key of a request granting contacts, else null. */
  readonly releaseKey: string | null;
  /** base64url approval entry signed so far, while a contacts request gathers officers. */
  readonly approvalEntry: string | null;
  /** The entry a claimed approval is appending (base64url), until it is settled or undone. */
  readonly claimEntry: string | null;
  /** The log's size when that claim was made (decimal text). */
  readonly claimLogSize: string | null;
}

type Stored = Omit<VenueRequestRow, "entrances" | "grants"> & {
  readonly entrances: string;
  readonly grants: string;
};

const SELECT = `SELECT r.id, r.venue_id AS venueId, v.name_en AS venueNameEn, v.name_zh AS venueNameZh,
    r.entrances, r.window_start AS windowStart, r.window_end AS windowEnd, r.reason, r.note,
    r.grants, r.filed_at AS filedAt, r.decided_at AS decidedAt, r.refusal, r.log_index AS logIndex,
    r.decided_by AS decidedBy, a.label AS decidedByLabel, r.release_key AS releaseKey, r.approval_entry AS approvalEntry,
    r.claim_entry AS claimEntry, r.claim_log_size AS claimLogSize
  FROM venue_requests r JOIN venues v ON v.id = r.venue_id
  LEFT JOIN accounts a ON a.id = r.decided_by`;

const parsed = (row: Stored): VenueRequestRow => ({
  ...row,
  entrances: JSON.parse(row.entrances) as string[],
  grants: JSON.parse(row.grants) as VenueRequestGrant[],
});

export type VenueRequestState = "pending" | "refused" | "approved";

/** An approval being logged (claimed, no index yet) is still pending to everyone who reads it. */
export function venueRequestState(row: VenueRequestRow): VenueRequestState {
  if (row.logIndex !== null) return "approved";
  return row.refusal !== null ? "refused" : "pending";
}

export interface NewVenueRequest {
  readonly id: string;
  readonly venueId: string;
  readonly entrances: readonly string[];
  readonly windowStart: number;
  readonly windowEnd: number;
  readonly reason: VenueRequestReason;
  readonly note: string;
  readonly grants: readonly VenueRequestGrant[];
  readonly releaseKey: string | null;
}

/** Files a request; false when the venue already has a pending one. */
export async function fileVenueRequest(
  db: D1Database,
  r: NewVenueRequest,
  actorId: string,
  at: number,
): Promise<boolean> {
  try {
    await db.batch([
      db
        .prepare(
          `INSERT INTO venue_requests (id, venue_id, entrances, window_start, window_end, reason,
             note, grants, release_key, filed_by, filed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .bind(
          r.id,
          r.venueId,
          JSON.stringify(r.entrances),
          r.windowStart,
          r.windowEnd,
          r.reason,
          r.note,
          JSON.stringify(r.grants),
          r.releaseKey,
          actorId,
          at,
        ),
      venueEvent(db, r.venueId, "request-filed", actorId, at, r.id),
    ]);
    return true;
  } catch (e) {
    if (isUniqueViolation(e)) return false;
    throw e;
  }
}

export async function venueRequestById(
  db: D1Database,
  id: string,
): Promise<VenueRequestRow | null> {
  const row = await db.prepare(`${SELECT} WHERE r.id = ?`).bind(id).first<Stored>();
  return row && parsed(row);
}

/** A venue's requests, newest first. */
export async function venueRequestsOf(db: D1Database, venueId: string): Promise<VenueRequestRow[]> {
  const { results } = await db
    .prepare(`${SELECT} WHERE r.venue_id = ? ORDER BY r.filed_at DESC, r.rowid DESC LIMIT 200`)
    .bind(venueId)
    .all<Stored>();
  return results.map(parsed);
}

/** Every pending request, oldest first, then the newest 100 decided ones. */
export async function venueRequestsForOfficers(db: D1Database): Promise<VenueRequestRow[]> {
  const [pending, decided] = await db.batch<Stored>([
    db.prepare(`${SELECT} WHERE r.decided_at IS NULL ORDER BY r.filed_at, r.rowid LIMIT 200`),
    db.prepare(
      `${SELECT} WHERE r.decided_at IS NOT NULL ORDER BY r.decided_at DESC, r.rowid DESC LIMIT 100`,
    ),
  ]);
  return [...(pending?.results ?? []), ...(decided?.results ?? [])].map(parsed);
}

/** An officer refuses a pending request; false when it was decided meanwhile. */
export async function refuseVenueRequest(
  db: D1Database,
  row: VenueRequestRow,
  refusal: string,
  actorId: string,
  at: number,
): Promise<boolean> {
  const [update] = await db.batch([
    db
      .prepare(
        `UPDATE venue_requests SET decided_by = ?, decided_at = ?, refusal = ?
          WHERE id = ? AND decided_at IS NULL`,
      )
      .bind(actorId, at, refusal, row.id),
    venueEventIfChanged(db, row.venueId, "request-refused", actorId, at, row.id),
  ]);
  return (update?.meta.changes ?? 0) === 1;
}

/**
 * Claims a pending request for approval before its entry goes to the log (decided, no index
 * yet), recording the entry and the log's size; false when another officer decided it first.
 * {@link settleApproval} records the index; {@link undoApproval} releases the claim when the log
 * refuses the entry. A claim left by a worker that stopped in between is finished by
 * venue-request-claims.ts from what it recorded.
 */
export async function claimApproval(
  db: D1Database,
  row: VenueRequestRow,
  claim: {
    readonly actorId: string;
    readonly at: number;
    readonly entry: string;
    readonly logSize: string;
  },
): Promise<boolean> {
  const update = await db
    .prepare(
      `UPDATE venue_requests SET decided_by = ?, decided_at = ?, refusal = NULL, claim_entry = ?,
          claim_log_size = ?
        WHERE id = ? AND decided_at IS NULL`,
    )
    .bind(claim.actorId, claim.at, claim.entry, claim.logSize, row.id)
    .run();
  return update.meta.changes === 1;
}

export async function settleApproval(
  db: D1Database,
  row: VenueRequestRow,
  logIndex: string,
  actorId: string,
  at: number,
): Promise<void> {
  await db.batch([
    db
      .prepare(
        `UPDATE venue_requests SET log_index = ?, claim_entry = NULL, claim_log_size = NULL
          WHERE id = ? AND log_index IS NULL`,
      )
      .bind(logIndex, row.id),
    venueEventIfChanged(
      db,
      row.venueId,
      "request-approved",
      actorId,
      at,
      `${row.id} log ${logIndex}`,
    ),
  ]);
}

export async function undoApproval(db: D1Database, row: VenueRequestRow): Promise<void> {
  await db
    .prepare(
      `UPDATE venue_requests SET decided_by = NULL, decided_at = NULL, claim_entry = NULL,
          claim_log_size = NULL
        WHERE id = ? AND log_index IS NULL`,
    )
    .bind(row.id)
    .run();
}

/**
 * Keeps a contacts request's approval entry signed so far, if it still holds `previous` (null:
 * none yet); false when another officer changed or decided it meanwhile.
 */
export async function keepApprovalEntry(
  db: D1Database,
  row: VenueRequestRow,
  previous: string | null,
  entry: string,
): Promise<boolean> {
  const update = await db
    .prepare(
      `UPDATE venue_requests SET approval_entry = ?
        WHERE id = ? AND decided_at IS NULL AND approval_entry IS ?`,
    )
    .bind(entry, row.id, previous)
    .run();
  return update.meta.changes === 1;
}

/** A sealed release as the holder answered it (JSON text), for the venue. */
export interface StoredRelease {
  readonly holder: string;
  readonly release: string;
}

/** Keeps each holder's sealed release for the request, replacing one kept before. */
export async function keepReleases(
  db: D1Database,
  requestId: string,
  releases: readonly StoredRelease[],
  at: number,
): Promise<void> {
  await db.batch(
    releases.map((r) =>
      db
        .prepare(
          `INSERT INTO venue_request_releases (request_id, holder, release, stored_at)
             VALUES (?, ?, ?, ?)
           ON CONFLICT (request_id, holder) DO UPDATE SET release = excluded.release,
             stored_at = excluded.stored_at`,
        )
        .bind(requestId, r.holder, r.release, at),
    ),
  );
}

/** The sealed releases kept for a request, by holder id. */
export async function releasesOf(db: D1Database, requestId: string): Promise<StoredRelease[]> {
  const { results } = await db
    .prepare(
      "SELECT holder, release FROM venue_request_releases WHERE request_id = ? ORDER BY holder",
    )
    .bind(requestId)
    .all<StoredRelease>();
  return results;
}
