/**
 * Accounts and device sign-in (PROTOCOL.md §6.1). There are no passwords: a device proves
 * possession of its key by signing the very request that enrols it, and every later request.
 * Sign-up and enrolment are signed by the new key itself (it is in the body); the first registry
 * reviewer's request is signed by the registry key; every other route by an enrolled device.
 * The worker's routes/auth.ts and routes/registry-reviewers.ts say what the service does.
 */
import * as z from "zod";
import { defineRoute } from "../route.ts";
import { reviewerScope } from "../scope.ts";
import { accountLabel, base64urlBytes, idText, unixSeconds } from "../wire.ts";

/**
 * "kiosk": a screen at one entrance, enrolled with the operator's one-time kiosk code; its key
 * fetches that entrance's kiosk screen and nothing else.
 */
export const accountRole = z.enum(["registry", "operator", "staff", "officer", "auditor", "kiosk"]);

const devicePublicKey = base64urlBytes(32, "a raw Ed25519 public key");

/** Who a device signs in as, and until when at the latest (Unix seconds). */
const account = z.object({
  accountId: z.string(),
  role: accountRole,
  label: z.string(),
  venueId: z.string().nullable(),
  expiresAt: unixSeconds,
});

/** A one-time enrolment code, handed to its person face to face, and when it stops working. */
const enrolmentCode = z.object({ enrolmentCode: z.string(), codeExpiresAt: unixSeconds });

/** Sign-up and enrolment: the key is in the body, and the statement must be signed by it. */
const SELF_SIGNED_BODY_BYTES = 2048;
/**
 * Open doors, rate-limited per network; the key may be enrolled already; and the statement,
 * checked against the key in the body, may name an audience this route does not have.
 */
const SELF_SIGNED_PROBLEMS = ["wrong-audience", "key-already-enrolled", "rate-limited"] as const;

