/**
 * Venue requests (PROTOCOL.md §11.7): a venue that needs its own check-in records applies to the
 * authority, and gets them only after an officer approves, in the way the deployment's policy
 * prescribes. The operator files a request (its own entrances, a window, why); an officer refuses
 * it with a reason or approves it by signing a `venue-request` log entry; the approval is public
 * in the log and every citizen's device sees it. What the venue receives is the policy's grants:
 * a warning on its behalf to everyone present (matched on their own devices) and its hourly
 * counts. No key is released: the venue reads no check-in.
 */
import { VENUE_REQUEST_GRANTS, VENUE_REQUEST_REASONS } from "@lintel/protocol";
import * as z from "zod";
import { defineRoute } from "../route.ts";
import { idText, localized, plainText, unixSeconds } from "../wire.ts";

export const VENUE_REQUEST_STATES = ["pending", "refused", "approved"] as const;

/** What a venue may say about its request, beyond the category: never a person's name. */
export const VENUE_REQUEST_NOTE_BYTES = 1000;

const entranceId = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, "an entrance id");

export const venueRequestView = z.object({
  id: z.string(),
  venueId: z.string(),
  venueName: localized,
  entrances: z.array(z.object({ id: z.string(), name: localized })),
  windowStart: unixSeconds,
  windowEnd: unixSeconds,
  reason: z.enum(VENUE_REQUEST_REASONS),
  note: z.string(),
  /** What approval gives the venue: the deployment's policy when the request was filed. */
  grants: z.array(z.enum(VENUE_REQUEST_GRANTS)),
  state: z.enum(VENUE_REQUEST_STATES),
  filedAt: unixSeconds,
  decidedAt: unixSeconds.nullable(),
  /** The officer's reason, when refused. */
  refusal: z.string().nullable(),
  /** The approving officer's enrolment label, when approved. */
  approvedBy: z.string().nullable(),
  /** The approval's index in the public log (decimal), when approved. */
  logIndex: z.string().nullable(),
  /** Check-ins per entrance and hour in the window: approved requests granting `counts` only. */
  counts: z
    .array(z.object({ entranceId: z.string(), hour: unixSeconds, count: z.number().int() }))
    .nullable(),
});

const venueParams = z.object({ id: idText });
const requestParams = z.object({ rid: idText });
const entryBody = z.strictObject({ entry: z.string().regex(/^[A-Za-z0-9_-]+$/, "base64url") });

export const venueRequestRoutes = {
  fileVenueRequest: defineRoute({
    id: "fileVenueRequest",
    method: "POST",
    path: "/api/venues/:id/requests",
    summary:
      "The venue's operator asks the authority for its own records: entrances, an hour-aligned window, a reason",
    auth: "signed",
    params: venueParams,
    body: z.strictObject({
      entrances: z.array(entranceId).min(1).max(255),
      windowStart: unixSeconds,
      windowEnd: unixSeconds,
      reason: z.enum(VENUE_REQUEST_REASONS),
      note: plainText(VENUE_REQUEST_NOTE_BYTES, "note", { multiline: true }).optional(),
    }),
    maxBodyBytes: 16 * 1024,
    responses: { 201: venueRequestView },
    problems: ["not-found", "wrong-state", "bad-request-scope", "request-pending"],
  }),
  listVenueRequests: defineRoute({
    id: "listVenueRequests",
    method: "GET",
    path: "/api/venues/:id/requests",
    summary:
      "A venue's requests, newest first, and what approval gives under the deployment's policy (its operator, registry)",
    auth: "signed",
    params: venueParams,
    responses: {
      200: z.object({
        grants: z.array(z.enum(VENUE_REQUEST_GRANTS)),
        maxWindowHours: z.number().int(),
        requests: z.array(venueRequestView),
      }),
    },
    problems: ["not-found"],
  }),
  officerVenueRequests: defineRoute({
    id: "officerVenueRequests",
    method: "GET",
    path: "/api/venue-requests",
    summary: "Officer: venue requests, pending first (oldest first), then the newest decided",
    auth: "signed",
    responses: { 200: z.object({ requests: z.array(venueRequestView) }) },
    problems: [],
  }),
  refuseVenueRequest: defineRoute({
    id: "refuseVenueRequest",
    method: "POST",
    path: "/api/venue-requests/:rid/refuse",
    summary: "Officer: refuses a pending venue request with a reason the operator reads",
    auth: "signed",
    params: requestParams,
    body: z.strictObject({ reason: plainText(1000, "reason", { multiline: true }) }),
    maxBodyBytes: 4096,
    responses: { 200: venueRequestView },
    problems: ["not-found", "wrong-state"],
  }),
  approveVenueRequest: defineRoute({
    id: "approveVenueRequest",
    method: "POST",
    path: "/api/venue-requests/:rid/approve",
    summary:
      "Officer: approves a pending venue request with a venue-request entry signed by this device alone; logged",
    auth: "signed",
    params: requestParams,
    body: entryBody,
    maxBodyBytes: 32 * 1024,
    responses: { 201: venueRequestView },
    problems: [
      "not-found",
      "wrong-state",
      "bad-entry",
      "entry-mismatch",
      "log-policy-violation",
      "log-unavailable",
    ],
  }),
} as const;
