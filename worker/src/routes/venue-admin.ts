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
 *   GET    /api/staff/entrances                           a staff member's own entrances (staff)
 *   GET    /api/staff/day-word                            today's check-in word, to match passes
 *                                                         against (staff)
 */
import {
  CODE_REPLACEMENT_REASONS,
  encodeBase64url,
  formatManualCode,
  KIOSK_STEP_SECONDS,
  venueCodeUrl,
} from "@lintel/protocol";
import { Hono } from "hono";
import * as z from "zod";
import { labelSchema } from "../accounts/devices.ts";
import { issueEnrolmentCode } from "../accounts/enrolment.ts";
import { newId } from "../accounts/ids.ts";
import { hourCounts } from "../checkins/counts.ts";
import { dayWord } from "../checkins/day-word.ts";
import { loadDeployment } from "../config/deployment.ts";
import { deriveSubkey } from "../crypto/at-rest.ts";
import { blobBytes, isUniqueViolation } from "../db/d1.ts";
import type { AppBindings } from "../env.ts";
import { appendToLog } from "../log/append.ts";
import { principalOf, signedBy } from "../middleware/auth/index.ts";
import { readJsonBody } from "../middleware/json-body/index.ts";
import { ProblemError } from "../problems/problem.ts";
import { requireStatus, type VenueRow, venueEvent, venueFor } from "../venues/access.ts";
import { entrancesOf } from "../venues/application-store.ts";
import { forgetCurrentCodes } from "../venues/code-status.ts";
import { codeReplacementEntry, insertCode, issueEntranceCode } from "../venues/codes.ts";
import { localDate, startOfLocalDay } from "../venues/local-day.ts";

const replaceSchema = z.strictObject({ reason: z.enum(CODE_REPLACEMENT_REASONS) });
const kioskModeSchema = z.strictObject({ required: z.boolean() });
const staffSchema = z.strictObject({
  label: labelSchema,
  entranceIds: z.array(z.string().max(64)).min(1, "at least one entrance").max(50),
});

/** Code versions are u16 in a signed code (PROTOCOL.md §3.1). */
const MAX_CODE_VERSION = 0xffff;
const MAX_REPLACEMENTS_PER_DAY = 10;

/**
 * Every replacement is a registry-signed log entry: a venue replacing a code over and over would
 * flood the log. Ten a day per entrance is far beyond any real need (a torn poster, a leak).
 */
