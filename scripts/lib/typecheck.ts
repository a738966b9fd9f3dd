/**
 * The one list of TypeScript projects: `npm run typecheck` and `npm test` both check exactly
 * these, each with its own tsconfig (libraries and types differ: workerd, DOM, Node). A folder
 * that gains a tsconfig.json belongs here; `scripts/typecheck.test.ts` fails until it is.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { repoRoot } from "./paths.ts";

/** Folders holding a tsconfig.json, relative to the repository root. */
export const TSCONFIG_FOLDERS: readonly string[] = [
  ".",
  "protocol",
  "contract",
  "client-sdk",
  "worker",
  "web",
  "tests/worker",
];

/** Type-checks one folder's project, output to the terminal; true when it passes. */
export function typecheckFolder(folder: string): boolean {
  console.log(`\n── typecheck ${folder}`);
  const tsc = path.join(repoRoot, "node_modules/.bin/tsc");
  const result = spawnSync(tsc, ["-p", folder], { cwd: repoRoot, stdio: "inherit" });
  if (result.status !== 0) console.log(`── typecheck ${folder}: FAILED`);
  return result.status === 0;
}

/** Checks every project, even after a failure; returns the folders that failed. */
export function typecheckAll(): string[] {
  return TSCONFIG_FOLDERS.filter((folder) => !typecheckFolder(folder));
}
