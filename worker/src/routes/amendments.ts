/**
 * Entrance amendments:
 *
 *   POST /api/venues/:id/amendments                          {add, rename, retire}: the operator
 *                                                            of an approved venue proposes; one
 *                                                            pending amendment per venue
 *   GET  /api/venues/:id/amendments                          the venue's amendments (its
 *                                                            operator, registry)
 *   POST /api/registry/venues/:id/amendments/:aid/approve    the registry approves: new codes,
 *                                                            renamed entrances' new versions and
 *                                                            retirements in one batch, then
 *                                                            logged; undone if the log refuses
 *   POST /api/registry/venues/:id/amendments/:aid/refuse     {reason}: the registry refuses
 *
 * Each route is signed on its own: these apps share prefixes with others (registry.ts,
 * venue-admin.ts), and a prefix-wide middleware would check those routes' signatures twice.
 */
import { amendmentRoutes as routes } from "@lintel/contract";
import { Hono } from "hono";
import { newId } from "../accounts/ids.ts";
import type { AppBindings, Principal } from "../env.ts";
import { appendToLog } from "../log/append.ts";
import { principalOf, signedBy } from "../middleware/auth/index.ts";
import { reply, validated } from "../middleware/contract/index.ts";
import { ProblemError } from "../problems/problem.ts";
import { requireStatus, venueFor } from "../venues/access.ts";
import { checkAmendment, resolveAmendment } from "../venues/amendment-plan.ts";
import {
  type AmendmentRow,
  type Approval,
  amendmentById,
  amendmentsOf,
  applyApproval,
  proposeAmendment,
  refuseAmendment,
  undoApproval,
} from "../venues/amendment-store.ts";
import { entrancesOf } from "../venues/application-store.ts";
import { forgetCurrentCodes } from "../venues/code-status.ts";
import {
  checkNamesFitPosters,
  codeReplacementEntry,
  codeVenue,
  entranceIssuedEntries,
  issueEntranceCode,
} from "../venues/codes.ts";
import { registryEntry } from "../venues/registry-entries.ts";

/** The largest code version (PROTOCOL.md §3.1: a u16). */
const MAX_CODE_VERSION = 0xffff;

function amendmentView(row: AmendmentRow) {
  return {
    id: row.id,
    venueId: row.venueId,
    status: row.status,
    add: [...row.changes.add],
    rename: [...row.changes.rename],
    retire: [...row.changes.retire],
    proposedAt: row.proposedAt,
    decidedAt: row.decidedAt,
    refusal: row.refusal,
  };
}

async function amendmentOf(db: D1Database, venueId: string, id: string): Promise<AmendmentRow> {
  const row = await amendmentById(db, venueId, id);
  if (!row) throw new ProblemError("not-found", "No such amendment for this venue.");
  return row;
}

function requirePending(row: AmendmentRow): void {
  if (row.status !== "pending") {
    throw new ProblemError("wrong-state", `This amendment was ${row.status} already.`);
  }
}

const LOST_RACE = "Another registry reviewer decided on this amendment first; reload it.";

/** The venue's side: its operator proposes; the operator and the registry read. */
export const venueAmendmentRoutes = new Hono<AppBindings>()
  .post(
    "/:id/amendments",
    signedBy(["operator"]),
    validated(routes.proposeAmendment),
    async (c) => {
      const p = principalOf(c);
      const db = c.env.DB;
      const venue = await venueFor(db, p, c.req.valid("param").id);
      requireStatus(venue, "approved");
      const changes = resolveAmendment(c.req.valid("json"), await entrancesOf(db, venue.id));
      // Names a poster could not carry are refused now, not when the registry approves.
      checkNamesFitPosters(c.env, new URL(c.req.url).origin, codeVenue(venue), [
        ...changes.add.map((a) => ({ id: a.entranceId, labelEn: a.label.en, labelZh: a.label.zh })),
        ...changes.rename.map((r) => ({
          id: r.entranceId,
          labelEn: r.label.en,
          labelZh: r.label.zh,
        })),
      ]);
      const id = newId("m");
      const at = Math.floor(Date.now() / 1000);
      await proposeAmendment(db, { id, venueId: venue.id, changes }, p.accountId, at);
      return reply(
        c,
        routes.proposeAmendment,
        201,
        amendmentView(await amendmentOf(db, venue.id, id)),
      );
    },
  )
  .get(
    "/:id/amendments",
    signedBy(["operator", "registry"]),
    validated(routes.listAmendments),
    async (c) => {
      const db = c.env.DB;
      const venue = await venueFor(db, principalOf(c), c.req.valid("param").id);
      c.header("cache-control", "no-store");
      const rows = await amendmentsOf(db, venue.id);
      return reply(c, routes.listAmendments, 200, { amendments: rows.map(amendmentView) });
    },
  );

