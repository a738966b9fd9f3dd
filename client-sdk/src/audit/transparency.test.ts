import { encodeEntry, generateEd25519KeyPair, memoryLogReader, signEntry } from "@lintel/protocol";
import { describe, expect, it } from "vitest";
import { HOUR, T } from "../citizen/exposure/test-log.ts";
import type { FetchLike } from "../http.ts";
import { reportJson } from "./report.ts";
import { activity, LOG_ORIGIN, NOW, ORIGIN, servedLog } from "./testing/served-log.ts";
import { auditTransparency } from "./transparency.ts";

describe("auditTransparency", () => {
  it("verifies the service's log and reports it in the deployment's time zone", async () => {
    const s = servedLog();
    s.publish(activity(s).entries);
    const audit = await auditTransparency({ service: s.options, now: NOW });
    if (!audit.ok) throw new Error(audit.reason);
    const json = reportJson(audit.report);
    expect(json).toMatchObject({
      deployment: s.fake.deployment,
      origin: LOG_ORIGIN,
      logSize: "9",
      timeZone: "Asia/Shanghai",
      totals: { queries: "1", entranceHours: "2", releases: "1", warnings: "1" },
    });
    expect(json.months.map((m) => m.month)).toEqual(["2026-11"]);
    const utc = await auditTransparency({ service: s.options, now: NOW, timeZone: "UTC" });
    expect(utc.ok && utc.report.timeZone).toBe("UTC");
  });

  it("states nothing when an entry does not verify: a warning signed by no officer", async () => {
    const s = servedLog();
    const log = activity(s);
    const stranger = generateEd25519KeyPair();
    const forged = signEntry(
      {
        deployment: s.fake.deployment,
        issuedAt: T,
        body: {
          kind: "exposure-warning",
          queryIndex: 6n,
          entranceId: "hbr-main",
          windowStart: T - 3 * HOUR,
          windowEnd: T - 2 * HOUR,
        },
      },
      [stranger.secretKey],
    );
    s.publish([...log.entries, encodeEntry(forged)]);
    const audit = await auditTransparency({ service: s.options, now: NOW });
    expect(audit.ok).toBe(false);
    expect(!audit.ok && audit.reason).toMatch(/policy|officer|signature/i);
  });

  it("states nothing when the log is served under another key than the signed record's", async () => {
    const s = servedLog();
    const log = activity(s);
    const fetch: FetchLike = async (input, init) => {
      const url = new URL(input);
      if (!url.pathname.startsWith("/log/")) return s.options.fetch(input, init);
      const read = memoryLogReader(log.entries, LOG_ORIGIN, generateEd25519KeyPair().secretKey);
      return new Response(new Uint8Array(await read(url.pathname.slice("/log/".length))));
    };
    const audit = await auditTransparency({ service: { baseUrl: ORIGIN, fetch }, now: NOW });
    expect(audit).toMatchObject({ ok: false, reason: expect.stringMatching(/checkpoint/) });
  });

  it("refuses an unknown time zone before fetching anything", async () => {
    const s = servedLog();
    let calls = 0;
    const fetch: FetchLike = async (input, init) => {
      calls++;
      return s.options.fetch(input, init);
    };
    await expect(
      auditTransparency({ service: { baseUrl: ORIGIN, fetch }, timeZone: "Nowhere/At_All" }),
    ).rejects.toMatchObject({ code: "bad-value" });
    expect(calls).toBe(0);
  });
});
