/**
 * The wrangler config `npm run retention` runs the worker with: wrangler.toml without its
 * `[assets]` table, everything else (name, bindings, Durable Object classes, vars) unchanged so
 * that the run sees the same local D1 and Durable Object state as `npm run dev`.
 *
 * Why: with `[assets]`, wrangler 4.86's local runtime hands scheduled events to its asset proxy
 * instead of the worker, and `/cdn-cgi/handler/scheduled` answers `exception` without running
 * the handler. The scheduled handler needs no assets.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "./paths.ts";

/** wrangler.toml's text without the top-level `[assets]` table (up to the next table). */
export function withoutAssets(toml: string): string {
  const lines = toml.split("\n");
  const out: string[] = [];
  let skipping = false;
  for (const line of lines) {
    const header = /^\s*\[/.test(line);
    if (header) skipping = /^\s*\[assets\]\s*(#.*)?$/.test(line);
    if (!skipping) out.push(line);
  }
  const result = out.join("\n");
  if (/^\s*\[assets\]/m.test(result) || result === toml) {
    throw new Error("wrangler.toml: no top-level [assets] table found to leave out");
  }
  return result;
}

/**
 * Writes the config into a fresh folder under .wrangler/ (git-ignored), with `main` and
 * `migrations_dir` pointing back at the repository. Returns the config file's path.
 */
export function writeRetentionConfig(): { file: string; dir: string } {
  // .wrangler/ exists only once wrangler has run: not yet in a clean clone.
  mkdirSync(path.join(repoRoot, ".wrangler"), { recursive: true });
  const dir = mkdtempSync(path.join(repoRoot, ".wrangler", "retention-"));
  const back = (p: string) => path.relative(dir, path.join(repoRoot, p));
  const toml = withoutAssets(readFileSync(path.join(repoRoot, "wrangler.toml"), "utf8"))
    .replace(/^main = "([^"]+)"/m, (_m, p: string) => `main = "${back(p)}"`)
    .replace(/^(\s*)migrations_dir = "([^"]+)"/gm, (_m, s: string, p: string) => {
      return `${s}migrations_dir = "${back(p)}"`;
    });
  const file = path.join(dir, "wrangler.toml");
  writeFileSync(file, toml);
  return { file, dir };
}
