import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { freePort } from "./ports.ts";

function ephemeralLow(): number {
  try {
    return Number(
      readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/)[0],
    );
  } catch {
    return 32768;
  }
}

describe("freePort", () => {
  it("picks a bindable port below the range the OS hands out for port 0", async () => {
    const port = await freePort();
    expect(port).toBeGreaterThanOrEqual(10_000);
    expect(port).toBeLessThan(ephemeralLow());
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", resolve);
    });
    await new Promise((r) => server.close(r));
  });

  it("never returns a port already taken or already picked", async () => {
    const held = createServer();
    const heldPort = await freePort();
    await new Promise<void>((resolve) => held.listen(heldPort, "127.0.0.1", resolve));
    try {
      const picked = new Set<number>([heldPort]);
      for (let i = 0; i < 50; i++) {
        const p = await freePort(picked);
        expect(picked.has(p)).toBe(false);
        picked.add(p);
      }
    } finally {
      await new Promise((r) => held.close(r));
    }
  });
});
