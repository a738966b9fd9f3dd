/**
 * A venue operator's applications: started, edited, given their licence and floor plan, and
 * submitted to the registry, all signed by the operator's device; registry staff read an
 * application and its documents too. The worker's routes/applications.ts says what the service
 * does behind each. Names, address, contact and labels are untrusted text (`plainText`).
 */
import {
  VENUE_CODE_LIMITS as LIMITS,
  SUSPENSION_REASONS,
  VENUE_CATEGORIES,
} from "@lintel/protocol";
import * as z from "zod";
import { licenceNumber } from "../licence.ts";
import { defineRoute, rawAnswer } from "../route.ts";
import { districtId, SECTORS } from "../scope.ts";
import { idText, localized, plainText, unixSeconds } from "../wire.ts";
import { venueEntrance } from "./venues.ts";

/** The documents an application needs before it can be submitted. */
export const DOCUMENT_KINDS = ["licence", "floor-plan"] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];
/** What a document may be; the service checks the bytes' own signature against the type. */
export const DOCUMENT_MEDIA_TYPES = ["application/pdf", "image/png", "image/jpeg"] as const;
/** The largest document accepted, in bytes. */
export const MAX_DOCUMENT_BYTES = 5 * 1024 * 1024;

/** Where an application (and the venue it becomes) stands. */
export const APPLICATION_STATUSES = [
  "draft",
  "submitted",
  "rejected",
  "approved",
  "suspended",
] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

/** One entrance as the operator types it; `id` names one this application already has. */
export const entranceInput = z.strictObject({
  id: z
    .string()
    .regex(/^e-[0-9a-z]{12}$/, "an entrance id of this application")
    .optional(),
  label: z.strictObject({
    en: plainText(LIMITS.entranceName, "English label"),
    zh: plainText(LIMITS.entranceName, "Chinese label"),
  }),
});

/**
 * The body of a new or edited application. Byte limits follow what a signed code can carry
 * (PROTOCOL.md §3.1): both names of the venue and of each entrance go into every code. Together
 * they must also fit a poster's QR symbol (§3.3), which the service checks on saving
 * (`code-too-large`).
 */
export const applicationInput = z.strictObject({
  name: z.strictObject({
    en: plainText(LIMITS.venueName, "English name"),
    zh: plainText(LIMITS.venueName, "Chinese name"),
  }),
  address: plainText(300, "address", { multiline: true }),
  /** The business licence number; a draft may be saved without it, but not submitted. */
  licenceNumber: licenceNumber.optional(),
  category: z.enum(VENUE_CATEGORIES),
  /**
   * One of the deployment's districts (`GET /api/deployment`): with the category's sector, it
   * says which registry reviewers supervise the venue. Absent: the deployment's first district
   * (clients from before districts); the operator's page always asks.
   */
  district: districtId.optional(),
  contact: z.strictObject({
    person: plainText(100, "contact person"),
    phone: z
      .string()
      .trim()
      .regex(/^\+?[0-9][0-9 ()-]{5,24}$/, "a phone number: digits, spaces, ( ) - and a leading +"),
  }),
  entrances: z.array(entranceInput).min(1, "at least one entrance").max(50, "at most 50"),
});

/** The whole application as the operator and the registry see it. */
export const applicationView = z.object({
  id: z.string(),
  status: z.enum(APPLICATION_STATUSES),
  name: localized,
  address: z.string(),
  /** Unsealed for the operator and the registry only; null before it was given. */
  licenceNumber: z.string().nullable(),
  category: z.enum(VENUE_CATEGORIES),
  /** Its district's id, and the sector its category falls under (`SECTOR_OF_CATEGORY`). */
  district: z.string(),
  sector: z.enum(SECTORS),
  askIdNumber: z.boolean(),
  /** Unsealed for the operator and the registry only; null before it was given. */
  contact: z.object({ person: z.string(), phone: z.string() }).nullable(),
  /** The registry's feedback on a rejection. */
  feedback: z.string().nullable(),
  /** While the venue is suspended: the registry's reason (PROTOCOL.md §10.3). */
  suspension: z.enum(SUSPENSION_REASONS).nullable(),
  updatedAt: unixSeconds,
  entrances: z.array(venueEntrance),
  documents: z.array(
    z.object({
      kind: z.enum(DOCUMENT_KINDS),
      mediaType: z.enum(DOCUMENT_MEDIA_TYPES),
      size: z.number().int(),
      /** Hex SHA-256 of the document's bytes. */
      sha256: z.string(),
      uploadedAt: unixSeconds,
    }),
  ),
  /** Who did what when, oldest first. */
  events: z.array(
    z.object({
      action: z.string(),
      actorId: z.string(),
      actorLabel: z.string().nullable(),
      actorRole: z.string().nullable(),
      detail: z.string().nullable(),
      at: unixSeconds,
    }),
  ),
});

