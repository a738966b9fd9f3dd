import { encodeEntry, generateEd25519KeyPair, memoryLogReader, signEntry } from "@lintel/protocol";
import { describe, expect, it } from "vitest";
import { HOUR, T } from "../citizen/exposure/test-log.ts";
import type { FetchLike } from "../http.ts";
import { memoryExposureAuditStore } from "./log-store.ts";
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

  it("with a store, later runs fetch only what is new, count the same, and catch a shrunk log", async () => {
    const s = servedLog();
    const log = activity(s);
    s.publish(log.entries);
    const logReads: string[] = [];
    const fetch: FetchLike = async (input, init) => {
      if (new URL(input).pathname.startsWith("/log/")) logReads.push(new URL(input).pathname);
      return s.options.fetch(input, init);
    };
    const service = { baseUrl: ORIGIN, fetch };
    const store = memoryExposureAuditStore();
    const first = await auditTransparency({ service, store, now: NOW });
    expect(first.ok).toBe(true);
    log.warning(6n, "hbr-main", T - 2 * HOUR, T - HOUR);
    s.publish(log.entries);
    logReads.length = 0;
    const second = await auditTransparency({ service, store, now: NOW });
    const full = await auditTransparency({ service, now: NOW });
    if (!second.ok || !full.ok) throw new Error("expected both to verify");
    expect(reportJson(second.report)).toEqual(reportJson(full.report));
    expect(second.report.totals.warnings).toBe(2n);
    // The checkpoint, and the right edge of the tree: one partial tile and one partial bundle.
    expect(logReads.slice(0, 3)).toEqual([
      "/log/checkpoint",
      "/log/tile/0/000.p/10",
      "/log/tile/entries/000.p/10",
    ]);
    // The service serves an older, smaller log: a rollback, and no figures.
    s.publish(log.entries.slice(0, 9));
    const rolledBack = await auditTransparency({ service, store, now: NOW });
    expect(rolledBack).toMatchObject({ ok: false, misbehaviour: { kind: "rollback" } });
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
