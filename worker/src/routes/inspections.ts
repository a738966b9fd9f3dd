/**
 * Inspections (抽查) and the compliance view:
 *
 *   POST /api/registry/venues/:id/inspections             {inspectedOn, result, findings}
 *   PUT  /api/registry/venues/:id/inspections/:iid/photos  a JPEG or PNG body, up to four
 *   GET  /api/venues/:id/inspections                       its operator, registry
 *   GET  /api/venues/:id/inspections/:iid/photos/:n        its operator, registry
 *   GET  /api/registry/compliance?quietDays=N              registry
 *
 * Each route is signed on its own: these apps share prefixes with others.
 */
import {
  MAX_INSPECTION_PHOTO_BYTES,
  MAX_INSPECTION_PHOTOS,
  QUIET_DAYS,
  inspectionRoutes as routes,
} from "@lintel/contract";
import { Hono } from "hono";
import { newId } from "../accounts/ids.ts";
import { loadDeployment } from "../config/deployment.ts";
import type { AppBindings, Env } from "../env.ts";
import { principalOf, signedBy } from "../middleware/auth/index.ts";
import { reply, validated } from "../middleware/contract/index.ts";
import { ProblemError } from "../problems/problem.ts";
import { requireStatus, venueFor } from "../venues/access.ts";
import { compliance } from "../venues/compliance-store.ts";
import { checkDocumentType } from "../venues/documents.ts";
import {
  addPhoto,
  type InspectionRow,
  inspectionById,
  inspectionsOf,
  photosOf,
  readPhoto,
  recordInspection,
} from "../venues/inspection-store.ts";
import { localDate } from "../venues/local-day.ts";

const registryOnly = signedBy(["registry"]);
const now = () => Math.floor(Date.now() / 1000);

async function views(env: Env, rows: readonly InspectionRow[]) {
  const photos = await photosOf(
    env.DB,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({
    ...r,
    photos: photos
      .filter((p) => p.inspectionId === r.id)
      .map((p) => ({ n: p.n, mediaType: p.mediaType, size: p.size })),
  }));
}

async function inspectionOr404(db: D1Database, venueId: string, id: string) {
  const row = await inspectionById(db, venueId, id);
  if (!row) throw new ProblemError("not-found", "No such inspection of this venue.");
  return row;
}

/** A real calendar day, from a year ago to today in the deployment's zone. */
function checkInspectionDay(day: string, env: Env): void {
  const today = localDate(loadDeployment(env.LINTEL_DEPLOYMENT).timezone, new Date());
  const parsed = new Date(`${day}T00:00:00Z`);
  const real = !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === day;
  const yearAgo = new Date(`${today}T00:00:00Z`);
  yearAgo.setUTCFullYear(yearAgo.getUTCFullYear() - 1);
  if (!real || day > today || day < yearAgo.toISOString().slice(0, 10)) {
    throw new ProblemError(
      "bad-inspection-date",
      "An inspection's day is a real date, today or in the last year.",
    );
  }
}

/** The registry's side, mounted under /api/registry. */
export const registryInspectionRoutes = new Hono<AppBindings>()
  .post("/venues/:id/inspections", registryOnly, validated(routes.recordInspection), async (c) => {
    const p = principalOf(c);
    const db = c.env.DB;
    const venue = await venueFor(db, p, c.req.valid("param").id);
    requireStatus(venue, "approved", "suspended");
    const input = c.req.valid("json");
    checkInspectionDay(input.inspectedOn, c.env);
    const id = newId("i");
    await recordInspection(db, { id, venueId: venue.id, ...input }, p.accountId, now());
    const [view] = await views(c.env, [await inspectionOr404(db, venue.id, id)]);
    return reply(c, routes.recordInspection, 201, view!);
  })
  .put(
    "/venues/:id/inspections/:iid/photos",
    signedBy(["registry"], { maxBodyBytes: MAX_INSPECTION_PHOTO_BYTES }),
    validated(routes.addInspectionPhoto),
    async (c) => {
      const db = c.env.DB;
      const { id, iid } = c.req.valid("param");
      const venue = await venueFor(db, principalOf(c), id);
      const inspection = await inspectionOr404(db, venue.id, iid);
      const bytes = c.get("body");
      const mediaType = checkDocumentType(c.req.header("content-type"), bytes);
      if (mediaType === "application/pdf") {
        throw new ProblemError("unsupported-document", "A photo is a JPEG or PNG file.");
      }
      if (!(await addPhoto(c.env, inspection, { mediaType, bytes }, MAX_INSPECTION_PHOTOS))) {
        throw new ProblemError("too-many-photos", "This inspection has four photos already.");
      }
      const [view] = await views(c.env, [inspection]);
      return reply(c, routes.addInspectionPhoto, 201, view!);
    },
  )
  .get("/compliance", registryOnly, validated(routes.compliance), async (c) => {
    const asked = c.req.valid("query").quietDays;
    const quietDays = Math.min(
      asked === undefined ? QUIET_DAYS.default : Number(asked),
      QUIET_DAYS.max,
    );
    c.header("cache-control", "no-store");
    return reply(c, routes.compliance, 200, {
      quietDays,
      ...(await compliance(c.env, quietDays, now())),
    });
  });

/** The venue's side, mounted under /api/venues. */
export const venueInspectionRoutes = new Hono<AppBindings>()
  .get(
    "/:id/inspections",
    signedBy(["operator", "registry"]),
    validated(routes.listInspections),
    async (c) => {
      const db = c.env.DB;
      const venue = await venueFor(db, principalOf(c), c.req.valid("param").id);
      c.header("cache-control", "no-store");
      return reply(c, routes.listInspections, 200, {
        inspections: await views(c.env, await inspectionsOf(db, venue.id)),
      });
    },
  )
  .get(
    "/:id/inspections/:iid/photos/:n",
    signedBy(["operator", "registry"]),
    validated(routes.inspectionPhoto),
    async (c) => {
      const db = c.env.DB;
      const { id, iid, n } = c.req.valid("param");
      const venue = await venueFor(db, principalOf(c), id);
      const inspection = await inspectionOr404(db, venue.id, iid);
      const photo = await readPhoto(c.env, inspection, Number(n));
      return new Response(photo.bytes, {
        headers: { "content-type": photo.mediaType, "cache-control": "no-store" },
      });
    },
  );
