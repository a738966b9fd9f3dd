/**
 * The public's reports about a venue, for its operator:
 *
 *   GET  /api/venues/:id/reports               the venue's reports, merged ones counted in theirs
 *                                              (its operator, registry)
 *   POST /api/venues/:id/reports/:rid/answer   {answer}: the operator's, once; the registry
 *                                              reads it, the reporter learns the venue answered
 *
 * Each route is signed on its own: this app shares the /api/venues prefix with others.
 */
import { venueReportRoutes as routes } from "@lintel/contract";
import { Hono } from "hono";
import type { AppBindings } from "../env.ts";
import { principalOf, signedBy } from "../middleware/auth/index.ts";
import { reply, validated } from "../middleware/contract/index.ts";
import { ProblemError } from "../problems/problem.ts";
import { venueFor } from "../venues/access.ts";
import {
  answerReport,
  reportsOfVenue,
  type VenueReportRow,
  venueReport,
} from "../venues/report-store.ts";

function reportView(r: VenueReportRow) {
  return {
    id: r.id,
    entrance:
      r.entranceId === null
        ? null
        : { id: r.entranceId, label: { en: r.labelEn ?? "", zh: r.labelZh ?? "" } },
    kind: r.kind,
    status: r.status,
    reportedHour: r.reportedHour,
    count: r.count,
    operatorAnswer: r.operatorAnswer,
  };
}

export const venueReportRoutes = new Hono<AppBindings>()
  .get(
    "/:id/reports",
    signedBy(["operator", "registry"]),
    validated(routes.venueReports),
    async (c) => {
      const venue = await venueFor(c.env.DB, principalOf(c), c.req.valid("param").id);
      c.header("cache-control", "no-store");
      const rows = await reportsOfVenue(c.env.DB, venue.id);
      return reply(c, routes.venueReports, 200, { reports: rows.map(reportView) });
    },
  )
  .post(
    "/:id/reports/:rid/answer",
    signedBy(["operator"]),
    validated(routes.answerReport),
    async (c) => {
      const db = c.env.DB;
      const { id, rid } = c.req.valid("param");
      const venue = await venueFor(db, principalOf(c), id);
      if (!(await venueReport(db, venue.id, rid))) {
        throw new ProblemError("not-found", "No such report about this venue.");
      }
      const at = Math.floor(Date.now() / 1000);
      if (!(await answerReport(db, venue.id, rid, c.req.valid("json").answer, at))) {
        throw new ProblemError("wrong-state", "This report was answered already.");
      }
      const answered = await venueReport(db, venue.id, rid);
      return reply(c, routes.answerReport, 200, reportView(answered!));
    },
  );
