/**
 * The trustee role (PROTOCOL.md §11.3): the same worker code, run with `role = "trustee"`, its
 * own database, its key share (TRUSTEE_SHARE_KEY) and release-signing key (TRUSTEE_SIGNING_KEY).
 *
 *   GET  /trustee            who this trustee is: id, public share key, signing key, log view
 *   POST /trustee/release    an officer's signed request with a query's tlog-proof → release
 *
 * On any other role these paths do not exist (404).
 */

import { trusteeRoutes as trusteeContract } from "@lintel/contract";
import { ed25519PublicKey, encodeBase64url, shareKeyOf } from "@lintel/protocol";
import type { Context } from "hono";
import { Hono } from "hono";
import { cors } from "hono/cors";
import { loadDeployment, loadTrusteeRole } from "../config/deployment.ts";
import { secretSeed } from "../config/secrets.ts";
import type { AppBindings } from "../env.ts";
import { reply, validated } from "../middleware/contract/index.ts";
import { readBodyBytes } from "../middleware/json-body/index.ts";
import { ProblemError } from "../problems/problem.ts";
import { enforceLimit, LIMITS } from "../rate-limit/limiter.ts";
import { release, trusteeShare } from "./release.ts";
import { seenLogSize } from "./store.ts";

function trusteeRole(c: Context<AppBindings>) {
  if (loadDeployment(c.env.LINTEL_DEPLOYMENT).role !== "trustee") {
    throw new ProblemError("not-found", "This instance is not a trustee.");
  }
  return loadTrusteeRole(c.env.LINTEL_TRUSTEE);
}

export const trusteeRoutes = new Hono<AppBindings>()
  // Officers ask from the authority's console, another origin. Any origin may: the officer's
  // signed statement is the only credential (no cookies), and what is released goes back to the
  // officer's own page only.
  .use(
    "*",
    cors({
      origin: "*",
      allowMethods: ["GET", "POST"],
      allowHeaders: ["content-type", "lintel-statement"],
      maxAge: 600,
    }),
  )
  .get("/", async (c) => {
    const role = trusteeRole(c);
    const seenSize = await seenLogSize(c.env.DB);
    return reply(c, trusteeContract.trustee, 200, {
      trusteeId: role.id,
      shareKey: encodeBase64url(shareKeyOf(trusteeShare(c.env))),
      signingKey: encodeBase64url(ed25519PublicKey(secretSeed(c.env, "TRUSTEE_SIGNING_KEY"))),
      logOrigin: role.logKey.slice(0, role.logKey.indexOf("+")),
      seenSize: seenSize ?? "0",
    });
  })
  .post(
    "/release",
    async (c, next) => {
      trusteeRole(c);
      await enforceLimit(c.env, c.req.raw, LIMITS.trusteeRelease);
      // Read once: the bytes are hashed into the officer's statement, then parsed by the
      // contract's validation (media type, size and shape).
      c.set("body", await readBodyBytes(c, trusteeContract.release.maxBodyBytes));
      await next();
    },
    validated(trusteeContract.release),
    async (c) => {
      const answer = await release(c, trusteeRole(c), c.req.valid("json").proof, c.get("body"));
      c.header("cache-control", "no-store");
      return reply(c, trusteeContract.release, 200, answer);
    },
  );
