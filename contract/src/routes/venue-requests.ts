/**
 * Venue requests (PROTOCOL.md §11.7): a venue that needs its own check-in records applies to the
 * authority, and gets them only after an officer approves, in the way the deployment's policy
 * prescribes. The operator files a request (its own entrances, a window, why); an officer refuses
 * it with a reason or approves it by signing a `venue-request` log entry; the approval is public
 * in the log and every citizen's device sees it. What the venue receives is the policy's grants:
 * a warning on its behalf to everyone present (matched on their own devices), its hourly counts,
 * and — only where the policy grants `contacts` — the contact data of its scope: the trustees and
 * the log release the partial keys sealed to a key of the venue's device (an officer asks for them
 * and uploads them), and the venue decrypts its scope's ciphertexts itself.
 */
import { VENUE_REQUEST_GRANTS, VENUE_REQUEST_REASONS } from "@lintel/protocol";
import * as z from "zod";
import { defineRoute } from "../route.ts";
import { idText, localized, plainText, unixSeconds } from "../wire.ts";
import { sealedRelease } from "./queries.ts";

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
  /** The X25519 key (base64url) contact releases are sealed to: requests granting contacts. */
  releaseKey: z.string().nullable(),
  /** Distinct officers who signed the approval so far, and how many it needs (§10.4). */
  approvals: z.number().int(),
  approvalsNeeded: z.number().int(),
  /**
   * A contacts request's approval entry signed so far (base64url), while it waits for more
   * officers: the next officer adds a signature to exactly these bytes.
   */
  approvalEntry: z.string().nullable(),
  /** The holders whose sealed releases the service keeps for the venue ("log" and trustee ids). */
  releases: z.array(z.string()),
  /** Check-ins per entrance and hour in the window: approved requests granting `counts` only. */
  counts: z
    .array(z.object({ entranceId: z.string(), hour: unixSeconds, count: z.number().int() }))
    .nullable(),
});

const venueParams = z.object({ id: idText });
const requestParams = z.object({ rid: idText });
const venueRequestParams = z.object({ id: idText, rid: idText });
const entryBody = z.strictObject({ entry: z.string().regex(/^[A-Za-z0-9_-]+$/, "base64url") });
const releaseKeyText = z
  .string()
  .regex(/^[A-Za-z0-9_-]{43}$/, "an X25519 public key: 32 bytes in base64url");
const ciphertextPage = z.object({ ciphertexts: z.array(z.string()), next: z.string().nullable() });

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
      /** Required exactly when the deployment grants contacts: made on the venue's device. */
      releaseKey: releaseKeyText.optional(),
    }),
    maxBodyBytes: 16 * 1024,
    responses: { 201: venueRequestView },
    problems: [
      "not-found",
      "wrong-state",
      "bad-request-scope",
      "bad-release-key",
      "request-pending",
    ],
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
      "Officer: approves a pending venue request with its venue-request entry (201, logged); one granting contacts gathers officers' signatures first (202)",
    auth: "signed",
    params: requestParams,
    body: entryBody,
    maxBodyBytes: 32 * 1024,
    responses: { 201: venueRequestView, 202: venueRequestView },
    problems: [
      "not-found",
      "wrong-state",
      "bad-entry",
      "entry-mismatch",
      "same-officer",
      "log-policy-violation",
      "log-unavailable",
    ],
  }),
  uploadVenueRequestReleases: defineRoute({
    id: "uploadVenueRequestReleases",
    method: "POST",
    path: "/api/venue-requests/:rid/releases",
    summary:
      "Officer: hands the service the sealed releases of an approved contacts request, kept for the venue (sealed to its key)",
    auth: "signed",
    params: requestParams,
    body: z.strictObject({ releases: z.array(sealedRelease).min(1).max(17) }),
    maxBodyBytes: 2 * 1024 * 1024,
    responses: { 200: venueRequestView },
    problems: ["not-found", "wrong-state", "bad-release"],
  }),
  venueRequestReleases: defineRoute({
    id: "venueRequestReleases",
    method: "GET",
    path: "/api/venues/:id/requests/:rid/releases",
    summary:
      "The venue's operator: the sealed releases of its approved contacts request, which only its device opens",
    auth: "signed",
    params: venueRequestParams,
    responses: { 200: z.object({ releases: z.array(sealedRelease) }) },
    problems: ["not-found", "out-of-scope"],
  }),
  venueRequestCiphertexts: defineRoute({
    id: "venueRequestCiphertexts",
    method: "GET",
    path: "/api/venues/:id/requests/:rid/ciphertexts",
    summary:
      "The venue's operator: one page of one in-scope slot's ciphertexts of its approved contacts request",
    auth: "signed",
    params: venueRequestParams,
    query: z.object({
      entrance: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, "an entrance id"),
      slot: z.string().regex(/^[0-9]{1,16}$/, "Unix seconds of the slot's start"),
      after: z
        .string()
        .regex(/^[0-9]{1,16}$/, "the previous page's next cursor")
        .optional(),
    }),
    responses: { 200: ciphertextPage },
    problems: ["not-found", "out-of-scope"],
  }),
} as const;
