/**
 * `npm run mutate` — checks that every listed defence is guarded by a test. Each mutation in
 * scripts/mutations/*.ts removes one defence by a text replacement; this runner applies each alone
 * to a scratch copy of the working tree (uncommitted changes included), runs the tests named for
 * it and expects at least one to fail. The working tree itself is never modified, so an
 * interrupted run leaves no mutated source behind.
 *
 *   npm run mutate                  every mutation
 *   npm run mutate -- <id> …        only these
 *   npm run mutate -- --list        print the ids and what each breaks
 *   npm run mutate -- --no-baseline skip running each test set once unmutated first
 *
 * Writes .tmp/mutate-report.json and the vitest output of each run to .tmp/mutate-logs/; exits
 * non-zero when a mutation survived, is stale (its `find` text no longer occurs exactly once) or
 * could not be judged.
 */
import { spawn, spawnSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import {
  applyOnce,
  classifyRun,
  exitCodeFor,
  formatReport,
  type LoadedList,
  type ResultRow,
  selectMutations,
  type Verdict,
  type VitestJsonReport,
  validateLists,
} from "./lib/mutations.ts";
import { repoRoot } from "./lib/paths.ts";
import type { Mutation } from "./mutations/types.ts";

const MUTATIONS_DIR = path.join(repoRoot, "scripts/mutations");
const OUT_DIR = path.join(repoRoot, ".tmp");
const LOG_DIR = path.join(OUT_DIR, "mutate-logs");
/** A hung run is an error, not a verdict; generous because the machine may be busy. */
const RUN_TIMEOUT_MS = 20 * 60_000;
/** Cache folders that must not be shared between the working tree and the scratch copy. */
const SKIP_IN_NODE_MODULES = new Set([".vite", ".vite-temp", ".cache", ".vitest"]);
/** Git-ignored build output the tests read; copied when present. */
const IGNORED_BUT_NEEDED = [
  "web/public/assets/gen",
  "protocol/src/fast-curves/mcl.wasm",
  "client-sdk/native/build",
];

/** The process group of the vitest run under way, ended with us on Ctrl+C. */
let runningGroup: number | undefined;

async function loadLists(): Promise<LoadedList[]> {
  const files = readdirSync(MUTATIONS_DIR)
    .filter((f) => f.endsWith(".ts") && f !== "types.ts" && !f.endsWith(".test.ts"))
    .sort();
  const lists: LoadedList[] = [];
  for (const file of files) {
    const mod = (await import(pathToFileURL(path.join(MUTATIONS_DIR, file)).href)) as {
      mutations?: unknown;
    };
    lists.push({ source: `scripts/mutations/${file}`, exported: mod.mutations });
  }
  return lists;
}

/** The working tree's files as git sees them: tracked and untracked-but-not-ignored, not deleted. */
function workingTreeFiles(): string[] {
  const out = spawnSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: repoRoot,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (out.status !== 0) throw new Error(`git ls-files failed: ${out.stderr}`);
  return [...new Set(out.stdout.split("\0").filter(Boolean))].filter((f) =>
    existsSync(path.join(repoRoot, f)),
  );
}

function copyTree(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const src = path.join(from, entry.name);
    const dst = path.join(to, entry.name);
    if (entry.isDirectory()) copyTree(src, dst);
    else if (entry.isFile()) copyFileSync(src, dst);
  }
}

/**
 * node_modules for the scratch copy without copying it: each package is a symlink to the real
 * one, except symlinks already in node_modules (the workspaces, .bin), which are recreated with
 * the same relative target so that `@lintel/protocol` resolves to the scratch copy's protocol/.
 */
function linkNodeModules(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    if (SKIP_IN_NODE_MODULES.has(entry.name)) continue;
    const src = path.join(from, entry.name);
    const dst = path.join(to, entry.name);
    if (entry.isSymbolicLink()) {
      symlinkSync(readlinkSync(src), dst);
    } else if (entry.isDirectory() && (entry.name.startsWith("@") || entry.name === ".bin")) {
      linkNodeModules(src, dst);
    } else {
      symlinkSync(src, dst);
    }
  }
}

