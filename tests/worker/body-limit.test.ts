/**
 * The JSON body limit is enforced while the body streams in, not after it has been read: a client
 * that sends no Content-Length (or a false one) must not make the worker buffer an unbounded body.
 * The final length check alone would still answer 413, but only after reading everything, so
 * these tests count the bytes the worker pulled from the stream.
 */
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import * as z from "zod";
import type { AppBindings } from "../../worker/src/env.ts";
import { readJsonBody } from "../../worker/src/middleware/json-body/index.ts";
import { onError } from "../../worker/src/problems/handlers.ts";
import { expectProblem } from "./helpers.ts";

const LIMIT = 1024;
const CHUNK = 256;
/** Far more than the limit: a worker that reads it all has not stopped at the limit. */
const TOTAL = 1024 * 1024;

/** A body that hands out CHUNK bytes per pull, up to TOTAL, recording what was taken. */
function countingBody(): {
  stream: ReadableStream<Uint8Array>;
  pulled: () => number;
  cancelled: () => boolean;
} {
  let pulled = 0;
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (pulled >= TOTAL) {
          controller.close();
          return;
        }
        // Starts a JSON string so nothing short of the limit can refuse it as malformed first.
        const chunk = new TextEncoder().encode((pulled === 0 ? '"' : "") + "x".repeat(CHUNK));
        pulled += chunk.byteLength;
        controller.enqueue(chunk);
      },
      cancel() {
        cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, pulled: () => pulled, cancelled: () => cancelled };
}

function streamedPost(stream: ReadableStream<Uint8Array>, headers: Record<string, string> = {}) {
  return {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: stream,
    duplex: "half",
  } as RequestInit;
}

function limitedApp() {
  const seen: unknown[] = [];
  const app = new Hono<AppBindings>();
  app.post("/echo", async (c) => {
    seen.push(await readJsonBody(c, z.string(), LIMIT));
    return c.json({ ok: true });
  });
  app.onError(onError);
  return { app, seen };
}

describe("the streaming JSON body limit (invariant 8)", () => {
  it("stops reading a body without Content-Length at the limit and refuses it with 413", async () => {
    const { app, seen } = limitedApp();
    const body = countingBody();
    const req = new Request("http://lintel.test/echo", streamedPost(body.stream));
    expect(req.headers.get("content-length")).toBeNull();
    await expectProblem(await app.fetch(req), 413, "payload-too-large");
    expect(seen).toEqual([]);
    // At most the limit plus the chunk that crossed it (and one read-ahead), never the whole body.
    expect(body.pulled()).toBeLessThanOrEqual(LIMIT + 3 * CHUNK);
    expect(body.cancelled()).toBe(true);
  });

  it("stops reading a body whose Content-Length understates it", async () => {
    const { app, seen } = limitedApp();
    const body = countingBody();
    const req = new Request(
      "http://lintel.test/echo",
      streamedPost(body.stream, { "content-length": "10" }),
    );
    await expectProblem(await app.fetch(req), 413, "payload-too-large");
    expect(seen).toEqual([]);
    expect(body.pulled()).toBeLessThanOrEqual(LIMIT + 3 * CHUNK);
  });

  it("still reads a streamed body within the limit", async () => {
    const { app, seen } = limitedApp();
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const part of ['"hel', "lo", '"']) controller.enqueue(new TextEncoder().encode(part));
        controller.close();
      },
    });
    const res = await app.fetch(new Request("http://lintel.test/echo", streamedPost(stream)));
    expect(res.status).toBe(200);
    expect(seen).toEqual(["hello"]);
  });
});
