/**
 * Saving an uploaded application document so that storage holds exactly what the database names,
 * within the operator's quota, whatever runs at the same time.
 *
 * R2 and D1 cannot be written in one transaction, so the order is: write the object under a
 * fresh key; then one guarded D1 statement makes the row point at it — only if the row still
 * points where it did when this upload started (compare-and-swap on `object_key`), the
 * application is still editable, and the operator's documents, with this one in place of the
 * one it replaces, stay within the quota. The winner deletes the object it replaced; a loser, or
 * any failure after the object was written, deletes its own. Six uploads at once leave one
 * object; the others answer 409. What a crash between the steps could still leave (an object no
 * row names) is removed by the sweep of the next upload of that document.
 */
import type { Deployment } from "../config/deployment.ts";
import type { Env } from "../env.ts";
import { ProblemError } from "../problems/problem.ts";
import { EDITABLE as EDITABLE_ROW, EDITABLE_VENUE } from "./application-store.ts";
import { type DocumentKind, storeDocument } from "./documents.ts";
import { venueEventIfChanged } from "./store.ts";

/** An object younger than this may belong to an upload still running: the sweep leaves it. */
export const SWEEP_GRACE_SECONDS = 15 * 60;
/** At most this many stray objects are looked at per sweep (the work stays per request). */
const SWEEP_BATCH = 50;

export interface Upload {
  readonly venueId: string;
  readonly operatorId: string;
  readonly actorId: string;
  readonly kind: DocumentKind;
  readonly mediaType: string;
  readonly bytes: Uint8Array;
}

export interface SavedDocument {
  readonly sha256: string;
}

type Quota = Deployment["documents"];

interface Usage {
  /** The operator's documents other than the one this upload replaces. */
  readonly objects: number;
  readonly bytes: number;
}

/**
 * The operator's stored documents, leaving out (venueId, kind): the upload replaces that one.
 * Bounded by the operator's own venues (indexed by operator), never by the whole table.
 */
const OTHERS = `FROM venue_documents d JOIN venues v ON v.id = d.venue_id
   WHERE v.operator_id = ? AND NOT (d.venue_id = ? AND d.kind = ?)`;

async function usage(db: D1Database, u: Upload): Promise<Usage> {
  const row = await db
    .prepare(`SELECT COUNT(*) AS objects, COALESCE(SUM(d.size), 0) AS bytes ${OTHERS}`)
    .bind(u.operatorId, u.venueId, u.kind)
    .first<Usage>();
  return { objects: row?.objects ?? 0, bytes: row?.bytes ?? 0 };
}

function quotaProblem(quota: Quota): ProblemError {
  return new ProblemError(
    "quota-exceeded",
    `An operator may keep at most ${quota.maxObjectsPerOperator} documents and ` +
      `${Math.floor(quota.maxBytesPerOperator / (1024 * 1024))} MiB over all their applications.`,
    {
      maxObjectsPerOperator: quota.maxObjectsPerOperator,
      maxBytesPerOperator: quota.maxBytesPerOperator,
    },
  );
}

function overQuota(used: Usage, size: number, quota: Quota): boolean {
  return (
    used.objects + 1 > quota.maxObjectsPerOperator || used.bytes + size > quota.maxBytesPerOperator
  );
}

/** The quota, inside the guarded statement: checked at the moment the row is written. */
const WITHIN_QUOTA = `(SELECT COUNT(*) ${OTHERS}) + 1 <= ?
   AND (SELECT COALESCE(SUM(d.size), 0) ${OTHERS}) + ? <= ?`;

function quotaBinds(u: Upload, quota: Quota): unknown[] {
  return [
    u.operatorId,
    u.venueId,
    u.kind,
    quota.maxObjectsPerOperator,
    u.operatorId,
    u.venueId,
    u.kind,
    u.bytes.length,
    quota.maxBytesPerOperator,
  ];
}

