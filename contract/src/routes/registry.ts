/**
 * The registry's work and the public's reports to it. Registry staff (every call signed by a
 * registry device) review venue applications — approving signs one code per entrance and logs
 * each entrance's issuance — work the reports inbox and export the venues. Anyone may report a
 * venue: a report holds no reporter identity and no free text, and its time is kept to the hour.
 */
import * as z from "zod";
import { defineRoute, rawAnswer } from "../route.ts";
import { SECTORS } from "../scope.ts";
import { idText, localized, plainText, unixSeconds } from "../wire.ts";
import { APPLICATION_STATUSES, applicationView } from "./applications.ts";

export const REPORT_KINDS = [
  "no-code-posted",
  "code-damaged",
  "staff-not-helping",
  "suspected-fake-code",
] as const;
export const REPORT_STATUSES = ["open", "in-review", "closed"] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];
export type ReportStatus = (typeof REPORT_STATUSES)[number];

const applicationId = z.object({ id: idText });

/** Which of an application's keys another venue shares: its licence number, its address. */
export const MATCH_KEYS = ["licence", "address"] as const;
export type MatchKey = (typeof MATCH_KEYS)[number];
/** Two reviewers deciding at once: the second finds the application decided. */
const DECISION_PROBLEMS = ["not-found", "wrong-state"] as const;

