/**
 * Enrolling the deployment's other parties in the log from the registry page: a trustee or a
 * witness runs its own tool (`npm run bootstrap -- trustee` / `-- witness`), which keeps its
 * secrets and writes a public file (`lintel-trustee-public/1`, `lintel-witness-public/1`). The
 * registry hands that file's JSON to these routes, which log it as the registry-signed
 * `trustee-enrolment` or `witness-enrolment` entry (PROTOCOL.md §10.3) the genesis step would.
 */
import * as z from "zod";
import { defineRoute } from "../route.ts";
import { base64urlBytes } from "../wire.ts";

const httpUrl = z.url({ protocol: /^https?$/ }).max(200);

/** What `npm run bootstrap -- trustee` writes for the registry: public keys only. */
export const trusteePublicFile = z.object({
  format: z.literal("lintel-trustee-public/1"),
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, "a trustee id of the deployment's settings"),
  url: httpUrl,
  shareKey: base64urlBytes(48, "BLS12-381 key share (G1)"),
  proofOfPossession: base64urlBytes(96, "proof of possession of the share (G2)"),
  signingKey: base64urlBytes(32, "Ed25519 key of its release entries"),
});

/** What `npm run bootstrap -- witness` writes for the log's operator. */
export const witnessPublicFile = z.object({
  format: z.literal("lintel-witness-public/1"),
  name: z.string().trim().min(1).max(100),
  url: httpUrl,
  publicKey: base64urlBytes(32, "Ed25519 cosignature key"),
  verifierKey: z.string().max(300).optional(),
});

const logged = z.object({
  /** The entry's index in the log, decimal text (u64). */
  index: z.string().regex(/^[0-9]+$/),
});

/**
 * forbidden: a reviewer of partial scope (parties serve the whole deployment); invalid-body: a
 * trustee id the deployment's settings do not name; log-policy-violation: enrolled already, a
 * key share another trustee holds, a proof of possession that does not verify.
 */
const ENROLMENT_PROBLEMS = [
  "forbidden",
  "invalid-body",
  "log-policy-violation",
  "log-unavailable",
] as const;

export const partyRoutes = {
  enrolTrustee: defineRoute({
    id: "enrolTrustee",
    method: "POST",
    path: "/api/registry/trustees",
    summary:
      "Registry, full scope: logs a trustee's public file (its tool's output) as a registry-signed trustee-enrolment entry",
    auth: "signed",
    body: trusteePublicFile,
    responses: { 201: logged },
    problems: ENROLMENT_PROBLEMS,
  }),
  enrolWitness: defineRoute({
    id: "enrolWitness",
    method: "POST",
    path: "/api/registry/witnesses",
    summary:
      "Registry, full scope: logs a witness's public file (its tool's output) as a registry-signed witness-enrolment entry",
    auth: "signed",
    body: witnessPublicFile,
    responses: { 201: logged },
    problems: ENROLMENT_PROBLEMS,
  }),
} as const;
