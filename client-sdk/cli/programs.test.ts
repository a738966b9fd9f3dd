/**
 * Both command lines as real processes (node + tsx, as `npm run lintel-…` runs them): help and
 * version on every command, usage errors, --json documents for failures, and exit statuses
 * that tell an unreachable service (a closed port) from a wrong command line — never a stack
 * trace.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { encodeBase64url, formatVerifierKey } from "@lintel/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COMMANDS } from "./authority-help.ts";
import { EXIT } from "./exit-codes.ts";
import { runCli as audit } from "./lintel-audit.ts";
import { runCli as authority } from "./lintel-authority.ts";

const here = import.meta.dirname;
const root = path.resolve(here, "../..");
/** Spawning tsx on a busy machine takes seconds; nothing here depends on how many. */
const SLOW = 120_000;

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function run(tool: "lintel-authority" | "lintel-audit", args: readonly string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", path.join(here, `${tool}.ts`), ...args],
      { cwd: root, env: { ...process.env, NO_COLOR: "1" }, timeout: SLOW },
      (error, stdout, stderr) => {
        const code = error && typeof error.code === "number" ? error.code : error ? -1 : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** A port nothing listens on: bound by the system, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const quiet = { write: () => true };

const noStackTrace = (r: Run) => {
  expect(`${r.stdout}${r.stderr}`).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
};

let dir: string;
let keyFile: string;
let port: number;
const logKey = formatVerifierKey("checkin.test/demo/log", new Uint8Array(32).fill(7));

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "lintel-cli-"));
  keyFile = path.join(dir, "officer.json");
  writeFileSync(
    keyFile,
    JSON.stringify({ secretKey: encodeBase64url(new Uint8Array(32).fill(1)) }),
  );
  port = await closedPort();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("lintel-authority and lintel-audit as processes", () => {
  it(
    "print help and the version on stdout with exit 0",
    async () => {
      const asks: Array<["lintel-authority" | "lintel-audit", string[], RegExp]> = [
        // --help wins over anything else on the line, even an option it does not know.
        [
          "lintel-authority",
          ["decrypt", "--frobnicate", "--help"],
          /^usage: lintel-authority decrypt/,
        ],
        ["lintel-audit", ["--help"], /^usage: lintel-audit verify/],
        ["lintel-authority", ["decrypt", "--version"], /^lintel-authority \d+\.\d+\.\d+\n$/],
        ["lintel-audit", ["--version"], /^lintel-audit \d+\.\d+\.\d+\n$/],
      ];
      const runs = await Promise.all(asks.map(([tool, args]) => run(tool, args)));
      runs.forEach((r, i) => {
        const [tool, args, expected] = asks[i]!;
        const what = `${tool} ${args.join(" ")}`;
        expect(r.code, what).toBe(EXIT.ok);
        expect(r.stdout, what).toMatch(expected);
        expect(r.stderr, what).toBe("");
      });
    },
    SLOW,
  );

  it("print help for every command and subcommand, each with the exit statuses", async () => {
    const asks: Array<[typeof authority | typeof audit, string[], RegExp]> = [
      [authority, ["--help"], /^usage: lintel-authority <command>/],
      [authority, ["-h"], /^usage: lintel-authority <command>/],
      [authority, ["help"], /^usage: lintel-authority <command>/],
      ...COMMANDS.map((c): [typeof authority, string[], RegExp] => [
        authority,
        [c, "--help"],
        new RegExp(`^usage: lintel-authority ${c}`),
      ]),
      [authority, ["help", "approve"], /^usage: lintel-authority approve/],
      [authority, ["list", "--service", "nonsense", "-h"], /^usage: lintel-authority list/],
      [audit, ["--help"], /^usage: lintel-audit verify/],
      [audit, ["verify", "--help"], /^usage: lintel-audit verify/],
      [audit, ["help", "verify"], /^usage: lintel-audit verify/],
    ];
    for (const [cli, args, expected] of asks) {
      const r = await cli(args, { stderr: quiet });
      expect(r.code, args.join(" ")).toBe(EXIT.ok);
      expect(r.stdout, args.join(" ")).toMatch(expected);
      expect(r.stdout).toMatch(/exit status:\n {2}0 {3}done[\s\S]*\n {2}3 {3}unreachable/);
      expect(r.stderr).toBe("");
    }
    for (const cli of [authority, audit]) {
      const r = await cli(["verify", "--version", "--json"], { stderr: quiet });
      expect(JSON.parse(r.stdout)).toEqual({
        ok: true,
        tool: expect.stringMatching(/^lintel-(authority|audit)$/),
        version: expect.stringMatching(/^\d+\.\d+\.\d+$/),
      });
    }
    expect(await authority(["frobnicate", "--help"])).toMatchObject({
      code: EXIT.usage,
      stdout: "",
      stderr: expect.stringMatching(/unknown command "frobnicate"/),
    });
  });

  it(
    "report usage errors on stderr with exit 2 and a pointer to --help, or as JSON on stdout",
    async () => {
      const [unknown, frob, noFile, badTime, audit, nothing, json] = await Promise.all([
        run("lintel-authority", ["frobnicate"]),
        run("lintel-authority", ["list", "--frobnicate"]),
        run("lintel-authority", ["list", "--key-file", path.join(dir, "missing.json")]),
        run("lintel-authority", [
          "warn",
          "3",
          "--key-file",
          keyFile,
          "--entrance",
          "e",
          "--from",
          "noon",
          "--to",
          "2026-11-22T10:00Z",
        ]),
        run("lintel-audit", [
          "verify",
          "--log",
          path.join(dir, "no-such-log"),
          "--key",
          logKey,
          "--state",
          path.join(dir, "s.json"),
        ]),
        run("lintel-audit", []),
        run("lintel-authority", ["decrypt", "x", "--key-file", keyFile, "--json"]),
      ]);
      for (const r of [unknown, frob, noFile, badTime, audit, nothing]) {
        expect(r.code, r.stderr).toBe(EXIT.usage);
        expect(r.stdout).toBe("");
        noStackTrace(r);
      }
      expect(unknown.stderr).toMatch(
        /unknown command "frobnicate"\n.*See lintel-authority --help\./,
      );
      expect(frob.stderr).toMatch(/--frobnicate[\s\S]*See lintel-authority list --help\./);
      expect(noFile.stderr).toContain(
        `--key-file ${path.join(dir, "missing.json")} cannot be read (ENOENT)`,
      );
      expect(badTime.stderr).toMatch(/--from "noon" is not a time such as 2026-11-21T10:00\+08:00/);
      expect(audit.stderr).toContain(
        `--log ${path.join(dir, "no-such-log")} is neither an http(s) URL nor a folder`,
      );
      expect(nothing.stderr).toMatch(/^usage: lintel-audit verify/);
      expect(json.code).toBe(EXIT.usage);
      expect(json.stderr).toBe("");
      expect(JSON.parse(json.stdout)).toEqual({
        ok: false,
        code: "usage",
        message: 'a query index is a decimal number, not "x"',
        hint: "See lintel-authority decrypt --help.",
        exitCode: 2,
      });
    },
    SLOW,
  );

  it(
    "exit 3 when the service or the log cannot be reached, naming the URL, as text and as JSON",
    async () => {
      const service = `http://127.0.0.1:${port}`;
      const [text, json, audit, auditJson] = await Promise.all([
        run("lintel-authority", ["list", "--service", service, "--key-file", keyFile]),
        run("lintel-authority", [
          "decrypt",
          "4",
          "--service",
          service,
          "--key-file",
          keyFile,
          "--json",
        ]),
        run("lintel-audit", [
          "verify",
          "--log",
          `${service}/log`,
          "--key",
          logKey,
          "--state",
          path.join(dir, "a.json"),
        ]),
        run("lintel-audit", [
          "verify",
          "--log",
          `${service}/log`,
          "--key",
          logKey,
          "--state",
          path.join(dir, "a.json"),
          "--json",
        ]),
      ]);
      for (const r of [text, json, audit, auditJson]) {
        expect(r.code, r.stdout + r.stderr).toBe(EXIT.unreachable);
        noStackTrace(r);
      }
      expect(text.stdout).toBe("");
      expect(text.stderr).toContain(
        `lintel-authority: unreachable: The service could not be reached: ${service}/api/deployment did not answer (ECONNREFUSED).`,
      );
      expect(text.stderr).toMatch(/Check the address \(--service/);
      expect(JSON.parse(json.stdout)).toMatchObject({
        ok: false,
        code: "unreachable",
        url: `${service}/api/deployment`,
        exitCode: 3,
      });
      expect(json.stderr).toBe("");
      expect(audit.stderr).toContain(`${service}/log/checkpoint did not answer (ECONNREFUSED)`);
      expect(JSON.parse(auditJson.stdout)).toMatchObject({
        ok: false,
        code: "unreachable",
        url: `${service}/log/checkpoint`,
        exitCode: 3,
      });
    },
    SLOW,
  );
});
