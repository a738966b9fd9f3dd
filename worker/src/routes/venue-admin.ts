/**
 * Running an approved venue (signed by its operator, or by registry staff where noted):
 *
 *   GET    /api/venues/:id/codes                          current code of every entrance, for
 *                                                         posters, and whether it is in kiosk
 *                                                         mode (operator, registry)
 *   POST   /api/venues/:id/entrances/:eid/replace-code    {reason}: new version; the old one is
 *                                                         refused from now on; logged (operator, registry)
 *   GET    /api/venues/:id/dashboard                      check-ins per entrance per hour today,
 *                                                         counts only (operator, registry)
 *   GET    /api/venues/:id/staff                          staff accounts (operator)
 *   POST   /api/venues/:id/staff                          {label, entranceIds}: a staff account
 *                                                         and its one-time enrolment code (operator)
 *   DELETE /api/venues/:id/staff/:accountId               disable a staff account (operator)
 *   GET    /api/venues/:id/entrances/:eid/kiosk           the entrance's kiosk secret, and
 *                                                         kioskRequired (operator)
 *   PUT    /api/venues/:id/entrances/:eid/kiosk-mode      {required}: the entrance takes only
 *                                                         its kiosk's rotating code from people's
 *                                                         devices — the poster's bare code is
 *                                                         refused (kiosk-code-required); staff
 *                                                         check-ins still work (operator)
 *   GET    /api/staff/entrances                           a staff member's own entrances, in the
 *                                                         operator's order (staff)
 *   GET    /api/staff/day-word                            the venue's check-in word today, to match passes
 *                                                         against (staff)
 *
 * Requests and answers are those of `@lintel/contract`'s `operatorRoutes`.
 */
import { operatorRoutes as contract } from "@lintel/contract";
import {
  encodeBase64url,
  formatManualCode,
  KIOSK_STEP_SECONDS,
  venueCodeUrl,
} from "@lintel/protocol";
import { Hono } from "hono";
import { newId } from "../accounts/ids.ts";
import {
  disableStaff,
  issueEnrolmentCode,
  staffAccountWrites,
  staffEntrances,
  staffOfVenue,
} from "../accounts/store.ts";
import { hourCounts } from "../checkins/counts.ts";
import { dayWord } from "../checkins/day-word.ts";
import { loadDeployment } from "../config/deployment.ts";
import type { AppBindings, Principal } from "../env.ts";
import { appendToLog } from "../log/append.ts";
import { principalOf, signedBy } from "../middleware/auth/index.ts";
import { reply, validated } from "../middleware/contract/index.ts";
import { ProblemError } from "../problems/problem.ts";
import { requireStatus, venueFor } from "../venues/access.ts";
import { entrancesOf } from "../venues/application-store.ts";
import { forgetCurrentCodes } from "../venues/code-status.ts";
import { codeReplacementEntry, codeVenue, issueEntranceCode } from "../venues/codes.ts";
import { kioskSecret } from "../venues/kiosk-secret.ts";
import { localDate, startOfLocalDay } from "../venues/local-day.ts";
import {
  claimReplacement,
  currentCodes,
  entranceCode,
  type Replacement,
  replacementsSince,
  setKioskRequired,
  undoReplacement,
  venueEntranceLabels,
  venueEvent,
} from "../venues/store.ts";

/** Code versions are u16 in a signed code (PROTOCOL.md §3.1). */
const MAX_CODE_VERSION = 0xffff;
const MAX_REPLACEMENTS_PER_DAY = 10;

/**
 * Every replacement is a registry-signed log entry: a venue replacing a code over and over would
 * flood the log. Ten a day per entrance is far beyond any real need (a torn poster, a leak).
 */
async function limitReplacements(db: D1Database, venueId: string, entranceId: string, at: number) {
  if ((await replacementsSince(db, venueId, entranceId, at - 86_400)) >= MAX_REPLACEMENTS_PER_DAY) {
    throw new ProblemError(
      "rate-limited",
      "This entrance's code was replaced ten times today; ask the registry.",
      {},
      { "retry-after": "3600" },
    );
  }
}

function entranceOf(doors: Awaited<ReturnType<typeof entrancesOf>>, id: string) {
  const door = doors.find((e) => e.id === id);
  if (!door) throw new ProblemError("not-found", "This venue has no such entrance.");
  return door;
}

/** An entrance of an approved venue `principal` may act on; anything else is a problem. */
async function approvedEntrance(db: D1Database, principal: Principal, id: string, eid: string) {
  const venue = await venueFor(db, principal, id);
  requireStatus(venue, "approved");
  const door = entranceOf(await entrancesOf(db, venue.id), eid);
  // A retired entrance is never issued a code again (PROTOCOL.md §10.3).
  if (door.active !== 1) throw new ProblemError("wrong-state", "This entrance was retired.");
  return { venue, door };
}

