/**
 * The transparency log over HTTP, per C2SP tlog-tiles under the prefix /log (PROTOCOL.md §10.1,
 * §10.5):
 *
 *   GET  /log/checkpoint                      the newest signed checkpoint (text/plain)
 *   GET  /log/tile/<L>/<N>[.p/<W>]            hash tiles (full tiles are immutable)
 *   GET  /log/tile/entries/<N>[.p/<W>]        entry bundles (u16 length-prefixed entries)
 *   GET  /log/proof/<index>                   a C2SP tlog-proof bundle: the entry's inclusion proof
 *                                             in the newest checkpoint, verifiable offline
 *   POST /log/entries                         append signed entries: {"entries": [base64url…]}
 *
 * Entries authenticate themselves (every one is signed by its author and checked against the
 * log policy), so appending needs no other credential; it is rate-limited per network instead
 * (LIMITS.logAppend), and a refused request costs the writer work in proportion to itself. Full tiles never change and may be cached
 * forever; partial tiles and the checkpoint move on with every batch.
 */
import {
  decodeBase64url,
  encodeEntryBundle,
  isProtocolError,
  parseEntryBundlePath,
  parseTilePath,
  TILE_WIDTH,
} from "@lintel/protocol";
import { type Context, Hono } from "hono";
import * as z from "zod";
import { loadDeployment } from "../config/deployment.ts";
import type { AppBindings } from "../env.ts";
import { appendToLog } from "../log/append.ts";
import { entryProof, parseLogIndex } from "../log/proof.ts";
import { logWriterStub } from "../log/writer.ts";
import { readJsonBody } from "../middleware/json-body/index.ts";
import { ProblemError } from "../problems/problem.ts";
import { enforceLimit, LIMITS } from "../rate-limit/limiter.ts";

const IMMUTABLE = "public, max-age=31536000, immutable";
const SHORT = "public, max-age=5";

function stub(c: Context<AppBindings>) {
  return logWriterStub(c.env, loadDeployment(c.env.LINTEL_DEPLOYMENT).id);
}

function parsePath<T>(parse: (path: string) => T, path: string): T {
  try {
    return parse(path);
  } catch (e) {
    if (isProtocolError(e)) throw new ProblemError("not-found", "No such tile.");
    throw e;
  }
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.slice().buffer as ArrayBuffer;
}

const appendSchema = z.strictObject({
  entries: z
    .array(z.string().regex(/^[A-Za-z0-9_-]+$/, "base64url"))
    .min(1)
    .max(100),
});

export const logRoutes = new Hono<AppBindings>()
  .get("/checkpoint", async (c) => {
    const note = await stub(c).checkpoint();
    if (note === null)
      throw new ProblemError("not-found", "The log is empty: it has no checkpoint yet.");
    return c.body(note, 200, {
      "content-type": "text/plain; charset=utf-8",
      "cache-control": "no-store",
    });
  })
  .get("/tile/entries/*", async (c) => {
    const bundle = parsePath(parseEntryBundlePath, c.req.path.slice("/log/".length));
    const entries = await stub(c).entries(bundle.index, bundle.width);
    if (entries === null)
      throw new ProblemError("not-found", "The log does not hold these entries yet.");
    return c.body(toArrayBuffer(encodeEntryBundle(entries)), 200, {
      "content-type": "application/octet-stream",
      "cache-control": bundle.width === TILE_WIDTH ? IMMUTABLE : SHORT,
    });
  })
  .get("/tile/*", async (c) => {
    const tile = parsePath(parseTilePath, c.req.path.slice("/log/".length));
    const hashes = await stub(c).tile(tile.level, tile.index, tile.width);
    if (hashes === null)
      throw new ProblemError("not-found", "The log does not hold this tile yet.");
    return c.body(toArrayBuffer(hashes), 200, {
      "content-type": "application/octet-stream",
      "cache-control": tile.width === TILE_WIDTH ? IMMUTABLE : SHORT,
    });
  })
  .get("/proof/:index", async (c) => {
    const index = parseLogIndex(c.req.param("index"), "An entry index");
    const body = await entryProof(c.env, index, { withEntry: false });
    if (body === null) throw new ProblemError("not-found", "The log does not hold this entry yet.");
    return c.body(body, 200, {
      "content-type": "text/plain; charset=utf-8",
      "cache-control": "no-store",
    });
  })
  .post("/entries", async (c) => {
    // Anonymous: counted before the body is even read.
    await enforceLimit(c.env, c.req.raw, LIMITS.logAppend);
    const body = await readJsonBody(c, appendSchema, 256 * 1024);
    let entries: Uint8Array[];
    try {
      entries = body.entries.map((e) => decodeBase64url(e));
    } catch {
      throw new ProblemError("invalid-body", "An entry is not strict base64url.", {
        errors: [{ pointer: "/entries", reason: "strict base64url without padding" }],
      });
    }
    const outcome = await appendToLog(c.env, entries);
    return c.json(
      { firstIndex: outcome.firstIndex, size: outcome.size, checkpoint: outcome.checkpoint },
      201,
    );
  });
