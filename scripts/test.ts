/**
 * `npm test` — everything, in order, failing at the end if any step failed:
 *   1. Chromium and poppler-utils (pdftoppm, pdftotext) from Debian's packages, installed when
 *      missing
 *   2. the pages' bundle
 *   3. Biome: formatting and lint
 *   4. TypeScript: every folder's tsconfig, strict (the list `npm run typecheck` checks too,
 *      lib/typecheck.ts)
 *   5. vitest: unit (Node), worker (workerd + local D1), e2e (npm run dev + Chromium) and
 *      packages, as two runs side by side (e2e and packages; unit and worker)
 * The last line counts the tests: "tests: N passed, N failed".
 * Extra arguments go to vitest (e.g. `npm test -- --project unit`).
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { buildWeb } from "./build-web.ts";
import { ensureTestBinaries } from "./lib/chromium.ts";
import { repoRoot } from "./lib/paths.ts";
import { typecheckAll } from "./lib/typecheck.ts";

const bin = (name: string) => path.join(repoRoot, "node_modules/.bin", name);

function run(label: string, command: string, args: readonly string[]): boolean {
  console.log(`\n── ${label}`);
  const result = spawnSync(command, args, { cwd: repoRoot, stdio: "inherit" });
  if (result.status !== 0) console.log(`── ${label}: FAILED`);
  return result.status === 0;
}

interface VitestReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  success: boolean;
}

/** The vitest projects as two runs side by side: the first streams, the second is shown at its end. */
const VITEST_GROUPS = [
  { label: "vitest e2e, packages", args: ["--project", "e2e", "--project", "packages"] },
  { label: "vitest unit, worker", args: ["--project", "unit", "--project", "worker"] },
] as const;

const sum = (reports: readonly VitestReport[], key: keyof Omit<VitestReport, "success">) =>
  reports.reduce((n, r) => n + r[key], 0);

interface VitestOutcome {
  readonly label: string;
  readonly ok: boolean;
  readonly report: VitestReport | undefined;
}

/**
 * One vitest run with its own JSON report. "capture" keeps its output and prints it in one piece
 * when it ends, so that two runs side by side never interleave their lines.
 */
function runVitest(
  label: string,
  args: readonly string[],
  output: "stream" | "capture",
): Promise<VitestOutcome> {
  const reportFile = path.join(repoRoot, `.tmp/vitest-report-${label.replace(/\W+/g, "-")}.json`);
  mkdirSync(path.dirname(reportFile), { recursive: true });
  rmSync(reportFile, { force: true });
  console.log(`\n── ${label}${output === "capture" ? " (shown when it ends)" : ""}`);
  return new Promise((resolve) => {
    const child = spawn(
      bin("vitest"),
      ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${reportFile}`, ...args],
      { cwd: repoRoot, stdio: output === "stream" ? "inherit" : ["ignore", "pipe", "pipe"] },
    );
    let kept = "";
    child.stdout?.on("data", (d: Buffer) => {
      kept += d.toString();
    });
    child.stderr?.on("data", (d: Buffer) => {
      kept += d.toString();
    });
    const finish = (ok: boolean) => {
      if (output === "capture") console.log(`\n── ${label}: its output\n${kept}`);
      if (!ok) console.log(`── ${label}: FAILED`);
      let report: VitestReport | undefined;
      try {
        report = JSON.parse(readFileSync(reportFile, "utf8")) as VitestReport;
      } catch {
        report = undefined;
      }
      resolve({ label, ok, report });
    };
    child.on("error", () => finish(false));
    child.on("close", (code) => finish(code === 0));
  });
}

async function main(): Promise<number> {
  const failures: string[] = [];
  try {
    ensureTestBinaries();
  } catch (e) {
    console.error(`test: ${e instanceof Error ? e.message : e}`);
    return 1;
  }
  console.log("── web bundle");
  await buildWeb();
  if (!run("biome (format + lint)", bin("biome"), ["check", "."])) failures.push("biome");
  for (const folder of typecheckAll()) failures.push(`typecheck ${folder}`);

  const extra = process.argv.slice(2);
  // vitest runs its projects one after another here; the e2e project, mostly waiting on
  // servers and pages, runs beside the CPU-bound unit and worker projects instead.
  const runs = extra.length > 0 ? [{ label: "vitest", args: extra }] : VITEST_GROUPS;
  const outcomes = await Promise.all(
    runs.map((r, i) => runVitest(r.label, r.args, i === 0 ? "stream" : "capture")),
  );
  const reports: VitestReport[] = [];
  for (const o of outcomes) {
    if (o.report) reports.push(o.report);
    else failures.push(`${o.label} (no report)`);
    if (!o.ok) failures.push(o.label);
  }
  const report: VitestReport | undefined =
    reports.length === 0
      ? undefined
      : {
          numPassedTests: sum(reports, "numPassedTests"),
          numFailedTests: sum(reports, "numFailedTests"),
          numPendingTests: sum(reports, "numPendingTests"),
          numTodoTests: sum(reports, "numTodoTests"),
          success: reports.every((r) => r.success),
        };

  const passed = report?.numPassedTests ?? 0;
  const failed = report?.numFailedTests ?? 0;
  const skipped = (report?.numPendingTests ?? 0) + (report?.numTodoTests ?? 0);
  console.log("");
  if (failures.length > 0) console.log(`test: failed steps: ${[...new Set(failures)].join(", ")}`);
  if (passed === 0 && failures.length === 0) {
    console.log("test: no test ran");
    failures.push("no tests");
  }
  console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
  return failures.length === 0 ? 0 : 1;
}

process.exit(await main());
