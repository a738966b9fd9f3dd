import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { callRoute } from "@lintel/client-sdk";
import { citizenRoutes } from "@lintel/contract";
import { afterAll, describe, expect, it } from "vitest";
import { DEV_SERVER_START_MS, startDevServer } from "../../scripts/lib/dev-server.ts";
import { queryLocal } from "../../scripts/lib/wrangler.ts";

const home = mkdtempSync(path.join(os.tmpdir(), "lintel-restart-"));
afterAll(() => rmSync(home, { recursive: true, force: true }));

async function registryKey(base: string): Promise<string> {
  const { registry } = await callRoute({ baseUrl: base }, citizenRoutes.deployment);
  if (registry === null) throw new Error("the demo deployment publishes no registry key");
  return registry.publicKey;
}

// Two starts of npm run dev, one after the other.
describe("restarting npm run dev", { timeout: 2 * DEV_SERVER_START_MS }, () => {
  it("keeps the local data and the demo identities, and seeds nothing twice", async () => {
    const first = await startDevServer(home);
    let keyBefore: string;
    try {
      expect(first.output()).toContain("identities created now");
      keyBefore = await registryKey(first.baseUrl);
      const res = await fetch(`${first.baseUrl}/api/reports`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ venueId: "hbr-lib", kind: "code-damaged" }),
      });
      expect(res.status).toBe(201);
    } finally {
      await first.stop();
    }
    const identitiesBefore = readFileSync(path.join(home, "identities.json"), "utf8");

    const second = await startDevServer(home);
    try {
      expect(second.output()).toContain("identities reused");
      expect(await registryKey(second.baseUrl)).toBe(keyBefore);
      expect(readFileSync(path.join(home, "identities.json"), "utf8")).toBe(identitiesBefore);
    } finally {
      await second.stop();
    }
    const persist = path.join(home, "state");
    expect(await queryLocal("SELECT COUNT(*) AS n FROM reports", persist)).toEqual([{ n: 1 }]);
    expect(await queryLocal("SELECT COUNT(*) AS n FROM venues", persist)).toEqual([{ n: 1 }]);
    expect(await queryLocal("SELECT COUNT(*) AS n FROM principals", persist)).toEqual([{ n: 7 }]);
    // The demo reviewer and the two officers, made through the service on the first start only;
    // the second start made the reviewer's fresh browser code, nothing else.
    expect(
      await queryLocal(
        "SELECT role, COUNT(*) AS n FROM accounts GROUP BY role ORDER BY role",
        persist,
      ),
    ).toEqual([
      { role: "officer", n: 2 },
      { role: "registry", n: 1 },
    ]);
    expect(await queryLocal("SELECT COUNT(*) AS n FROM devices", persist)).toEqual([{ n: 3 }]);
  });
});
