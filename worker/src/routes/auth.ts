/**
 * Accounts and device sign-in. No passwords anywhere: a device proves possession of its key by
 * signing the very request that enrols it (PROTOCOL.md §6.1), and every later request.
 *
 *   POST   /api/auth/operators          anyone: a new venue operator account with this device
 *   POST   /api/auth/enrol              anyone holding a one-time enrolment code: binds this
 *                                       device to the account the code was made for
 *   GET    /api/auth/me                 signed: who this device signs in as, until when
 *   POST   /api/auth/devices            signed: enrol another device key for the same account
 *                                       (a new phone, or renewing before the lifetime ends)
 *   POST   /api/auth/enrolment-codes    operator: a one-time code (an hour) that enrols another
 *                                       browser as a device of this account (POST /enrol)
 *   GET    /api/auth/devices            signed: the account's devices (which one is this)
 *   DELETE /api/auth/devices/:id        signed: sign a device of the account out — "current" for
 *                                       this one, "all" for every one (a lost or stolen device)
 *   POST   /api/registry/accounts       registry: a registry, officer or auditor account, with
 *                                       its first enrolment code
 *   POST   /api/registry/accounts/:id/enrolment-codes
 *                                       registry: a fresh code for an existing account (a person
 *                                       who lost every device)
 *   GET    /api/registry/accounts       registry: the reviewers and their scopes
 *   PUT    /api/registry/accounts/:id/scope
 *                                       registry of full scope: another reviewer's districts and
 *                                       sectors
 *
 * Only a reviewer of full scope makes, re-enrols or rescopes registry accounts: one of partial
 * scope could otherwise hand itself (a new account, or a colleague's) more than it holds.
 *
 * Bodies and answers are declared in contract/src/routes/accounts.ts (`accountRoutes`).
 */

import {
  accountRoutes,
  FULL_SCOPE,
  type ReviewerScope,
  type RouteContract,
} from "@lintel/contract";
import { enrolmentCodeHash, toHex } from "@lintel/protocol";
import type { Context, MiddlewareHandler } from "hono";
import { Hono } from "hono";
import { newId } from "../accounts/ids.ts";
import { enrolOfficerKey, removeOfficerKeys } from "../accounts/officer-log.ts";
import {
  accountOfCode,
  createOperator,
  DEVICE_CODE_SECONDS,
  devicesOf,
  findReenrollableAccount,
  insertAccount,
  issueEnrolmentCode,
  liveDeviceKeys,
  newDevice,
  redeemEnrolmentCode,
  registryReviewers,
  revokeDevice,
  revokeDevices,
  setScope,
  staffEntranceIds,
} from "../accounts/store.ts";
import { loadDeployment } from "../config/deployment.ts";
import { isUniqueViolation } from "../db/d1.ts";
import type { AccountRole, AppBindings, Env } from "../env.ts";
import { checkStatement, principalOf, readStatement, signedBy } from "../middleware/auth/index.ts";
import { reply, validated } from "../middleware/contract/index.ts";
import { DEFAULT_MAX_JSON_BYTES, readBodyBytes } from "../middleware/json-body/index.ts";
import { ProblemError } from "../problems/problem.ts";
import { enforceLimit, LIMITS, type Limit } from "../rate-limit/limiter.ts";
import { requireFullScope } from "../venues/access.ts";
import { readScope } from "../venues/scope.ts";

/** The roles of people's accounts: each may manage its own devices. */
const ALL_ROLES: readonly AccountRole[] = ["registry", "operator", "staff", "officer", "auditor"];
/**
 * Who may ask who it is and sign itself out: every role, kiosks included. A kiosk may do nothing
 * else here — not enrol more keys, not list devices, not make codes.
 */
const SELF_ROLES: readonly AccountRole[] = [...ALL_ROLES, "kiosk"];

/**
 * The door of a self-signed route, before its validation: the rate limit, then the body read
 * once (size-limited) so that both the statement's hash and the contract's validation use it.
 */
function selfSignedDoor(route: RouteContract, limit: Limit): MiddlewareHandler<AppBindings> {
  return async (c, next) => {
    await enforceLimit(c.env, c.req.raw, limit);
    c.set("body", await readBodyBytes(c, route.maxBodyBytes ?? DEFAULT_MAX_JSON_BYTES));
    await next();
  };
}

/**
 * The statement of a request whose key is in its own body: it must be signed by that key.
 * Returns the nonce so that it is stored with the new device.
 */
function selfSignedNonce(c: Context<AppBindings>, publicKey: Uint8Array): string {
  const decoded = readStatement(c, "the new key");
  if (checkStatement(c, decoded, c.get("body"), publicKey) !== "ok") {
    throw new ProblemError("bad-statement", "The statement is not signed by the enrolled key.");
  }
  return toHex(decoded.statement.nonce);
}

async function runEnrolment(batch: () => Promise<unknown>): Promise<void> {
  try {
    await batch();
  } catch (e) {
    if (isUniqueViolation(e)) {
      throw new ProblemError("key-already-enrolled", "This device key is already enrolled.");
    }
    throw e;
  }
}

