/**
 * `POST /api/registry/reviewers {label}` — how a deployment gets its first registry reviewer
 * (and a new one if every reviewer lost their devices): a request signed with the registry key
 * itself, by whoever holds it (`npm run bootstrap -- reviewer`, DEPLOY.md), answered with a new
 * registry account and its one-time enrolment code, which the reviewer types into `/registry/`
 * on their own device. Later reviewers are enrolled by a reviewer (`/api/registry/accounts`).
 *
 * The statement (PROTOCOL.md §6.1) must verify with the public half of REGISTRY_SIGNING_KEY, be
 * within ±5 minutes and carry a nonce not used before (kept with the devices' nonces under the
 * pseudo device id `registry-key`); the nonce, the account and its code are written in one batch,
 * so a replay writes nothing.
 */
import { accountRoutes } from "@lintel/contract";
import { toHex } from "@lintel/protocol";
import { Hono } from "hono";
import { newId } from "../accounts/ids.ts";
import { issueEnrolmentCode, registryKeyReviewerWrites } from "../accounts/store.ts";
import { secretPublicKey } from "../config/secrets.ts";
import { isUniqueViolation } from "../db/d1.ts";
import type { AppBindings } from "../env.ts";
import { checkStatement, readStatement } from "../middleware/auth/index.ts";
import { reply, validated } from "../middleware/contract/index.ts";
import { readBodyBytes } from "../middleware/json-body/index.ts";
import { ProblemError } from "../problems/problem.ts";

const route = accountRoutes.createReviewer;
/** Nonces of registry-key statements share request_nonces with the devices' under this id. */
const REGISTRY_KEY_NONCES = "registry-key";

export const registryReviewerRoutes = new Hono<AppBindings>().post(
  "/",
  async (c, next) => {
    // The registry key's signature first, over the body's exact bytes; then the body's shape.
    const decoded = readStatement(c, "the registry key");
    const body = await readBodyBytes(c, route.maxBodyBytes);
    const registryKey = secretPublicKey(c.env, "REGISTRY_SIGNING_KEY");
    if (checkStatement(c, decoded, body, registryKey) !== "ok") {
      throw new ProblemError("bad-statement", "Only the registry key signs this request.");
    }
    c.set("body", body);
    await next();
  },
  validated(route),
  async (c) => {
    const { label } = c.req.valid("json");
    const nonce = toHex(readStatement(c, "the registry key").statement.nonce);
    const db = c.env.DB;
    const accountId = newId("a");
    const now = Math.floor(Date.now() / 1000);
    try {
      const code = await issueEnrolmentCode(
        db,
        accountId,
        REGISTRY_KEY_NONCES,
        now,
        registryKeyReviewerWrites(db, { id: accountId, label }, REGISTRY_KEY_NONCES, nonce, now),
      );
      c.header("cache-control", "no-store");
      return reply(c, route, 201, { accountId, role: "registry", label, ...code });
    } catch (e) {
      if (isUniqueViolation(e)) {
        throw new ProblemError("statement-replayed", "This statement was already used.");
      }
      throw e;
    }
  },
);
