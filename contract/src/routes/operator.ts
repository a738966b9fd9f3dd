/**
 * Running an approved venue: its entrance codes and their replacement, today's counts, staff
 * accounts and kiosks (signed by the venue's operator, or registry staff where the summary says
 * so), and what a staff device asks for its own work. The worker's routes/venue-admin.ts says
 * what the service does behind each.
 */
import type { CODE_REPLACEMENT_REASONS } from "@lintel/protocol";
import * as z from "zod";
import { defineRoute } from "../route.ts";
import { accountLabel, idText, localized, plainText, unixSeconds } from "../wire.ts";
import { REPORT_KINDS, REPORT_STATUSES } from "./registry.ts";

/**
 * The reasons an operator (or registry staff) may give for replacing a code. `amended` is the
 * log's reason when an approved entrance amendment renamed or moved an entrance; nobody gives it
 * by hand.
 */
export const OPERATOR_REPLACEMENT_REASONS = [
  "damaged",
  "leaked",
  "photographed",
  "other",
] as const satisfies ReadonlyArray<(typeof CODE_REPLACEMENT_REASONS)[number]>;

const venueParams = z.object({ id: idText });
const entranceParams = z.object({ id: idText, eid: idText });

/** An entrance's current code as posters print it. */
const issuedCode = {
  entranceId: z.string(),
  version: z.number().int(),
  /** The code URL a poster's QR carries. */
  url: z.string(),
  /** The code typed by hand, grouped for reading. */
  manualCode: z.string(),
  issuedAt: unixSeconds,
};