function makeScratchCopy(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "lintel-mutate-"));
  for (const file of workingTreeFiles()) {
    const src = path.join(repoRoot, file);
    if (!lstatSync(src).isFile()) continue;
    const dst = path.join(dir, file);
    mkdirSync(path.dirname(dst), { recursive: true });
    copyFileSync(src, dst);
    // Same times as the original: a lockfile newer than node_modules would ask for `npm ci`.
    const { atime, mtime } = statSync(src);
    utimesSync(dst, atime, mtime);
  }
  for (const rel of IGNORED_BUT_NEEDED) {
    const src = path.join(repoRoot, rel);
    if (!existsSync(src)) continue;
    if (statSync(src).isDirectory()) copyTree(src, path.join(dir, rel));
    else copyFileSync(src, path.join(dir, rel));
  }
  linkNodeModules(path.join(repoRoot, "node_modules"), path.join(dir, "node_modules"));
  return dir;
}

interface RunOutcome {
  readonly exitCode: number | null;
  readonly report: VitestJsonReport | undefined;
  readonly timedOut: boolean;
}

function runVitest(
  scratch: string,
  m: Pick<Mutation, "project" | "tests" | "testNamePattern">,
  logName: string,
): Promise<RunOutcome> {
  const reportFile = path.join(scratch, ".tmp", `${logName}.json`);
  rmSync(reportFile, { force: true });
  mkdirSync(path.dirname(reportFile), { recursive: true });
  const args = [
    "run",
    "--project",
    m.project,
    ...m.tests,
    ...(m.testNamePattern ? ["-t", m.testNamePattern] : []),
    "--reporter=default",
    "--reporter=json",
    `--outputFile.json=${reportFile}`,
  ];
  const log: Buffer[] = [];
  return new Promise((resolve) => {
    const child = spawn(path.join(scratch, "node_modules/.bin/vitest"), args, {
      cwd: scratch,
      env: { ...process.env, CI: "1", FORCE_COLOR: "0" },
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    runningGroup = child.pid;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid) process.kill(-child.pid, "SIGKILL");
    }, RUN_TIMEOUT_MS);
    child.stdout.on("data", (d: Buffer) => log.push(d));
    child.stderr.on("data", (d: Buffer) => log.push(d));
    child.on("close", (code) => {
      clearTimeout(timer);
      runningGroup = undefined;
      mkdirSync(LOG_DIR, { recursive: true });
      writeFileSync(path.join(LOG_DIR, `${logName}.log`), Buffer.concat(log));
      let report: VitestJsonReport | undefined;
      try {
        report = JSON.parse(readFileSync(reportFile, "utf8")) as VitestJsonReport;
      } catch {
        report = undefined;
      }
      resolve({ exitCode: code, report, timedOut });
    });
  });
}

function groupKey(m: Pick<Mutation, "project" | "tests" | "testNamePattern">): string {
  return JSON.stringify([m.project, [...m.tests].sort(), m.testNamePattern ?? null]);
}

