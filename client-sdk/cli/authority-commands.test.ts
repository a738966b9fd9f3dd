/**
 * lintel-authority's commands against the fake service of the authority tests (a deployment in
 * Asia/Shanghai): what --json prints for results and failures, which exit status each failure
 * gets, the URL a failure names, how times without a zone are read, and the progress a
 * decryption shows on stderr.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { encodeBase64url } from "@lintel/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Fixture, ISSUED_AT, makeFixture, ORIGIN } from "../src/authority/testing/fixture.ts";
import type { FetchLike } from "../src/http.ts";
import { EXIT } from "./exit-codes.ts";
import { runCli } from "./lintel-authority.ts";

let fx: Fixture;
let dir: string;
let common: string[];
let stranger: string[];
let order: string;
let approval: { queryIndex: string };

function collector() {
  const lines: string[] = [];
  return {
    lines,
    sink: { write: (text: string) => lines.push(...text.split("\n").filter(Boolean)) },
  };
}

const quiet = { write: () => true };
/** The fixture's log accepts entries issued at its own time, not the machine's. */
const now = () => ISSUED_AT * 1000;
const run = (args: readonly string[], fetch: FetchLike = fx.fetch) =>
  runCli([...args, ...common], { fetch, stderr: quiet, now });

const FILE = [
  "file",
  "--entrance",
  "hbr-main",
  "--case",
  "CASE-2026-0100",
  "--legal-basis",
  "Public Health Act s. 12",
  "--reason",
  "Confirmed case at the main door",
];

