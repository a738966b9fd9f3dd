/**
 * lintel-audit against the log of the authority tests' fake service: the --json document of a
 * verified log, progress by entry bundles, and which exit status a wrong key, a wrong prefix and
 * a wrong state file get.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { formatVerifierKey } from "@lintel/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