export const venueAdminRoutes = new Hono<AppBindings>()
  .get(
    "/:id/codes",
    signedBy(["operator", "registry"]),
    validated(contract.venueCodes),
    async (c) => {
      const db = c.env.DB;
      const venue = await venueFor(db, principalOf(c), c.req.valid("param").id);
      requireStatus(venue, "approved");
      const codes = await currentCodes(db, venue.id);
      const origin = new URL(c.req.url).origin;
      c.header("cache-control", "no-store");
      return reply(c, contract.venueCodes, 200, {
        venue: { id: venue.id, name: { en: venue.nameEn, zh: venue.nameZh } },
        codes: codes.map((r) => ({
          entranceId: r.entranceId,
          label: { en: r.labelEn, zh: r.labelZh },
          version: r.version,
          url: venueCodeUrl(origin, r.signed),
          manualCode: formatManualCode(r.manual),
          issuedAt: r.issuedAt,
          kioskRequired: r.kioskRequired,
        })),
      });
    },
  )
  .post(
    "/:id/entrances/:eid/replace-code",
    signedBy(["operator", "registry"]),
    validated(contract.replaceCode),
    async (c) => {
      const p = principalOf(c);
      const db = c.env.DB;
      const { id, eid } = c.req.valid("param");
      const { venue, door } = await approvedEntrance(db, p, id, eid);
      const { reason } = c.req.valid("json");
      const now = new Date();
      const at = Math.floor(now.getTime() / 1000);
      const next = door.codeVersion + 1;
      if (next > MAX_CODE_VERSION) {
        throw new ProblemError("wrong-state", "This entrance has used every code version.");
      }
      await limitReplacements(db, venue.id, door.id, at);
      const code = issueEntranceCode(
        c.env,
        new URL(c.req.url).origin,
        codeVenue(venue),
        door,
        next,
        now,
      );
      // First claim the new version in one guarded batch (two replacements cannot both win);
      // then log the revocation; if the log cannot take it, the claim is undone, so the database
      // never holds a replacement the log does not show, nor the log one that did not happen.
      const replacement: Replacement = {
        venueId: venue.id,
        entranceId: door.id,
        from: door.codeVersion,
        to: next,
        code,
        actorId: p.accountId,
        at,
        reason,
      };
      if (!(await claimReplacement(db, replacement))) {
        throw new ProblemError("wrong-state", "This code was replaced by someone else just now.");
      }
      try {
        await appendToLog(c.env, [
          codeReplacementEntry(c.env, venue.id, door.id, next, reason, at),
        ]);
      } catch (e) {
        await undoReplacement(db, replacement);
        throw e;
      } finally {
        forgetCurrentCodes();
      }
      return reply(c, contract.replaceCode, 201, {
        entranceId: door.id,
        version: next,
        url: code.url,
        manualCode: formatManualCode(code.manualCode),
        issuedAt: at,
      });
    },
  )
  .get(
    "/:id/dashboard",
    signedBy(["operator", "registry"]),
    validated(contract.dashboard),
    async (c) => {
      const db = c.env.DB;
      const venue = await venueFor(db, principalOf(c), c.req.valid("param").id);
      requireStatus(venue, "approved");
      const deployment = loadDeployment(c.env.LINTEL_DEPLOYMENT);
      const dayStart = startOfLocalDay(deployment.timezone, new Date());
      const doors = await entrancesOf(db, venue.id);
      const results = await hourCounts(
        c.env,
        doors.map((e) => e.id),
        dayStart,
        dayStart + 86_400,
      );
      c.header("cache-control", "no-store");
      return reply(c, contract.dashboard, 200, {
        dayStart,
        timezone: deployment.timezone,
        entrances: doors
          .filter((e) => e.active === 1)
          .map((e) => {
            const hours = results
              .filter((r) => r.entranceId === e.id)
              .map((r) => ({ hour: r.hour, count: r.count }));
            const total = hours.reduce((n, h) => n + h.count, 0);
            return {
              id: e.id,
              label: { en: e.labelEn, zh: e.labelZh },
              codeVersion: e.codeVersion,
              hours,
              today: total,
              // No check-in all day at one door is the usual sign of a torn or covered poster.
              possiblyDamaged: total === 0,
            };
          }),
      });
    },
  )
  .get("/:id/staff", signedBy(["operator"]), validated(contract.listStaff), async (c) => {
    const db = c.env.DB;
    const venue = await venueFor(db, principalOf(c), c.req.valid("param").id);
    const results = await staffOfVenue(db, venue.id);
    c.header("cache-control", "no-store");
    return reply(c, contract.listStaff, 200, {
      staff: results.map((s) => ({
        accountId: s.id,
        label: s.label,
        entrances: s.entrances ? s.entrances.split(",").sort() : [],
        enrolled: s.lastSeen !== null,
        lastSeen: s.lastSeen,
        disabled: s.disabledAt !== null,
      })),
    });
  })
  .post("/:id/staff", signedBy(["operator"]), validated(contract.addStaff), async (c) => {
    const p = principalOf(c);
    const db = c.env.DB;
    const venue = await venueFor(db, p, c.req.valid("param").id);
    requireStatus(venue, "approved");
    const body = c.req.valid("json");
    const doors = await entrancesOf(db, venue.id);
    const entranceIds = [...new Set(body.entranceIds)];
    for (const id of entranceIds) entranceOf(doors, id);
    const accountId = newId("a");
    const now = Math.floor(Date.now() / 1000);
    const code = await issueEnrolmentCode(db, accountId, p.accountId, now, [
      ...staffAccountWrites(
        db,
        {
          id: accountId,
          label: body.label,
          venueId: venue.id,
          createdBy: p.accountId,
          entranceIds,
        },
        now,
      ),
      venueEvent(db, venue.id, "staff-enrolled", p.accountId, now, accountId),
    ]);
    return reply(c, contract.addStaff, 201, {
      accountId,
      label: body.label,
      entrances: entranceIds.sort(),
      ...code,
    });
  })
  .delete(
    "/:id/staff/:accountId",
    signedBy(["operator"]),
    validated(contract.removeStaff),
    async (c) => {
      const p = principalOf(c);
      const db = c.env.DB;
      const { id, accountId } = c.req.valid("param");
      const venue = await venueFor(db, p, id);
      const now = Math.floor(Date.now() / 1000);
      if (!(await disableStaff(db, venue.id, accountId, now)))
        throw new ProblemError("not-found", "No such staff account.");
      return c.body(null, 204);
    },
  )
  .put(
    "/:id/entrances/:eid/kiosk-mode",
    signedBy(["operator"]),
    validated(contract.setKioskMode),
    async (c) => {
      const p = principalOf(c);
      const db = c.env.DB;
      const { id, eid } = c.req.valid("param");
      const { venue, door } = await approvedEntrance(db, p, id, eid);
      const { required } = c.req.valid("json");
      const at = Math.floor(Date.now() / 1000);
      await setKioskRequired(db, venue.id, door.id, required, p.accountId, at);
      forgetCurrentCodes();
      return reply(c, contract.setKioskMode, 200, { entranceId: door.id, kioskRequired: required });
    },
  )
  .get(
    "/:id/entrances/:eid/kiosk",
    signedBy(["operator"]),
    validated(contract.kiosk),
    async (c) => {
      const db = c.env.DB;
      const { id, eid } = c.req.valid("param");
      const { door } = await approvedEntrance(db, principalOf(c), id, eid);
      const row = await entranceCode(db, door.id, door.codeVersion);
      if (!row) throw new ProblemError("not-found", "This entrance has no code.");
      c.header("cache-control", "no-store");
      return reply(c, contract.kiosk, 200, {
        entranceId: door.id,
        version: door.codeVersion,
        code: encodeBase64url(row.signed),
        kioskSecret: encodeBase64url(await kioskSecret(c.env, door.id, door.codeVersion)),
        stepSeconds: KIOSK_STEP_SECONDS,
        // The kiosk screen tells people the truth: whether the poster works here too.
        kioskRequired: row.kioskRequired,
      });
    },
  );