const registryOnly = signedBy(["registry"]);

/** The venue (in the caller's reach) and its amendment `aid`, which must still be pending. */
async function pendingAmendment(db: D1Database, p: Principal, venueId: string, aid: string) {
  const venue = await venueFor(db, p, venueId);
  const amendment = await amendmentOf(db, venue.id, aid);
  requirePending(amendment);
  return { venue, amendment };
}

/** The registry's side, mounted under /api/registry with the venue id in every path. */
export const registryAmendmentRoutes = new Hono<AppBindings>()
  .post(
    "/venues/:id/amendments/:aid/approve",
    registryOnly,
    validated(routes.approveAmendment),
    async (c) => {
      const p = principalOf(c);
      const db = c.env.DB;
      const { id, aid } = c.req.valid("param");
      const { venue, amendment } = await pendingAmendment(db, p, id, aid);
      requireStatus(venue, "approved");
      const doors = await entrancesOf(db, venue.id);
      checkAmendment(amendment.changes, doors);
      const now = new Date();
      const at = Math.floor(now.getTime() / 1000);
      const origin = new URL(c.req.url).origin;
      const v = codeVenue(venue);
      // Every code is signed and size-checked before anything is written.
      const added = amendment.changes.add.map((a) =>
        issueEntranceCode(
          c.env,
          origin,
          v,
          { id: a.entranceId, labelEn: a.label.en, labelZh: a.label.zh },
          1,
          now,
        ),
      );
      const renamed = amendment.changes.rename.map((r) => {
        const door = doors.find((d) => d.id === r.entranceId);
        if (!door) throw new ProblemError("unknown-entrance", "A renamed entrance is gone.");
        const to = door.codeVersion + 1;
        if (to > MAX_CODE_VERSION) {
          throw new ProblemError("wrong-state", "A renamed entrance has used every code version.");
        }
        const label = { en: r.label.en, zh: r.label.zh };
        const code = issueEntranceCode(
          c.env,
          origin,
          v,
          { id: r.entranceId, labelEn: label.en, labelZh: label.zh },
          to,
          now,
        );
        const previous = { en: door.labelEn, zh: door.labelZh };
        return { entranceId: r.entranceId, from: door.codeVersion, to, label, previous, code };
      });
      const approval: Approval = { amendment, added, renamed, actorId: p.accountId, at };
      if (!(await applyApproval(db, approval))) throw new ProblemError("wrong-state", LOST_RACE);
      // Issued first: the log accepts a retirement pointing only to an entrance it saw issued.
      const entries = [
        ...entranceIssuedEntries(
          c.env,
          venue.id,
          added.map((code) => code.entranceId),
          at,
        ),
        ...renamed.map((r) =>
          codeReplacementEntry(c.env, venue.id, r.entranceId, r.to, "amended", at),
        ),
        ...amendment.changes.retire.map((r) =>
          registryEntry(
            c.env,
            {
              kind: "entrance-retired",
              venueId: venue.id,
              entranceId: r.entranceId,
              replacedBy: r.replacedBy ?? "",
            },
            at,
          ),
        ),
      ];
      try {
        await appendToLog(c.env, entries);
      } catch (e) {
        await undoApproval(db, approval);
        throw e;
      }
      forgetCurrentCodes();
      return reply(c, routes.approveAmendment, 200, amendmentView(await amendmentOf(db, id, aid)));
    },
  )
  .post(
    "/venues/:id/amendments/:aid/refuse",
    registryOnly,
    validated(routes.refuseAmendment),
    async (c) => {
      const p = principalOf(c);
      const db = c.env.DB;
      const { id, aid } = c.req.valid("param");
      const { venue, amendment } = await pendingAmendment(db, p, id, aid);
      const at = Math.floor(Date.now() / 1000);
      if (!(await refuseAmendment(db, amendment, c.req.valid("json").reason, p.accountId, at))) {
        throw new ProblemError("wrong-state", LOST_RACE);
      }
      return reply(
        c,
        routes.refuseAmendment,
        200,
        amendmentView(await amendmentOf(db, venue.id, aid)),
      );
    },
  );
