/**
 * Signed requests (PROTOCOL.md §6.1). Every privileged call carries a `Lintel-Statement` header:
 * a statement over the deployment, method, path, time, a nonce and the SHA-256 of the body,
 * signed by an enrolled device key. `signedBy(...roles)` checks, in this order:
 *
 *   1. the header is present (401 unauthenticated) and decodes strictly (401 bad-statement);
 *   2. an enrolled, unrevoked device with the statement's key id verifies the signature, and the
 *      statement names this deployment, method, path and body (401 bad-statement);
 *   3. its time is within ±300 s (401 statement-expired);
 *   4. the device is within its lifetime and idle limit (401 session-expired);
 *   5. the account's role is one of `roles` (403 forbidden);
 *   6. the nonce is new: it is stored with the device's last-use time in one batch, so a replay
 *      fails on the primary key (401 statement-replayed) and changes nothing.
 *
 * The body is read here, once, up to `maxBodyBytes`, and handed on as `c.var.body`.
 * Whether the account may touch *this* venue or entrance is the route's check (access.ts).
 */
import {
  type SignedRequestStatement as DecodedRequestStatement,
  decodeBase64url,
  decodeRequestStatement,
  isProtocolError,
  type StatementAudience,
  toHex,
  verifyRequestStatement,
} from "@lintel/protocol";
import type { Context, MiddlewareHandler } from "hono";
import { type DeviceRow, devicesWithKeyId, recordUse } from "../../accounts/store.ts";
import { loadDeployment } from "../../config/deployment.ts";
import type { AccountRole, AppBindings, Principal } from "../../env.ts";
import { ProblemError } from "../../problems/problem.ts";
import { readScope, resolveScope } from "../../venues/scope.ts";
import { DEFAULT_MAX_JSON_BYTES, readBodyBytes } from "../json-body/index.ts";
import { deviceExpiry } from "./lifetimes.ts";
import { STATEMENT_HEADER, statementPath } from "./statement.ts";

export { STATEMENT_HEADER, statementPath } from "./statement.ts";

/** A statement is under 400 bytes; its base64url well under 1 KiB. */
const MAX_HEADER_CHARS = 1024;

export interface SignedByOptions {
  readonly maxBodyBytes?: number;
  /**
   * The receiver a statement must name (a release: PROTOCOL.md §6.1 v2). Absent, a statement
   * naming any audience is refused: it was made for another receiver.
   */
  readonly audience?: StatementAudience;
}

export function signedBy(
  roles: readonly AccountRole[],
  options: SignedByOptions = {},
): MiddlewareHandler<AppBindings> {
  return async (c, next) => {
    const body = await readBodyBytes(c, options.maxBodyBytes ?? DEFAULT_MAX_JSON_BYTES);
    c.set("body", body);
    const verified = await verifyStatement(c, body);
    const device = await findDevice(c, verified, options.audience);
    const now = Math.floor(Date.now() / 1000);
    if (now >= deviceExpiry(device)) {
      throw new ProblemError("session-expired", "This device's sign-in has expired.");
    }
    if (!roles.includes(device.role)) {
      throw new ProblemError("forbidden", "This account's role does not allow this action.");
    }
    await recordUse(c.env.DB, device.deviceId, verified.nonceHex, now);
    const scope = device.role === "registry" ? readScope(device) : null;
    const principal: Principal = {
      accountId: device.accountId,
      role: device.role,
      label: device.label,
      venueId: device.venueId,
      scope,
      venues: scope === null ? null : resolveScope(scope, loadDeployment(c.env.LINTEL_DEPLOYMENT)),
      deviceId: device.deviceId,
      publicKey: device.publicKey,
      deviceExpiresAt: deviceExpiry({ ...device, lastUsedAt: now }),
      deviceLifetimeEnd: device.expiresAt,
    };
    c.set("principal", principal);
    await next();
    // What a signed request gets back is for that account only: never kept by a shared cache.
    if (!c.res.headers.has("cache-control")) c.header("cache-control", "no-store");
  };
}

interface VerifiedStatement {
  readonly decoded: DecodedRequestStatement;
  readonly nonceHex: string;
  readonly body: Uint8Array;
  readonly path: string;
}

/**
 * The request's statement, decoded: a missing header is `unauthenticated` ("Sign this request
 * with `signer`."), an overlong or malformed one `bad-statement`. Checking it is the caller's
 * next step (`checkStatement`, or the device lookup of `signedBy`).
 */
export function readStatement(c: Context, signer: string): DecodedRequestStatement {
  const header = c.req.header(STATEMENT_HEADER);
  if (header === undefined || header === "") {
    throw new ProblemError("unauthenticated", `Sign this request with ${signer}.`);
  }
  if (header.length > MAX_HEADER_CHARS) {
    throw new ProblemError("bad-statement", "The request statement is too long.");
  }
  try {
    return decodeRequestStatement(decodeBase64url(header));
  } catch (e) {
    if (isProtocolError(e)) {
      throw new ProblemError("bad-statement", "The request statement is malformed.");
    }
    throw e;
  }
}

async function verifyStatement(
  c: Context<AppBindings>,
  body: Uint8Array,
): Promise<VerifiedStatement> {
  const decoded = readStatement(c, "an enrolled device key");
  return { decoded, nonceHex: toHex(decoded.statement.nonce), body, path: statementPath(c) };
}

/**
 * Verifies the statement against the request with the given public key. Exported for the two
 * routes where the key is in the body (sign-up, enrolment): they prove possession the same way.
 */
export function checkStatement(
  c: Context<AppBindings>,
  decoded: DecodedRequestStatement,
  body: Uint8Array,
  publicKey: Uint8Array,
  audience?: StatementAudience,
): "ok" | "bad-signature" {
  try {
    verifyRequestStatement(decoded, {
      deployment: loadDeployment(c.env.LINTEL_DEPLOYMENT).id,
      method: c.req.method,
      path: statementPath(c),
      body,
      now: new Date(),
      publicKey,
      ...(audience ? { audience } : {}),
    });
    return "ok";
  } catch (e) {
    if (!isProtocolError(e)) throw e;
    if (e.code === "bad-signature") return "bad-signature";
    if (e.code === "expired") {
      throw new ProblemError("statement-expired", "The statement's time is too far from now.");
    }
    if (e.code === "wrong-audience") {
      throw new ProblemError("wrong-audience", "The statement was made for another receiver.");
    }
    throw new ProblemError("bad-statement", "The statement was made for a different request.");
  }
}

async function findDevice(
  c: Context<AppBindings>,
  v: VerifiedStatement,
  audience: StatementAudience | undefined,
): Promise<DeviceRow> {
  const results = await devicesWithKeyId(c.env.DB, toHex(v.decoded.statement.keyId));
  // Key ids are 4 bytes: a few devices may share one, so try each until a signature verifies.
  for (const row of results) {
    if (
      checkStatement(c, v.decoded, v.body, decodeBase64url(row.publicKey, 32), audience) === "ok"
    ) {
      return row;
    }
  }
  throw new ProblemError("bad-statement", "No enrolled device key verifies this statement.");
}

/** The verified principal; only for handlers behind `signedBy`. */
export function principalOf(c: Context<AppBindings>): Principal {
  return c.get("principal");
}
