/**
 * Bundles the pages' TypeScript (web/src/pages/*.ts) into web/public/assets/gen/ with esbuild:
 * ES modules for modern browsers, no external requests, source maps for debugging. Also copies
 * the poster font (Noto Sans SC, SIL OFL 1.1, with its licence) to assets/gen/fonts/, so that
 * the pages fetch it from the same origin.
 *
 * Besides the pages, one Web Worker entry: the authority console's decryption worker
 * (client-sdk/src/authority/browser-worker.ts → assets/gen/authority-worker.js), a module worker
 * the page starts from its own origin (CSP worker-src 'self'); and the citizen pages' background
 * check of the public log (web/src/lib/exposure-watch-entry.ts → assets/gen/exposure-watch.js),
 * which the citizen pages import by address once loaded. The service worker (web/src/sw.ts →
 * /sw.js) is a bundle of its own, built last with the precache list; it carries the same check
 * for its periodic run, which no page's first load fetches.
 *
 * Lazy code gets a file of its own: an entry that reaches a module only through `import()` — the
 * fast BLS12-381 backend, mcl-wasm's 600 kB of JavaScript with its wasm inside
 * (protocol/src/fast-curves/) — is bundled again on its own with code splitting, so that module
 * becomes a chunk in assets/gen/chunks/, fetched when the page first asks for it, and the page's
 * first load does not carry it (`firstLoad` in scripts/lib/first-load.ts measures it). The other
 * entries are bundled together without splitting, in one esbuild run. Not one split build for
 * all: esbuild's chunks shared between entries kept code an entry never runs (the check-in
 * page's first load grew from 0.88 to 2.36 MB, with the poster page's PDF library); alone, an
 * entry's static code stays in its one file, byte for byte what it was without splitting. Chunks
 * of earlier builds are removed.
 * The pages' HTML is written here too, from one template (scripts/lib/page-shell.ts, the pages
 * declared in web/src/shell/pages.ts), in the deployment's default language
 * (`LINTEL_DEFAULT_LANGUAGE`, zh unless set to en), which the scripts also receive.
 * Run by `npm run dev` and `npm test`; `npm run build:web` runs it alone.
 */
import {
  copyFileSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { type BuildOptions, build, type Metafile, type OutputFile } from "esbuild";
import { PAGE_SHELLS } from "../web/src/shell/pages.ts";
import { APP_ICONS, appIconPng } from "./lib/app-icons.ts";
import { inputStamp, stampMatches, writeStamp } from "./lib/input-stamp.ts";
import {
  ICONS_DIR,
  MANIFEST_FILE,
  precacheOf,
  SERVICE_WORKER_FILE,
  scriptsOf,
  webManifest,
} from "./lib/offline-shell.ts";
import { pageShellHtml } from "./lib/page-shell.ts";
import { repoRoot } from "./lib/paths.ts";

export const GEN_DIR = path.join(repoRoot, "web/public/assets/gen");
const PUBLIC_DIR = path.join(repoRoot, "web/public");

/** The deployment's default language for the pages: zh unless LINTEL_DEFAULT_LANGUAGE=en. */
export function defaultLanguage(env: NodeJS.ProcessEnv = process.env): "zh" | "en" {
  return env.LINTEL_DEFAULT_LANGUAGE === "en" ? "en" : "zh";
}
const CHUNKS = "chunks";

/** The options every browser bundle of the pages uses (also the e2e test entries). */
export function pageBuildOptions(
  entryPoints: ReadonlyArray<{ in: string; out: string }>,
  outdir: string,
  { splitting = true } = {},
): BuildOptions & { metafile: true; write: false } {
  return {
    entryPoints: [...entryPoints],
    outdir,
    bundle: true,
    format: "esm",
    splitting,
    chunkNames: `${CHUNKS}/[name]-[hash]`,
    platform: "browser",
    target: ["chrome110", "firefox115", "safari16"],
    minify: true,
    sourcemap: true,
    legalComments: "linked",
    logLevel: "warning",
    metafile: true,
    write: false,
    define: { LINTEL_DEFAULT_LANGUAGE: JSON.stringify(defaultLanguage()) },
  };
}

interface Bundle {
  readonly outputFiles: OutputFile[];
  readonly metafile: Metafile;
}

/** The pages' and the worker's bundles, in memory (see the header for the two kinds of build). */
export async function bundlePages(): Promise<Bundle> {
  const pagesDir = path.join(repoRoot, "web/src/pages");
  const pages = readdirSync(pagesDir)
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
    .map((f) => ({ in: path.join(pagesDir, f), out: path.basename(f, ".ts") }));
  const workers = [
    {
      in: path.join(repoRoot, "client-sdk/src/authority/browser-worker.ts"),
      out: "authority-worker",
    },
    // The citizen pages' background check of the public log, bundled alone (not as a chunk of a
    // page: esbuild's shared chunks would carry its audit code into the check-in page's first
    // load); a page runs it by importing its address after loading.
    { in: path.join(repoRoot, "web/src/lib/exposure-watch-entry.ts"), out: "exposure-watch" },
  ];
  return bundleEntries([...pages, ...workers]);
}

/** Entries bundled as the pages are: together without splitting, or alone when they `import()`. */
export async function bundleEntries(
  entries: ReadonlyArray<{ in: string; out: string }>,
): Promise<Bundle> {
  const together = await build(pageBuildOptions(entries, GEN_DIR, { splitting: false }));
  const lazy = entries.filter((e) => importsLazily(together.metafile, e.in));
  const alone = await Promise.all(lazy.map((e) => build(pageBuildOptions([e], GEN_DIR))));
  // Later builds replace an entry's files; a chunk's name carries its content's hash, so two
  // entries' chunks of one name are one file.
  const builds = [together, ...alone];
  return {
    outputFiles: [
      ...new Map(builds.flatMap((b) => b.outputFiles.map((f) => [f.path, f]))).values(),
    ],
    metafile: {
      inputs: Object.assign({}, ...builds.map((b) => b.metafile.inputs)),
      outputs: Object.assign({}, ...builds.map((b) => b.metafile.outputs)),
    },
  };
}

/** Whether the entry reaches any module through a bundled `import()`. */
function importsLazily(metafile: Metafile, entry: string): boolean {
  const start = path.relative(process.cwd(), entry);
  const seen = new Set<string>();
  const queue = [start];
  for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    for (const i of metafile.inputs[file]?.imports ?? []) {
      if (i.external) continue;
      if (i.kind === "dynamic-import") return true;
      queue.push(i.path);
    }
  }
  if (!metafile.inputs[start]) throw new Error(`build-web: ${start} is not an input of the build`);
  return false;
}

