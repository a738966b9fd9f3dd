/**
 * lintel-audit against the log of the authority tests' fake service: the --json document of a
 * verified log, progress by entry bundles, and which exit status a wrong key, a wrong prefix and
 * a wrong state file get; lintel-audit report against the citizen tests' fake service and a log
 * served beside it.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { encodeBase64url, formatVerifierKey, generateEd25519KeyPair } from "@lintel/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPORT_COUNTERS } from "../src/audit/report.ts";
import { activity, ORIGIN as ORIGIN_SERVED, servedLog } from "../src/audit/testing/served-log.ts";
import { type Fixture, LOG_ORIGIN, makeFixture, ORIGIN } from "../src/authority/testing/fixture.ts";
import { EXIT } from "./exit-codes.ts";
import { runCli } from "./lintel-audit.ts";

let fx: Fixture;
let dir: string;
let key: string;
const quiet = { write: () => true };

beforeAll(async () => {
  fx = await makeFixture();
  dir = mkdtempSync(path.join(os.tmpdir(), "lintel-audit-cli-"));
  key = formatVerifierKey(LOG_ORIGIN, fx.log.publicKey);
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const verify = (log: string, state: string, ...extra: string[]) => [
  "verify",
  "--log",
  log,
  "--key",
  key,
  "--state",
  path.join(dir, state),
  ...extra,
];

describe("lintel-audit verify", () => {
  it("prints one JSON document for a verified log, and counted progress on stderr", async () => {
    const progress: string[] = [];
    const ok = await runCli(verify(`${ORIGIN}/log`, "ok.json", "--json", "--progress"), {
      fetch: fx.fetch,
      stderr: { write: (text: string) => progress.push(text) },
    });
    expect(ok.code, ok.output).toBe(EXIT.ok);
    expect(ok.stderr).toBe("");
    expect(JSON.parse(ok.stdout)).toEqual({
      ok: true,
      log: `${ORIGIN}/log`,
      origin: LOG_ORIGIN,
      size: String(fx.entries.length),
      newEntries: String(fx.entries.length),
      entryPolicy: "lintel",
      cosigners: [],
      tilesFetched: expect.any(Number),
      state: path.join(dir, "ok.json"),
    });
    expect(progress.join("")).toMatch(
      /^reading https:\/\/checkin\.test\/log…\nauditing the log: 1\/1 entry bundles \(100%\), took \d+ s\n$/,
    );
  });

  it("tells a wrong prefix (5, naming the URL) from a log that fails verification (1)", async () => {
    const wrong = await runCli(verify(`${ORIGIN}/logs`, "w.json", "--json"), {
      fetch: fx.fetch,
      stderr: quiet,
    });
    expect(wrong.code).toBe(EXIT.unexpected);
    expect(JSON.parse(wrong.stdout)).toMatchObject({
      ok: false,
      code: "unexpected-response",
      url: `${ORIGIN}/logs/checkpoint`,
      status: 401,
      type: "/problems/unauthenticated",
      exitCode: 5,
    });
    const other = formatVerifierKey(LOG_ORIGIN, new Uint8Array(32).fill(3));
    const failed = await runCli(
      ["verify", "--log", `${ORIGIN}/log`, "--key", other, "--state", path.join(dir, "f.json")],
      { fetch: fx.fetch, stderr: quiet },
    );
    expect(failed.code).toBe(EXIT.failed);
    expect(failed.stdout).toBe("");
    expect(failed.stderr).toMatch(
      /^FAILED https:\/\/checkin\.test\/log: the checkpoint does not verify/,
    );
  });

  it("refuses a state file that is not one as usage, naming it", async () => {
    const state = path.join(dir, "garbage.json");
    writeFileSync(state, "not json");
    const bad = await runCli(verify(`${ORIGIN}/log`, "garbage.json", "--json"), {
      fetch: fx.fetch,
      stderr: quiet,
    });
    expect(bad.code).toBe(EXIT.usage);
    expect(JSON.parse(bad.stdout)).toMatchObject({
      code: "usage",
      message: expect.stringContaining(`--state ${state} is not an audit state`),
      hint: "See lintel-audit verify --help.",
    });
    expect(fx.requests.filter((r) => r.url.includes("garbage"))).toEqual([]);
  });
});

describe("lintel-audit report", () => {
  const served = () => {
    const s = servedLog();
    const log = activity(s);
    s.publish(log.entries);
    return { s, log };
  };

  it("prints the verified log's figures as one JSON document, in the deployment's zone", async () => {
    const { s } = served();
    const out = await runCli(["report", "--service", ORIGIN_SERVED], {
      fetch: s.options.fetch,
      stderr: quiet,
    });
    expect(out.code, out.output).toBe(EXIT.ok);
    expect(out.stderr).toBe("");
    const zero = Object.fromEntries(REPORT_COUNTERS.map((c) => [c, "0"]));
    const november = {
      ...zero,
      queries: "1",
      entranceHours: "2",
      releases: "1",
      warnings: "1",
      entrancesIssued: "1",
      officerEnrolments: "2",
      trusteeEnrolments: "2",
    };
    expect(JSON.parse(out.stdout)).toEqual({
      ok: true,
      format: "lintel-transparency-report/1",
      deployment: "demo",
      origin: `${ORIGIN_SERVED}/log`,
      logSize: "9",
      timeZone: "Asia/Shanghai",
      months: [{ month: "2026-11", ...november }],
      totals: november,
      cosigners: [],
    });
  });

  it("prints CSV with a header row and one row per month", async () => {
    const { s } = served();
    const out = await runCli(["report", "--service", ORIGIN_SERVED, "--format", "csv"], {
      fetch: s.options.fetch,
      stderr: quiet,
    });
    expect(out.code, out.output).toBe(EXIT.ok);
    expect(out.stdout).toBe(
      `month,${REPORT_COUNTERS.join(",")}\r\n2026-11,1,2,1,1,0,0,0,0,1,2,2,0,0,0,0,0,0\r\n`,
    );
  });

  it("prints no figure for a log that fails verification (1), in either format", async () => {
    const { s, log } = served();
    // A code replacement signed by a stranger instead of the registry.
    log.add(
      {
        kind: "code-replacement",
        venueId: "hbr",
        entranceId: "hbr-main",
        newVersion: 2,
        reason: "other",
      },
      [generateEd25519KeyPair()],
    );
    s.publish(log.entries);
    const io = { fetch: s.options.fetch, stderr: quiet };
    const json = await runCli(["report", "--service", ORIGIN_SERVED], io);
    expect(json.code).toBe(EXIT.failed);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: false,
      code: "verification-failed",
      log: `${ORIGIN_SERVED}/log`,
      exitCode: 1,
    });
    expect(json.stdout).not.toMatch(/totals|months/);
    const csv = await runCli(["report", "--service", ORIGIN_SERVED, "--format", "csv"], io);
    expect(csv.code).toBe(EXIT.failed);
    expect(csv.stdout).toBe("");
    expect(csv.stderr).toMatch(/^FAILED https:\/\/checkin\.test\/log: /);
  });

  it("refuses another registry than the pinned one (1), and tells usage (2) from unreachable (3)", async () => {
    const { s } = served();
    const io = { fetch: s.options.fetch, stderr: quiet };
    const other = encodeBase64url(new Uint8Array(32).fill(5));
    const pinned = await runCli(
      ["report", "--service", ORIGIN_SERVED, "--registry-key", other],
      io,
    );
    expect(pinned.code).toBe(EXIT.failed);
    expect(JSON.parse(pinned.stdout)).toMatchObject({ code: "untrusted-registry" });
    const right = encodeBase64url(s.fake.registry.publicKey);
    expect(
      (await runCli(["report", "--service", ORIGIN_SERVED, "--registry-key", right], io)).code,
    ).toBe(EXIT.ok);

    const usage = await runCli(["report", "--format", "xml", "--service", ORIGIN_SERVED], io);
    expect(usage.code).toBe(EXIT.usage);
    expect(JSON.parse(usage.stdout)).toMatchObject({
      code: "usage",
      hint: "See lintel-audit report --help.",
    });
    expect((await runCli(["report"], io)).code).toBe(EXIT.usage);
    expect(
      (await runCli(["report", "--service", ORIGIN_SERVED, "--timezone", "Mars/Base"], io)).code,
    ).toBe(EXIT.usage);

    const down = await runCli(["report", "--service", ORIGIN_SERVED], {
      fetch: async () => {
        throw new TypeError("fetch failed");
      },
      stderr: quiet,
    });
    expect(down.code).toBe(EXIT.unreachable);
    expect(JSON.parse(down.stdout)).toMatchObject({ code: "unreachable" });
  });

  it("has help of its own", async () => {
    for (const argv of [
      ["report", "--help"],
      ["help", "report"],
    ]) {
      const help = await runCli(argv);
      expect(help.code).toBe(EXIT.ok);
      expect(help.stdout).toMatch(/^usage: lintel-audit report --service <URL>/);
    }
    expect((await runCli(["--help"])).stdout).toMatch(/lintel-audit report --service/);
  });
});
