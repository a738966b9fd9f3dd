import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { workspacePackages } from "./build-packages.ts";
import { repoRoot } from "./lib/paths.ts";

const basePaths = (
  JSON.parse(readFileSync(path.join(repoRoot, "tsconfig.base.json"), "utf8")) as {
    compilerOptions: { paths: Record<string, string[]> };
  }
).compilerOptions.paths;

describe("the workspace packages", () => {
  const packages = workspacePackages();

  it("build after the workspace packages they depend on", () => {
    const names = packages.map((p) => p.name);
    expect(names).toContain("@lintel/protocol");
    expect(names).toContain("@lintel/client-sdk");
    for (const [i, p] of packages.entries()) {
      for (const dep of p.internalDependencies) expect(names.indexOf(dep)).toBeLessThan(i);
    }
  });

  // Inside the repository every tool resolves the packages through tsconfig.base.json's paths;
  // an entry point missing there would silently load a stale dist/ (or fail in a clean clone).
  it("map every entry point to its source in tsconfig.base.json, and nothing else", () => {
    const expected: Record<string, string[]> = {};
    for (const p of packages) {
      for (const [subpath, target] of Object.entries(p.exports)) {
        if (subpath === "./package.json") continue;
        if (typeof target === "string") throw new Error(`${p.name} ${subpath}: no types condition`);
        const { types, default: js } = target;
        expect(js).toMatch(/^\.\/dist\/.+\.js$/);
        const source = String(js)
          .replace(/^\.\/dist\//, "")
          .replace(/\.js$/, ".ts");
        expect(typeof js === "string" && typeof types === "string").toBe(true);
        expect(types).toBe(`./dist/${source.replace(/\.ts$/, ".d.ts")}`);
        expected[p.name + subpath.slice(1)] = [`./${p.folder}/${source}`];
      }
    }
    const lintel = Object.fromEntries(
      Object.entries(basePaths).filter(([k]) => packages.some((p) => k.startsWith(p.name))),
    );
    expect(lintel).toEqual(expected);
  });

  it("build their bins from sources in the package", () => {
    for (const p of packages) {
      for (const file of Object.values(p.bin)) {
        expect(file).toMatch(/^dist\/.+\.js$/);
        const source = file.replace(/^dist\//, "").replace(/\.js$/, ".ts");
        expect(readFileSync(path.join(p.dir, source), "utf8").length).toBeGreaterThan(0);
      }
    }
  });
});
