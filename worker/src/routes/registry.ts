/**
 * Registry staff's work (every call signed by a registry device):
 *
 *   GET  /api/registry/applications?status=submitted   the review queue (any status may be asked)
 *   POST /api/registry/applications/:id/approve        issue one signed code per entrance, and
 *                                                      log each entrance's issuance
 *   POST /api/registry/applications/:id/reject         {feedback}: back to the operator
 *   GET  /api/registry/reports?status=open             the public reports inbox
 *   PATCH /api/registry/reports/:id                    {status}: open → in-review → closed
 *   GET  /api/registry/venues.csv                      every venue, for spreadsheets
 *
 * Approval and rejection are guarded status changes: two reviewers acting at once cannot both
 * succeed, and a lost race writes nothing.
 */
import { Hono } from "hono";
import * as z from "zod";
import type { AppBindings } from "../env.ts";
import { appendToLog } from "../log/append.ts";
import { principalOf, signedBy } from "../middleware/auth/index.ts";
import { readJsonBody } from "../middleware/json-body/index.ts";
import { ProblemError } from "../problems/problem.ts";
import { requireStatus, venueFor } from "../venues/access.ts";
import { plainText } from "../venues/application-schema.ts";
import { applicationView, entrancesOf } from "../venues/application-store.ts";
import { entranceIssuedEntries, issueEntranceCode } from "../venues/codes.ts";
import { csvDocument } from "../venues/csv.ts";
import {
  allVenues,
  approveVenue,
  rejectVenue,
  reportsInStatus,
  setReportStatus,
  undoApproval,
  venuesInStatus,
} from "../venues/store.ts";

const STATUSES = ["draft", "submitted", "rejected", "approved", "suspended"] as const;
const REPORT_STATUSES = ["open", "in-review", "closed"] as const;

const rejectSchema = z.strictObject({
  feedback: plainText(2000, "feedback", { multiline: true }),
});
const reportUpdateSchema = z.strictObject({ status: z.enum(REPORT_STATUSES) });

export const registryRoutes = new Hono<AppBindings>()
  .use(signedBy(["registry"]))
  .get("/applications", async (c) => {
    const status = z.enum(STATUSES).safeParse(c.req.query("status") ?? "submitted");
    if (!status.success) throw new ProblemError("not-found", "No such status.");
    const results = await venuesInStatus(c.env.DB, status.data);
    c.header("cache-control", "no-store");
    return c.json({
      applications: results.map((v) => ({
        id: v.id,
        name: { en: v.nameEn, zh: v.nameZh },
        category: v.category,
        status: v.status,
        updatedAt: v.updatedAt,
        entrances: v.entrances,
      })),
    });
  })
  .post("/applications/:id/approve", async (c) => {
    const p = principalOf(c);
    const db = c.env.DB;
    const venue = await venueFor(db, p, c.req.param("id"));
    requireStatus(venue, "submitted");
    const now = new Date();
    const at = Math.floor(now.getTime() / 1000);
    const origin = new URL(c.req.url).origin;
    const doors = await entrancesOf(db, venue.id);
    // Every code is signed and size-checked before anything is written.
    const codes = doors.map((e) =>
      issueEntranceCode(
        c.env,
        origin,
        {
          id: venue.id,
          nameZh: venue.nameZh,
          category: venue.category,
          askIdNumber: venue.askIdNumber === 1,
        },
        e,
        1,
        now,
      ),
    );
    const { won, issued } = await approveVenue(db, venue.id, codes, p.accountId, at);
    if (!won) {
      throw new ProblemError("wrong-state", "Another reviewer decided on this application first.");
    }
    // The log learns of every entrance issued now (queries may name only those); if it cannot
    // take them, the approval is undone, so no entrance takes check-ins the log cannot query.
    try {
      if (issued.length > 0) {
        await appendToLog(
          c.env,
          entranceIssuedEntries(
            c.env,
            venue.id,
            issued.map((code) => code.entranceId),
            at,
          ),
        );
      }
    } catch (e) {
      await undoApproval(db, venue.id, issued, p.accountId, at);
      throw e;
    }
    return c.json(await applicationView(c.env, await venueFor(db, p, venue.id)));
  })
  .post("/applications/:id/reject", async (c) => {
    const p = principalOf(c);
    const db = c.env.DB;
    const venue = await venueFor(db, p, c.req.param("id"));
    requireStatus(venue, "submitted");
    const { feedback } = await readJsonBody(c, rejectSchema);
    const at = Math.floor(Date.now() / 1000);
    if (!(await rejectVenue(db, venue.id, feedback, p.accountId, at))) {
      throw new ProblemError("wrong-state", "Another reviewer decided on this application first.");
    }
    return c.json(await applicationView(c.env, await venueFor(db, p, venue.id)));
  })
  .get("/reports", async (c) => {
    const status = z.enum(REPORT_STATUSES).safeParse(c.req.query("status") ?? "open");
    if (!status.success) throw new ProblemError("not-found", "No such report status.");
    const results = await reportsInStatus(c.env.DB, status.data);
    c.header("cache-control", "no-store");
    return c.json({
      reports: results.map((r) => ({
        id: r.id,
        venue: { id: r.venueId, name: { en: r.nameEn, zh: r.nameZh } },
        entrance:
          r.entranceId === null
            ? null
            : { id: r.entranceId, label: { en: r.labelEn ?? "", zh: r.labelZh ?? "" } },
        kind: r.kind,
        status: r.status,
        reportedHour: r.reportedHour,
        handledAt: r.handledAt,
        handledBy: r.handledBy,
      })),
    });
  })
  .patch("/reports/:id", async (c) => {
    const p = principalOf(c);
    const { status } = await readJsonBody(c, reportUpdateSchema);
    const at = Math.floor(Date.now() / 1000);
    if (!(await setReportStatus(c.env.DB, c.req.param("id"), status, p.accountId, at)))
      throw new ProblemError("not-found", "No such report.");
    return c.json({ id: c.req.param("id"), status });
  })
  .get("/venues.csv", async (c) => {
    const results = await allVenues(c.env.DB);
    const csv = csvDocument(
      ["id", "name_en", "name_zh", "address", "category", "status", "entrances", "updated_at"],
      results.map((r) => [
        r.id,
        r.nameEn,
        r.nameZh,
        r.address,
        r.category,
        r.status,
        r.entrances,
        new Date(r.updatedAt * 1000).toISOString(),
      ]),
    );
    return new Response(csv, {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": 'attachment; filename="venues.csv"',
        "cache-control": "no-store",
      },
    });
  });