beforeAll(async () => {
  fx = await makeFixture();
  dir = mkdtempSync(path.join(os.tmpdir(), "lintel-authority-cli-"));
  const keyFile = path.join(dir, "identities.json");
  writeFileSync(
    keyFile,
    JSON.stringify({
      officers: [
        { id: "officer-a", secretKey: encodeBase64url(fx.officers[0].secretKey) },
        { id: "officer-b", secretKey: encodeBase64url(fx.officers[1].secretKey) },
        { id: "stranger", secretKey: encodeBase64url(new Uint8Array(32).fill(9)) },
      ],
    }),
  );
  writeFileSync(
    path.join(dir, "release-keys.json"),
    JSON.stringify({
      keys: {
        [encodeBase64url(fx.releaseKey.publicKey)]: encodeBase64url(fx.releaseKey.secretKey),
      },
    }),
  );
  order = path.join(dir, "order.pdf");
  writeFileSync(order, "%PDF order");
  common = ["--service", ORIGIN, "--key-file", keyFile, "--officer", "officer-a"];
  stranger = ["--officer", "stranger"];
  // A query officer A files and officer B approves, both through the command line: the window
  // is the fixture's first two hours (whose epoch keys the log holds), typed in Shanghai time.
  const filed = await run([
    ...FILE,
    "--legal-document",
    order,
    "--from",
    "2026-11-21T07:00",
    "--to",
    "2026-11-21T09:00",
    "--json",
  ]);
  const draftId = JSON.parse(filed.stdout).draftId as string;
  const approved = await runCli(
    [
      "approve",
      draftId,
      "--yes",
      "--case",
      "CASE-2026-0100",
      "--legal-document",
      order,
      "--json",
      ...common,
      "--officer",
      "officer-b",
    ],
    { fetch: fx.fetch, stderr: quiet, now },
  );
  expect(approved.code, approved.output).toBe(EXIT.ok);
  approval = JSON.parse(approved.stdout);
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const loggedQuery = () => approval.queryIndex;

describe("lintel-authority commands", () => {
  it("approves with --json: the draft and the log entry it became", () => {
    expect(approval).toEqual({
      ok: true,
      command: "approve",
      draftId: expect.any(String),
      status: "logged",
      queryIndex: expect.stringMatching(/^\d+$/),
    });
  });

  it("reads a window without a zone in the deployment's zone and says so; an explicit zone as given", async () => {
    const local = await run([
      ...FILE,
      "--legal-document",
      order,
      "--from",
      "2026-11-22T09:00",
      "--to",
      "2026-11-22T11:00",
    ]);
    expect(local.code, local.output).toBe(EXIT.ok);
    expect(local.stdout).toMatch(
      /^filed draft (\S+) \(awaiting-approval\): hbr-main 2026-11-22T09:00\+08:00 – 2026-11-22T11:00\+08:00\n/,
    );
    expect(local.stdout).toContain(
      "--from 2026-11-22T09:00 has no zone: read in the deployment's zone Asia/Shanghai (UTC+08:00) as 2026-11-22T09:00+08:00 (2026-11-22T01:00Z)",
    );
    const given = await run([
      ...FILE,
      "--legal-document",
      order,
      "--from",
      "2026-11-22T09:00Z",
      "--to",
      "2026-11-22T11:00+01:00",
      "--json",
    ]);
    expect(given.code, given.output).toBe(EXIT.ok);
    expect(JSON.parse(given.stdout)).toMatchObject({
      ok: true,
      command: "file",
      draftId: expect.any(String),
      status: "awaiting-approval",
      timezone: "Asia/Shanghai",
      window: [
        { flag: "--from", input: "2026-11-22T09:00Z", time: "2026-11-22T09:00:00Z", zone: "given" },
        {
          flag: "--to",
          input: "2026-11-22T11:00+01:00",
          time: "2026-11-22T10:00:00Z",
          zone: "given",
        },
      ],
    });
    // What was filed is what was said: list shows both windows, in UTC in JSON, zoned in text.
    const list = await run(["list", "--json"]);
    const queries = JSON.parse(list.stdout).queries as Array<{
      windowStart: string;
      windowEnd: string;
    }>;
    expect(queries.map((q) => [q.windowStart, q.windowEnd])).toEqual(
      expect.arrayContaining([
        ["2026-11-22T01:00:00Z", "2026-11-22T03:00:00Z"],
        ["2026-11-22T09:00:00Z", "2026-11-22T10:00:00Z"],
      ]),
    );
    const text = await run(["list"]);
    expect(text.stdout).toMatch(/hbr-main 2026-11-22T09:00\+08:00 – 2026-11-22T11:00\+08:00/);
  });

  it("publishes a warning with a window read in the deployment's zone", async () => {
    const text = await run([
      "warn",
      loggedQuery(),
      "--entrance",
      "hbr-main",
      "--from",
      "2026-11-21T07:00",
      "--to",
      "2026-11-21T08:00",
    ]);
    expect(text.code, text.output).toBe(EXIT.ok);
    expect(text.stdout).toMatch(
      /^warning published: log entry \d+ \(hbr-main 2026-11-21T07:00\+08:00 – 2026-11-21T08:00\+08:00\)\n--from 2026-11-21T07:00 has no zone: read in the deployment's zone Asia\/Shanghai \(UTC\+08:00\)/,
    );
    const json = await run([
      "warn",
      loggedQuery(),
      "--entrance",
      "hbr-main",
      "--from",
      "2026-11-20T23:30Z",
      "--to",
      "2026-11-21T00:30Z",
      "--json",
    ]);
    expect(json.code, json.output).toBe(EXIT.ok);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: true,
      command: "warn",
      logIndex: expect.stringMatching(/^\d+$/),
      window: [
        { time: "2026-11-20T23:30:00Z", zone: "given" },
        { time: "2026-11-21T00:30:00Z", zone: "given" },
      ],
    });
  });

  it("refuses an impossible window as usage before anything is filed", async () => {
    const before = fx.requests.filter((r) => r.method === "POST").length;
    const backwards = await run([
      ...FILE,
      "--legal-document",
      order,
      "--from",
      "2026-11-22T11:00",
      "--to",
      "2026-11-22T09:00",
      "--json",
    ]);
    expect(backwards.code).toBe(EXIT.usage);
    expect(JSON.parse(backwards.stdout)).toMatchObject({
      ok: false,
      code: "usage",
      message: "The window ends after it starts.",
    });
    const offHour = await run([
      ...FILE,
      "--legal-document",
      order,
      "--from",
      "2026-11-22T09:30",
      "--to",
      "2026-11-22T11:00",
    ]);
    expect(offHour.code).toBe(EXIT.usage);
    expect(offHour.stderr).toMatch(/whole UTC hours/);
    expect(fx.requests.filter((r) => r.method === "POST").length).toBe(before);
  });

  it("exits 4 with the problem's code, status, type and URL when the service refuses", async () => {
    const refused = await runCli(["list", "--json", ...common, ...stranger], {
      fetch: fx.fetch,
      stderr: quiet,
    });
    expect(refused.code).toBe(EXIT.refused);
    expect(refused.stderr).toBe("");
    expect(JSON.parse(refused.stdout)).toEqual({
      ok: false,
      code: "unauthenticated",
      message: `unauthenticated (${ORIGIN}/api/queries answered 401)`,
      url: `${ORIGIN}/api/queries`,
      status: 401,
      type: "/problems/unauthenticated",
      exitCode: 4,
    });
    const text = await runCli(["list", ...common, ...stranger], { fetch: fx.fetch, stderr: quiet });
    expect(text.stderr).toBe(
      `lintel-authority: unauthenticated: unauthenticated (${ORIGIN}/api/queries answered 401)\n  problem type: /problems/unauthenticated\n`,
    );
  });

  it("exits 5 for an answer that is neither success nor a problem, and 3 when a trustee is unreachable", async () => {
    const proxyError: FetchLike = async (url, init) =>
      url.endsWith("/api/deployment")
        ? new Response("<html>Bad gateway</html>", {
            status: 502,
            headers: { "content-type": "text/html" },
          })
        : fx.fetch(url, init);
    const bad = await run(["list", "--json"], proxyError);
    expect(bad.code).toBe(EXIT.unexpected);
    expect(JSON.parse(bad.stdout)).toMatchObject({
      code: "unexpected-response",
      url: `${ORIGIN}/api/deployment`,
      status: 502,
      hint: `Is ${ORIGIN} a Lintel service? Check --service.`,
    });

    const trustee = fx.trustees[1]!;
    const trusteeDown: FetchLike = async (url, init) => {
      if (url.startsWith(trustee.url))
        throw new TypeError("fetch failed", {
          cause: Object.assign(new Error("connect"), { code: "ECONNREFUSED" }),
        });
      return fx.fetch(url, init);
    };
    const down = await run(["decrypt", loggedQuery(), "--threads", "0", "--json"], trusteeDown);
    expect(down.code, down.output).toBe(EXIT.unreachable);
    expect(JSON.parse(down.stdout)).toMatchObject({
      ok: false,
      code: "unreachable",
      message: `Trustee ${trustee.id}: The service could not be reached: ${trustee.url}/release did not answer (ECONNREFUSED).`,
      url: `${trustee.url}/release`,
    });
  }, 120_000);

  it("a failure found on this device exits 1 with its code", async () => {
    const missing = await run([
      "approve",
      "no-such-draft",
      "--case",
      "C",
      "--legal-document",
      order,
      "--yes",
      "--json",
    ]);
    expect(missing.code).toBe(EXIT.failed);
    expect(JSON.parse(missing.stdout)).toMatchObject({ ok: false, code: "not-found", exitCode: 1 });
    const elsewhere = await run([
      "decrypt",
      loggedQuery(),
      "--threads",
      "0",
      "--release-keys",
      path.join(dir, "none.json"),
    ]);
    expect(elsewhere.code).toBe(EXIT.failed);
    expect(elsewhere.stderr).toMatch(
      /^lintel-authority: no-release-key: .*\n {2}Decrypt from the key file's directory/,
    );
  }, 120_000);

  it("prints the stack of an internal error only with --debug", async () => {
    const filed = await run([
      ...FILE,
      "--legal-document",
      order,
      "--from",
      "2026-11-21T07:00",
      "--to",
      "2026-11-21T08:00",
      "--json",
    ]);
    const draftId = JSON.parse(filed.stdout).draftId as string;
    const broken = async () => {
      throw new TypeError("the prompt broke");
    };
    const approve = (...extra: string[]) =>
      runCli(
        [
          "approve",
          draftId,
          "--case",
          "CASE-2026-0100",
          "--legal-document",
          order,
          ...extra,
          ...common,
          "--officer",
          "officer-b",
        ],
        {
          fetch: fx.fetch,
          stderr: quiet,
          confirm: broken,
          now,
        },
      );
    const plain = await approve();
    expect(plain.code).toBe(EXIT.internal);
    expect(plain.stderr).toMatch(
      /^lintel-authority: internal: internal error: the prompt broke\n {2}This is a defect/,
    );
    expect(plain.output).not.toMatch(/^\s+at /m);
    const debug = await approve("--debug");
    expect(debug.code).toBe(EXIT.internal);
    expect(debug.stderr).toMatch(/TypeError: the prompt broke\n\s+at /);
  });

  it("decrypts with --json on stdout and counted progress on stderr", async () => {
    const progress = collector();
    const done = await runCli(
      ["decrypt", loggedQuery(), "--threads", "0", "--json", "--progress", ...common],
      {
        fetch: fx.fetch,
        stderr: progress.sink,
      },
    );
    expect(done.code, done.output).toBe(EXIT.ok);
    expect(done.stderr).toBe("");
    const result = JSON.parse(done.stdout);
    expect(result).toMatchObject({
      ok: true,
      command: "decrypt",
      queryIndex: loggedQuery(),
      query: { windowStart: expect.stringMatching(/Z$/), windowEnd: expect.stringMatching(/Z$/) },
      releases: [
        { trusteeId: fx.trustees[0]!.id },
        { trusteeId: fx.trustees[1]!.id },
        { trusteeId: "log" },
      ],
      contacts: [],
    });
    expect(progress.lines).toEqual(
      expect.arrayContaining([
        `checking query ${loggedQuery()}'s proof in the log…`,
        "releases: 3/3 holders answered (100%), took 1 s".replace(
          /took \d+ s/,
          progress.lines.find((l) => l.startsWith("releases: 3/3"))?.match(/took .*/)?.[0] ?? "",
        ),
        expect.stringMatching(/^auditing the log: 1\/1 entry bundles \(100%\), took \d+ s$/),
        expect.stringMatching(/^combining keys: 2\/2 entrance-hours \(100%\), took \d+ s$/),
        "fetching 2 entrance-hours' ciphertexts and decrypting them in 1 thread(s) as they arrive…",
        expect.stringMatching(/^decrypting: 0\/0 ciphertexts \(100%\), took \d+ s$/),
      ]),
    );
    // Without --progress (and no terminal) nothing is written to stderr.
    const silent = collector();
    await runCli(["decrypt", loggedQuery(), "--threads", "0", "--json", ...common], {
      fetch: fx.fetch,
      stderr: silent.sink,
    });
    expect(silent.lines).toEqual([]);
  }, 120_000);
});
