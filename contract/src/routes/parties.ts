/**
 * Enrolling the deployment's other parties in the log from the registry page: a trustee or a
 * witness runs its own tool (`npm run bootstrap -- trustee` / `-- witness`), which keeps its
 * secrets and writes a public file (`lintel-trustee-public/1`, `lintel-witness-public/1`). The
 * registry hands that file's JSON to these routes, which log it as the registry-signed
 * `trustee-enrolment` or `witness-enrolment` entry (PROTOCOL.md §10.3) the genesis step would.
 * The registry also lists who the log enrols now and removes one, as the `trustee-removal` or
 * `witness-removal` entry.
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

/**
 * forbidden: a reviewer of partial scope; not-found: no such trustee or witness is enrolled;
 * log-policy-violation: removed meanwhile (the log's own check).
 */
const REMOVAL_PROBLEMS = [
  "forbidden",
  "not-found",
  "log-policy-violation",
  "log-unavailable",
] as const;

export const partyRoutes = {
  listParties: defineRoute({
    id: "listParties",
    method: "GET",
    path: "/api/registry/parties",
    summary:
      "Registry: the trustees and witnesses the log enrols now, each trustee with whether the deployment's settings still need it",
    auth: "signed",
    responses: {
      200: z.object({
        trustees: z.array(
          z.object({
            id: z.string(),
            /** Its name in the deployment's settings; null when they no longer name it. */
            name: z.string().nullable(),
            /**
             * Every check-in is encrypted to every trustee the settings name: such a trustee
             * cannot be removed (`trustee-required`).
             */
            required: z.boolean(),
          }),
        ),
        witnesses: z.array(z.object({ name: z.string() })),
      }),
    },
    problems: [],
  }),
  removeTrustee: defineRoute({
    id: "removeTrustee",
    method: "POST",
    path: "/api/registry/trustee-removals",
    summary:
      "Registry, full scope: logs a registry-signed trustee-removal entry for an enrolled trustee the deployment's settings no longer name",
    auth: "signed",
    body: z.strictObject({
      trusteeId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, "an enrolled trustee's id"),
    }),
    maxBodyBytes: 1024,
    responses: { 201: logged },
    // trustee-required: the deployment's settings name it, so every check-in needs its share.
    problems: [...REMOVAL_PROBLEMS, "trustee-required"],
  }),
  removeWitness: defineRoute({
    id: "removeWitness",
    method: "POST",
    path: "/api/registry/witness-removals",
    summary:
      "Registry, full scope: logs a registry-signed witness-removal entry for an enrolled witness",
    auth: "signed",
    body: z.strictObject({ name: z.string().trim().min(1).max(100) }),
    maxBodyBytes: 1024,
    responses: { 201: logged },
    problems: REMOVAL_PROBLEMS,
  }),
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