async function limitReplacements(db: D1Database, venueId: string, entranceId: string, at: number) {
  const row = await db
    .prepare(
      "SELECT COUNT(*) AS n FROM venue_events WHERE venue_id = ? AND action = 'code-replaced' AND detail LIKE ? AND at > ?",
    )
    .bind(venueId, `${entranceId} v%`, at - 86_400)
    .first<{ n: number }>();
  if ((row?.n ?? 0) >= MAX_REPLACEMENTS_PER_DAY) {
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

async function kioskSecret(env: AppBindings["Bindings"], entranceId: string, version: number) {
  return deriveSubkey(env, `lintel kiosk v1|${entranceId}|${version}`);
}

export const venueAdminRoutes = new Hono<AppBindings>()
  .get("/:id/codes", signedBy(["operator", "registry"]), async (c) => {
    const db = c.env.DB;
    const venue = await venueFor(db, principalOf(c), c.req.param("id"));
    requireStatus(venue, "approved");
    const { results } = await db
      .prepare(
        `SELECT e.id AS entranceId, e.label_en AS labelEn, e.label_zh AS labelZh, ec.version,
                ec.signed, ec.manual_code AS manual, ec.created_at AS issuedAt,
                e.kiosk_required AS kioskRequired
           FROM entrances e JOIN entrance_codes ec
             ON ec.entrance_id = e.id AND ec.version = e.code_version
          WHERE e.venue_id = ? AND e.active = 1 ORDER BY e.created_at, e.id`,
      )
      .bind(venue.id)
      .all<{
        entranceId: string;
        labelEn: string;
        labelZh: string;
        version: number;
        signed: unknown;
        manual: string;
        issuedAt: number;
        kioskRequired: number;
      }>();
    const origin = new URL(c.req.url).origin;
    c.header("cache-control", "no-store");
    return c.json({
      venue: { id: venue.id, name: { en: venue.nameEn, zh: venue.nameZh } },
      codes: results.map((r) => ({
        entranceId: r.entranceId,
        label: { en: r.labelEn, zh: r.labelZh },
        version: r.version,
        url: venueCodeUrl(origin, blobBytes(r.signed)),
        manualCode: formatManualCode(r.manual),
        issuedAt: r.issuedAt,
        kioskRequired: r.kioskRequired === 1,
      })),
    });
  })
  .post("/:id/entrances/:eid/replace-code", signedBy(["operator", "registry"]), async (c) => {
    const p = principalOf(c);
    const db = c.env.DB;
    const venue = await venueFor(db, p, c.req.param("id"));
    requireStatus(venue, "approved");
    const { reason } = await readJsonBody(c, replaceSchema);
    const door = entranceOf(await entrancesOf(db, venue.id), c.req.param("eid"));
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
    const [update] = await db
      .batch([
        db
          .prepare("UPDATE entrances SET code_version = ? WHERE id = ? AND code_version = ?")
          .bind(next, door.id, door.codeVersion),
        db
          .prepare(
            "UPDATE entrance_codes SET replaced_at = ? WHERE entrance_id = ? AND replaced_at IS NULL AND (SELECT code_version FROM entrances WHERE id = ?) = ?",
          )
          .bind(at, door.id, door.id, next),
        insertCode(db, code, at),
        venueEvent(
          db,
          venue.id,
          "code-replaced",
          p.accountId,
          at,
          `${door.id} v${next}: ${reason}`,
        ),
      ])
      .catch((e: unknown) => {
        if (isUniqueViolation(e)) return [{ meta: { changes: 0 } }];
        throw e;
      });
    if ((update?.meta.changes ?? 0) !== 1) {
      throw new ProblemError("wrong-state", "This code was replaced by someone else just now.");
    }
    try {
      await appendToLog(c.env, [codeReplacementEntry(c.env, venue.id, door.id, next, reason, at)]);
    } catch (e) {
      await db.batch([
        db
          .prepare("DELETE FROM entrance_codes WHERE entrance_id = ? AND version = ?")
          .bind(door.id, next),
        db
          .prepare(
            "UPDATE entrance_codes SET replaced_at = NULL WHERE entrance_id = ? AND version = ?",
          )
          .bind(door.id, door.codeVersion),
        db
          .prepare("UPDATE entrances SET code_version = ? WHERE id = ? AND code_version = ?")
          .bind(door.codeVersion, door.id, next),
        db
          .prepare(
            "DELETE FROM venue_events WHERE venue_id = ? AND action = 'code-replaced' AND detail LIKE ? AND at = ?",
          )
          .bind(venue.id, `${door.id} v${next}:%`, at),
      ]);
      throw e;
    } finally {
      forgetCurrentCodes();
    }
    return c.json(
      {
        entranceId: door.id,
        version: next,
        url: code.url,
        manualCode: formatManualCode(code.manualCode),
        issuedAt: at,
      },
      201,
    );
  })
  .get("/:id/dashboard", signedBy(["operator", "registry"]), async (c) => {
    const db = c.env.DB;
    const venue = await venueFor(db, principalOf(c), c.req.param("id"));
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
    return c.json({
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
  })
  .get("/:id/staff", signedBy(["operator"]), async (c) => {
    const db = c.env.DB;
    const venue = await venueFor(db, principalOf(c), c.req.param("id"));
    const { results } = await db
      .prepare(
        `SELECT a.id, a.label, a.created_at AS createdAt, a.disabled_at AS disabledAt,
                (SELECT group_concat(entrance_id) FROM staff_entrances s WHERE s.account_id = a.id) AS entrances,
                (SELECT MAX(last_used_at) FROM devices d WHERE d.account_id = a.id) AS lastSeen
           FROM accounts a WHERE a.role = 'staff' AND a.venue_id = ? ORDER BY a.created_at, a.id`,
      )
      .bind(venue.id)
      .all<{
        id: string;
        label: string;
        createdAt: number;
        disabledAt: number | null;
        entrances: string | null;
        lastSeen: number | null;
      }>();
    c.header("cache-control", "no-store");
    return c.json({
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
  .post("/:id/staff", signedBy(["operator"]), async (c) => {
    const p = principalOf(c);
    const db = c.env.DB;
    const venue = await venueFor(db, p, c.req.param("id"));
    requireStatus(venue, "approved");
    const body = await readJsonBody(c, staffSchema);
    const doors = await entrancesOf(db, venue.id);
    const entranceIds = [...new Set(body.entranceIds)];
    for (const id of entranceIds) entranceOf(doors, id);
    const accountId = newId("a");
    const now = Math.floor(Date.now() / 1000);
    const code = await issueEnrolmentCode(db, accountId, p.accountId, now, [
      db
        .prepare(
          "INSERT INTO accounts (id, role, label, venue_id, created_by, created_at) VALUES (?, 'staff', ?, ?, ?, ?)",
        )
        .bind(accountId, body.label, venue.id, p.accountId, now),
      ...entranceIds.map((e) =>
        db
          .prepare("INSERT INTO staff_entrances (account_id, entrance_id) VALUES (?, ?)")
          .bind(accountId, e),
      ),
      venueEvent(db, venue.id, "staff-enrolled", p.accountId, now, accountId),
    ]);
    return c.json({ accountId, label: body.label, entrances: entranceIds.sort(), ...code }, 201);
  })
  .delete("/:id/staff/:accountId", signedBy(["operator"]), async (c) => {
    const p = principalOf(c);
    const db = c.env.DB;
    const venue = await venueFor(db, p, c.req.param("id"));
    const now = Math.floor(Date.now() / 1000);
    const [update] = await db.batch([
      db
        .prepare(
          "UPDATE accounts SET disabled_at = ? WHERE id = ? AND role = 'staff' AND venue_id = ? AND disabled_at IS NULL",
        )
        .bind(now, c.req.param("accountId"), venue.id),
      // Guarded like the first statement: only devices of this venue's staff account.
      db
        .prepare(
          `UPDATE devices SET revoked_at = ? WHERE revoked_at IS NULL AND account_id IN
             (SELECT id FROM accounts WHERE id = ? AND role = 'staff' AND venue_id = ?)`,
        )
        .bind(now, c.req.param("accountId"), venue.id),
    ]);
    if ((update?.meta.changes ?? 0) !== 1)
      throw new ProblemError("not-found", "No such staff account.");
    return c.body(null, 204);
  })
  .put("/:id/entrances/:eid/kiosk-mode", signedBy(["operator"]), async (c) => {
    const p = principalOf(c);
    const db = c.env.DB;
    const venue = await venueFor(db, p, c.req.param("id"));
    requireStatus(venue, "approved");
    const { required } = await readJsonBody(c, kioskModeSchema);
    const door = entranceOf(await entrancesOf(db, venue.id), c.req.param("eid"));
    const at = Math.floor(Date.now() / 1000);
    await db.batch([
      db
        .prepare("UPDATE entrances SET kiosk_required = ? WHERE id = ?")
        .bind(required ? 1 : 0, door.id),
      venueEvent(
        db,
        venue.id,
        required ? "kiosk-required" : "kiosk-optional",
        p.accountId,
        at,
        door.id,
      ),
    ]);
    forgetCurrentCodes();
    return c.json({ entranceId: door.id, kioskRequired: required });
  })
  .get("/:id/entrances/:eid/kiosk", signedBy(["operator"]), async (c) => {
    const db = c.env.DB;
    const venue = await venueFor(db, principalOf(c), c.req.param("id"));
    requireStatus(venue, "approved");
    const door = entranceOf(await entrancesOf(db, venue.id), c.req.param("eid"));
    const row = await db
      .prepare(
        `SELECT ec.signed, e.kiosk_required AS kioskRequired
           FROM entrance_codes ec JOIN entrances e ON e.id = ec.entrance_id
          WHERE ec.entrance_id = ? AND ec.version = ?`,
      )
      .bind(door.id, door.codeVersion)
      .first<{ signed: unknown; kioskRequired: number }>();
    if (!row) throw new ProblemError("not-found", "This entrance has no code.");
    c.header("cache-control", "no-store");
    return c.json({
      entranceId: door.id,
      version: door.codeVersion,
      code: encodeBase64url(blobBytes(row.signed)),
      kioskSecret: encodeBase64url(await kioskSecret(c.env, door.id, door.codeVersion)),
      stepSeconds: KIOSK_STEP_SECONDS,
      // The kiosk screen tells people the truth: whether the poster works here too.
      kioskRequired: row.kioskRequired === 1,
    });
  });

function codeVenue(venue: VenueRow) {
  return {
    id: venue.id,
    nameZh: venue.nameZh,
    category: venue.category,
    askIdNumber: venue.askIdNumber === 1,
  };
}

export const staffRoutes = new Hono<AppBindings>()
  .get("/day-word", signedBy(["staff"]), async (c) => {
    const deployment = loadDeployment(c.env.LINTEL_DEPLOYMENT);
    const day = localDate(deployment.timezone, new Date());
    return c.json({ day, word: await dayWord(c.env, day) });
  })
  .get("/entrances", signedBy(["staff"]), async (c) => {
    const p = principalOf(c);
    const { results } = await c.env.DB.prepare(
      `SELECT e.id, e.label_en AS labelEn, e.label_zh AS labelZh, v.id AS venueId,
            v.name_en AS nameEn, v.name_zh AS nameZh
       FROM staff_entrances s JOIN entrances e ON e.id = s.entrance_id
       JOIN venues v ON v.id = e.venue_id
      WHERE s.account_id = ? AND e.active = 1 AND v.status = 'approved' ORDER BY e.id`,
    )
      .bind(p.accountId)
      .all<{
        id: string;
        labelEn: string;
        labelZh: string;
        venueId: string;
        nameEn: string;
        nameZh: string;
      }>();
    return c.json({
      entrances: results.map((r) => ({
        id: r.id,
        label: { en: r.labelEn, zh: r.labelZh },
        venue: { id: r.venueId, name: { en: r.nameEn, zh: r.nameZh } },
      })),
    });
  });
