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
import {
  encodeBase32,
  formatManualCode,
  isProtocolError,
  normalizeManualCode,
  venueCodeUrl,
} from "@lintel/protocol";
import { Hono } from "hono";
import * as z from "zod";
import { blobBytes } from "../db/d1.ts";
import type { AppBindings } from "../env.ts";
import { readJsonBody } from "../middleware/json-body/index.ts";
import { ProblemError } from "../problems/problem.ts";
import { idSchema } from "./venues.ts";

// Raw D1 in this module: drizzle maps BLOBs through Node's Buffer, which a worker without
// nodejs_compat does not have.

export const entranceCodeRoutes = new Hono<AppBindings>().get("/:id/code", async (c) => {
  const id = idSchema.safeParse(c.req.param("id"));
  if (!id.success) throw new ProblemError("not-found", "No such entrance.");
  const row = await c.env.DB.prepare(
    `SELECT ec.version AS version, ec.signed AS signed, ec.manual_code AS manual
       FROM entrance_codes ec
       JOIN entrances e ON e.id = ec.entrance_id
       JOIN venues v ON v.id = e.venue_id
      WHERE ec.entrance_id = ? AND v.status = 'approved' AND e.active = 1
      ORDER BY ec.version DESC LIMIT 1`,
  )
    .bind(id.data)
    .first<{ version: number; signed: unknown; manual: string }>();
  if (!row) throw new ProblemError("not-found", "This entrance has no code.");
  const signed = blobBytes(row.signed);
  c.header("cache-control", "public, max-age=60");
  return c.json({
    entranceId: id.data,
    version: row.version,
    url: venueCodeUrl(new URL(c.req.url).origin, signed),
    manualCode: formatManualCode(row.manual),
  });
});

const manualSchema = z.strictObject({ code: z.string().min(1).max(64) });

/** Where a typed code is looked up: in the body, so it never reaches a URL (PROTOCOL.md §3.4). */
export const MANUAL_CODE_PATH = "/api/codes/manual";

interface ManualAnswer {
  readonly entranceId: string;
  readonly version: number;
  /** base32 of the signed code. */
  readonly code: string;
}

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
  const row = await db
    .prepare(
      "SELECT entrance_id AS entranceId, version, signed, replaced_at AS replacedAt FROM entrance_codes WHERE manual_code = ?",
    )
    .bind(manual)
    .first<{ entranceId: string; version: number; signed: unknown; replacedAt: number | null }>();
  if (!row) throw new ProblemError("unknown-code", "No entrance has this code.");
  if (row.replacedAt !== null) {
    throw new ProblemError("code-replaced", "This code was replaced; scan the new poster.");
  }
  return {
    entranceId: row.entranceId,
    version: row.version,
    code: encodeBase32(blobBytes(row.signed)),
  };
}

export const manualCodeRoutes = new Hono<AppBindings>()
  .post("/manual", async (c) => {
    c.header("cache-control", "no-store");
    const { code } = await readJsonBody(c, manualSchema, 1024);
    return c.json(await lookUpManual(c.env.DB, code));
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
