/**
 * The trustee role (PROTOCOL.md §11.3): the same worker run with `role = "trustee"`. On any
 * other role these paths answer 404 not-found.
 */
import * as z from "zod";
import { defineRoute } from "../route.ts";
import { sealedRelease } from "./queries.ts";

export const trusteeRoutes = {
  trustee: defineRoute({
    id: "getTrustee",
    method: "GET",
    path: "/trustee",
    summary:
      "Who this trustee is: id, public share key, signing key, and how far it audited the log",
    auth: "public",
    responses: {
      200: z.object({
        trusteeId: z.string(),
        shareKey: z.string(),
        signingKey: z.string(),
        logOrigin: z.string(),
        /** The log size this trustee verified, decimal text (u64). */
        seenSize: z.string().regex(/^[0-9]+$/),
      }),
    },
    problems: ["not-found"],
  }),
  release: defineRoute({
    id: "trusteeRelease",
    method: "POST",
    path: "/trustee/release",
    summary:
      "An officer's signed request with a query's tlog-proof; answers the trustee's partial keys sealed to the query's release key",
    // The officer's statement is checked by the trustee itself against the log's enrolments.
    auth: "signed",
    body: z.strictObject({ proof: z.string().min(1).max(80_000) }),
    maxBodyBytes: 96 * 1024,
    responses: { 200: sealedRelease },
    problems: [
      "not-found",
      "rate-limited",
      "wrong-audience",
      "not-an-officer",
      "bad-proof",
      "query-not-logged",
      "log-inconsistent",
      "log-unavailable",
    ],
  }),
} as const;
