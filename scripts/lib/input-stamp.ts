/**
 * Remembers that a slow step already ran on exactly these inputs, so that the next run may skip
 * it: a SHA-256 over every file under the given paths (relative path and bytes, in sorted order)
 * and a few extra strings, kept in a stamp file. `npm run dev` builds the pages and migrates four
 * local databases on every start; the e2e tests start a dev server twenty times, and on a 2-core
 * machine those steps cost more than half a minute each time while their inputs never change.
 *
 * Contents, not modification times: a `git checkout` that restores a file's old bytes restores the
 * old stamp too, and a touched but unchanged file skips correctly. A missing path hashes as
 * missing, so deleting an output makes the stamp differ and the step run again.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

export interface StampInputs {
  /** Files or folders (walked recursively), absolute. */
  readonly paths: readonly string[];
  /** Paths under `paths` to leave out (absolute, exact or a folder prefix). */
  readonly exclude?: readonly string[];
  /** Anything else the step depends on (an environment variable, a role). */
  readonly extra?: readonly string[];
}

function isExcluded(file: string, exclude: readonly string[]): boolean {
  return exclude.some((e) => file === e || file.startsWith(`${e}${path.sep}`));
}

function addTree(hash: ReturnType<typeof createHash>, file: string, exclude: readonly string[]) {
  if (isExcluded(file, exclude)) return;
  const stat = statSync(file, { throwIfNoEntry: false });
  if (!stat) {
    hash.update(`missing\0${file}\0`);
    return;
  }
  if (stat.isDirectory()) {
    for (const name of readdirSync(file).sort()) addTree(hash, path.join(file, name), exclude);
    return;
  }
  hash.update(`file\0${file}\0${stat.size}\0`);
  hash.update(readFileSync(file));
}

/** The stamp of these inputs now. */
export function inputStamp(inputs: StampInputs): string {
  const hash = createHash("sha256");
  for (const p of inputs.paths) addTree(hash, p, inputs.exclude ?? []);
  for (const e of inputs.extra ?? []) hash.update(`extra\0${e}\0`);
  return hash.digest("hex");
}

/** Whether `stampFile` holds exactly `stamp` (false when it is missing). */
export function stampMatches(stampFile: string, stamp: string): boolean {
  try {
    return readFileSync(stampFile, "utf8").trim() === stamp;
  } catch {
    return false;
  }
}

export function writeStamp(stampFile: string, stamp: string): void {
  mkdirSync(path.dirname(stampFile), { recursive: true });
  writeFileSync(stampFile, `${stamp}\n`);
}
