import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { commitOf } from "./git-commit.ts";

const scratch = mkdtempSync(path.join(os.tmpdir(), "lintel-commit-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function repo(name: string): string {
  const dir = path.join(scratch, name);
  const git = (...args: string[]) => execFileSync("git", ["-C", dir, ...args], { stdio: "ignore" });
  execFileSync("git", ["init", "-q", dir]);
  writeFileSync(path.join(dir, "code.ts"), "1\n");
  writeFileSync(path.join(dir, "bench-results.json"), "{}\n");
  git("add", ".");
  git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "first");
  return dir;
}

describe("commitOf", () => {
  it("names a clean checkout by 12 hex digits", () => {
    expect(commitOf(repo("clean"))).toMatch(/^[0-9a-f]{12}$/);
  });

  it("says so when a tracked file changed, unless it is one the caller ignores", () => {
    const dir = repo("changed");
    writeFileSync(path.join(dir, "bench-results.json"), '{"x":1}\n');
    expect(commitOf(dir)).toMatch(/^[0-9a-f]{12} with uncommitted changes$/);
    expect(commitOf(dir, ["bench-results.json"])).toMatch(/^[0-9a-f]{12}$/);
    writeFileSync(path.join(dir, "code.ts"), "2\n");
    expect(commitOf(dir, ["bench-results.json"])).toMatch(/ with uncommitted changes$/);
  });

  it("does not count untracked files (their installed node_modules, for one)", () => {
    const dir = repo("untracked");
    writeFileSync(path.join(dir, "new.ts"), "1\n");
    expect(commitOf(dir)).toMatch(/^[0-9a-f]{12}$/);
  });

  it("gives 'unknown commit' outside a git checkout", () => {
    expect(commitOf(path.join(scratch, "nowhere"))).toBe("unknown commit");
  });
});
