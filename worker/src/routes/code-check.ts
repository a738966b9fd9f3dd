/**
 * `POST /api/codes/check` {code}: the check-in API's first step, on its own so that a device
 * can tell the person at once whether the poster in front of them still works. `code` is the
 * base32 text of a code URL's fragment (the part before any kiosk suffix). The answer names the
 * entrance; refusals are `invalid-code`, `code-expired`, `unknown-code`, `code-replaced` (410)
 * and `venue-closed`. The code travels in the body, never in a URL: which venue someone visits
 * must not end up in access logs.
 */
import { decodeBase32, isProtocolError } from "@lintel/protocol";
import { Hono } from "hono";
import * as z from "zod";
import type { AppBindings } from "../env.ts";
import { readJsonBody } from "../middleware/json-body/index.ts";
import { ProblemError } from "../problems/problem.ts";
import { currentCode } from "../venues/code-status.ts";

const checkSchema = z.strictObject({ code: z.string().min(1).max(1200) });

export const codeCheckRoutes = new Hono<AppBindings>().post("/check", async (c) => {
  const { code } = await readJsonBody(c, checkSchema, 2048);
  let signed: Uint8Array;
  try {
    signed = decodeBase32(code);
  } catch (e) {
    if (isProtocolError(e)) throw new ProblemError("invalid-code", "The code is not base32 text.");
    throw e;
  }
  c.header("cache-control", "no-store");
  return c.json(await currentCode(c.env, signed));
});