const { signUpOperator, enrol, me, addDevice, newDeviceCode, listDevices, signOutDevice } =
  accountRoutes;

export const authRoutes = new Hono<AppBindings>()
  .post(
    "/operators",
    selfSignedDoor(signUpOperator, LIMITS.operatorSignUp),
    validated(signUpOperator),
    async (c) => {
      const body = c.req.valid("json");
      const nonce = selfSignedNonce(c, body.publicKey);
      const deployment = loadDeployment(c.env.LINTEL_DEPLOYMENT).id;
      const now = Math.floor(Date.now() / 1000);
      const accountId = newId("a");
      const db = c.env.DB;
      const device = newDevice(db, deployment, accountId, "operator", body.publicKey, now);
      await runEnrolment(() =>
        createOperator(db, { id: accountId, label: body.label }, device, nonce, now),
      );
      return reply(c, signUpOperator, 201, {
        accountId,
        role: "operator",
        label: body.label,
        venueId: null,
        expiresAt: device.expiresAt,
      });
    },
  )
  .post("/enrol", selfSignedDoor(enrol, LIMITS.enrolment), validated(enrol), async (c) => {
    const body = c.req.valid("json");
    const nonce = selfSignedNonce(c, body.publicKey);
    const codeHash = enrolmentCodeHash(body.code);
    const db = c.env.DB;
    const now = Math.floor(Date.now() / 1000);
    const account = await accountOfCode(db, codeHash, now);
    if (!account) {
      throw new ProblemError("enrolment-code-invalid", "This enrolment code is not valid.");
    }
    const deployment = loadDeployment(c.env.LINTEL_DEPLOYMENT).id;
    const device = newDevice(db, deployment, account.id, account.role, body.publicKey, now, {
      unspentCodeHash: codeHash,
    });
    // One transaction: two requests racing with one code cannot both get a device.
    let won = false;
    await runEnrolment(async () => {
      won = await redeemEnrolmentCode(db, device, nonce, codeHash, now);
    });
    if (!won) {
      throw new ProblemError("enrolment-code-invalid", "This enrolment code was just used.");
    }
    if (account.role === "officer") {
      await logOfficerDevice(c.env, device.deviceId, body.publicKey, account.label, account.id);
    }
    return reply(c, enrol, 201, {
      accountId: account.id,
      role: account.role,
      label: account.label,
      venueId: account.venueId,
      expiresAt: device.expiresAt,
    });
  })
  .get("/me", signedBy(SELF_ROLES), validated(me), async (c) => {
    const p = principalOf(c);
    const entrances = await staffEntranceIds(c.env.DB, p.accountId);
    return reply(c, me, 200, {
      accountId: p.accountId,
      role: p.role,
      label: p.label,
      venueId: p.venueId,
      entrances,
      expiresAt: p.deviceExpiresAt,
      scope: p.scope,
    });
  })
  .post("/devices", signedBy(ALL_ROLES), validated(addDevice), async (c) => {
    const p = principalOf(c);
    const body = c.req.valid("json");
    const now = Math.floor(Date.now() / 1000);
    const deployment = loadDeployment(c.env.LINTEL_DEPLOYMENT).id;
    // A device enrolled from another lives no longer than it: a stolen device cannot renew itself
    // (or a key of its thief) past the lifetime the account was given.
    const device = newDevice(c.env.DB, deployment, p.accountId, p.role, body.publicKey, now, {
      notAfter: p.deviceLifetimeEnd,
    });
    await runEnrolment(() => device.insert.run());
    if (p.role === "officer") {
      await logOfficerDevice(c.env, device.deviceId, body.publicKey, p.label, p.accountId);
    }
    return reply(c, addDevice, 201, { deviceId: device.deviceId, expiresAt: device.expiresAt });
  })
  .post("/enrolment-codes", signedBy(["operator"]), validated(newDeviceCode), async (c) => {
    // Another browser of this operator: it redeems the code at POST /enrol like any device.
    // Operators only: the registry re-enrols the roles it made, and the others have one person
    // at one device.
    const p = principalOf(c);
    const now = Math.floor(Date.now() / 1000);
    const code = await issueEnrolmentCode(
      c.env.DB,
      p.accountId,
      p.accountId,
      now,
      [],
      DEVICE_CODE_SECONDS,
    );
    return reply(c, newDeviceCode, 201, code);
  })
  .get("/devices", signedBy(ALL_ROLES), validated(listDevices), async (c) => {
    const p = principalOf(c);
    const devices = await devicesOf(c.env.DB, p.accountId);
    return reply(c, listDevices, 200, {
      devices: devices.map((d) => ({ ...d, current: d.id === p.deviceId })),
    });
  })
  .delete("/devices/:id", signedBy(SELF_ROLES), validated(signOutDevice), async (c) => {
    const p = principalOf(c);
    const named = c.req.valid("param").id;
    // "all": every device of the account, this one included (a device was lost or stolen).
    const id = named === "current" ? p.deviceId : named;
    const now = Math.floor(Date.now() / 1000);
    // An officer's signed-out keys leave the log's officer set too (PROTOCOL.md §11.2).
    const officerKeys = p.role === "officer" ? await liveDeviceKeys(c.env.DB, p.accountId, id) : [];
    const signedOut = await revokeDevices(c.env.DB, p.accountId, id, now);
    if (signedOut === 0) throw new ProblemError("not-found", "No such device of this account.");
    await removeOfficerKeys(c.env, officerKeys);
    return c.body(null, 204);
  });