export const registryRoutes = {
  reviewQueue: defineRoute({
    id: "listReviewQueue",
    method: "GET",
    path: "/api/registry/applications",
    summary:
      "The review queue: applications in one status (submitted unless asked), within the reviewer's scope; amendment=pending keeps those whose entrance change awaits the registry",
    auth: "signed",
    query: z.object({
      status: z.enum(APPLICATION_STATUSES).default("submitted"),
      /** Only venues with an entrance amendment awaiting the registry's decision. */
      amendment: z.enum(["pending"]).optional(),
    }),
    responses: {
      200: z.object({
        applications: z.array(
          z.object({
            id: idText,
            name: localized,
            category: z.string(),
            district: z.string(),
            sector: z.enum(SECTORS),
            status: z.enum(APPLICATION_STATUSES),
            updatedAt: unixSeconds,
            /** How many entrances it has. */
            entrances: z.number().int().min(0),
            /** How many other venues share its licence number or address (applicationMatches). */
            possibleDuplicates: z.number().int().min(0),
            /** Whether an entrance amendment of it awaits the registry's decision. */
            amendmentPending: z.boolean(),
          }),
        ),
      }),
    },
    problems: [],
  }),
  approveApplication: defineRoute({
    id: "approveApplication",
    method: "POST",
    path: "/api/registry/applications/:id/approve",
    summary:
      "Approves a submitted application: one registry-signed code per entrance, each entrance's issuance logged (undone if the log refuses)",
    auth: "signed",
    params: applicationId,
    responses: { 200: applicationView },
    problems: [
      ...DECISION_PROBLEMS,
      "licence-registered",
      "code-too-large",
      "log-policy-violation",
      "log-unavailable",
    ],
  }),
  applicationMatches: defineRoute({
    id: "applicationMatches",
    method: "GET",
    path: "/api/registry/applications/:id/matches",
    summary:
      "Possible duplicates of an application: other submitted, approved or suspended venues in the reviewer's scope with its licence number or its address",
    auth: "signed",
    params: applicationId,
    responses: {
      200: z.object({
        matches: z.array(
          z.object({
            id: idText,
            name: localized,
            status: z.enum(APPLICATION_STATUSES),
            /** What it shares with the application: the licence number, the address, or both. */
            keys: z.array(z.enum(MATCH_KEYS)).min(1),
          }),
        ),
      }),
    },
    problems: ["not-found"],
  }),
  rejectApplication: defineRoute({
    id: "rejectApplication",
    method: "POST",
    path: "/api/registry/applications/:id/reject",
    summary: "Sends a submitted application back to its operator with feedback",
    auth: "signed",
    params: applicationId,
    body: z.strictObject({ feedback: plainText(2000, "feedback", { multiline: true }) }),
    responses: { 200: applicationView },
    problems: DECISION_PROBLEMS,
  }),
  listReports: defineRoute({
    id: "listReports",
    method: "GET",
    path: "/api/registry/reports",
    summary:
      "The public reports inbox: reports in one status (open unless asked) about venues in the reviewer's scope",
    auth: "signed",
    query: z.object({ status: z.enum(REPORT_STATUSES).default("open") }),
    responses: {
      200: z.object({
        reports: z.array(
          z.object({
            id: idText,
            venue: z.object({ id: idText, name: localized }),
            entrance: z.object({ id: idText, label: localized }).nullable(),
            kind: z.enum(REPORT_KINDS),
            status: z.enum(REPORT_STATUSES),
            /** The start of the hour it came in: no finer time is kept. */
            reportedHour: unixSeconds,
            handledAt: unixSeconds.nullable(),
            /** The label of the reviewer who last changed its status. */
            handledBy: z.string().nullable(),
            /** This report and the identical ones merged into it (same venue, door and kind). */
            count: z.number().int().min(1),
            /** The registry's own note. */
            note: z.string().nullable(),
            /** The venue operator's answer, once given. */
            operatorAnswer: z.string().nullable(),
          }),
        ),
      }),
    },
    problems: [],
  }),
  updateReport: defineRoute({
    id: "updateReport",
    method: "PATCH",
    path: "/api/registry/reports/:id",
    summary: "Moves a report between open, in review and closed, with the registry's note",
    auth: "signed",
    params: z.object({ id: idText }),
    body: z.strictObject({
      status: z.enum(REPORT_STATUSES),
      /** Replaces the registry's note when given. */
      note: plainText(1000, "note", { multiline: true }).optional(),
    }),
    responses: { 200: z.object({ id: idText, status: z.enum(REPORT_STATUSES) }) },
    problems: ["not-found"],
  }),
  exportVenues: defineRoute({
    id: "exportVenues",
    method: "GET",
    path: "/api/registry/venues.csv",
    summary:
      "Every venue in the reviewer's scope with its status, as CSV for spreadsheets (formula-like cells as text)",
    auth: "signed",
    responses: {
      200: rawAnswer(
        "text/csv",
        "CSV in UTF-8 with a header row: id, name_en, name_zh, address, category, district, status, entrances, updated_at",
      ),
    },
    problems: [],
  }),
  reportVenue: defineRoute({
    id: "reportVenue",
    method: "POST",
    path: "/api/reports",
    summary:
      "Anyone reports an approved venue or one of its entrances; no identity, no free text; rate-limited",
    auth: "public",
    body: z.strictObject({
      venueId: idText,
      entranceId: idText.optional(),
      kind: z.enum(REPORT_KINDS),
    }),
    maxBodyBytes: 1024,
    responses: {
      201: z.object({
        id: idText,
        status: z.literal("open"),
        /**
         * The reporter's reference, shown once: it follows the report's status without an
         * account (POST /api/reports/status). Only its hash is kept.
         */
        reference: z.string(),
      }),
    },
    problems: ["unknown-venue", "rate-limited"],
  }),
  reportStatus: defineRoute({
    id: "reportStatus",
    method: "POST",
    path: "/api/reports/status",
    summary:
      "A reporter follows a report with its reference (in the body, never a URL): its status and whether the venue answered",
    auth: "public",
    body: z.strictObject({ reference: z.string().trim().min(1).max(64) }),
    maxBodyBytes: 256,
    responses: {
      200: z.object({
        kind: z.enum(REPORT_KINDS),
        venue: localized,
        status: z.enum(REPORT_STATUSES),
        reportedHour: unixSeconds,
        /** Reports of the same thing at the same place, this one included. */
        count: z.number().int().min(1),
        venueAnswered: z.boolean(),
      }),
    },
    problems: ["not-found", "rate-limited"],
  }),
} as const;