export async function buildWeb(): Promise<void> {
  const result = await bundlePages();
  for (const file of result.outputFiles) writeIfChanged(file.path, file.contents);
  removeStaleChunks(new Set(result.outputFiles.map((f) => f.path)));
  copyPosterFont();
  writePageShells();
  writeAppFiles();
  await buildServiceWorker(scriptsOf(result.metafile.outputs, PAGE_SHELLS, PUBLIC_DIR));
  writeStamp(BUILD_STAMP, buildStamp());
}

/**
 * What a build depends on and what it wrote: the sources it bundles, this script and its
 * helpers, the locked dependencies, the default language, and web/ itself with the outputs (so a
 * deleted or edited output is built again).
 */
function buildStamp(): string {
  return inputStamp({
    paths: [
      path.join(repoRoot, "web"),
      path.join(repoRoot, "protocol/src"),
      path.join(repoRoot, "client-sdk/src"),
      path.join(repoRoot, "contract/src"),
      path.join(repoRoot, "scripts/build-web.ts"),
      path.join(repoRoot, "scripts/lib"),
      path.join(repoRoot, "package-lock.json"),
    ],
    extra: [`language=${defaultLanguage()}`],
  });
}

const BUILD_STAMP = path.join(repoRoot, ".tmp/web-build.stamp");

/**
 * Builds the pages unless the last build was of exactly these inputs (`npm run dev`, which every
 * e2e test file's own server runs); `npm test` and `npm run build:web` always build.
 */
export async function buildWebUnlessBuilt(): Promise<"built" | "up to date"> {
  if (stampMatches(BUILD_STAMP, buildStamp())) return "up to date";
  await buildWeb();
  return "built";
}

/** The web app manifest and its icons (scripts/lib/offline-shell.ts). */
function writeAppFiles(): void {
  const manifest = `${JSON.stringify(webManifest(defaultLanguage()), null, 2)}\n`;
  writeIfChanged(path.join(PUBLIC_DIR, MANIFEST_FILE), Buffer.from(manifest));
  for (const icon of APP_ICONS) {
    writeIfChanged(path.join(PUBLIC_DIR, ICONS_DIR, icon.file), appIconPng(icon));
  }
}

/** `/sw.js` with the precache of everything written above (so last). */
async function buildServiceWorker(scripts: ReadonlySet<string>): Promise<void> {
  const precache = precacheOf(PUBLIC_DIR, PAGE_SHELLS, scripts);
  const result = await build({
    entryPoints: [path.join(repoRoot, "web/src/sw.ts")],
    outfile: path.join(PUBLIC_DIR, SERVICE_WORKER_FILE),
    bundle: true,
    // A classic script: every browser with service workers runs it.
    format: "iife",
    platform: "browser",
    target: ["chrome110", "firefox115", "safari16"],
    minify: true,
    logLevel: "warning",
    // The SDK's Node-only modules (node-curves.ts, node-pool.ts) read import.meta, which a classic
    // script lacks; esbuild parses them with the SDK's index but leaves them out of the bundle.
    logOverride: { "empty-import-meta": "silent" },
    write: false,
    define: {
      LINTEL_PRECACHE: JSON.stringify(precache.urls),
      LINTEL_SHELL_VERSION: JSON.stringify(precache.version),
      // Its periodic check's notification speaks the pages' language, this default until one is kept.
      LINTEL_DEFAULT_LANGUAGE: JSON.stringify(defaultLanguage()),
    },
  });
  for (const file of result.outputFiles) writeIfChanged(file.path, file.contents);
}

/** Every page's HTML from the one template. */
function writePageShells(): void {
  const lang = defaultLanguage();
  for (const page of PAGE_SHELLS) {
    writeIfChanged(path.join(PUBLIC_DIR, page.file), Buffer.from(pageShellHtml(page, lang)));
  }
}

/** Chunk names carry a content hash: a rebuild leaves the old ones behind unless removed. */
function removeStaleChunks(current: ReadonlySet<string>): void {
  const dir = path.join(GEN_DIR, CHUNKS);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const file = path.join(dir, name);
    if (!current.has(file)) rmSync(file, { force: true });
  }
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
  console.log("web: built web/public/assets/gen/ and the pages' HTML");
}
