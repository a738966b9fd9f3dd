/**
 * Exposure queries and warnings (PROTOCOL.md §11): officers file, approve and release queries,
 * page through a query's ciphertexts and publish warnings. Every officer entry travels as the
 * base64url of a signed log entry (§10.2), checked by the service and again by the log policy.
 */
import { SEALED_RELEASE_FORMAT } from "@lintel/protocol";
import * as z from "zod";
import { defineRoute } from "../route.ts";
import { unixSeconds } from "../wire.ts";

/** A signed officer entry: at most 32 KiB of JSON. */
const entryBody = z.strictObject({ entry: z.string().regex(/^[A-Za-z0-9_-]+$/, "base64url") });
const ENTRY_JSON_BYTES = 32 * 1024;

/** A log index as decimal text (u64: JSON numbers lose precision past 2^53). */
const indexText = z.string().regex(/^[0-9]+$/);
const logIndexParam = z.string().regex(/^(0|[1-9][0-9]{0,19})$/, "a decimal index");

/** A partial-key release sealed to the query's release key (§11.3), by the log or a trustee. */
export const sealedRelease = z.object({
  format: z.literal(SEALED_RELEASE_FORMAT),
  trusteeId: z.string(),
  queryIndex: indexText,
  releaseIndex: indexText,
  sealedKeys: z.string(),
  withheld: z.array(z.string().nullable()).readonly().optional(),
});

const officerRef = z.object({ accountId: z.string(), label: z.string() });

const ENTRY_PROBLEMS = ["bad-entry", "log-policy-violation", "log-unavailable"] as const;

export const queryRoutes = {
  fileQuery: defineRoute({
    id: "fileQuery",
    method: "POST",
    path: "/api/queries",
    summary: "An officer files an exposure query, signed by this device; it awaits approval",
    auth: "signed",
    body: entryBody,
    maxBodyBytes: ENTRY_JSON_BYTES,
    responses: {
      201: z.object({ draftId: z.string(), status: z.literal("awaiting-approval") }),
    },
    problems: ENTRY_PROBLEMS,
  }),
  listQueries: defineRoute({
    id: "listQueries",
    method: "GET",
    path: "/api/queries",
    summary: "Drafts awaiting approval, expired ones with why, and logged ones (newest 200)",
    auth: "signed",
    responses: {
      200: z.object({
        queries: z.array(
          z.object({
            draftId: z.string(),
            status: z.enum(["awaiting-approval", "expired", "logged"]),
            expiredReason: z.string().optional(),
            expiresAt: unixSeconds.optional(),
            approvals: z.number().int().optional(),
            approvalsNeeded: z.number().int().optional(),
            entry: z.string(),
            filedBy: officerRef,
            filedAt: unixSeconds,
            approvedBy: officerRef.optional(),
            queryIndex: indexText.optional(),
          }),
        ),
      }),
    },
    problems: [],
  }),
  approveQuery: defineRoute({
    id: "approveQuery",
    method: "POST",
    path: "/api/queries/:draftId/approve",
    summary: "Another officer countersigns; once the query has the officers it needs, it is logged",
    auth: "signed",
    params: z.object({ draftId: z.string().min(1).max(64) }),
    body: entryBody,
    maxBodyBytes: ENTRY_JSON_BYTES,
    responses: {
      // Logged: its index and tlog-proof (with the entry); null only if the log could not be
      // read back at once (the query is logged all the same: GET /api/log/entries/:index/proof).
      201: z.object({ queryIndex: indexText, proof: z.string().nullable() }),
      // A wide query: this approval is kept; it waits for more officers.
      202: z.object({
        status: z.literal("awaiting-approval"),
        approvals: z.number().int(),
        approvalsNeeded: z.number().int(),
      }),
    },
    problems: [
      ...ENTRY_PROBLEMS,
      "not-found",
      "draft-not-pending",
      "draft-expired",
      "same-officer",
      "entry-mismatch",
    ],
  }),
  releaseEpochShare: defineRoute({
    id: "releaseEpochShare",
    method: "POST",
    path: "/api/queries/:queryIndex/release",
    summary: "The log's epoch-share release for a logged query, sealed to its release key",
    auth: "signed",
    params: z.object({ queryIndex: logIndexParam }),
    responses: { 200: sealedRelease },
    problems: ["query-not-logged", "log-unavailable", "wrong-audience"],
  }),
  queryCiphertexts: defineRoute({
    id: "queryCiphertexts",
    method: "GET",
    path: "/api/queries/:queryIndex/ciphertexts",
    summary: "One page of one in-scope slot's ciphertexts of a logged query",
    auth: "signed",
    params: z.object({ queryIndex: logIndexParam }),
    query: z.object({
      entrance: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, "an entrance id"),
      slot: z.string().regex(/^[0-9]{1,16}$/, "Unix seconds of the slot's start"),
      after: z
        .string()
        .regex(/^[0-9]{1,16}$/, "the previous page's next cursor")
        .optional(),
    }),
    responses: {
      200: z.object({ ciphertexts: z.array(z.string()), next: z.string().nullable() }),
    },
    problems: ["query-not-logged", "out-of-scope", "log-unavailable"],
  }),
  publishWarning: defineRoute({
    id: "publishWarning",
    method: "POST",
    path: "/api/warnings",
    summary: "An officer's exposure warning, logged",
    auth: "signed",
    body: entryBody,
    maxBodyBytes: ENTRY_JSON_BYTES,
    responses: { 201: z.object({ index: indexText }) },
    problems: ENTRY_PROBLEMS,
  }),
} as const;
