/**
 * Entrance codes as the registry issued them:
 *
 *   GET /api/entrances/:id/code   the current code of an entrance: its URL (payload in the
 *                                 fragment), the manual-entry code, version and validity
 *   GET /api/codes/:manual        what a person typed instead of scanning: the signed code it
 *                                 stands for. The device verifies the signature and that the
 *                                 manual code is the hash of exactly these bytes (PROTOCOL.md §3.4),
 *                                 so this answer needs no trust. A replaced code answers 410.
 */
import {
  encodeBase32,
  formatManualCode,
  isProtocolError,
  normalizeManualCode,
  venueCodeUrl,
} from "@lintel/protocol";
import { Hono } from "hono";
import { blobBytes } from "../db/d1.ts";
import type { AppBindings } from "../env.ts";
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

export const manualCodeRoutes = new Hono<AppBindings>().get("/:manual", async (c) => {
  let manual: string;
  try {
    manual = normalizeManualCode(decodeURIComponent(c.req.param("manual")));
  } catch (e) {
    if (isProtocolError(e) || e instanceof URIError) {
      throw new ProblemError("manual-code-typo", "Check the code on the poster and type it again.");
    }
    throw e;
  }
  const row = await c.env.DB.prepare(
    "SELECT entrance_id AS entranceId, version, signed, replaced_at AS replacedAt FROM entrance_codes WHERE manual_code = ?",
  )
    .bind(manual)
    .first<{ entranceId: string; version: number; signed: unknown; replacedAt: number | null }>();
  if (!row) throw new ProblemError("unknown-code", "No entrance has this code.");
  if (row.replacedAt !== null) {
    throw new ProblemError("code-replaced", "This code was replaced; scan the new poster.");
  }
  c.header("cache-control", "public, max-age=60");
  return c.json({
    entranceId: row.entranceId,
    version: row.version,
    code: encodeBase32(blobBytes(row.signed)),
  });
});
