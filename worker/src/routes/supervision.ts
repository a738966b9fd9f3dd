/**
 * The registry's supervision of approved venues (every call signed by a registry device):
 *
 *   POST /api/registry/venues/:id/suspend     {reason}: approved → suspended
 *   POST /api/registry/venues/:id/reinstate   suspended → approved
 *
 * Each change is first claimed in one guarded batch (two staff acting at once cannot both
 * succeed), then logged as a registry-signed entry (PROTOCOL.md §10.3); when the log cannot take
 * it, the claim is undone. The isolate's memory of current codes is dropped at once, so its next
 * check-in sees the change; other isolates follow within seconds (venues/code-status.ts).
 */
import { supervisionRoutes as routes } from "@lintel/contract";
import { Hono } from "hono";
import type { AppBindings } from "../env.ts";
import { appendToLog } from "../log/append.ts";
import { principalOf, signedBy } from "../middleware/auth/index.ts";
import { reply, validated } from "../middleware/contract/index.ts";
import { ProblemError } from "../problems/problem.ts";
import { requireStatus, venueFor } from "../venues/access.ts";
import { applicationView } from "../venues/application-store.ts";
import { forgetCurrentCodes } from "../venues/code-status.ts";
import { registryEntry } from "../venues/registry-entries.ts";
import {
  claimReinstatement,
  claimSuspension,
  undoReinstatement,
  undoSuspension,
} from "../venues/suspension-store.ts";

const LOST_RACE = "Another registry reviewer changed this venue first; reload it.";

// Each route is signed on its own (no `.use`): this app shares the /api/registry prefix with
// registry.ts, and a prefix-wide middleware here would check those routes' signatures twice.
const registryOnly = signedBy(["registry"]);

export const supervisionRoutes = new Hono<AppBindings>()
  .post("/venues/:id/suspend", registryOnly, validated(routes.suspendVenue), async (c) => {
    const p = principalOf(c);
    const db = c.env.DB;
    const venue = await venueFor(db, p, c.req.valid("param").id);
    requireStatus(venue, "approved");
    const { reason } = c.req.valid("json");
    const at = Math.floor(Date.now() / 1000);
    if (!(await claimSuspension(db, venue.id, reason, p.accountId, at))) {
      throw new ProblemError("wrong-state", LOST_RACE);
    }
    try {
      await appendToLog(c.env, [
        registryEntry(c.env, { kind: "venue-suspension", venueId: venue.id, reason }, at),
      ]);
    } catch (e) {
      await undoSuspension(db, venue.id, p.accountId, at);
      throw e;
    }
    forgetCurrentCodes();
    const view = await applicationView(c.env, await venueFor(db, p, venue.id));
    return reply(c, routes.suspendVenue, 200, view);
  })
  .post("/venues/:id/reinstate", registryOnly, validated(routes.reinstateVenue), async (c) => {
    const p = principalOf(c);
    const db = c.env.DB;
    const venue = await venueFor(db, p, c.req.valid("param").id);
    requireStatus(venue, "suspended");
    const at = Math.floor(Date.now() / 1000);
    if (!(await claimReinstatement(db, venue.id, p.accountId, at))) {
      throw new ProblemError("wrong-state", LOST_RACE);
    }
    try {
      await appendToLog(c.env, [
        registryEntry(c.env, { kind: "venue-reinstatement", venueId: venue.id }, at),
      ]);
    } catch (e) {
      await undoReinstatement(db, venue.id, venue.suspensionReason ?? "other", p.accountId, at);
      throw e;
    }
    forgetCurrentCodes();
    const view = await applicationView(c.env, await venueFor(db, p, venue.id));
    return reply(c, routes.reinstateVenue, 200, view);
  });
