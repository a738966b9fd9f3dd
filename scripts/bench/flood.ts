/**
 * A caller of its own: keeps `callers` requests in flight, back to back, until its stdin closes or
 * each caller has sent `perCaller`. Run as a separate process by the log benchmarks, so the
 * requests it sends cost the reader being measured only what they cost the service, as an
 * attacker's on another machine would — not time on the reader's own event loop.
 *
 * Usage: tsx flood.ts '<json FloodSpec>'. Prints `started` once the first requests are on their
 * way, then, when it stops, one JSON line: `{"sent": n, "unexpected": [status…]}`.
 */
import { readFileSync } from "node:fs";

export interface FloodSpec {
  readonly url: string;
  readonly method: "GET" | "POST";
  /** A file holding the request body (POST), sent with content-type application/json. */
  readonly bodyFile?: string;
  /** The status every answer must have. */
  readonly expect: number;
  readonly callers: number;
  readonly perCaller: number;
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2] ?? "") as FloodSpec;
  const body = spec.bodyFile ? readFileSync(spec.bodyFile, "utf8") : undefined;
  let running = true;
  process.stdin.on("end", () => {
    running = false;
  });
  process.stdin.resume();
  let sent = 0;
  const unexpected: number[] = [];
  const callers = Array.from({ length: spec.callers }, async (_, caller) => {
    // Each caller from a network of its own (TEST-NET-3), as ten attackers would be: the local
    // runtime takes the client address from this header.
    const headers: Record<string, string> = { "cf-connecting-ip": `203.0.113.${caller + 1}` };
    if (body !== undefined) headers["content-type"] = "application/json";
    for (let i = 0; i < spec.perCaller && running; i++) {
      const res = await fetch(spec.url, {
        method: spec.method,
        headers,
        ...(body === undefined ? {} : { body }),
      });
      await res.arrayBuffer();
      sent++;
      if (res.status !== spec.expect) unexpected.push(res.status);
    }
  });
  process.stdout.write("started\n");
  await Promise.all(callers);
  process.stdout.write(`${JSON.stringify({ sent, unexpected })}\n`);
  process.exit(0);
}

await main();
