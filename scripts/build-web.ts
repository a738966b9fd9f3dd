/**
 * Bundles the pages' TypeScript (web/src/pages/*.ts) into web/public/assets/gen/ with esbuild:
 * ES modules for modern browsers, no external requests, source maps for debugging.
 * Run by `npm run dev` and `npm test`; `npm run build:web` runs it alone.
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { repoRoot } from "./lib/paths.ts";

export async function buildWeb(): Promise<void> {
  const pagesDir = path.join(repoRoot, "web/src/pages");
  const entryPoints = readdirSync(pagesDir)
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
    .map((f) => path.join(pagesDir, f));
  await build({
    entryPoints,
    outdir: path.join(repoRoot, "web/public/assets/gen"),
    bundle: true,
    format: "esm",
    platform: "browser",
    target: ["chrome110", "firefox115", "safari16"],
    minify: true,
    sourcemap: true,
    legalComments: "linked",
    logLevel: "warning",
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  await buildWeb();
  console.log("web: built web/public/assets/gen/");
}