export const operatorRoutes = {
  venueCodes: defineRoute({
    id: "getVenueCodes",
    method: "GET",
    path: "/api/venues/:id/codes",
    summary:
      "Every entrance's current code, for posters, and whether it is in kiosk mode (operator, registry)",
    auth: "signed",
    params: venueParams,
    responses: {
      200: z.object({
        venue: z.object({ id: z.string(), name: localized }),
        codes: z.array(
          z.object({
            ...issuedCode,
            label: localized,
            /** Kiosk mode: people's devices check in here only with the kiosk's rotating code. */
            kioskRequired: z.boolean(),
          }),
        ),
      }),
    },
    problems: ["not-found", "wrong-state"],
  }),
  replaceCode: defineRoute({
    id: "replaceEntranceCode",
    method: "POST",
    path: "/api/venues/:id/entrances/:eid/replace-code",
    summary:
      "A new code version for an entrance; the old one is refused from now on, and the replacement logged (operator, registry)",
    auth: "signed",
    params: entranceParams,
    body: z.strictObject({ reason: z.enum(OPERATOR_REPLACEMENT_REASONS) }),
    maxBodyBytes: 1024,
    responses: { 201: z.object(issuedCode) },
    problems: [
      "not-found",
      "wrong-state",
      "rate-limited",
      "code-too-large",
      "log-policy-violation",
      "log-unavailable",
    ],
  }),
  dashboard: defineRoute({
    id: "getVenueDashboard",
    method: "GET",
    path: "/api/venues/:id/dashboard",
    summary: "Today's check-ins per entrance per hour, counts only (operator, registry)",
    auth: "signed",
    params: venueParams,
    responses: {
      200: z.object({
        /** Unix seconds of the start of today in the deployment's time zone. */
        dayStart: unixSeconds,
        timezone: z.string(),
        entrances: z.array(
          z.object({
            id: z.string(),
            label: localized,
            codeVersion: z.number().int(),
            /** Hours with check-ins: each hour's start and its count. */
            hours: z.array(z.object({ hour: unixSeconds, count: z.number().int() })),
            today: z.number().int(),
            /** No check-in all day: the usual sign of a torn or covered poster. */
            possiblyDamaged: z.boolean(),
          }),
        ),
      }),
    },
    problems: ["not-found", "wrong-state"],
  }),
  listStaff: defineRoute({
    id: "listVenueStaff",
    method: "GET",
    path: "/api/venues/:id/staff",
    summary: "The venue's staff accounts (operator)",
    auth: "signed",
    params: venueParams,
    responses: {
      200: z.object({
        staff: z.array(
          z.object({
            accountId: z.string(),
            label: z.string(),
            /** The entrance ids the account works at. */
            entrances: z.array(z.string()),
            enrolled: z.boolean(),
            lastSeen: unixSeconds.nullable(),
            disabled: z.boolean(),
          }),
        ),
      }),
    },
    problems: ["not-found"],
  }),
  addStaff: defineRoute({
    id: "addVenueStaff",
    method: "POST",
    path: "/api/venues/:id/staff",
    summary: "A staff account for some of the venue's entrances, with its one-time enrolment code",
    auth: "signed",
    params: venueParams,
    body: z.strictObject({
      label: accountLabel,
      entranceIds: z.array(z.string().max(64)).min(1, "at least one entrance").max(50),
    }),
    responses: {
      201: z.object({
        accountId: z.string(),
        label: z.string(),
        entrances: z.array(z.string()),
        /** Shown once; typed on the staff device to enrol its key. */
        enrolmentCode: z.string(),
        codeExpiresAt: unixSeconds,
      }),
    },
    problems: ["not-found", "wrong-state"],
  }),
  removeStaff: defineRoute({
    id: "disableVenueStaff",
    method: "DELETE",
    path: "/api/venues/:id/staff/:accountId",
    summary: "Disables a staff account: its devices are signed out at once (operator)",
    auth: "signed",
    params: z.object({ id: idText, accountId: idText }),
    responses: { 204: null },
    problems: ["not-found"],
  }),
  setKioskMode: defineRoute({
    id: "setKioskMode",
    method: "PUT",
    path: "/api/venues/:id/entrances/:eid/kiosk-mode",
    summary:
      "Kiosk mode on or off: when on, people's devices check in at the entrance only with its kiosk's rotating code (operator)",
    auth: "signed",
    params: entranceParams,
    body: z.strictObject({ required: z.boolean() }),
    maxBodyBytes: 1024,
    responses: { 200: z.object({ entranceId: z.string(), kioskRequired: z.boolean() }) },
    problems: ["not-found", "wrong-state"],
  }),
  kiosk: defineRoute({
    id: "getKioskSetup",
    method: "GET",
    path: "/api/venues/:id/entrances/:eid/kiosk",
    summary: "What a kiosk screen needs: the entrance's code and kiosk secret (operator)",
    auth: "signed",
    params: entranceParams,
    responses: {
      200: z.object({
        entranceId: z.string(),
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
  staffDayWord: defineRoute({
    id: "getStaffDayWord",
    method: "GET",
    path: "/api/staff/day-word",
    summary:
      "Today's check-in word of the staff member's venue, to match people's passes against (staff)",
    auth: "signed",
    responses: {
      200: z.object({
        /** The local date, YYYY-MM-DD. */
        day: z.string(),
        word: localized,
      }),
    },
    problems: [],
  }),
  staffEntrances: defineRoute({
    id: "getStaffEntrances",
    method: "GET",
    path: "/api/staff/entrances",
    summary: "A staff member's own entrances, in the order the operator listed them (staff)",
    auth: "signed",
    responses: {
      200: z.object({
        entrances: z.array(
          z.object({
            id: z.string(),
            label: localized,
            venue: z.object({ id: z.string(), name: localized }),
          }),
        ),
        /**
         * Every entrance of the staff member's venue, open or closed (a pass made there earlier
         * today is still genuine): what the staff page checks a pass's receipt against, offline.
         */
        venueEntrances: z.array(z.object({ id: z.string(), label: localized })),
      }),
    },
    problems: [],
  }),
} as const;

/** What the public reported about an operator's venue, as the operator sees it. */
export const venueReport = z.object({
  id: idText,
  entrance: z.object({ id: idText, label: localized }).nullable(),
  kind: z.enum(REPORT_KINDS),
  status: z.enum(REPORT_STATUSES),
  reportedHour: unixSeconds,
  count: z.number().int().min(1),
  operatorAnswer: z.string().nullable(),
});

/** The public's reports about a venue: its operator reads them and answers each once. */
export const venueReportRoutes = {
  venueReports: defineRoute({
    id: "venueReports",
    method: "GET",
    path: "/api/venues/:id/reports",
    summary:
      "Reports from the public about the operator's venue, newest first (operator, registry)",
    auth: "signed",
    params: venueParams,
    responses: { 200: z.object({ reports: z.array(venueReport) }) },
    problems: ["not-found"],
  }),
  answerReport: defineRoute({
    id: "answerReport",
    method: "POST",
    path: "/api/venues/:id/reports/:rid/answer",
    summary: "The venue's operator answers a report once; the registry reads the answer",
    auth: "signed",
    params: z.object({ id: idText, rid: idText }),
    body: z.strictObject({ answer: plainText(1000, "answer", { multiline: true }) }),
    maxBodyBytes: 2048,
    responses: { 200: venueReport },
    problems: ["not-found", "wrong-state"],
  }),
};
