/**
 * Inspections in D1 and their photos in R2 (migrations/0013). A photo is sealed at rest under a
 * context naming its venue, inspection and number, like application documents, so an object
 * copied to another inspection does not open. A photo's number is claimed in D1 after its object
 * is written; the loser of two uploads at once deletes its own object.
 */
import type { INSPECTION_RESULTS } from "@lintel/contract";
import { openAtRest, sealAtRest } from "../crypto/at-rest.ts";
import { isUniqueViolation } from "../db/d1.ts";
import type { Env } from "../env.ts";
import { ProblemError } from "../problems/problem.ts";
import { venueEvent } from "./store.ts";

export type InspectionResult = (typeof INSPECTION_RESULTS)[number];

export interface InspectionRow {
  readonly id: string;
  readonly venueId: string;
  readonly inspectedOn: string;
  readonly result: InspectionResult;
  readonly findings: string;
  readonly recordedAt: number;
  readonly recordedBy: string;
}

export interface PhotoRow {
  readonly inspectionId: string;
  readonly n: number;
  readonly objectKey: string;
  readonly mediaType: string;
  readonly size: number;
}

const COLUMNS = `i.id, i.venue_id AS venueId, i.inspected_on AS inspectedOn, i.result, i.findings,
  i.recorded_at AS recordedAt, COALESCE(a.label, '') AS recordedBy`;
const FROM = "FROM inspections i LEFT JOIN accounts a ON a.id = i.recorded_by";

export async function recordInspection(
  db: D1Database,
  row: Omit<InspectionRow, "recordedBy" | "recordedAt">,
  actorId: string,
  at: number,
): Promise<void> {
  await db.batch([
    db
      .prepare(
        `INSERT INTO inspections (id, venue_id, inspected_on, result, findings, recorded_by, recorded_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .bind(row.id, row.venueId, row.inspectedOn, row.result, row.findings, actorId, at),
    venueEvent(db, row.venueId, "inspected", actorId, at, `${row.inspectedOn} ${row.result}`),
  ]);
}

export async function inspectionsOf(db: D1Database, venueId: string): Promise<InspectionRow[]> {
  const { results } = await db
    .prepare(
      `SELECT ${COLUMNS} ${FROM} WHERE i.venue_id = ?
        ORDER BY i.inspected_on DESC, i.recorded_at DESC, i.rowid DESC LIMIT 200`,
    )
    .bind(venueId)
    .all<InspectionRow>();
  return results;
}

export async function inspectionById(
  db: D1Database,
  venueId: string,
  id: string,
): Promise<InspectionRow | null> {
  return db
    .prepare(`SELECT ${COLUMNS} ${FROM} WHERE i.id = ? AND i.venue_id = ?`)
    .bind(id, venueId)
    .first<InspectionRow>();
}

/** Every photo of these inspections, by inspection then number. */
export async function photosOf(
  db: D1Database,
  inspectionIds: readonly string[],
): Promise<PhotoRow[]> {
  if (inspectionIds.length === 0) return [];
  const { results } = await db
    .prepare(
      `SELECT inspection_id AS inspectionId, n, object_key AS objectKey, media_type AS mediaType, size
         FROM inspection_photos WHERE inspection_id IN (${inspectionIds.map(() => "?").join(", ")})
        ORDER BY inspection_id, n`,
    )
    .bind(...inspectionIds)
    .all<PhotoRow>();
  return results;
}

const photoContext = (venueId: string, inspectionId: string, n: number) =>
  `inspection-photo:${venueId}:${inspectionId}:${n}`;

/**
 * Stores a photo as the inspection's next, at most `max`; false when the inspection has them
 * all. Two uploads at once: one gets the number, the other tries the next.
 */
export async function addPhoto(
  env: Env,
  inspection: InspectionRow,
  photo: { readonly mediaType: string; readonly bytes: Uint8Array },
  max: number,
): Promise<boolean> {
  for (let attempt = 0; attempt < max; attempt++) {
    // The count is checked by the insert itself, not here: a check here would pass for every
    // upload that reads the table before the others write.
    const taken = await photosOf(env.DB, [inspection.id]);
    const n = Math.max(0, ...taken.map((p) => p.n)) + 1;
    const objectKey = `inspections/${inspection.venueId}/${inspection.id}/${crypto.randomUUID()}`;
    const sealed = await sealAtRest(
      env,
      photoContext(inspection.venueId, inspection.id, n),
      photo.bytes,
    );
    await env.DOCUMENTS.put(objectKey, sealed);
    let changes: number;
    try {
      const r = await env.DB.prepare(
        `INSERT INTO inspection_photos (inspection_id, n, object_key, media_type, size)
         SELECT ?1, ?2, ?3, ?4, ?5
          WHERE (SELECT COUNT(*) FROM inspection_photos WHERE inspection_id = ?1) < ?6`,
      )
        .bind(inspection.id, n, objectKey, photo.mediaType, photo.bytes.length, max)
        .run();
      changes = r.meta.changes;
    } catch (e) {
      await env.DOCUMENTS.delete(objectKey);
      if (isUniqueViolation(e)) continue;
      throw e;
    }
    if (changes === 1) return true;
    await env.DOCUMENTS.delete(objectKey);
    return false;
  }
  return false;
}

export async function readPhoto(
  env: Env,
  inspection: InspectionRow,
  n: number,
): Promise<PhotoRow & { bytes: Uint8Array }> {
  const row = (await photosOf(env.DB, [inspection.id])).find((p) => p.n === n);
  if (!row) throw new ProblemError("not-found", "This inspection has no such photo.");
  const object = await env.DOCUMENTS.get(row.objectKey);
  if (!object) throw new ProblemError("not-found", "The photo is missing from storage.");
  const bytes = await openAtRest(
    env,
    photoContext(inspection.venueId, inspection.id, n),
    new Uint8Array(await object.arrayBuffer()),
  );
  return { ...row, bytes };
}
