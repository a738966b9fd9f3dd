/**
 * `POST /api/codes/check` {code}: the check-in API's first step, on its own so that a device
 * can tell the person at once whether the poster in front of them still works. `code` is the
 * base32 text of a code URL's fragment (the part before any kiosk suffix). The answer names the
 * entrance; refusals are `invalid-code`, `code-expired`, `unknown-code`, `code-replaced` (410)
 * and `venue-closed`. The code travels in the body, never in a URL: which venue someone visits
 * must not end up in access logs.
 */

import { citizenRoutes } from "@lintel/contract";
import { decodeBase32, isProtocolError } from "@lintel/protocol";
import { Hono } from "hono";
import type { AppBindings } from "../env.ts";
import { reply, validated } from "../middleware/contract/index.ts";
import { ProblemError } from "../problems/problem.ts";
import { currentCode } from "../venues/code-status.ts";

export const codeCheckRoutes = new Hono<AppBindings>().post(
  "/check",
  validated(citizenRoutes.checkCode),
  async (c) => {
    const { code } = c.req.valid("json");
    let signed: Uint8Array;
    try {
      signed = decodeBase32(code);
    } catch (e) {
      if (isProtocolError(e))
        throw new ProblemError("invalid-code", "The code is not base32 text.");
      throw e;
    }
    c.header("cache-control", "no-store");
    return reply(c, citizenRoutes.checkCode, 200, await currentCode(c.env, signed));
  },
);
