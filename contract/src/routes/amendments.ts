/**
 * Entrance amendments: the operator of an approved venue proposes to add entrances, rename
 * entrances or retire entrances (each retired one optionally pointing to the entrance to scan
 * instead); the registry approves or refuses with a reason. An approval issues the new codes and
 * logs every change as registry-signed entries (PROTOCOL.md §10.3: `entrance-issued`,
 * `code-replacement` for `amended`, `entrance-retired`), all or nothing. A venue has at most one
 * pending amendment.
 */
import { VENUE_CODE_LIMITS as LIMITS } from "@lintel/protocol";
import * as z from "zod";
import { defineRoute } from "../route.ts";
import { idText, localized, plainText, unixSeconds } from "../wire.ts";

export const AMENDMENT_STATUSES = ["pending", "approved", "refused"] as const;
export type AmendmentStatus = (typeof AMENDMENT_STATUSES)[number];

/** How many entrances one amendment may add (a venue has at most 50 open ones). */
export const MAX_ADDED_ENTRANCES = 20;

const entranceId = z.string().regex(/^e-[0-9a-z]{12}$/, "an entrance id of this venue");
const entranceLabel = z.strictObject({
  en: plainText(LIMITS.entranceName, "English label"),
  zh: plainText(LIMITS.entranceName, "Chinese label"),
});

/**
 * The entrance to scan instead of a retired one: an entrance of the venue by id, or `added-N`,
 * the N-th entrance (from 0) of this amendment's `add`.
 */
const pointer = z
  .string()
  .regex(/^(e-[0-9a-z]{12}|added-[0-9]{1,2})$/, "an entrance id of this venue, or added-N");

export const amendmentInput = z.strictObject({
  add: z
    .array(z.strictObject({ label: entranceLabel }))
    .max(MAX_ADDED_ENTRANCES, `at most ${MAX_ADDED_ENTRANCES}`)
    .default([]),
  rename: z
    .array(z.strictObject({ entranceId, label: entranceLabel }))
    .max(50, "at most 50")
    .default([]),
  retire: z
    .array(z.strictObject({ entranceId, replacedBy: pointer.optional() }))
    .max(50, "at most 50")
    .default([]),
});
export type AmendmentInput = z.output<typeof amendmentInput>;

/** An amendment as the operator and the registry see it; added entrances have their ids already. */
export const amendmentView = z.object({
  id: idText,
  venueId: idText,
  status: z.enum(AMENDMENT_STATUSES),
  add: z.array(z.object({ entranceId: idText, label: localized })),
  rename: z.array(z.object({ entranceId: idText, label: localized, previous: localized })),
  retire: z.array(z.object({ entranceId: idText, replacedBy: idText.nullable() })),
  proposedAt: unixSeconds,
  decidedAt: unixSeconds.nullable(),
  /** The registry's reason, when it refused. */
  refusal: z.string().nullable(),
});

const venueParams = z.object({ id: idText });
const amendmentParams = z.object({ id: idText, aid: idText });
const LOGGED = ["log-policy-violation", "log-unavailable"] as const;

export const amendmentRoutes = {
  proposeAmendment: defineRoute({
    id: "proposeAmendment",
    method: "POST",
    path: "/api/venues/:id/amendments",
    summary:
      "The operator of an approved venue proposes to add, rename or retire entrances; one pending amendment per venue",
    auth: "signed",
    params: venueParams,
    body: amendmentInput,
    maxBodyBytes: 32 * 1024,
    responses: { 201: amendmentView },
    problems: [
      "not-found",
      "wrong-state",
      "amendment-pending",
      "unknown-entrance",
      "bad-amendment",
      "code-too-large",
    ],
  }),
  listAmendments: defineRoute({
    id: "listAmendments",
    method: "GET",
    path: "/api/venues/:id/amendments",
    summary: "A venue's entrance amendments, newest first (its operator, registry)",
    auth: "signed",
    params: venueParams,
    responses: { 200: z.object({ amendments: z.array(amendmentView) }) },
    problems: ["not-found"],
  }),
  approveAmendment: defineRoute({
    id: "approveAmendment",
    method: "POST",
    path: "/api/registry/venues/:id/amendments/:aid/approve",
    summary:
      "Registry: approves a pending amendment: new entrances get codes, renamed ones a new code version, retired ones are refused at check-in; each change logged (all undone if the log refuses)",
    auth: "signed",
    params: amendmentParams,
    responses: { 200: amendmentView },
    problems: [
      "not-found",
      "wrong-state",
      "unknown-entrance",
      "bad-amendment",
      "code-too-large",
      ...LOGGED,
    ],
  }),
  refuseAmendment: defineRoute({
    id: "refuseAmendment",
    method: "POST",
    path: "/api/registry/venues/:id/amendments/:aid/refuse",
    summary: "Registry: refuses a pending amendment with a reason the operator reads",
    auth: "signed",
    params: amendmentParams,
    body: z.strictObject({ reason: plainText(2000, "reason", { multiline: true }) }),
    maxBodyBytes: 4096,
    responses: { 200: amendmentView },
    problems: ["not-found", "wrong-state"],
  }),
};
