/**
 * A venue operator's applications (all signed by the operator's device):
 *
 *   POST /api/applications                     start one (status "draft")
 *   GET  /api/applications                     the operator's venues, any status
 *   GET  /api/applications/:id                 one, with contact, documents and its history
 *   PUT  /api/applications/:id                 edit (draft or rejected only)
 *   PUT  /api/applications/:id/documents/:kind upload the licence or floor plan (raw body); one
 *                                              object per document whatever runs at once, within
 *                                              the operator's quota (venues/document-upload.ts)
 *   GET  /api/applications/:id/documents/:kind download it again (also registry staff)
 *   POST /api/applications/:id/submit          send it to the registry (needs both documents)
 *
 * Each step is written in one batch with its venue_events row: who and when.
 */
import { Hono } from "hono";
import { newId } from "../accounts/ids.ts";
import { loadDeployment } from "../config/deployment.ts";
import type { AppBindings } from "../env.ts";
import { principalOf, signedBy } from "../middleware/auth/index.ts";
import { readJsonBody } from "../middleware/json-body/index.ts";
import { ProblemError } from "../problems/problem.ts";
import { requireStatus, venueEvent, venueEventIfChanged, venueFor } from "../venues/access.ts";
import { applicationSchema } from "../venues/application-schema.ts";
import {
  applicationView,
  applicationWrites,
  documentsOf,
  entrancesOf,
} from "../venues/application-store.ts";
import { saveDocument } from "../venues/document-upload.ts";
import {
  checkDocumentType,
  DOCUMENT_KINDS,
  documentExtension,
  isDocumentKind,
  MAX_DOCUMENT_BYTES,
  readDocument,
} from "../venues/documents.ts";

const EDITABLE = ["draft", "rejected"] as const;

function documentKind(kind: string) {
  if (!isDocumentKind(kind)) throw new ProblemError("not-found", "No such document kind.");
  return kind;
}

