/**
 * `POST /api/reports`: anyone can tell the registry that a venue has no code posted, a damaged
 * code, staff who do not help people without phones, or a code that looks fake. The report holds
 * no reporter identity and no free text (free text invites personal data); its time is kept to
 * the hour. Ten reports an hour per network (rate-limit/limiter.ts); the registry works through
 * them in its inbox (routes/registry.ts).
 */
import { registryRoutes as registryContract } from "@lintel/contract";
import { Hono } from "hono";
import type { AppBindings } from "../env.ts";
import { reply, validated } from "../middleware/contract/index.ts";
import { ProblemError } from "../problems/problem.ts";
import { enforceLimit, LIMITS } from "../rate-limit/limiter.ts";
import { approvedVenue, insertReport, isEntranceOf } from "../venues/store.ts";

const route = registryContract.reportVenue;

export const reportRoutes = new Hono<AppBindings>().post("/", validated(route), async (c) => {
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
  await insertReport(db, {
    id,
    venueId: venue.id,
    entranceId: body.entranceId ?? null,
    kind: body.kind,
    reportedHour,
  });
  return reply(c, route, 201, { id, status: "open" });
});
