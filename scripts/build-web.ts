/**
 * Bundles the pages' TypeScript (web/src/pages/*.ts) into web/public/assets/gen/ with esbuild:
 * ES modules for modern browsers, no external requests, source maps for debugging. Also copies
 * the poster font (Noto Sans SC, SIL OFL 1.1, with its licence) to assets/gen/fonts/, so that
 * the pages fetch it from the same origin.
 *
 * Besides the pages, one Web Worker entry: the authority console's decryption worker
 * (client-sdk/src/authority/browser-worker.ts → assets/gen/authority-worker.js), a module worker
 * the page starts from its own origin (CSP worker-src 'self').
 * Run by `npm run dev` and `npm test`; `npm run build:web` runs it alone.
 */
import {
  copyFileSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { repoRoot } from "./lib/paths.ts";

export async function buildWeb(): Promise<void> {
  const pagesDir = path.join(repoRoot, "web/src/pages");
  const pages = readdirSync(pagesDir)
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
    .map((f) => ({ in: path.join(pagesDir, f), out: path.basename(f, ".ts") }));
  const workers = [
    {
      in: path.join(repoRoot, "client-sdk/src/authority/browser-worker.ts"),
      out: "authority-worker",
    },
  ];
  const entryPoints = [...pages, ...workers];
  const result = await build({
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
    write: false,
  });
  for (const file of result.outputFiles) writeIfChanged(file.path, file.contents);
  copyPosterFont();
}

/**
 * Leaves a file alone when its bytes are already right. A running `wrangler dev` watches the
 * assets and reloads on a write, which can drop requests in flight, and every `npm run dev` (the
 * e2e files start several beside the shared one) builds the pages again.
 */
function writeIfChanged(file: string, contents: Uint8Array): void {
  try {
    if (Buffer.compare(readFileSync(file), contents) === 0) return;
  } catch {
    // not there yet
  }
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, contents);
}

/** From the @expo-google-fonts/noto-sans-sc package (npm) to web/public/assets/gen/fonts/. */
const POSTER_FONT = {
  "400Regular/NotoSansSC_400Regular.ttf": "NotoSansSC-Regular.ttf",
  LICENSE_FONT: "NotoSansSC-OFL.txt",
} as const;

function copyPosterFont(): void {
  const require = createRequire(import.meta.url);
  const dir = path.join(repoRoot, "web/public/assets/gen/fonts");
  mkdirSync(dir, { recursive: true });
  for (const [from, to] of Object.entries(POSTER_FONT)) {
    const source = require.resolve(`@expo-google-fonts/noto-sans-sc/${from}`);
    const target = path.join(dir, to);
    const s = statSync(source);
    const t = statSync(target, { throwIfNoEntry: false });
    if (t && t.size === s.size && t.mtimeMs >= s.mtimeMs) continue;
    copyFileSync(source, target);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  await buildWeb();
  console.log("web: built web/public/assets/gen/");
}
