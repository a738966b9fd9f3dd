/**
 * A venue operator's applications (all signed by the operator's device):
 *
 *   POST /api/applications                     start one (status "draft")
 *   GET  /api/applications                     the operator's venues, any status
 *   GET  /api/applications/:id                 one, with contact, documents and its history
 *   PUT  /api/applications/:id                 edit (draft or rejected only)
 *   PUT  /api/applications/:id/documents/:kind upload the licence or floor plan (raw body); one
 *                                              object per document whatever runs at once, within
 *                                              the operator's quota (venues/document-store.ts)
 *   GET  /api/applications/:id/documents/:kind download it again (also registry staff)
 *   POST /api/applications/:id/submit          send it to the registry (needs both documents
 *                                              and the licence number; refused when that
 *                                              number already holds a registration)
 *
 * Each step is written in one batch with its venue_events row: who and when. Requests and
 * answers are those of `@lintel/contract`'s `applicationRoutes`.
 */
import { applicationRoutes as contract } from "@lintel/contract";
import { Hono } from "hono";
import { newId } from "../accounts/ids.ts";
import { loadDeployment } from "../config/deployment.ts";
import type { AppBindings, Env } from "../env.ts";
import { principalOf, signedBy } from "../middleware/auth/index.ts";
import { reply, validated } from "../middleware/contract/index.ts";
import { ProblemError } from "../problems/problem.ts";
import { requireStatus, venueFor } from "../venues/access.ts";
import type { ApplicationInput } from "../venues/application-schema.ts";
import {
  applicationsOf,
  applicationView,
  createApplication,
  documentsOf,
  saveApplication,
  submitApplication,
} from "../venues/application-store.ts";
import { checkNamesFitPosters } from "../venues/codes.ts";
import { saveDocument, storedDocument } from "../venues/document-store.ts";
import {
  checkDocumentType,
  DOCUMENT_KINDS,
  documentExtension,
  MAX_DOCUMENT_BYTES,
  readDocument,
} from "../venues/documents.ts";
import { licenceTaken } from "../venues/match-store.ts";

const EDITABLE = ["draft", "rejected"] as const;

/** The application's names must fit every entrance's poster code (PROTOCOL.md §3.3). */
function checkPosterNames(env: Env, url: string, venueId: string, input: ApplicationInput): void {
  checkNamesFitPosters(
    env,
    new URL(url).origin,
    {
      id: venueId,
      nameEn: input.name.en,
      nameZh: input.name.zh,
      category: input.category,
      askIdNumber: false,
    },
    // A new entrance's id is made on saving; one of the same form stands in for it.
    input.entrances.map((e) => ({
      id: e.id ?? newId("e"),
      labelEn: e.label.en,
      labelZh: e.label.zh,
    })),
  );
}

export const applicationRoutes = new Hono<AppBindings>()
  .post("/", signedBy(["operator"]), validated(contract.createApplication), async (c) => {
    const p = principalOf(c);
    const input = c.req.valid("json");
    const db = c.env.DB;
    const venueId = newId("v");
    checkPosterNames(c.env, c.req.url, venueId, input);
    const now = Math.floor(Date.now() / 1000);
    await createApplication(c.env, venueId, input, p.accountId, now);
    const venue = await venueFor(db, p, venueId);
    return reply(c, contract.createApplication, 201, await applicationView(c.env, venue));
  })
  .get("/", signedBy(["operator"]), validated(contract.listApplications), async (c) => {
    const p = principalOf(c);
    const results = await applicationsOf(c.env.DB, p.accountId);
    return reply(c, contract.listApplications, 200, {
      applications: results.map((v) => ({
        id: v.id,
        name: { en: v.nameEn, zh: v.nameZh },
        status: v.status,
        feedback: v.feedback,
        updatedAt: v.updatedAt,
      })),
    });
  })
  .get(
    "/:id",
    signedBy(["operator", "registry"]),
    validated(contract.getApplication),
    async (c) => {
      const venue = await venueFor(c.env.DB, principalOf(c), c.req.valid("param").id);
      c.header("cache-control", "no-store");
      return reply(c, contract.getApplication, 200, await applicationView(c.env, venue));
    },
  )
  .put("/:id", signedBy(["operator"]), validated(contract.updateApplication), async (c) => {
    const p = principalOf(c);
    const db = c.env.DB;
    const venue = await venueFor(db, p, c.req.valid("param").id);
    requireStatus(venue, ...EDITABLE);
    const input = c.req.valid("json");
    checkPosterNames(c.env, c.req.url, venue.id, input);
    const now = Math.floor(Date.now() / 1000);
    if (!(await saveApplication(c.env, venue.id, input, p.accountId, now))) {
      throw new ProblemError("wrong-state", "The application was submitted meanwhile; reload it.");
    }
    const saved = await applicationView(c.env, await venueFor(db, p, venue.id));
    return reply(c, contract.updateApplication, 200, saved);
  })
  .put(
    "/:id/documents/:kind",
    signedBy(["operator"], { maxBodyBytes: MAX_DOCUMENT_BYTES }),
    validated(contract.uploadDocument),
    async (c) => {
      const p = principalOf(c);
      const db = c.env.DB;
      const { id, kind } = c.req.valid("param");
      const venue = await venueFor(db, p, id);
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
      return reply(c, contract.uploadDocument, 201, {
        kind,
        mediaType,
        size: bytes.length,
        sha256: stored.sha256,
      });
    },
  )
  .get(
    "/:id/documents/:kind",
    signedBy(["operator", "registry"]),
    validated(contract.getDocument),
    async (c) => {
      const db = c.env.DB;
      const { id, kind } = c.req.valid("param");
      const venue = await venueFor(db, principalOf(c), id);
      const row = await storedDocument(db, venue.id, kind);
      if (!row) throw new ProblemError("not-found", "This document was not uploaded.");
      const bytes = await readDocument(c.env, venue.id, kind, row.objectKey);
      return new Response(bytes, {
        headers: {
          "content-type": row.mediaType,
          "content-disposition": `attachment; filename="${kind}.${documentExtension(row.mediaType)}"`,
          "cache-control": "no-store",
        },
      });
    },
  )
  .post("/:id/submit", signedBy(["operator"]), validated(contract.submitApplication), async (c) => {
    const p = principalOf(c);
    const db = c.env.DB;
    const venue = await venueFor(db, p, c.req.valid("param").id);
    requireStatus(venue, ...EDITABLE);
    const have = new Set((await documentsOf(db, venue.id)).map((d) => d.kind));
    const missing: string[] = DOCUMENT_KINDS.filter((k) => !have.has(k));
    if (venue.licenceSealed === null) missing.unshift("licence-number");
    if (missing.length > 0) {
      throw new ProblemError("application-incomplete", `Give: ${missing.join(", ")}.`, {
        missing,
      });
    }
    const now = Math.floor(Date.now() / 1000);
    if (!(await submitApplication(db, venue.id, p.accountId, now))) {
      // The statement refuses a licence number another venue is registered with; say so without
      // naming that venue, its operator or anything of theirs.
      if (await licenceTaken(db, venue.id)) {
        throw new ProblemError(
          "licence-registered",
          "This licence number is already registered; contact the registry.",
        );
      }
      throw new ProblemError("wrong-state", "The application changed meanwhile; reload it.");
    }
    const submitted = await applicationView(c.env, await venueFor(db, p, venue.id));
    return reply(c, contract.submitApplication, 200, submitted);
  });
