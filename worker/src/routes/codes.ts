/**
 * Entrance codes as the registry issued them:
 *
 *   GET /api/entrances/:id/code   the current code of an entrance: its URL (payload in the
 *                                 fragment), the manual-entry code, version and validity
 *   POST /api/codes/manual        {code}: what a person typed instead of scanning; answers the
 *                                 signed code it stands for. The device verifies the signature and
 *                                 that the manual code is the hash of exactly these bytes
 *                                 (PROTOCOL.md §3.4), so this answer needs no trust. A replaced
 *                                 code answers 410. The typed code travels in the body: in a path
 *                                 it would name the venue in access logs and caches.
 *   GET  /api/codes/:manual       405 method-not-allowed, without a look-up (the old form)
 */

import { citizenRoutes, type RouteReply } from "@lintel/contract";
import {
  encodeBase32,
  formatManualCode,
  isProtocolError,
  normalizeManualCode,
  venueCodeUrl,
} from "@lintel/protocol";
import { Hono } from "hono";
import type { AppBindings } from "../env.ts";
import { reply, validated } from "../middleware/contract/index.ts";
import { ProblemError } from "../problems/problem.ts";
import { codeByManual, latestPublishedCode } from "../venues/store.ts";

export const entranceCodeRoutes = new Hono<AppBindings>().get(
  "/:id/code",
  validated(citizenRoutes.entranceCode),
  async (c) => {
    const { id } = c.req.valid("param");
    const row = await latestPublishedCode(c.env.DB, id);
    if (!row) throw new ProblemError("not-found", "This entrance has no code.");
    c.header("cache-control", "public, max-age=60");
    return reply(c, citizenRoutes.entranceCode, 200, {
      entranceId: id,
      version: row.version,
      url: venueCodeUrl(new URL(c.req.url).origin, row.signed),
      manualCode: formatManualCode(row.manual),
    });
  },
);

/** Where a typed code is looked up: in the body, so it never reaches a URL (PROTOCOL.md §3.4). */
export const MANUAL_CODE_PATH = "/api/codes/manual";

type ManualAnswer = RouteReply<typeof citizenRoutes.manualCode, 200>;

async function lookUpManual(db: D1Database, typed: string): Promise<ManualAnswer> {
  let manual: string;
  try {
    manual = normalizeManualCode(typed);
  } catch (e) {
    if (isProtocolError(e)) {
      throw new ProblemError("manual-code-typo", "Check the code on the poster and type it again.");
    }
    throw e;
  }
  const row = await codeByManual(db, manual);
  if (!row) throw new ProblemError("unknown-code", "No entrance has this code.");
  if (row.replacedAt !== null) {
    throw new ProblemError("code-replaced", "This code was replaced; scan the new poster.");
  }
  return {
    entranceId: row.entranceId,
    version: row.version,
    code: encodeBase32(row.signed),
  };
}

export const manualCodeRoutes = new Hono<AppBindings>()
  .post("/manual", validated(citizenRoutes.manualCode), async (c) => {
    c.header("cache-control", "no-store");
    const { code } = c.req.valid("json");
    return reply(c, citizenRoutes.manualCode, 200, await lookUpManual(c.env.DB, code));
  })
  // The old form put the code, and so the venue someone visits, in the path: access logs and
  // caches keep paths. It is answered without looking anything up, and says where to go.
  .get("/:manual", () => {
    throw new ProblemError(
      "method-not-allowed",
      `Look a typed code up with POST ${MANUAL_CODE_PATH} and the body {"code": "..."}: a code in a URL ends up in access logs.`,
      {},
      { allow: "POST" },
    );
  });
