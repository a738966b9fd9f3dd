/**
 * Kiosk devices: a screen at one entrance that signs in with a key of its own, enrolled with a
 * one-time code the venue's operator makes for that entrance. The kiosk's key fetches its
 * entrance's kiosk screen and nothing else; every operator and staff route refuses it
 * (403 forbidden). The worker's routes/kiosks.ts says what the service does behind each.
 */
import * as z from "zod";
import { defineRoute } from "../route.ts";
import { accountLabel, idText, localized, unixSeconds } from "../wire.ts";

const venueParams = z.object({ id: idText });

export const kioskRoutes = {
  listKiosks: defineRoute({
    id: "listVenueKiosks",
    method: "GET",
    path: "/api/venues/:id/kiosks",
    summary:
      "The venue's kiosk devices, each bound to one entrance, revoked ones included (operator)",
    auth: "signed",
    params: venueParams,
    responses: {
      200: z.object({
        kiosks: z.array(
          z.object({
            accountId: z.string(),
            label: z.string(),
            entranceId: z.string(),
            /** A device enrolled with the kiosk's code (it may have been revoked since). */
            enrolled: z.boolean(),
            lastSeen: unixSeconds.nullable(),
            revoked: z.boolean(),
          }),
        ),
      }),
    },
    problems: ["not-found"],
  }),
  addKiosk: defineRoute({
    id: "addVenueKiosk",
    method: "POST",
    path: "/api/venues/:id/kiosks",
    summary:
      "A kiosk for one entrance, with its one-time enrolment code: the device enrolled with it can only show that entrance's kiosk screen (operator)",
    auth: "signed",
    params: venueParams,
    body: z.strictObject({ label: accountLabel, entranceId: idText }),
    maxBodyBytes: 1024,
    responses: {
      201: z.object({
        accountId: z.string(),
        label: z.string(),
        entranceId: z.string(),
        /** Shown once; typed on the kiosk screen's /kiosk/ page to enrol its key. */
        enrolmentCode: z.string(),
        codeExpiresAt: unixSeconds,
      }),
    },
    problems: ["not-found", "wrong-state"],
  }),
  removeKiosk: defineRoute({
    id: "revokeVenueKiosk",
    method: "DELETE",
    path: "/api/venues/:id/kiosks/:accountId",
    summary:
      "Revokes a kiosk: its device is signed out at once and its code, if unused, void (operator)",
    auth: "signed",
    params: z.object({ id: idText, accountId: idText }),
    responses: { 204: null },
    problems: ["not-found"],
  }),
  kioskScreen: defineRoute({
    id: "getKioskScreen",
    method: "GET",
    path: "/api/kiosk/screen",
    summary:
      "What this kiosk's screen shows: its entrance's code, the kiosk secret the rotating suffix is made with, and the entrance's kiosk mode (kiosk devices only)",
    auth: "signed",
    responses: {
      200: z.object({
        venue: z.object({ id: z.string(), name: localized }),
        entranceId: z.string(),
        label: localized,
        version: z.number().int(),
        /** base64url of the signed code. */
        code: z.string(),
        /** base64url of the secret the rotating suffix is made with. */
        kioskSecret: z.string(),
        stepSeconds: z.number().int(),
        kioskRequired: z.boolean(),
      }),
    },
    problems: ["not-found", "wrong-state"],
  }),
} as const;
