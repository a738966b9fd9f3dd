/**
 * `POST /api/reports`: anyone can tell the registry that a venue has no code posted, a damaged
 * code, staff who do not help people without phones, or a code that looks fake. The report holds
 * no reporter identity and no free text (free text invites personal data); its time is kept to
 * the hour. Ten reports an hour per network (rate-limit/limiter.ts); the registry works through
 * them in its inbox (routes/registry.ts). An identical report not yet closed absorbs it
 * (venues/report-store.ts). The answer carries a reference, shown once, with which
 * `POST /api/reports/status` tells the reporter where the report stands, without an account.
 */
import { registryRoutes as registryContract } from "@lintel/contract";
import { Hono } from "hono";
import type { AppBindings } from "../env.ts";
import { reply, validated } from "../middleware/contract/index.ts";
import { ProblemError } from "../problems/problem.ts";
import { enforceLimit, LIMITS } from "../rate-limit/limiter.ts";
import { followReport, insertReport, newReference, referenceHash } from "../venues/report-store.ts";
import { approvedVenue, isEntranceOf } from "../venues/store.ts";

const route = registryContract.reportVenue;

export const reportRoutes = new Hono<AppBindings>()
  .post("/status", validated(registryContract.reportStatus), async (c) => {
    // Counted like reports: guessing a 160-bit reference is hopeless, but answers cost reads.
    await enforceLimit(c.env, c.req.raw, LIMITS.reports);
    const found = await followReport(c.env.DB, await referenceHash(c.req.valid("json").reference));
    if (!found) throw new ProblemError("not-found", "No report has this reference.");
    c.header("cache-control", "no-store");
    return reply(c, registryContract.reportStatus, 200, {
      kind: found.kind,
      venue: { en: found.nameEn, zh: found.nameZh },
      status: found.status,
      reportedHour: found.reportedHour,
      count: found.count,
      venueAnswered: found.answered === 1,
    });
  })
  .post("/", validated(route), async (c) => {
    const body = c.req.valid("json");
    // Counted once the body is well-formed: a flood of valid-looking reports is what would bury
    // the registry's inbox.
    await enforceLimit(c.env, c.req.raw, LIMITS.reports);
    const db = c.env.DB;
    const venue = await approvedVenue(db, body.venueId);
    if (!venue) throw new ProblemError("unknown-venue", "No approved venue has this id.");
    if (body.entranceId !== undefined && !(await isEntranceOf(db, venue.id, body.entranceId))) {
      throw new ProblemError("unknown-venue", "This venue has no entrance with this id.");
    }
    const id = crypto.randomUUID();
    const reportedHour = Math.floor(Date.now() / 3_600_000) * 3600;
    const { reference, hash } = await newReference();
    await insertReport(
      db,
      { id, venueId: venue.id, entranceId: body.entranceId ?? null, kind: body.kind, reportedHour },
      hash,
    );
    return reply(c, route, 201, { id, status: "open", reference });
  });
