/**
 * What makes the pages installable and usable without a network, written by scripts/build-web.ts
 * after the pages: the web app manifest (`/manifest.webmanifest`), its PNG icons
 * (`/assets/gen/icons/`, lib/app-icons.ts) and the list of files the service worker
 * (web/src/sw.ts, bundled to `/sw.js`) precaches, with a version that is a content hash of them.
 *
 * The precache is what a citizen's phone needs with no signal: the citizen pages' HTML
 * (OFFLINE_PAGES, under the address each is served at, not its file name), the stylesheets,
 * icons and manifest, and those pages' scripts with every chunk they load, lazily too (the
 * camera's QR decoder and the fast curves among them), so a poster link opened with no signal
 * still reads, verifies and queues its check-in. The other pages (operator, registry, staff,
 * authority, …) are left to the network: a phone that checks in once should not download the
 * operator page's megabytes in the background. Left out too: source maps and licence notes.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { PageShell } from "../../web/src/shell/pages.ts";
import { APP_ICONS } from "./app-icons.ts";

/** The theme colour: `--brand` of web/public/assets/styles.css (the header and buttons). */
export const THEME_COLOUR = "#14532d";
export const MANIFEST_FILE = "manifest.webmanifest";
export const SERVICE_WORKER_FILE = "sw.js";
export const ICONS_DIR = "assets/gen/icons";

/** The pages a citizen opens (by shell id): their HTML and scripts are precached. */
export const OFFLINE_PAGES: readonly string[] = ["home", "checkin", "visits", "privacy"];

const NAMES = {
  en: { name: "Lintel check-in", short: "Lintel", description: "Private venue check-in" },
  zh: { name: "Lintel 场所登记", short: "Lintel", description: "隐私保护的场所登记" },
} as const;

/** The manifest in the deployment's default language (a manifest has one). */
export function webManifest(lang: "zh" | "en"): Record<string, unknown> {
  const names = NAMES[lang];
  return {
    id: "/",
    name: names.name,
    short_name: names.short,
    description: names.description,
    lang: lang === "zh" ? "zh-CN" : "en",
    dir: "ltr",
    // A phone opens the app to check in: the scanner, or the pass of the visit still open.
    start_url: "/c",
    scope: "/",
    display: "standalone",
    theme_color: THEME_COLOUR,
    background_color: "#ffffff",
    icons: [
      ...APP_ICONS.map((icon) => ({
        src: `/${ICONS_DIR}/${icon.file}`,
        sizes: `${icon.size}x${icon.size}`,
        type: "image/png",
        purpose: icon.purpose,
      })),
      { src: "/assets/favicon.svg", sizes: "any", type: "image/svg+xml", purpose: "any" },
    ],
  };
}

function filesUnder(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full, base) : [path.relative(base, full)];
  });
}

/**
 * Whether a file of web/public is precached (see the header): scripts only when a citizen page
 * loads them, and no page's HTML here (those are added under their addresses).
 */
function precached(
  file: string,
  scripts: ReadonlySet<string>,
  pageFiles: ReadonlySet<string>,
): boolean {
  if (file === SERVICE_WORKER_FILE || file.startsWith(".")) return false;
  if (file.endsWith(".map") || file.endsWith(".LEGAL.txt")) return false;
  if (file.endsWith(".js")) return scripts.has(file);
  if (file.endsWith(".html")) return false;
  if (file.startsWith("assets/gen/fonts/")) return false;
  return !pageFiles.has(file);
}

export interface Precache {
  /** Same-origin paths, sorted. */
  readonly urls: readonly string[];
  /** A hash of every precached file's path and bytes: the cache's name changes with any. */
  readonly version: string;
}

/**
 * The precache of what the build wrote to `publicDir` (run after everything else is written).
 * `scripts`: the citizen pages' scripts and chunks, as paths under `publicDir` (scriptsOf).
 */
export function precacheOf(
  publicDir: string,
  pages: readonly PageShell[],
  scripts: ReadonlySet<string>,
): Precache {
  const offline = pages.filter((p) => OFFLINE_PAGES.includes(p.id));
  const allPageFiles = new Set(pages.map((p) => p.file));
  const files = filesUnder(publicDir)
    .map((f) => f.split(path.sep).join("/"))
    .filter((f) => precached(f, scripts, allPageFiles))
    .map((f) => ({ file: f, url: `/${f}` }));
  const entries = [...files, ...offline.map((p) => ({ file: p.file, url: p.path }))].sort((a, b) =>
    a.url < b.url ? -1 : a.url > b.url ? 1 : 0,
  );
  const hash = createHash("sha256");
  for (const { file, url } of entries) {
    hash.update(`${url}\0`);
    hash.update(
      createHash("sha256")
        .update(readFileSync(path.join(publicDir, file)))
        .digest(),
    );
  }
  return { urls: entries.map((e) => e.url), version: hash.digest("hex").slice(0, 16) };
}

/** What esbuild's metafile says of the outputs: each one's imports, static and dynamic. */
export interface OutputImports {
  readonly [output: string]: {
    readonly entryPoint?: string;
    readonly imports: ReadonlyArray<{ readonly path: string; readonly external?: boolean }>;
  };
}

/**
 * The scripts the citizen pages load, each as a path under `publicDir`: every output whose entry
 * is one of OFFLINE_PAGES' scripts, and every chunk it imports, statically or through `import()`,
 * transitively. `outputs` names files relative to the working directory, as esbuild does.
 */
export function scriptsOf(
  outputs: OutputImports,
  pages: readonly PageShell[],
  publicDir: string,
): Set<string> {
  const sources = path.resolve(publicDir, "../src/pages");
  const wanted = new Set(
    pages
      .filter((p) => OFFLINE_PAGES.includes(p.id))
      .map((p) => path.relative(process.cwd(), path.join(sources, `${p.script}.ts`))),
  );
  const queue = Object.entries(outputs)
    .filter(([, o]) => o.entryPoint !== undefined && wanted.has(o.entryPoint))
    .map(([file]) => file);
  const seen = new Set<string>();
  for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
    if (seen.has(file) || !file.endsWith(".js")) continue;
    seen.add(file);
    for (const i of outputs[file]?.imports ?? []) if (!i.external) queue.push(i.path);
  }
  const base = path.relative(process.cwd(), publicDir);
  return new Set([...seen].map((f) => path.relative(base, f).split(path.sep).join("/")));
}