/**
 * Enrols a new officer device's key in the log. A device whose key the log refused to take is
 * signed out again: an officer device must never sign in without its key being in the log.
 */
async function logOfficerDevice(
  env: AppBindings["Bindings"],
  deviceId: string,
  publicKey: Uint8Array,
  label: string,
  accountId: string,
): Promise<void> {
  try {
    await enrolOfficerKey(env, publicKey, label, accountId);
  } catch (e) {
    await revokeDevice(env.DB, deviceId, Math.floor(Date.now() / 1000));
    throw e;
  }
}

const { createAccount, newEnrolmentCode, listReviewers, setReviewerScope } = accountRoutes;

export const registryAccountRoutes = new Hono<AppBindings>()
  .post("/", signedBy(["registry"]), validated(createAccount), async (c) => {
    const p = principalOf(c);
    const body = c.req.valid("json");
    const db = c.env.DB;
    // Officers and auditors work across the whole deployment, and a reviewer makes no one wider
    // than themselves: every account is made by a reviewer of full scope.
    requireFullScope(p, "make officer, auditor and registry accounts");
    if (body.role !== "registry" && body.scope !== undefined) {
      throw new ProblemError("invalid-body", "Only a registry reviewer has a scope.", {
        errors: [{ pointer: "/scope", reason: "only for role registry" }],
      });
    }
    const scope = body.role === "registry" ? (body.scope ?? FULL_SCOPE) : null;
    if (scope) requireKnownDistricts(c.env, scope);
    const accountId = newId("a");
    const now = Math.floor(Date.now() / 1000);
    const code = await issueEnrolmentCode(db, accountId, p.accountId, now, [
      insertAccount(
        db,
        {
          id: accountId,
          role: body.role,
          label: body.label,
          createdBy: p.accountId,
          ...(scope ? { scope } : {}),
        },
        now,
      ),
    ]);
    return reply(c, createAccount, 201, {
      accountId,
      role: body.role,
      label: body.label,
      scope,
      ...code,
    });
  })
  .get("/", signedBy(["registry"]), validated(listReviewers), async (c) => {
    const reviewers = await registryReviewers(c.env.DB);
    return reply(c, listReviewers, 200, {
      reviewers: reviewers.map((r) => ({
        accountId: r.id,
        label: r.label,
        scope: readScope(r),
        createdAt: r.createdAt,
      })),
    });
  })
  .put("/:id/scope", signedBy(["registry"]), validated(setReviewerScope), async (c) => {
    const p = principalOf(c);
    requireFullScope(p, "change reviewers' scopes");
    const { id } = c.req.valid("param");
    // Narrowing one's own scope could leave no reviewer able to widen it again.
    if (id === p.accountId) {
      throw new ProblemError("forbidden", "Another reviewer of full scope changes yours.");
    }
    const scope = c.req.valid("json");
    requireKnownDistricts(c.env, scope);
    if (!(await setScope(c.env.DB, id, scope))) {
      throw new ProblemError("not-found", "No such registry reviewer.");
    }
    return reply(c, setReviewerScope, 200, { accountId: id, scope });
  })
  .post("/:id/enrolment-codes", signedBy(["registry"]), validated(newEnrolmentCode), async (c) => {
    const p = principalOf(c);
    const db = c.env.DB;
    // A code signs in as that account: a reviewer with that reviewer's scope, an officer or an
    // auditor with the whole deployment's reach. Only who could make the account may re-enrol it.
    requireFullScope(p, "re-enrol officers, auditors and registry reviewers");
    const account = await findReenrollableAccount(db, c.req.valid("param").id);
    if (!account) throw new ProblemError("not-found", "No such account.");
    const code = await issueEnrolmentCode(
      db,
      account.id,
      p.accountId,
      Math.floor(Date.now() / 1000),
    );
    return reply(c, newEnrolmentCode, 201, { accountId: account.id, ...code });
  });

function requireKnownDistricts(env: Env, scope: ReviewerScope): void {
  const known = new Set(loadDeployment(env.LINTEL_DEPLOYMENT).districts.map((d) => d.id));
  if (scope.districts?.some((d) => !known.has(d))) {
    throw new ProblemError("invalid-body", "This deployment has no such district.", {
      errors: [{ pointer: "/districts", reason: "the deployment's district ids" }],
    });
  }
}
