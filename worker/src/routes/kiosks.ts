/**
 * Kiosk devices: a screen at one entrance with a key that can do one thing.
 *
 *   GET    /api/venues/:id/kiosks                the venue's kiosks, revoked ones included (operator)
 *   POST   /api/venues/:id/kiosks                {label, entranceId}: a kiosk account bound to that
 *                                               entrance, and its one-time enrolment code (operator)
 *   DELETE /api/venues/:id/kiosks/:accountId     revokes a kiosk: account disabled, devices signed
 *                                               out at once (operator)
 *   GET    /api/kiosk/screen                     the bound entrance's code and kiosk secret (kiosk)
 *
 * The kiosk redeems its code at POST /api/auth/enrol like any account; its role, "kiosk", is
 * allowed here and on GET /api/auth/me and signing itself out, and refused (403 forbidden) by
 * every other signed route, because no other route lists the role. Requests and answers are
 * `@lintel/contract`'s `kioskRoutes`.
 */
import { kioskRoutes as contract } from "@lintel/contract";
import { encodeBase64url, KIOSK_STEP_SECONDS } from "@lintel/protocol";
import { Hono } from "hono";
import { newId } from "../accounts/ids.ts";
import {
  disableKiosk,
  kioskAccountWrites,
  kioskEntrance,
  kiosksOfVenue,
} from "../accounts/kiosk-store.ts";
import { issueEnrolmentCode } from "../accounts/store.ts";
import type { AppBindings } from "../env.ts";
import { principalOf, signedBy } from "../middleware/auth/index.ts";
import { reply, validated } from "../middleware/contract/index.ts";
import { ProblemError } from "../problems/problem.ts";
import { requireStatus, venueFor } from "../venues/access.ts";
import { entrancesOf } from "../venues/application-store.ts";
import { kioskSecret } from "../venues/kiosk-secret.ts";
import { entranceCode, venueEvent } from "../venues/store.ts";

export const venueKioskRoutes = new Hono<AppBindings>()
  .get("/:id/kiosks", signedBy(["operator"]), validated(contract.listKiosks), async (c) => {
    const db = c.env.DB;
    const venue = await venueFor(db, principalOf(c), c.req.valid("param").id);
    const rows = await kiosksOfVenue(db, venue.id);
    c.header("cache-control", "no-store");
    return reply(c, contract.listKiosks, 200, {
      kiosks: rows.map((k) => ({
        accountId: k.id,
        label: k.label,
        entranceId: k.entranceId,
        enrolled: k.devices > 0,
        lastSeen: k.lastSeen,
        revoked: k.disabledAt !== null,
      })),
    });
  })
  .post("/:id/kiosks", signedBy(["operator"]), validated(contract.addKiosk), async (c) => {
    const p = principalOf(c);
    const db = c.env.DB;
    const venue = await venueFor(db, p, c.req.valid("param").id);
    requireStatus(venue, "approved");
    const body = c.req.valid("json");
    const door = (await entrancesOf(db, venue.id)).find((e) => e.id === body.entranceId);
    if (door?.active !== 1) {
      throw new ProblemError("not-found", "This venue has no such entrance.");
    }
    const accountId = newId("a");
    const now = Math.floor(Date.now() / 1000);
    const code = await issueEnrolmentCode(db, accountId, p.accountId, now, [
      ...kioskAccountWrites(
        db,
        { id: accountId, label: body.label, entranceId: door.id, createdBy: p.accountId },
        now,
      ),
      venueEvent(db, venue.id, "kiosk-enrolled", p.accountId, now, accountId),
    ]);
    return reply(c, contract.addKiosk, 201, {
      accountId,
      label: body.label,
      entranceId: door.id,
      ...code,
    });
  })
  .delete(
    "/:id/kiosks/:accountId",
    signedBy(["operator"]),
    validated(contract.removeKiosk),
    async (c) => {
      const p = principalOf(c);
      const db = c.env.DB;
      const { id, accountId } = c.req.valid("param");
      const venue = await venueFor(db, p, id);
      const now = Math.floor(Date.now() / 1000);
      if (!(await disableKiosk(db, venue.id, accountId, now))) {
        throw new ProblemError("not-found", "No such kiosk.");
      }
      return c.body(null, 204);
    },
  );

export const kioskScreenRoutes = new Hono<AppBindings>().get(
  "/screen",
  signedBy(["kiosk"]),
  validated(contract.kioskScreen),
  async (c) => {
    const db = c.env.DB;
    const bound = await kioskEntrance(db, principalOf(c).accountId);
    if (bound?.active !== 1) {
      throw new ProblemError("not-found", "This kiosk's entrance is no longer in use.");
    }
    if (bound.venueStatus !== "approved") {
      throw new ProblemError("wrong-state", "This kiosk's venue is not approved.");
    }
    const row = await entranceCode(db, bound.entranceId, bound.codeVersion);
    if (!row) throw new ProblemError("not-found", "This entrance has no code.");
    c.header("cache-control", "no-store");
    return reply(c, contract.kioskScreen, 200, {
      venue: { id: bound.venueId, name: { en: bound.nameEn, zh: bound.nameZh } },
      entranceId: bound.entranceId,
      label: { en: bound.labelEn, zh: bound.labelZh },
      version: bound.codeVersion,
      code: encodeBase64url(row.signed),
      kioskSecret: encodeBase64url(await kioskSecret(c.env, bound.entranceId, bound.codeVersion)),
      stepSeconds: KIOSK_STEP_SECONDS,
      kioskRequired: row.kioskRequired,
    });
  },
);
