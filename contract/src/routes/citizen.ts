/**
 * The citizen API: what a person's device (and a venue's app or staff device checking people
 * in) calls. The worker's routes/checkins.ts, routes/codes.ts, routes/code-check.ts and
 * routes/deployment.ts say what the service does behind each; this is what goes over the wire.
 */
import { CHECKIN_RECORD_BYTES, ciphertextBytes, parseCiphertext } from "@lintel/protocol";
import * as z from "zod";
import { defineRoute } from "../route.ts";
import { base64urlBytes, idText, localized, unixSeconds } from "../wire.ts";

/** Bytes of one slot's ciphertext (PROTOCOL.md §5.2). */
export const CHECKIN_CIPHERTEXT_BYTES = ciphertextBytes(CHECKIN_RECORD_BYTES);
/** Slots in one check-in, at most: a day and one more at the default slot length. */
export const MAX_CHECKIN_SLOTS = 25;

/** One slot's ciphertext: its length, then the protocol's own decoder of the header. */
const slotCiphertext = base64urlBytes(CHECKIN_CIPHERTEXT_BYTES, "ciphertext").check((ctx) => {
  try {
    parseCiphertext(ctx.value);
  } catch {
    ctx.issues.push({
      code: "custom",
      message: "a Lintel v1 ciphertext (type 0x45, version 1)",
      input: ctx.value,
    });
  }
});

/** The body of POST /api/checkins and POST /api/checkins/staff. */
export const checkinRequest = z.strictObject({
  /** base32 of the signed venue code: the code URL's fragment before any '.'. */
  code: z.string().min(1).max(1200),
  /** base32 kiosk suffix, the part after '.' (kiosk codes only). */
  kiosk: z.string().min(1).max(64).optional(),
  /** Fresh per check-in, the same on every retry of it. */
  idempotencyKey: base64urlBytes(16, "idempotencyKey"),
  /** deletionTokenHash(secret), PROTOCOL.md §5.5. */
  deletionHash: base64urlBytes(32, "deletionHash"),
  recordedBy: z.enum(["self", "proxy", "paper"]).default("self"),
  slots: z
    .array(z.strictObject({ slot: unixSeconds, ciphertext: slotCiphertext }))
    .min(1, "at least one slot")
    .max(MAX_CHECKIN_SLOTS, `at most ${MAX_CHECKIN_SLOTS} slots`),
});

/** A stored check-in: the signed receipt (§6.2) and the day's check-in word for the pass. */
export const checkinAnswer = z.object({
  receipt: z.string(),
  storedAt: unixSeconds,
  dayWord: localized,
});

const CHECKIN_PROBLEMS = [
  "invalid-code",
  "code-expired",
  "unknown-code",
  "code-replaced",
  "entrance-retired",
  "venue-closed",
  "venue-suspended",
  "kiosk-code-required",
  "kiosk-code-stale",
  "bad-slots",
  "rate-limited",
  "forbidden",
  "entrance-full",
  "duplicate-checkin",
  "idempotency-conflict",
  "storage-unavailable",
] as const;

const checkinBodyBytes = 64 * 1024;

const trusteeKey = z.object({
  id: z.string(),
  name: z.string(),
  url: z.string(),
  publicKey: z.string().nullable(),
  proofOfPossession: z.string().nullable(),
});
const enrolledKey = z.object({ id: z.string(), label: z.string(), publicKey: z.string() });

export const deploymentAnswer = z.object({
  id: z.string(),
  role: z.enum(["main", "trustee", "witness"]),
  name: localized,
  timezone: z.string(),
  /** The responsible health authority's public contact, where the deployment sets one. */
  contact: z
    .object({ name: localized, phone: z.string(), address: localized, url: z.string().optional() })
    .optional(),
  retentionDays: z.number().int(),
  slotMinutes: z.number().int(),
  logOrigin: z.string(),
  log: z.object({
    origin: z.string(),
    verifierKey: z.string().nullable(),
    witnesses: z.array(z.object({ name: z.string(), verifierKey: z.string() })),
  }),
  officerPolicy: z.object({
    approvalsRequired: z.number().int(),
    maxWindowHours: z.number().int(),
    maxEntrancesPerQuery: z.number().int(),
    maxEntranceHoursPerQuery: z.number().int(),
    wideQueryApprovals: z.number().int(),
    maxEntranceHoursWide: z.number().int(),
    maxQueriesPerCase: z.number().int(),
    maxEntranceHoursPerCase: z.number().int(),
    draftLifetimeSeconds: z.number().int(),
  }),
  /** The authority's box key for citizen cards (§5.4), with its key id. */
  authority: z.object({ boxPublicKey: z.string(), keyId: z.string() }).nullable(),
  /** The registry-signed deployment record (§6.4): what devices encrypt to. */
  record: z.string().nullable(),
  receipt: z.object({ verifierKey: z.string().nullable() }),
  registry: z.object({ id: z.string(), publicKey: z.string(), verifierKey: z.string() }).nullable(),
  trustees: z.array(trusteeKey),
  /** The districts a venue may name; the first is where venues from before districts belong. */
  districts: z.array(z.object({ id: z.string(), name: localized })),
  officers: z.array(enrolledKey),
  auditors: z.array(enrolledKey),
});

