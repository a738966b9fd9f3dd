/**
 * Inspections (抽查) and the registry's compliance view. The registry records each inspection of a
 * venue — the day, the result, the findings, photos as documents — and the venue's operator reads
 * them; the compliance view lists, per approved or suspended venue, what needs the registry's
 * attention: entrances with no check-in for some days, reported and replaced codes, overdue
 * rectification orders, and how long reports took to close.
 */
import * as z from "zod";
import { defineRoute, rawAnswer } from "../route.ts";
import { idText, localized, plainText, unixSeconds } from "../wire.ts";

export const INSPECTION_RESULTS = ["passed", "follow-up", "failed"] as const;
export const INSPECTION_PHOTO_TYPES = ["image/jpeg", "image/png"] as const;
/** The largest photo accepted, in bytes, and how many one inspection keeps. */
export const MAX_INSPECTION_PHOTO_BYTES = 5 * 1024 * 1024;
export const MAX_INSPECTION_PHOTOS = 4;
/** How many days without a check-in make an entrance quiet, by default and at most. */
export const QUIET_DAYS = { default: 7, max: 30 } as const;

export const inspectionView = z.object({
  id: z.string(),
  venueId: z.string(),
  /** The day of the inspection, YYYY-MM-DD in the deployment's time zone. */
  inspectedOn: z.string(),
  result: z.enum(INSPECTION_RESULTS),
  findings: z.string(),
  recordedAt: unixSeconds,
  recordedBy: z.string(),
  photos: z.array(z.object({ n: z.number().int(), mediaType: z.string(), size: z.number().int() })),
});

const venueParams = z.object({ id: idText });
const inspectionParams = z.object({ id: idText, iid: idText });
const photoParams = z.object({
  id: idText,
  iid: idText,
  n: z.string().regex(/^[1-9][0-9]?$/, "a photo number"),
});
const photoContent = rawAnswer(INSPECTION_PHOTO_TYPES, "A photo: a JPEG or PNG file");

export const complianceRow = z.object({
  venueId: z.string(),
  name: localized,
  status: z.enum(["approved", "suspended"]),
  /** Entrances open for check-in with none in the last `quietDays` days. */
  quietEntrances: z.array(z.object({ id: z.string(), label: localized })),
  /** Reports not closed, and all reports of the period. */
  openReports: z.number().int(),
  /** Codes replaced in the period. */
  replacedCodes: z.number().int(),
  overdueRectifications: z.number().int(),
  /** The last inspection's day and result, if any. */
  lastInspection: z
    .object({ inspectedOn: z.string(), result: z.enum(INSPECTION_RESULTS) })
    .nullable(),
});

export const inspectionRoutes = {
  recordInspection: defineRoute({
    id: "recordInspection",
    method: "POST",
    path: "/api/registry/venues/:id/inspections",
    summary:
      "Registry: records an inspection of an approved or suspended venue (day, result, findings)",
    auth: "signed",
    params: venueParams,
    body: z.strictObject({
      inspectedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "YYYY-MM-DD"),
      result: z.enum(INSPECTION_RESULTS),
      findings: plainText(4000, "findings", { multiline: true }),
    }),
    maxBodyBytes: 8192,
    responses: { 201: inspectionView },
    problems: ["not-found", "wrong-state", "bad-inspection-date"],
  }),
  addInspectionPhoto: defineRoute({
    id: "addInspectionPhoto",
    method: "PUT",
    path: "/api/registry/venues/:id/inspections/:iid/photos",
    summary: "Registry: adds a photo (the body: JPEG or PNG) to an inspection, up to four",
    auth: "signed",
    params: inspectionParams,
    rawBody: photoContent,
    maxBodyBytes: MAX_INSPECTION_PHOTO_BYTES,
    responses: { 201: inspectionView },
    problems: ["not-found", "unsupported-document", "too-many-photos"],
  }),
  listInspections: defineRoute({
    id: "listInspections",
    method: "GET",
    path: "/api/venues/:id/inspections",
    summary: "A venue's inspections, newest first (its operator, registry)",
    auth: "signed",
    params: venueParams,
    responses: { 200: z.object({ inspections: z.array(inspectionView) }) },
    problems: ["not-found"],
  }),
  inspectionPhoto: defineRoute({
    id: "inspectionPhoto",
    method: "GET",
    path: "/api/venues/:id/inspections/:iid/photos/:n",
    summary: "One photo of an inspection (its venue's operator, registry)",
    auth: "signed",
    params: photoParams,
    responses: { 200: photoContent },
    problems: ["not-found"],
  }),
  compliance: defineRoute({
    id: "compliance",
    method: "GET",
    path: "/api/registry/compliance",
    summary:
      "Registry: per approved or suspended venue, quiet entrances, open reports, replaced codes, overdue rectifications, the last inspection; and how long closed reports took",
    auth: "signed",
    query: z.object({
      quietDays: z
        .string()
        .regex(/^[1-9][0-9]?$/, "1–30 days")
        .optional(),
    }),
    responses: {
      200: z.object({
        quietDays: z.number().int(),
        venues: z.array(complianceRow),
        /** Reports closed in the period: how many, and the median hours from report to close. */
        reportsClosed: z.number().int(),
        medianHoursToClose: z.number().nullable(),
      }),
    },
    problems: [],
  }),
} as const;