export const applicationRoutes = new Hono<AppBindings>()
  .post("/", signedBy(["operator"]), async (c) => {
    const p = principalOf(c);
    const input = await readJsonBody(c, applicationSchema);
    const db = c.env.DB;
    const venueId = newId("v");
    const now = Math.floor(Date.now() / 1000);
    const writes = await applicationWrites(c.env, venueId, input, [], now);
    await db.batch([
      db
        .prepare(
          `INSERT INTO venues (id, name_en, name_zh, category, status, operator_id, created_at, updated_at)
           VALUES (?, '', '', ?, 'draft', ?, ?, ?)`,
        )
        .bind(venueId, input.category, p.accountId, now, now),
      ...writes,
      venueEvent(db, venueId, "created", p.accountId, now),
    ]);
    const venue = await venueFor(db, p, venueId);
    return c.json(await applicationView(c.env, venue), 201);
  })
  .get("/", signedBy(["operator"]), async (c) => {
    const p = principalOf(c);
    const { results } = await c.env.DB.prepare(
      `SELECT id, name_en AS nameEn, name_zh AS nameZh, status, feedback, updated_at AS updatedAt
         FROM venues WHERE operator_id = ? ORDER BY created_at DESC, id`,
    )
      .bind(p.accountId)
      .all<{
        id: string;
        nameEn: string;
        nameZh: string;
        status: string;
        feedback: string | null;
        updatedAt: number;
      }>();
    return c.json({
      applications: results.map((v) => ({
        id: v.id,
        name: { en: v.nameEn, zh: v.nameZh },
        status: v.status,
        feedback: v.feedback,
        updatedAt: v.updatedAt,
      })),
    });
  })
  .get("/:id", signedBy(["operator", "registry"]), async (c) => {
    const venue = await venueFor(c.env.DB, principalOf(c), c.req.param("id"));
    c.header("cache-control", "no-store");
    return c.json(await applicationView(c.env, venue));
  })
  .put("/:id", signedBy(["operator"]), async (c) => {
    const p = principalOf(c);
    const db = c.env.DB;
    const venue = await venueFor(db, p, c.req.param("id"));
    requireStatus(venue, ...EDITABLE);
    const input = await readJsonBody(c, applicationSchema);
    const now = Math.floor(Date.now() / 1000);
    const writes = await applicationWrites(
      c.env,
      venue.id,
      input,
      await entrancesOf(db, venue.id),
      now,
    );
    // The venue row's guarded update comes first; the event only if it changed a row.
    const [venueUpdate, ...entranceWrites] = writes;
    const [update] = await db.batch([
      venueUpdate!,
      venueEventIfChanged(db, venue.id, "edited", p.accountId, now),
      ...entranceWrites,
    ]);
    if ((update?.meta.changes ?? 0) !== 1) {
      throw new ProblemError("wrong-state", "The application was submitted meanwhile; reload it.");
    }
    return c.json(await applicationView(c.env, await venueFor(db, p, venue.id)));
  })
  .put(
    "/:id/documents/:kind",
    signedBy(["operator"], { maxBodyBytes: MAX_DOCUMENT_BYTES }),
    async (c) => {
      const p = principalOf(c);
      const db = c.env.DB;
      const kind = documentKind(c.req.param("kind"));
      const venue = await venueFor(db, p, c.req.param("id"));
      requireStatus(venue, ...EDITABLE);
      const bytes = c.get("body");
      const mediaType = checkDocumentType(c.req.header("content-type"), bytes);
      const stored = await saveDocument(
        c.env,
        {
          venueId: venue.id,
          operatorId: p.accountId,
          actorId: p.accountId,
          kind,
          mediaType,
          bytes,
        },
        loadDeployment(c.env.LINTEL_DEPLOYMENT).documents,
      );
      return c.json({ kind, mediaType, size: bytes.length, sha256: stored.sha256 }, 201);
    },
  )
  .get("/:id/documents/:kind", signedBy(["operator", "registry"]), async (c) => {
    const db = c.env.DB;
    const kind = documentKind(c.req.param("kind"));
    const venue = await venueFor(db, principalOf(c), c.req.param("id"));
    const row = await db
      .prepare(
        "SELECT object_key AS objectKey, media_type AS mediaType FROM venue_documents WHERE venue_id = ? AND kind = ?",
      )
      .bind(venue.id, kind)
      .first<{ objectKey: string; mediaType: string }>();
    if (!row) throw new ProblemError("not-found", "This document was not uploaded.");
    const bytes = await readDocument(c.env, venue.id, kind, row.objectKey);
    return new Response(bytes, {
      headers: {
        "content-type": row.mediaType,
        "content-disposition": `attachment; filename="${kind}.${documentExtension(row.mediaType)}"`,
        "cache-control": "no-store",
      },
    });
  })
  .post("/:id/submit", signedBy(["operator"]), async (c) => {
    const p = principalOf(c);
    const db = c.env.DB;
    const venue = await venueFor(db, p, c.req.param("id"));
    requireStatus(venue, ...EDITABLE);
    const have = new Set((await documentsOf(db, venue.id)).map((d) => d.kind));
    const missing = DOCUMENT_KINDS.filter((k) => !have.has(k));
    if (missing.length > 0) {
      throw new ProblemError("application-incomplete", `Upload: ${missing.join(", ")}.`, {
        missing,
      });
    }
    const now = Math.floor(Date.now() / 1000);
    const [update] = await db.batch([
      db
        .prepare(
          "UPDATE venues SET status = 'submitted', updated_at = ? WHERE id = ? AND status IN ('draft', 'rejected')",
        )
        .bind(now, venue.id),
      venueEventIfChanged(db, venue.id, "submitted", p.accountId, now),
    ]);
    if ((update?.meta.changes ?? 0) !== 1) {
      throw new ProblemError("wrong-state", "The application changed meanwhile; reload it.");
    }
    return c.json(await applicationView(c.env, await venueFor(db, p, venue.id)));
  });