export const citizenRoutes = {
  deployment: defineRoute({
    id: "getDeployment",
    method: "GET",
    path: "/api/deployment",
    summary: "The deployment's public settings and keys; devices check them against its record",
    auth: "public",
    responses: { 200: deploymentAnswer },
    problems: [],
  }),
  epochKeys: defineRoute({
    id: "getEpochKeys",
    method: "GET",
    path: "/api/epoch-keys",
    summary: "Log-signed epoch key statements (§4.6) from yesterday to the days ahead",
    auth: "public",
    responses: {
      200: z.object({ keys: z.array(z.object({ day: z.number().int(), statement: z.string() })) }),
    },
    problems: ["log-unavailable"],
  }),
  checkCode: defineRoute({
    id: "checkCode",
    method: "POST",
    path: "/api/codes/check",
    summary: "Is this scanned code current? Names its entrance",
    auth: "public",
    body: z.strictObject({ code: z.string().min(1).max(1200) }),
    maxBodyBytes: 2048,
    responses: {
      200: z.object({
        venueId: z.string(),
        entranceId: z.string(),
        version: z.number().int(),
        kioskRequired: z.boolean(),
      }),
    },
    problems: [
      "invalid-code",
      "code-expired",
      "unknown-code",
      "code-replaced",
      "entrance-retired",
      "venue-closed",
      "venue-suspended",
    ],
  }),
  manualCode: defineRoute({
    id: "lookUpManualCode",
    method: "POST",
    path: "/api/codes/manual",
    summary: "The signed code a typed manual code stands for (the typed code in the body)",
    auth: "public",
    body: z.strictObject({ code: z.string().min(1).max(64) }),
    maxBodyBytes: 1024,
    responses: {
      200: z.object({
        entranceId: z.string(),
        version: z.number().int(),
        /** base32 of the signed code. */
        code: z.string(),
      }),
    },
    problems: ["manual-code-typo", "unknown-code", "code-replaced"],
  }),
  manualCodeInPath: defineRoute({
    id: "manualCodeInPathRefused",
    method: "GET",
    path: "/api/codes/:manual",
    summary: "The old form, refused without a look-up: a code in a URL ends up in access logs",
    auth: "public",
    responses: {},
    problems: ["method-not-allowed"],
  }),
  entranceCode: defineRoute({
    id: "getEntranceCode",
    method: "GET",
    path: "/api/entrances/:id/code",
    summary: "An entrance's current code (its URL and manual-entry code)",
    auth: "public",
    params: z.object({ id: idText }),
    responses: {
      200: z.object({
        entranceId: z.string(),
        version: z.number().int(),
        url: z.string(),
        manualCode: z.string(),
      }),
    },
    problems: ["not-found"],
  }),
  checkIn: defineRoute({
    id: "checkIn",
    method: "POST",
    path: "/api/checkins",
    summary: "A person's own check-in: ciphertexts only; answers a signed receipt",
    auth: "public",
    body: checkinRequest,
    maxBodyBytes: checkinBodyBytes,
    // 200: a retry with the same idempotency key and body, receipt signed afresh.
    responses: { 201: checkinAnswer, 200: checkinAnswer },
    problems: CHECKIN_PROBLEMS,
  }),
  staffCheckIn: defineRoute({
    id: "staffCheckIn",
    method: "POST",
    path: "/api/checkins/staff",
    summary: "A proxy or paper-list check-in by a staff device bound to the entrance",
    auth: "signed",
    body: checkinRequest,
    maxBodyBytes: checkinBodyBytes,
    responses: { 201: checkinAnswer, 200: checkinAnswer },
    problems: CHECKIN_PROBLEMS,
  }),
  deleteCheckIn: defineRoute({
    id: "deleteCheckIn",
    method: "POST",
    path: "/api/checkins/delete",
    summary: "Deletes a check-in's slots from fromSlot on (all when absent)",
    auth: "public",
    body: z.strictObject({
      entranceId: z.string().min(1).max(64),
      deletionSecret: base64urlBytes(32, "deletionSecret"),
      fromSlot: unixSeconds.optional(),
    }),
    maxBodyBytes: 1024,
    responses: { 200: z.object({ deleted: z.number().int() }) },
    problems: [],
  }),
} as const;
