/**
 * A trustee's own D1 state (PROTOCOL.md §11.3): its audited view of the log (the auditor's saved
 * state per log origin, or the evidence that halted it), the nonces of officers' statements it
 * took, and the release entry it logged per query.
 */
import { isUniqueViolation } from "../db/d1.ts";
import { ProblemError } from "../problems/problem.ts";

export interface SavedLogView {
  /** Tree size, as a decimal string: sizes are 64-bit. */
  readonly size: string;
  /** The auditor's state, JSON. */
  readonly state: string;
  /** Evidence of a fork or rollback, JSON; set once, and the trustee releases nothing after. */
  readonly halted: string | null;
}

export async function savedLogView(db: D1Database, origin: string): Promise<SavedLogView | null> {
  return db
    .prepare("SELECT size, state, halted FROM trustee_log_state WHERE origin = ?")
    .bind(origin)
    .first<SavedLogView>();
}

/** The size of the log this trustee has audited so far, or null before its first audit. */
export async function seenLogSize(db: D1Database): Promise<string | null> {
  // A trustee audits one log, so its state has one row.
  const row = await db
    .prepare("SELECT size FROM trustee_log_state LIMIT 1")
    .first<{ size: string }>();
  return row?.size ?? null;
}

export async function haltLogView(
  db: D1Database,
  origin: string,
  evidence: string,
  now: number,
): Promise<void> {
  await db
    .prepare("UPDATE trustee_log_state SET halted = ?, updated_at = ? WHERE origin = ?")
    .bind(evidence, now, origin)
    .run();
}

/**
 * Saves the audited view of a larger (or equal) tree. Forward only: a concurrent run that
 * already saved a larger tree wins, and a halted view is never replaced. `existed` says whether
 * a view was saved before (the first one is inserted).
 */
export async function saveLogView(
  db: D1Database,
  origin: string,
  size: string,
  state: string,
  now: number,
  existed: boolean,
): Promise<void> {
  if (existed) {
    // Sizes are decimal strings: a longer one is larger, and equal lengths compare as text.
    await db
      .prepare(
        `UPDATE trustee_log_state SET size = ?, state = ?, updated_at = ?
        WHERE origin = ? AND halted IS NULL
          AND (length(size) < length(?) OR (length(size) = length(?) AND size <= ?))`,
      )
      .bind(size, state, now, origin, size, size, size)
      .run();
  } else {
    await db
      .prepare(
        "INSERT OR IGNORE INTO trustee_log_state (origin, size, state, updated_at) VALUES (?, ?, ?, ?)",
      )
      .bind(origin, size, state, now)
      .run();
  }
}

/** Takes an officer statement's nonce; a statement seen before is refused (401 statement-replayed). */
export async function takeOfficerNonce(
  db: D1Database,
  keyId: string,
  nonceHex: string,
  now: number,
): Promise<void> {
  try {
    await db
      .prepare("INSERT INTO trustee_nonces (key_id, nonce, seen_at) VALUES (?, ?, ?)")
      .bind(keyId, nonceHex, now)
      .run();
  } catch (e) {
    if (isUniqueViolation(e))
      throw new ProblemError("statement-replayed", "This statement was already used.");
    throw e;
  }
}

/** Officer nonces older than `before` can no longer be replayed (statements expire): dropped. */
export async function sweepOfficerNonces(db: D1Database, before: number): Promise<void> {
  await db.prepare("DELETE FROM trustee_nonces WHERE seen_at < ?").bind(before).run();
}

/** Remembers the log index of this trustee's release of a query (the first one stays). */
export async function rememberRelease(
  db: D1Database,
  queryIndex: bigint,
  releaseIndex: bigint,
  now: number,
): Promise<void> {
  await db
    .prepare(
      "INSERT OR IGNORE INTO trustee_releases (query_index, release_index, released_at) VALUES (?, ?, ?)",
    )
    .bind(queryIndex.toString(), releaseIndex.toString(), now)
    .run();
}