const applicationParams = z.object({ id: idText });
const documentParams = z.object({ id: idText, kind: z.enum(DOCUMENT_KINDS) });
const documentContent = rawAnswer(DOCUMENT_MEDIA_TYPES, "The document: a PDF, PNG or JPEG file");

export const applicationRoutes = {
  createApplication: defineRoute({
    id: "createApplication",
    method: "POST",
    path: "/api/applications",
    summary: "An operator starts an application (status draft)",
    auth: "signed",
    body: applicationInput,
    responses: { 201: applicationView },
    problems: ["code-too-large"],
  }),
  listApplications: defineRoute({
    id: "listApplications",
    method: "GET",
    path: "/api/applications",
    summary: "The operator's venues, in any status",
    auth: "signed",
    responses: {
      200: z.object({
        applications: z.array(
          z.object({
            id: z.string(),
            name: localized,
            status: z.enum(APPLICATION_STATUSES),
            feedback: z.string().nullable(),
            updatedAt: unixSeconds,
          }),
        ),
      }),
    },
    problems: [],
  }),
  getApplication: defineRoute({
    id: "getApplication",
    method: "GET",
    path: "/api/applications/:id",
    summary: "One application with its contact, documents and history (its operator, the registry)",
    auth: "signed",
    params: applicationParams,
    responses: { 200: applicationView },
    problems: ["not-found"],
  }),
  updateApplication: defineRoute({
    id: "updateApplication",
    method: "PUT",
    path: "/api/applications/:id",
    summary: "Edits a draft or rejected application",
    auth: "signed",
    params: applicationParams,
    body: applicationInput,
    responses: { 200: applicationView },
    // invalid-body: an entrance id that is not one of this application's.
    problems: ["not-found", "wrong-state", "invalid-body", "code-too-large"],
  }),
  uploadDocument: defineRoute({
    id: "uploadDocument",
    method: "PUT",
    path: "/api/applications/:id/documents/:kind",
    summary:
      "Uploads the licence or the floor plan (the file is the body), within the operator's quota",
    auth: "signed",
    params: documentParams,
    rawBody: documentContent,
    maxBodyBytes: MAX_DOCUMENT_BYTES,
    responses: {
      201: z.object({
        kind: z.enum(DOCUMENT_KINDS),
        mediaType: z.enum(DOCUMENT_MEDIA_TYPES),
        size: z.number().int(),
        sha256: z.string(),
      }),
    },
    problems: ["not-found", "wrong-state", "unsupported-document", "quota-exceeded"],
  }),
  getDocument: defineRoute({
    id: "getDocument",
    method: "GET",
    path: "/api/applications/:id/documents/:kind",
    summary: "Downloads an uploaded document, as an attachment (its operator, the registry)",
    auth: "signed",
    params: documentParams,
    responses: { 200: documentContent },
    problems: ["not-found"],
  }),
  submitApplication: defineRoute({
    id: "submitApplication",
    method: "POST",
    path: "/api/applications/:id/submit",
    summary:
      "Sends a draft or rejected application to the registry (both documents and the licence number needed; a licence number already registered is refused)",
    auth: "signed",
    params: applicationParams,
    responses: { 200: applicationView },
    problems: ["not-found", "wrong-state", "application-incomplete", "licence-registered"],
  }),
} as const;
