import { randomInt } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";

/**
 * Why ports are picked below the ephemeral range: a port the OS handed out for a bind to port 0
 * is free again the moment we close it, and every workerd, miniflare and browser on the machine
 * keeps binding port 0 — one of them can take it before wrangler binds it ("Address already in
 * use", seen in CI). The OS never hands out ports below its ephemeral range on its own, so a port
 * picked there stays free unless another picker chooses the very same one.
 */
function pickRange(): { low: number; high: number } {
  let ephemeralLow = 32768; // Linux's default; macOS and Windows start at 49152
  try {
    const [low] = readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8")
      .trim()
      .split(/\s+/);
    if (low && Number(low) > 12_000) ephemeralLow = Number(low);
  } catch {
    // not Linux: the default holds
  }
  return { low: 10_000, high: ephemeralLow - 1 };
}

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/** A TCP port on 127.0.0.1 that is free right now and that the OS will not hand out by itself. */
export async function freePort(taken: ReadonlySet<number> = new Set()): Promise<number> {
  const { low, high } = pickRange();
  for (let attempt = 0; attempt < 500; attempt++) {
    const port = randomInt(low, high + 1);
    if (!taken.has(port) && (await canBind(port))) return port;
  }
  throw new Error(`no free port between ${low} and ${high}`);
}
