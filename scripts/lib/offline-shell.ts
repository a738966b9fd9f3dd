/**
 * What makes the pages installable and usable without a network, written by scripts/build-web.ts
 * after the pages: the web app manifest (`/manifest.webmanifest`), its PNG icons
 * (`/assets/gen/icons/`, lib/app-icons.ts) and the list of files the service worker
 * (web/src/sw.ts, bundled to `/sw.js`) precaches, with a version that is a content hash of them.
 *
 * The precache is every page's HTML (under the address it is served at, not its file name), the
 * stylesheets, icons, manifest and every script of the pages with their lazily loaded chunks (the
 * camera's QR decoder and the fast curves among them), so a poster link opened with no signal
 * still reads, verifies and queues its check-in. Left out: source maps, licence notes and the
 * poster font (10 MB, used only by the operator page to draw a poster PDF, which needs the
 * service anyway).
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

/** Files of web/public the pages never need offline (see the header). */
function leftOut(file: string): boolean {
  return (
    file === SERVICE_WORKER_FILE ||
    file.endsWith(".map") ||
    file.endsWith(".LEGAL.txt") ||
    file.startsWith("assets/gen/fonts/") ||
    file.startsWith(".")
  );
}

export interface Precache {
  /** Same-origin paths, sorted. */
  readonly urls: readonly string[];
  /** A hash of every precached file's path and bytes: the cache's name changes with any. */
  readonly version: string;
}

/** The precache of what the build wrote to `publicDir` (run after everything else is written). */
export function precacheOf(publicDir: string, pages: readonly PageShell[]): Precache {
  const pageFiles = new Map(pages.map((p) => [p.file, p.path]));
  const entries = filesUnder(publicDir)
    .map((f) => f.split(path.sep).join("/"))
    .filter((f) => !leftOut(f))
    .map((f) => ({ file: f, url: pageFiles.get(f) ?? `/${f}` }))
    .sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0));
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
