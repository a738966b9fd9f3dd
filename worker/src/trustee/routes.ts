/**
 * The trustee role (PROTOCOL.md §11.3): the same worker code, run with `role = "trustee"`, its
 * own database, its key share (TRUSTEE_SHARE_KEY) and release-signing key (TRUSTEE_SIGNING_KEY).
 *
 *   GET  /trustee            who this trustee is: id, public share key, signing key, log view
 *   POST /trustee/release    an officer's signed request with a query's tlog-proof → release
 *
 * On any other role these paths do not exist (404).
 */
import { ed25519PublicKey, encodeBase64url, shareKeyOf } from "@lintel/protocol";
import type { Context } from "hono";
import { Hono } from "hono";
import { cors } from "hono/cors";
import * as z from "zod";
import { loadDeployment, loadTrusteeRole } from "../config/deployment.ts";
import { secretSeed } from "../config/secrets.ts";
import type { AppBindings } from "../env.ts";
import { readBodyBytes, readJsonBody } from "../middleware/json-body/index.ts";
import { ProblemError } from "../problems/problem.ts";
import { enforceLimit, LIMITS } from "../rate-limit/limiter.ts";
import { release, trusteeShare } from "./release.ts";

const MAX_RELEASE_BODY_BYTES = 96 * 1024;
const releaseSchema = z.strictObject({ proof: z.string().min(1).max(80_000) });

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
    const row = await c.env.DB.prepare("SELECT size FROM trustee_log_state LIMIT 1").first<{
      size: string;
    }>();
    return c.json({
      trusteeId: role.id,
      shareKey: encodeBase64url(shareKeyOf(trusteeShare(c.env))),
      signingKey: encodeBase64url(ed25519PublicKey(secretSeed(c.env, "TRUSTEE_SIGNING_KEY"))),
      logOrigin: role.logKey.slice(0, role.logKey.indexOf("+")),
      seenSize: row?.size ?? "0",
    });
  })
  .post("/release", async (c) => {
    const role = trusteeRole(c);
    await enforceLimit(c.env, c.req.raw, LIMITS.trusteeRelease);
    // Read once: the bytes are hashed into the officer's statement, then parsed (readJsonBody
    // checks the media type, the size and the shape).
    const body = await readBodyBytes(c, MAX_RELEASE_BODY_BYTES);
    c.set("body", body);
    const { proof } = await readJsonBody(c, releaseSchema, MAX_RELEASE_BODY_BYTES);
    const answer = await release(c, role, proof, body);
    c.header("cache-control", "no-store");
    return c.json(answer);
  });