export const accountRoutes = {
  signUpOperator: defineRoute({
    id: "signUpOperator",
    method: "POST",
    path: "/api/auth/operators",
    summary: "A new venue operator account with this device, signed by the key it enrols",
    auth: "signed",
    body: z.strictObject({ label: accountLabel, publicKey: devicePublicKey }),
    maxBodyBytes: SELF_SIGNED_BODY_BYTES,
    responses: { 201: account.extend({ role: z.literal("operator"), venueId: z.null() }) },
    problems: SELF_SIGNED_PROBLEMS,
  }),
  enrol: defineRoute({
    id: "enrolDevice",
    method: "POST",
    path: "/api/auth/enrol",
    summary:
      "Redeems a one-time enrolment code: binds this device, signed by the key it enrols, to the code's account",
    auth: "signed",
    body: z.strictObject({
      code: z.string().min(1).max(40, "at most 40 characters"),
      publicKey: devicePublicKey,
    }),
    maxBodyBytes: SELF_SIGNED_BODY_BYTES,
    responses: { 201: account },
    // An officer's device key goes into the log before it may sign in (§11.2).
    problems: [...SELF_SIGNED_PROBLEMS, "enrolment-code-invalid", "log-unavailable"],
  }),
  me: defineRoute({
    id: "getMe",
    method: "GET",
    path: "/api/auth/me",
    summary: "Who this device signs in as, the entrances of a staff account, and until when",
    auth: "signed",
    responses: {
      200: account.extend({
        entrances: z.array(z.string()),
        /** A registry reviewer's scope (districts and sectors); null for every other role. */
        scope: reviewerScope.nullable(),
      }),
    },
    problems: [],
  }),
  addDevice: defineRoute({
    id: "addDevice",
    method: "POST",
    path: "/api/auth/devices",
    summary:
      "Enrols another device key for this account (a new phone, or renewing); it lives no longer than this device",
    auth: "signed",
    body: z.strictObject({ publicKey: devicePublicKey }),
    responses: { 201: z.object({ deviceId: z.string(), expiresAt: unixSeconds }) },
    problems: ["key-already-enrolled", "log-unavailable"],
  }),
  newDeviceCode: defineRoute({
    id: "newDeviceEnrolmentCode",
    method: "POST",
    path: "/api/auth/enrolment-codes",
    summary:
      "Operator: a one-time code that enrols another browser as a device of this account (valid for an hour)",
    auth: "signed",
    responses: { 201: enrolmentCode },
    problems: [],
  }),
  listDevices: defineRoute({
    id: "listDevices",
    method: "GET",
    path: "/api/auth/devices",
    summary: "The account's devices, signed out ones included, and which one is this",
    auth: "signed",
    responses: {
      200: z.object({
        devices: z.array(
          z.object({
            id: z.string(),
            createdAt: unixSeconds,
            lastUsedAt: unixSeconds,
            expiresAt: unixSeconds,
            revokedAt: unixSeconds.nullable(),
            current: z.boolean(),
          }),
        ),
      }),
    },
    problems: [],
  }),
  signOutDevice: defineRoute({
    id: "signOutDevice",
    method: "DELETE",
    path: "/api/auth/devices/:id",
    summary:
      'Signs a device of this account out: its id, "current" for this one or "all" for every one',
    auth: "signed",
    params: z.object({ id: idText }),
    responses: { 204: null },
    // An officer's signed-out keys leave the log's officer set too (§11.2).
    problems: ["not-found", "log-unavailable"],
  }),
  createAccount: defineRoute({
    id: "createAccount",
    method: "POST",
    path: "/api/registry/accounts",
    summary:
      "Registry, full scope: a registry, officer or auditor account, with its first enrolment code",
    auth: "signed",
    body: z.strictObject({
      role: z.enum(["registry", "officer", "auditor"]),
      label: accountLabel,
      /**
       * A registry reviewer's scope (every district and sector when absent). Only a reviewer of
       * full scope creates registry accounts, so no one hands out more than they hold.
       */
      scope: reviewerScope.optional(),
    }),
    responses: {
      201: enrolmentCode.extend({
        accountId: z.string(),
        role: z.enum(["registry", "officer", "auditor"]),
        label: z.string(),
        scope: reviewerScope.nullable(),
      }),
    },
    // forbidden: a reviewer of partial scope (only a reviewer of full scope makes accounts);
    // invalid-body: a scope for another role, or a district the deployment does not declare.
    problems: ["forbidden", "invalid-body"],
  }),
  listReviewers: defineRoute({
    id: "listReviewers",
    method: "GET",
    path: "/api/registry/accounts",
    summary: "Registry: the registry reviewers and the districts and sectors each supervises",
    auth: "signed",
    responses: {
      200: z.object({
        reviewers: z.array(
          z.object({
            accountId: z.string(),
            label: z.string(),
            scope: reviewerScope,
            createdAt: unixSeconds,
          }),
        ),
      }),
    },
    problems: [],
  }),
  setReviewerScope: defineRoute({
    id: "setReviewerScope",
    method: "PUT",
    path: "/api/registry/accounts/:id/scope",
    summary:
      "Registry, full scope only: sets another reviewer's districts and sectors (null: every one)",
    auth: "signed",
    params: z.object({ id: idText }),
    body: reviewerScope,
    responses: { 200: z.object({ accountId: z.string(), scope: reviewerScope }) },
    // forbidden: the caller's scope is partial, or it names the caller itself.
    problems: ["not-found", "forbidden", "invalid-body"],
  }),
  newEnrolmentCode: defineRoute({
    id: "newEnrolmentCode",
    method: "POST",
    path: "/api/registry/accounts/:id/enrolment-codes",
    summary:
      "Registry, full scope: a fresh enrolment code for an account whose person lost every device",
    auth: "signed",
    params: z.object({ id: idText }),
    responses: { 201: enrolmentCode.extend({ accountId: z.string() }) },
    // forbidden: a reviewer of partial scope (only a reviewer of full scope re-enrols accounts).
    problems: ["not-found", "forbidden"],
  }),
  createReviewer: defineRoute({
    id: "createReviewer",
    method: "POST",
    path: "/api/registry/reviewers",
    summary:
      "A registry reviewer account and its enrolment code, signed by the registry key itself (a deployment's first reviewer)",
    auth: "signed",
    body: z.strictObject({ label: z.string().trim().min(1).max(120) }),
    maxBodyBytes: 1024,
    responses: {
      201: enrolmentCode.extend({
        accountId: z.string(),
        role: z.literal("registry"),
        label: z.string(),
      }),
    },
    problems: ["wrong-audience"],
  }),
} as const;
