import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "./lib/paths.ts";
import { TSCONFIG_FOLDERS } from "./lib/typecheck.ts";

const SKIPPED = new Set(["node_modules", ".git", ".wrangler", ".lintel", ".tmp", "test-results"]);

function foldersWithTsconfig(folder: string, into: string[] = []): string[] {
  if (existsSync(path.join(folder, "tsconfig.json")))
    into.push(path.relative(repoRoot, folder) || ".");
  for (const name of readdirSync(folder)) {
    const full = path.join(folder, name);
    if (!SKIPPED.has(name) && statSync(full).isDirectory()) foldersWithTsconfig(full, into);
  }
  return into;
}

describe("the typecheck list", () => {
  it("names every folder with a tsconfig.json, once, so npm test and npm run typecheck miss none", () => {
    expect([...TSCONFIG_FOLDERS].sort()).toEqual(foldersWithTsconfig(repoRoot).sort());
    expect(new Set(TSCONFIG_FOLDERS).size).toBe(TSCONFIG_FOLDERS.length);
  });
});
