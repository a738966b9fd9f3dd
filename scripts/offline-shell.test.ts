/**
 * The installable, offline pages' build parts: the manifest names PNG icons Chromium accepts, the
 * icons are real PNGs of the favicon's mark, the precache holds every page under its address and
 * none of what the pages never need offline, and its version follows every byte of it.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { inflateSync } from "node:zlib";
import { citizenRoutes } from "@lintel/contract";
import { afterAll, describe, expect, it } from "vitest";
import { PAGE_SHELLS } from "../web/src/shell/pages.ts";
import { APP_ICONS, appIconPng } from "./lib/app-icons.ts";
import {
  OFFLINE_PAGES,
  precacheOf,
  scriptsOf,
  THEME_COLOUR,
  webManifest,
} from "./lib/offline-shell.ts";
import { repoRoot } from "./lib/paths.ts";

const tmp = mkdtempSync(path.join(os.tmpdir(), "lintel-offline-shell-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function write(file: string, text: string): void {
  mkdirSync(path.dirname(path.join(tmp, file)), { recursive: true });
  writeFileSync(path.join(tmp, file), text);
}

/** RGBA of pixel (x, y) of a PNG written by app-icons.ts (filter 0 rows). */
function pixel(png: Buffer, x: number, y: number): number[] {
  const size = png.readUInt32BE(16);
  const idat = png.indexOf("IDAT");
  const rows = inflateSync(png.subarray(idat + 4, idat + 4 + png.readUInt32BE(idat - 4)));
  const at = y * (size * 4 + 1) + 1 + x * 4;
  return [...rows.subarray(at, at + 4)];
}

describe("the installable, offline pages' build", () => {
  it("writes a manifest with a start inside its scope, the theme colour and 192 and 512 px PNG icons", () => {
    const manifest = webManifest("zh") as {
      start_url: string;
      scope: string;
      theme_color: string;
      icons: Array<{ src: string; sizes: string; type: string; purpose: string }>;
    };
    expect(manifest.start_url.startsWith(manifest.scope)).toBe(true);
    expect(manifest.theme_color).toBe(THEME_COLOUR);
    const styles = readFileSync(path.join(repoRoot, "web/public/assets/styles.css"), "utf8");
    expect(styles).toContain(`--brand: ${THEME_COLOUR};`);
    const png = manifest.icons.filter((i) => i.type === "image/png");
    expect(png.map((i) => `${i.sizes} ${i.purpose}`)).toEqual([
      "192x192 any",
      "512x512 any",
      "512x512 maskable",
    ]);
    expect(webManifest("en").name).toBe("Lintel check-in");
  });

  it("draws the icons as PNGs: the rounded tile's corner clear, the maskable one's filled, the L white", () => {
    for (const icon of APP_ICONS) {
      const png = appIconPng(icon);
      expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      expect(png.readUInt32BE(16)).toBe(icon.size);
      const corner = pixel(png, 0, 0);
      expect(corner[3]).toBe(icon.purpose === "maskable" ? 255 : 0);
      // The L's foot, just left of the centre near the bottom of the mark.
      const foot = Math.round(
        (icon.purpose === "maskable" ? 16 - 0.6 * 1.5 : 14.5) * (icon.size / 32),
      );
      const y = Math.round((icon.purpose === "maskable" ? 16 + 0.6 * 7 : 23) * (icon.size / 32));
      expect(pixel(png, foot, y)).toEqual([255, 255, 255, 255]);
    }
  });

  it("precaches the citizen pages under their addresses, with their scripts; not the others, maps, licence notes, fonts or itself", () => {
    for (const page of PAGE_SHELLS) write(page.file, `<!doctype html><title>${page.id}</title>`);
    write("assets/styles.css", "body{}");
    write("assets/gen/checkin.js", "1");
    write("assets/gen/operator.js", "4");
    write("assets/gen/checkin.js.map", "{}");
    write("assets/gen/checkin.js.LEGAL.txt", "MIT");
    write("assets/gen/chunks/jsQR-X.js", "2");
    write("assets/gen/fonts/NotoSansSC-Regular.ttf", "font");
    write("manifest.webmanifest", "{}");
    write("sw.js", "self");
    const scripts = new Set(["assets/gen/checkin.js", "assets/gen/chunks/jsQR-X.js"]);
    const { urls, version } = precacheOf(tmp, PAGE_SHELLS, scripts);
    for (const page of PAGE_SHELLS) {
      if (OFFLINE_PAGES.includes(page.id)) expect(urls).toContain(page.path);
      else expect(urls).not.toContain(page.path);
    }
    expect(urls).toContain("/c");
    expect(urls).not.toContain("/c.html");
    expect(urls).toEqual(
      expect.arrayContaining([
        "/assets/styles.css",
        "/assets/gen/checkin.js",
        "/assets/gen/chunks/jsQR-X.js",
        "/manifest.webmanifest",
      ]),
    );
    expect(urls.filter((u) => /\.map$|LEGAL|fonts|sw\.js|operator|\.html$/.test(u))).toEqual([]);
    expect(version).toMatch(/^[0-9a-f]{16}$/);

    // One byte of one script is a new version; the same bytes again are the same version.
    write("assets/gen/chunks/jsQR-X.js", "3");
    const changed = precacheOf(tmp, PAGE_SHELLS, scripts).version;
    expect(changed).not.toBe(version);
    write("assets/gen/chunks/jsQR-X.js", "2");
    expect(precacheOf(tmp, PAGE_SHELLS, scripts).version).toBe(version);
  });

  it("finds the citizen pages' scripts and every chunk they import, lazily too, and no other page's", () => {
    const gen = path.relative(process.cwd(), path.join(repoRoot, "web/public/assets/gen"));
    const src = path.relative(process.cwd(), path.join(repoRoot, "web/src/pages"));
    const out = (f: string) => `${gen}/${f}`;
    const scripts = scriptsOf(
      {
        [out("checkin.js")]: {
          entryPoint: `${src}/checkin.ts`,
          imports: [{ path: out("chunks/shared-A.js") }],
        },
        [out("chunks/shared-A.js")]: { imports: [{ path: out("chunks/jsQR-B.js") }] },
        [out("chunks/jsQR-B.js")]: { imports: [] },
        [out("operator.js")]: {
          entryPoint: `${src}/operator.ts`,
          imports: [{ path: out("chunks/poster-C.js") }],
        },
        [out("chunks/poster-C.js")]: { imports: [] },
      },
      PAGE_SHELLS,
      path.join(repoRoot, "web/public"),
    );
    expect([...scripts].sort()).toEqual([
      "assets/gen/checkin.js",
      "assets/gen/chunks/jsQR-B.js",
      "assets/gen/chunks/shared-A.js",
    ]);
  });

  it("keeps in the service worker exactly the contract's public reads a check-in needs offline", () => {
    const sw = readFileSync(path.join(repoRoot, "web/src/sw.ts"), "utf8");
    const reads = /PUBLIC_READS: ReadonlySet<string> = new Set\(\[([^\]]*)\]\)/.exec(sw)?.[1];
    expect(reads?.split(",").map((s) => s.trim().replace(/"/g, ""))).toEqual([
      citizenRoutes.deployment.path,
      citizenRoutes.epochKeys.path,
    ]);
    expect(citizenRoutes.deployment.method).toBe("GET");
    expect(citizenRoutes.epochKeys.method).toBe("GET");
  });
});
