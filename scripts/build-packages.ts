/**
 * `npm run build:packages [-- <folder>…]` — builds the workspace packages for publishing: ESM
 * JavaScript, `.d.ts` and declaration maps from each package's `tsconfig.build.json` into its
 * `dist/`, the `bin` files made executable with a Node shebang, and the repository's LICENSE and
 * SECURITY.md copied in beside its README (npm packs only files inside the package folder).
 *
 * The packages are the root package.json's `workspaces`, built in dependency order (a package's
 * declarations are checked against the built declarations of the packages it depends on). Inside
 * the repository nothing needs this build: tsconfig.base.json's `paths` map every package entry
 * point to its source, and tsc, esbuild, wrangler, vitest and tsx all follow them
 * (packages.test.ts checks that the two maps agree). Each package's `prepack` runs it, so
 * `npm pack -w <folder>` always packs a fresh build.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { repoRoot } from "./lib/paths.ts";

/** Export targets: a path, or conditions mapping to one. */
type ExportTarget = string | { readonly [condition: string]: ExportTarget };

export interface WorkspacePackage {
  /** The folder, relative to the repository root (as `workspaces` lists it). */
  readonly folder: string;
  readonly dir: string;
  readonly name: string;
  readonly exports: Readonly<Record<string, ExportTarget>>;
  readonly bin: Readonly<Record<string, string>>;
  /** Names of the workspace packages this one depends on. */
  readonly internalDependencies: readonly string[];
}

/** Files copied from the repository root into every package. */
export const ROOT_FILES = ["LICENSE", "SECURITY.md"] as const;

const SHEBANG = "#!/usr/bin/env node\n";

interface PackageJson {
  readonly name: string;
  readonly exports?: Record<string, ExportTarget>;
  readonly bin?: Record<string, string>;
  readonly dependencies?: Record<string, string>;
  readonly workspaces?: readonly string[];
}

function readJson(file: string): PackageJson {
  return JSON.parse(readFileSync(file, "utf8")) as PackageJson;
}

/** The workspace packages, each after the workspace packages it depends on. */
export function workspacePackages(): WorkspacePackage[] {
  const folders = readJson(path.join(repoRoot, "package.json")).workspaces ?? [];
  const all = folders.map((folder) => {
    const dir = path.join(repoRoot, folder);
    const json = readJson(path.join(dir, "package.json"));
    return { folder, dir, name: json.name, json };
  });
  const names = new Set(all.map((p) => p.name));
  const packages = all.map(({ folder, dir, name, json }) => ({
    folder,
    dir,
    name,
    exports: json.exports ?? {},
    bin: json.bin ?? {},
    internalDependencies: Object.keys(json.dependencies ?? {}).filter((d) => names.has(d)),
  }));
  const ordered: WorkspacePackage[] = [];
  const visit = (p: WorkspacePackage, path: readonly string[]) => {
    if (ordered.includes(p)) return;
    if (path.includes(p.name)) throw new Error(`workspace cycle: ${[...path, p.name].join(" → ")}`);
    for (const dep of p.internalDependencies) {
      visit(packages.find((q) => q.name === dep)!, [...path, p.name]);
    }
    ordered.push(p);
  };
  for (const p of packages) visit(p, []);
  return ordered;
}

/** Every file path an `exports` map names (all conditions), relative to the package. */
export function exportTargets(target: ExportTarget): string[] {
  return typeof target === "string" ? [target] : Object.values(target).flatMap(exportTargets);
}

/** The package and the workspace packages it depends on, in build order. */
function withDependencies(all: readonly WorkspacePackage[], wanted: readonly string[]) {
  const pick = new Set<string>();
  const add = (name: string) => {
    const p = all.find((q) => q.name === name || q.folder === name);
    if (!p) throw new Error(`no workspace package ${name}`);
    if (pick.has(p.name)) return;
    pick.add(p.name);
    p.internalDependencies.forEach(add);
  };
  wanted.forEach(add);
  return all.filter((p) => pick.has(p.name));
}

function buildOne(p: WorkspacePackage): void {
  rmSync(path.join(p.dir, "dist"), { recursive: true, force: true });
  const tsc = spawnSync(
    path.join(repoRoot, "node_modules/.bin/tsc"),
    ["-p", path.join(p.dir, "tsconfig.build.json")],
    { cwd: repoRoot, stdio: "inherit" },
  );
  if (tsc.status !== 0) throw new Error(`${p.name}: tsc failed`);
  for (const file of Object.values(p.bin)) {
    const binFile = path.join(p.dir, file);
    const text = readFileSync(binFile, "utf8");
    if (!text.startsWith("#!")) writeFileSync(binFile, SHEBANG + text);
    chmodSync(binFile, 0o755);
  }
  for (const file of ROOT_FILES) copyFileSync(path.join(repoRoot, file), path.join(p.dir, file));
  const missing = [...Object.values(p.exports).flatMap(exportTargets), ...Object.values(p.bin)]
    .map((f) => path.join(p.dir, f))
    .filter((f) => !existsSync(f));
  if (missing.length > 0) throw new Error(`${p.name}: the build lacks ${missing.join(", ")}`);
}

/** Builds the named packages (folder or package name; all when none) and what they depend on. */
export function buildPackages(wanted: readonly string[] = []): WorkspacePackage[] {
  const all = workspacePackages();
  const selected = wanted.length === 0 ? all : withDependencies(all, wanted);
  for (const p of selected) buildOne(p);
  return selected;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const built = buildPackages(process.argv.slice(2));
  // stderr: `npm pack --json` runs this as prepack and keeps its stdout for the JSON.
  console.error(`packages: built ${built.map((p) => `${p.name} (${p.folder}/dist)`).join(", ")}`);
}
