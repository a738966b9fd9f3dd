/**
 * Officers' query drafts in D1 (PROTOCOL.md §11): a query filed and waiting for the approvals it
 * needs, until it is logged. The draft's entry is the signed entry as it stands, its signatures
 * so far included; a kept approval replaces it by compare-and-swap, so two officers approving
 * one draft at once cannot both be counted.
 */
import { blobBytes } from "../db/d1.ts";

export type DraftStatus = "awaiting-approval" | "logged";

/** How many drafts the officers' list shows, newest first. */
const LISTED_DRAFTS = 200;

export async function insertQueryDraft(
  db: D1Database,
  draft: { readonly id: string; readonly entry: Uint8Array; readonly filedBy: string },
): Promise<void> {
  await db
    .prepare(
      "INSERT INTO query_drafts (id, entry, filed_by_account, status) VALUES (?, ?, ?, 'awaiting-approval')",
    )
    .bind(draft.id, draft.entry, draft.filedBy)
    .run();
}

/** A draft as the officers' list shows it, with the filer's and the approver's labels. */
export interface ListedDraft {
  readonly id: string;
  readonly entry: Uint8Array;
  readonly filedByAccount: string;
  readonly filedByLabel: string;
  readonly filedAt: number;
  readonly status: DraftStatus;
  readonly approvedByAccount: string | null;
  readonly approvedByLabel: string | null;
  readonly queryIndex: string | null;
}

/** The newest drafts, logged ones included. */
export async function recentQueryDrafts(db: D1Database): Promise<ListedDraft[]> {
  const { results } = await db
    .prepare(
      `SELECT q.id, q.entry, q.filed_by_account AS filedByAccount, f.label AS filedByLabel,
              q.created_at AS filedAt, q.status, q.approved_by_account AS approvedByAccount,
              a.label AS approvedByLabel, q.query_index AS queryIndex
         FROM query_drafts q JOIN accounts f ON f.id = q.filed_by_account
         LEFT JOIN accounts a ON a.id = q.approved_by_account
        ORDER BY q.created_at DESC, q.id LIMIT ?`,
    )
    .bind(LISTED_DRAFTS)
    .all<Omit<ListedDraft, "entry"> & { entry: unknown }>();
  return results.map((r) => ({ ...r, entry: blobBytes(r.entry) }));
}

export interface QueryDraft {
  readonly entry: Uint8Array;
  readonly filedBy: string;
  readonly status: DraftStatus;
}

export async function queryDraft(db: D1Database, id: string): Promise<QueryDraft | null> {
  const row = await db
    .prepare("SELECT entry, filed_by_account AS filedBy, status FROM query_drafts WHERE id = ?")
    .bind(id)
    .first<Omit<QueryDraft, "entry"> & { entry: unknown }>();
  return row ? { ...row, entry: blobBytes(row.entry) } : null;
}

/**
 * Keeps an approval of a wide query that still needs more officers: the draft's entry becomes
 * `entry` only if it is still pending and still `previous`. False when another approval won.
 */
export async function keepApproval(
  db: D1Database,
  id: string,
  approval: {
    readonly previous: Uint8Array;
    readonly entry: Uint8Array;
    readonly by: string;
    readonly at: number;
  },
): Promise<boolean> {
  const kept = await db
    .prepare(
      `UPDATE query_drafts SET entry = ?, approved_by_account = ?, approved_at = ?
        WHERE id = ? AND status = 'awaiting-approval' AND entry = ?`,
    )
    .bind(approval.entry, approval.by, approval.at, id, approval.previous)
    .run();
  return (kept.meta.changes ?? 0) === 1;
}

/** Records the last approval and where the log put the query. */
export async function markDraftLogged(
  db: D1Database,
  id: string,
  logged: {
    readonly entry: Uint8Array;
    readonly by: string;
    readonly at: number;
    readonly queryIndex: string;
  },
): Promise<void> {
  await db
    .prepare(
      `UPDATE query_drafts SET status = 'logged', entry = ?, approved_by_account = ?,
              approved_at = ?, query_index = ? WHERE id = ? AND status = 'awaiting-approval'`,
    )
    .bind(logged.entry, logged.by, logged.at, logged.queryIndex, id)
    .run();
}
