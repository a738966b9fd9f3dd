/**
 * `npm test` — everything, in order, failing at the end if any step failed:
 *   1. Chromium and poppler-utils (pdftoppm, pdftotext) from Debian's packages, installed when
 *      missing
 *   2. the pages' bundle
 *   3. Biome: formatting and lint
 *   4. TypeScript: every folder's tsconfig, strict (the list `npm run typecheck` checks too,
 *      lib/typecheck.ts)
 *   5. vitest: unit (Node), worker (workerd + local D1), e2e (npm run dev + Chromium)
 * The last line counts the tests: "tests: N passed, N failed".
 * Extra arguments go to vitest (e.g. `npm test -- --project unit`).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
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

  const reportFile = path.join(repoRoot, ".tmp/vitest-report.json");
  mkdirSync(path.dirname(reportFile), { recursive: true });
  const vitestOk = run("vitest", bin("vitest"), [
    "run",
    "--reporter=default",
    "--reporter=json",
    `--outputFile.json=${reportFile}`,
    ...process.argv.slice(2),
  ]);
  let report: VitestReport | undefined;
  try {
    report = JSON.parse(readFileSync(reportFile, "utf8")) as VitestReport;
  } catch {
    failures.push("vitest (no report)");
  }
  if (!vitestOk) failures.push("vitest");

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