export async function saveDocument(env: Env, u: Upload, quota: Quota): Promise<SavedDocument> {
  const db = env.DB;
  const previous = await db
    .prepare("SELECT object_key AS objectKey FROM venue_documents WHERE venue_id = ? AND kind = ?")
    .bind(u.venueId, u.kind)
    .first<{ objectKey: string }>();
  // Refused before anything is written: a full quota costs no storage work.
  if (overQuota(await usage(db, u), u.bytes.length, quota)) throw quotaProblem(quota);

  const stored = await storeDocument(env, u.venueId, u.kind, u.bytes);
  const now = Math.floor(Date.now() / 1000);
  const fields = [u.mediaType, u.bytes.length, stored.sha256, stored.objectKey, now, u.actorId];
  const swap = previous
    ? db
        .prepare(
          `UPDATE venue_documents SET media_type = ?, size = ?, sha256 = ?, object_key = ?,
                  created_at = ?, uploaded_by = ?
            WHERE venue_id = ? AND kind = ? AND object_key = ? AND ${EDITABLE_VENUE}
              AND ${WITHIN_QUOTA}`,
        )
        .bind(...fields, u.venueId, u.kind, previous.objectKey, u.venueId, ...quotaBinds(u, quota))
    : db
        .prepare(
          `INSERT INTO venue_documents (media_type, size, sha256, object_key, created_at,
                  uploaded_by, venue_id, kind)
           SELECT ?, ?, ?, ?, ?, ?, ?, ? WHERE ${EDITABLE_VENUE} AND ${WITHIN_QUOTA}
           ON CONFLICT (venue_id, kind) DO NOTHING`,
        )
        .bind(...fields, u.venueId, u.kind, u.venueId, ...quotaBinds(u, quota));
  let won = false;
  try {
    const [write] = await db.batch([
      swap,
      venueEventIfChanged(db, u.venueId, `uploaded-${u.kind}`, u.actorId, now),
      db
        .prepare(
          `UPDATE venues SET updated_at = ? WHERE id = ? AND ${EDITABLE_ROW} AND changes() = 1`,
        )
        .bind(now, u.venueId),
    ]);
    won = (write?.meta.changes ?? 0) === 1;
  } finally {
    // Lost, refused or failed: this upload's object is nobody's; it goes now.
    if (!won) await env.DOCUMENTS.delete(stored.objectKey);
  }
  if (!won) throw await whyNotWritten(db, u, quota);
  // The upload is saved; tidying after it must not turn its answer into an error. An object
  // left here (storage failing just now) is older than the grace period at the next sweep.
  try {
    if (previous) await env.DOCUMENTS.delete(previous.objectKey);
    await sweepStray(env, u.venueId, u.kind, stored.objectKey, now);
  } catch {
    console.error("document storage: a replaced object was not deleted; the next upload sweeps it");
  }
  return { sha256: stored.sha256 };
}

/** Which guard stopped the write, read after the fact for the answer only. */
async function whyNotWritten(db: D1Database, u: Upload, quota: Quota): Promise<ProblemError> {
  const venue = await db
    .prepare(`SELECT ${EDITABLE_ROW} AS editable FROM venues WHERE id = ?`)
    .bind(u.venueId)
    .first<{ editable: number }>();
  if (venue?.editable !== 1) {
    return new ProblemError("wrong-state", "The application was submitted meanwhile.");
  }
  if (overQuota(await usage(db, u), u.bytes.length, quota)) return quotaProblem(quota);
  return new ProblemError(
    "wrong-state",
    "Another upload of this document finished at the same moment; reload the application to see which one is kept.",
  );
}

/**
 * Objects of this document that no row names and that are older than the grace period: left
 * by a worker that stopped between writing an object and answering. Bounded per call.
 */
export async function sweepStray(
  env: Env,
  venueId: string,
  kind: DocumentKind,
  keep: string,
  now: number,
): Promise<number> {
  const listed = await env.DOCUMENTS.list({
    prefix: `venues/${venueId}/${kind}/`,
    limit: SWEEP_BATCH,
  });
  const current = await env.DB.prepare(
    "SELECT object_key AS objectKey FROM venue_documents WHERE venue_id = ? AND kind = ?",
  )
    .bind(venueId, kind)
    .first<{ objectKey: string }>();
  const stray = listed.objects
    .filter((o) => o.key !== keep && o.key !== current?.objectKey)
    .filter((o) => o.uploaded.getTime() / 1000 < now - SWEEP_GRACE_SECONDS)
    .map((o) => o.key);
  if (stray.length > 0) await env.DOCUMENTS.delete(stray);
  return stray.length;
}

/** Where an application's document of one kind is kept, and its media type. */
export async function storedDocument(
  db: D1Database,
  venueId: string,
  kind: string,
): Promise<{ objectKey: string; mediaType: string } | null> {
  return db
    .prepare(
      "SELECT object_key AS objectKey, media_type AS mediaType FROM venue_documents WHERE venue_id = ? AND kind = ?",
    )
    .bind(venueId, kind)
    .first<{ objectKey: string; mediaType: string }>();
}