export const staffRoutes = new Hono<AppBindings>()
  .get("/day-word", signedBy(["staff"]), validated(contract.staffDayWord), async (c) => {
    const deployment = loadDeployment(c.env.LINTEL_DEPLOYMENT);
    const day = localDate(deployment.timezone, new Date());
    // The staff member's own venue's word: what passes made at this venue show today.
    const venueId = principalOf(c).venueId;
    if (venueId === null) throw new ProblemError("forbidden", "This account works for no venue.");
    return reply(c, contract.staffDayWord, 200, { day, word: await dayWord(c.env, venueId, day) });
  })
  .get("/entrances", signedBy(["staff"]), validated(contract.staffEntrances), async (c) => {
    const p = principalOf(c);
    const results = await staffEntrances(c.env.DB, p.accountId);
    const venueEntrances = p.venueId ? await venueEntranceLabels(c.env.DB, p.venueId) : [];
    return reply(c, contract.staffEntrances, 200, {
      venueEntrances: venueEntrances.map((e) => ({
        id: e.id,
        label: { en: e.labelEn, zh: e.labelZh },
      })),
      entrances: results.map((r) => ({
        id: r.id,
        label: { en: r.labelEn, zh: r.labelZh },
        venue: { id: r.venueId, name: { en: r.nameEn, zh: r.nameZh } },
      })),
    });
  });