async function main(argv: readonly string[]): Promise<number> {
  const flags = new Set(argv.filter((a) => a.startsWith("--")));
  const ids = argv.filter((a) => !a.startsWith("--"));
  const knownFlags = new Set(["--list", "--no-baseline"]);
  const unknownFlags = [...flags].filter((f) => !knownFlags.has(f));
  if (unknownFlags.length > 0) {
    console.error(`mutate: unknown option(s) ${unknownFlags.join(", ")}`);
    return 2;
  }

  const { mutations, errors } = validateLists(await loadLists());
  if (errors.length > 0) {
    for (const e of errors) console.error(`mutate: ${e}`);
    return 2;
  }
  const { selected, unknown } = selectMutations(mutations, ids);
  if (unknown.length > 0) {
    console.error(`mutate: no mutation named ${unknown.join(", ")} (see --list)`);
    return 2;
  }
  if (flags.has("--list")) {
    for (const m of selected) console.log(`${m.id}\t${m.project}\t${m.breaks}`);
    return 0;
  }
  if (selected.length === 0) {
    console.error("mutate: no mutations listed in scripts/mutations/");
    return 2;
  }

  // Handlers first: a Ctrl+C during the (synchronous) copy is handled once it is done.
  let scratch: string | undefined;
  const cleanup = () => {
    if (scratch) rmSync(scratch, { recursive: true, force: true, maxRetries: 5 });
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      if (runningGroup !== undefined) {
        try {
          process.kill(-runningGroup, "SIGKILL");
        } catch {
          // already gone
        }
      }
      cleanup();
      process.exit(130);
    });
  }
  console.log("mutate: copying the working tree to a scratch folder…");
  scratch = makeScratchCopy();

  const rows: ResultRow[] = [];
  const baselines = new Map<string, Verdict>();
  try {
    for (const [i, m] of selected.entries()) {
      const started = Date.now();
      const prefix = `[${i + 1}/${selected.length}] ${m.id}`;
      const verdict = await judge(scratch, m, baselines, !flags.has("--no-baseline"));
      const seconds = (Date.now() - started) / 1000;
      console.log(`${prefix}: ${verdict.status} — ${verdict.detail}`);
      rows.push({ id: m.id, status: verdict.status, detail: verdict.detail, seconds });
    }
  } finally {
    cleanup();
  }

  console.log(`\n${formatReport(rows)}`);
  mkdirSync(OUT_DIR, { recursive: true });
  const report = {
    generatedAt: new Date().toISOString(),
    results: rows.map((r) => {
      const m = selected.find((s) => s.id === r.id);
      return { ...r, breaks: m?.breaks, guards: m?.guards, file: m?.file, tests: m?.tests };
    }),
  };
  writeFileSync(path.join(OUT_DIR, "mutate-report.json"), `${JSON.stringify(report, null, 2)}\n`);
  console.log("report: .tmp/mutate-report.json, vitest output: .tmp/mutate-logs/");
  return exitCodeFor(rows);
}

async function judge(
  scratch: string,
  m: Mutation,
  baselines: Map<string, Verdict>,
  withBaseline: boolean,
): Promise<Verdict> {
  const target = path.join(scratch, m.file);
  if (!existsSync(target)) return { status: "stale", detail: `${m.file} does not exist` };
  const missing = m.tests.filter((t) => !existsSync(path.join(scratch, t)));
  if (missing.length > 0) return { status: "error", detail: `no test file ${missing.join(", ")}` };
  const original = readFileSync(target, "utf8");
  const applied = applyOnce(original, m.find, m.replace);
  if (!applied.ok) {
    return {
      status: "stale",
      detail: `find text occurs ${applied.occurrences} times in ${m.file} (must be once)`,
    };
  }

  if (withBaseline) {
    const key = groupKey(m);
    let base = baselines.get(key);
    if (!base) {
      const run = await runVitest(scratch, m, `baseline-${m.id}`);
      base = run.timedOut
        ? { status: "error", detail: "baseline timed out" }
        : classifyRun(run.exitCode, run.report);
      baselines.set(key, base);
    }
    if (base.status !== "survived") {
      return {
        status: "error",
        detail: `the tests do not pass without the mutation (${base.status}: ${base.detail})`,
      };
    }
  }

  writeFileSync(target, applied.text);
  try {
    const run = await runVitest(scratch, m, m.id);
    if (run.timedOut) return { status: "error", detail: "timed out" };
    return classifyRun(run.exitCode, run.report);
  } finally {
    writeFileSync(target, original);
  }
}

process.exit(await main(process.argv.slice(2)));
