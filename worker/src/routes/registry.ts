/**
 * Registry staff's work (every call signed by a registry device):
 *
 *   GET  /api/registry/applications?status=submitted   the review queue (any status may be asked;
 *                                                      &amendment=pending: only venues whose
 *                                                      entrance change awaits a decision)
 *   GET  /api/registry/applications/:id/matches        possible duplicates: other venues with
 *                                                      its licence number or its address
 *   POST /api/registry/applications/:id/approve        issue one signed code per entrance, and
 *                                                      log each entrance's issuance; refused when
 *                                                      its licence number holds a registration
 *   POST /api/registry/applications/:id/reject         {feedback}: back to the operator
 *   GET  /api/registry/reports?status=open             the public reports inbox
 *   PATCH /api/registry/reports/:id                    {status}: open → in-review → closed
 *   GET  /api/registry/venues.csv                      every venue, for spreadsheets
 *
 * Each call is limited to the reviewer's scope (districts and sectors, venues/scope.ts): the lists
 * show only venues in it, and one venue outside it is refused as missing (venues/access.ts).
 *
 * Approval and rejection are guarded status changes: two reviewers acting at once cannot both
 * succeed, and a lost race writes nothing.
 */
import { registryRoutes as routes } from "@lintel/contract";
import { Hono } from "hono";
import { loadDeployment } from "../config/deployment.ts";
import { isUniqueViolation } from "../db/d1.ts";
import type { AppBindings } from "../env.ts";
import { appendToLog } from "../log/append.ts";
import { principalOf, signedBy } from "../middleware/auth/index.ts";
import { reply, validated } from "../middleware/contract/index.ts";
import { ProblemError } from "../problems/problem.ts";
import { mayAct, requireStatus, venueFor } from "../venues/access.ts";
import { applicationView, entrancesOf } from "../venues/application-store.ts";
import { codeVenue, entranceIssuedEntries, issueEntranceCode } from "../venues/codes.ts";
import { csvDocument } from "../venues/csv.ts";
import { venueMatches } from "../venues/match-store.ts";
import { districtOf, sectorOf } from "../venues/scope.ts";
import {
  allVenues,
  approveVenue,
  rejectVenue,
  reportsInStatus,
  reportVenueId,
  setReportStatus,
  undoApproval,
  venueById,
  venuesInStatus,
} from "../venues/store.ts";

export const registryRoutes = new Hono<AppBindings>()
  .use(signedBy(["registry"]))
  .get("/applications", validated(routes.reviewQueue), async (c) => {
    const deployment = loadDeployment(c.env.LINTEL_DEPLOYMENT);
    const { status, amendment } = c.req.valid("query");
    const results = await venuesInStatus(c.env.DB, status, principalOf(c).venues, {
      amendmentPending: amendment === "pending",
    });
    c.header("cache-control", "no-store");
    return reply(c, routes.reviewQueue, 200, {
      applications: results.map((v) => ({
        id: v.id,
        name: { en: v.nameEn, zh: v.nameZh },
        category: v.category,
        district: districtOf(deployment, v.district),
        sector: sectorOf(v.category),
        status: v.status,
        updatedAt: v.updatedAt,
        entrances: v.entrances,
        possibleDuplicates: v.possibleDuplicates,
        amendmentPending: v.amendmentPending,
      })),
    });
  })
  .get("/applications/:id/matches", validated(routes.applicationMatches), async (c) => {
    const p = principalOf(c);
    const venue = await venueFor(c.env.DB, p, c.req.valid("param").id);
    const matches = await venueMatches(c.env.DB, venue.id, p.venues);
    c.header("cache-control", "no-store");
    return reply(c, routes.applicationMatches, 200, {
      matches: matches.map((m) => ({
        id: m.id,
        name: { en: m.nameEn, zh: m.nameZh },
        status: m.status,
        keys: m.keys,
      })),
    });
  })
  .post("/applications/:id/approve", validated(routes.approveApplication), async (c) => {
    const p = principalOf(c);
    const db = c.env.DB;
    const venue = await venueFor(db, p, c.req.valid("param").id);
    requireStatus(venue, "submitted");
    const now = new Date();
    const at = Math.floor(now.getTime() / 1000);
    const origin = new URL(c.req.url).origin;
    const doors = await entrancesOf(db, venue.id);
    // Every code is signed and size-checked before anything is written.
    const codes = doors.map((e) => issueEntranceCode(c.env, origin, codeVenue(venue), e, 1, now));
    // One registration per venue: the database's unique index refuses a second approved venue
    // with this licence number, and the whole batch with it.
    const { won, issued } = await approveVenue(db, venue.id, codes, p.accountId, at).catch(
      (e: unknown) => {
        if (!isUniqueViolation(e)) throw e;
        throw new ProblemError(
          "licence-registered",
          "A venue with this licence number is already registered: see the application's possible duplicates.",
        );
      },
    );
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
    const decided = await applicationView(c.env, await venueFor(db, p, venue.id));
    return reply(c, routes.approveApplication, 200, decided);
  })
  .post("/applications/:id/reject", validated(routes.rejectApplication), async (c) => {
    const p = principalOf(c);
    const db = c.env.DB;
    const venue = await venueFor(db, p, c.req.valid("param").id);
    requireStatus(venue, "submitted");
    const { feedback } = c.req.valid("json");
    const at = Math.floor(Date.now() / 1000);
    if (!(await rejectVenue(db, venue.id, feedback, p.accountId, at))) {
      throw new ProblemError("wrong-state", "Another reviewer decided on this application first.");
    }
    const decided = await applicationView(c.env, await venueFor(db, p, venue.id));
    return reply(c, routes.rejectApplication, 200, decided);
  })
  .get("/reports", validated(routes.listReports), async (c) => {
    const results = await reportsInStatus(
      c.env.DB,
      c.req.valid("query").status,
      principalOf(c).venues,
    );
    c.header("cache-control", "no-store");
    return reply(c, routes.listReports, 200, {
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
        count: r.count,
        note: r.note,
        operatorAnswer: r.operatorAnswer,
      })),
    });
  })
  .patch("/reports/:id", validated(routes.updateReport), async (c) => {
    const p = principalOf(c);
    const { id } = c.req.valid("param");
    const { status, note } = c.req.valid("json");
    const at = Math.floor(Date.now() / 1000);
    // A report about a venue outside the reviewer's scope is as missing as one never made.
    const venueId = await reportVenueId(c.env.DB, id);
    const venue = venueId === null ? null : await venueById(c.env.DB, venueId);
    if (
      !venue ||
      !mayAct(p, venue) ||
      !(await setReportStatus(c.env.DB, id, status, note, p.accountId, at))
    )
      throw new ProblemError("not-found", "No such report.");
    return reply(c, routes.updateReport, 200, { id, status });
  })
  .get("/venues.csv", async (c) => {
    const deployment = loadDeployment(c.env.LINTEL_DEPLOYMENT);
    const results = await allVenues(c.env.DB, principalOf(c).venues);
    const csv = csvDocument(
      [
        "id",
        "name_en",
        "name_zh",
        "address",
        "category",
        "district",
        "status",
        "entrances",
        "updated_at",
      ],
      results.map((r) => [
        r.id,
        r.nameEn,
        r.nameZh,
        r.address,
        r.category,
        districtOf(deployment, r.district),
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
