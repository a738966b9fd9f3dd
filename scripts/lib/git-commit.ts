/**
 * The commit a folder's checkout is at, for naming what a benchmark measured: 12 hex digits, and
 * " with uncommitted changes" when tracked files differ from it. Files a benchmark run writes
 * itself (bench-results.json) are left out of that check, or every second run would say so.
 */
import { execFileSync } from "node:child_process";

function git(dir: string, args: readonly string[]): string {
  return execFileSync("git", ["-C", dir, ...args], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
  }).trim();
}

export function commitOf(dir: string, ignore: readonly string[] = []): string {
  try {
    const commit = git(dir, ["rev-parse", "--short=12", "HEAD"]);
    const changed = git(dir, [
      "status",
      "--porcelain",
      "--untracked-files=no",
      "--",
      ".",
      ...ignore.map((p) => `:(exclude)${p}`),
    ]);
    return changed ? `${commit} with uncommitted changes` : commit;
  } catch {
    return "unknown commit";
  }
}
