/**
 * Posters are checked the way a person and a phone see them: the PDF is rasterised by poppler
 * (pdftoppm, 100 dpi, grey), the QR symbol is read back with jsQR and its code verified against
 * the registry key, the symbol is measured on the raster, and the text is extracted (pdftotext).
 * poppler-utils is installed by `npm test` (scripts/lib/chromium.ts) when it is missing.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  formatManualCode,
  formatVerifierKey,
  generateEd25519KeyPair,
  manualCodeFor,
  newVenueCode,
  parseCodeUrl,
  parseVerifierKey,
  registryKeyName,
  signVenueCode,
  venueCodeUrl,
  verifyVenueCode,
} from "@lintel/protocol";
import jsQR from "jsqr";
import { PDFDocument } from "pdf-lib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LintelError } from "../errors.ts";
import {
  buildPosterPdf,
  evenGlyphRecords,
  type PosterContext,
  type PosterEntrance,
} from "./poster.ts";

const DPI = 100;
/** 12 cm at 100 dpi. */
const MIN_QR_PX = Math.floor((12 / 2.54) * DPI);
const ORIGIN = "http://127.0.0.1:8787";
const ISSUED = new Date("2026-05-04T10:00:00Z");
const HOSTILE_EN = '=HYPERLINK("http://x.test")<b>Tea</b> & Co';
const HOSTILE_ZH = "=1+1 <b>茶馆</b>";

const font = new Uint8Array(
  readFileSync(
    createRequire(import.meta.url).resolve(
      "@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf",
    ),
  ),
);
const registry = generateEd25519KeyPair();
const registryKey = parseVerifierKey(
  formatVerifierKey(registryKeyName("demo"), registry.publicKey),
);

const context: PosterContext = {
  deploymentName: { en: "Lintel demo", zh: "Lintel 演示" },
  retentionDays: 21,
  reportUrl: `${ORIGIN}/report`,
  privacyUrl: `${ORIGIN}/privacy`,
};

function entrance(
  entranceId: string,
  venueName: PosterEntrance["venueName"],
  entranceLabel: PosterEntrance["entranceLabel"],
): PosterEntrance {
  const signed = signVenueCode(
    newVenueCode({
      deployment: "demo",
      venueId: "hbr-lib",
      entranceId,
      version: 3,
      venueName,
      entranceName: entranceLabel,
      category: "library",
      askIdNumber: false,
      registryPublicKey: registry.publicKey,
      now: new Date(),
    }),
    registry.secretKey,
  );
  return {
    codeUrl: venueCodeUrl(ORIGIN, signed),
    manualCode: formatManualCode(manualCodeFor(signed)),
    version: 3,
    issuedAt: ISSUED,
    venueName,
    entranceLabel,
  };
}

interface Raster {
  readonly width: number;
  readonly height: number;
  /** One byte per pixel, 0 black … 255 white. */
  readonly gray: Uint8Array;
}

/** Binary PGM ("P5\n<w> <h>\n255\n" then one byte a pixel), as pdftoppm -gray writes it. */
function readPgm(file: string): Raster {
  const bytes = readFileSync(file);
  const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(bytes.subarray(0, 64).toString("latin1"));
  if (!header) throw new Error(`${file} is not an 8-bit binary PGM`);
  const width = Number(header[1]);
  const height = Number(header[2]);
  const gray = new Uint8Array(bytes.subarray(header[0].length, header[0].length + width * height));
  expect(gray.length).toBe(width * height);
  return { width, height, gray };
}

function rasterise(pdf: Uint8Array, dir: string, name: string): Raster[] {
  const file = path.join(dir, `${name}.pdf`);
  writeFileSync(file, pdf);
  execFileSync("pdftoppm", ["-r", String(DPI), "-gray", file, path.join(dir, name)]);
  return readdirSync(dir)
    .filter((f) => f.startsWith(`${name}-`) && f.endsWith(".pgm"))
    .sort()
    .map((f) => readPgm(path.join(dir, f)));
}

function pdfText(pdf: Uint8Array, dir: string, name: string): string {
  const file = path.join(dir, `${name}.pdf`);
  writeFileSync(file, pdf);
  return execFileSync("pdftotext", ["-enc", "UTF-8", file, "-"]).toString("utf8");
}

function decodeQr(r: Raster) {
  const rgba = new Uint8ClampedArray(r.width * r.height * 4);
  r.gray.forEach((v, i) => {
    rgba.set([v, v, v, 255], 4 * i);
  });
  return jsQR(rgba, r.width, r.height, { inversionAttempts: "dontInvert" });
}

const dark = (r: Raster, x: number, y: number) => (r.gray[y * r.width + x] ?? 255) < 128;

/**
 * The symbol's module area on the raster: along the row through the top finder patterns, from the
 * first to the last dark pixel (nothing else is on that row); along the column through the
 * left finder patterns, out from their centres until a white run longer than two modules.
 */
function measureSymbol(r: Raster, qr: NonNullable<ReturnType<typeof decodeQr>>) {
  const {
    topLeftFinderPattern: tl,
    topRightFinderPattern: tr,
    bottomLeftFinderPattern: bl,
  } = qr.location;
  const modules = 17 + 4 * qr.version;
  const modulePx = Math.hypot(tr.x - tl.x, tr.y - tl.y) / (modules - 7);
  const row = Math.round(tl.y);
  let left = -1;
  let right = -1;
  for (let x = 0; x < r.width; x++) {
    if (!dark(r, x, row)) continue;
    if (left < 0) left = x;
    right = x;
  }
  const edge = (x: number, from: number, step: 1 | -1) => {
    let last = from;
    for (let y = from; y >= 0 && y < r.height && Math.abs(y - last) <= 2 * modulePx; y += step)
      if (dark(r, x, y)) last = y;
    return last;
  };
  const column = Math.round(tl.x);
  const top = edge(column, Math.round(tl.y), -1);
  const bottom = edge(column, Math.round(bl.y), 1);
  return { left, right, top, bottom, width: right - left + 1, height: bottom - top + 1, modulePx };
}

describe("buildPosterPdf", () => {
  let dir: string;
  let entrances: PosterEntrance[];
  let pdf: Uint8Array;
  let pages: Raster[];
  let text: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "lintel-poster-"));
    entrances = [
      entrance(
        "hbr-main",
        { zh: "海港公共图书馆", en: "Harbour Public Library" },
        { zh: "正门", en: "Main entrance" },
      ),
      entrance("hbr-east", { zh: HOSTILE_ZH, en: HOSTILE_EN }, { zh: "东门", en: "East entrance" }),
    ];
    pdf = await buildPosterPdf(entrances, context, font);
    pages = rasterise(pdf, dir, "posters");
    text = pdfText(pdf, dir, "posters");
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("has one A4 page per entrance", async () => {
    const doc = await PDFDocument.load(pdf);
    expect(doc.getPageCount()).toBe(2);
    for (const page of doc.getPages()) {
      expect(page.getWidth()).toBeCloseTo(595.28, 1);
      expect(page.getHeight()).toBeCloseTo(841.89, 1);
    }
    expect(pages).toHaveLength(2);
  });

  it("prints a QR symbol that reads back as the code URL, in two segments, with a valid signature", () => {
    pages.forEach((page, i) => {
      const qr = decodeQr(page);
      expect(qr, `page ${i + 1}`).not.toBeNull();
      expect(qr?.data).toBe(entrances[i]?.codeUrl);
      expect(qr?.chunks.map((c) => c.type)).toEqual(["byte", "alphanumeric"]);
      const { code } = parseCodeUrl(qr?.data ?? "");
      const verified = verifyVenueCode(code, {
        registry: registryKey,
        now: new Date(),
        deployment: "demo",
      });
      expect(verified.code.entranceId).toBe(i === 0 ? "hbr-main" : "hbr-east");
    });
  });

  it("makes the module area at least 12 cm wide, inside a blank quiet zone of four modules", () => {
    for (const page of pages) {
      const qr = decodeQr(page);
      if (!qr) throw new Error("no QR symbol found");
      const box = measureSymbol(page, qr);
      expect(box.width).toBeGreaterThanOrEqual(MIN_QR_PX);
      expect(box.height).toBeGreaterThanOrEqual(MIN_QR_PX);
      // About 13 cm (512 px), and square.
      expect(box.width).toBeLessThan(530);
      expect(Math.abs(box.width - box.height)).toBeLessThanOrEqual(3);
      const quiet = Math.floor(4 * box.modulePx) - 2;
      for (let y = box.top - quiet; y <= box.bottom + quiet; y++) {
        for (let x = box.left - quiet; x <= box.right + quiet; x++) {
          const inside =
            x >= box.left - 1 && x <= box.right + 1 && y >= box.top - 1 && y <= box.bottom + 1;
          if (!inside && dark(page, x, y)) throw new Error(`a mark in the quiet zone at ${x},${y}`);
        }
      }
    }
  });

  it("prints every text as plain text, hostile names literally", () => {
    for (const e of entrances) expect(text).toContain(e.manualCode);
    expect(text).toContain("手动输入码 / Manual code");
    expect(text).toContain("No smartphone? Ask staff");
    expect(text).toContain("没有智能手机？请找工作人员");
    expect(text).toContain("海港公共图书馆");
    expect(text).toContain("Harbour Public Library");
    expect(text).toContain(HOSTILE_EN);
    expect(text).toContain(HOSTILE_ZH);
    expect(text).toContain(`${ORIGIN}/report`);
    expect(text).toContain(`${ORIGIN}/privacy`);
    expect(text).toContain("Kept for 21 days");
    expect(text).toContain("Issued 2026-05-04");
    expect(text).toContain("Code version 3");
    expect(text).toContain("Lintel 演示 / Lintel demo");
  });

  it("draws every glyph of the venue name (the embedded font subset is intact)", () => {
    // The Chinese venue name is the first line of ink on page 1: 7 characters at up to 30 pt.
    const page = pages[0];
    if (!page) throw new Error("no page");
    const inkRow = (y: number) =>
      page.gray.subarray(y * page.width, (y + 1) * page.width).some((v) => v < 128);
    let y0 = 0;
    while (!inkRow(y0)) y0++;
    let y1 = y0;
    while (inkRow(y1)) y1++;
    const columns: boolean[] = [];
    for (let x = 0; x < page.width; x++) {
      let ink = false;
      for (let y = y0; y < y1 && !ink; y++) ink = dark(page, x, y);
      columns.push(ink);
    }
    const first = columns.indexOf(true);
    const last = columns.lastIndexOf(true);
    let gap = 0;
    let widest = 0;
    for (let x = first; x <= last; x++) {
      gap = columns[x] ? 0 : gap + 1;
      widest = Math.max(widest, gap);
    }
    const em = y1 - y0; // about one em for a line of ideographs
    expect(last - first).toBeGreaterThan(6 * em);
    // A lost glyph leaves a hole about an em wide; ideographs sit much closer than that.
    expect(widest).toBeLessThan(0.4 * em);
  });

  it("keeps over-long and hostile names on the page and the QR symbol readable", async () => {
    const long = "Library ".repeat(60);
    // What the registry knows about a venue is not limited by what fits in a signed code.
    const e: PosterEntrance = {
      ...entrance("hbr-long", { zh: "长名", en: "Long" }, { zh: "门", en: "Door" }),
      venueName: { zh: "海港图书馆".repeat(40), en: `\u202e${long}\n\t<i>x</i>` },
      entranceLabel: { zh: "正门".repeat(30), en: long },
    };
    const one = await buildPosterPdf([e], context, font);
    const [page] = rasterise(one, dir, "long");
    if (!page) throw new Error("no page");
    expect(decodeQr(page)?.data).toBe(e.codeUrl);
    // Nothing within 8 mm of the left and right edges, nor 5 mm of the top and bottom.
    const side = Math.round((8 / 25.4) * DPI);
    const end = Math.round((5 / 25.4) * DPI);
    for (let y = 0; y < page.height; y++) {
      for (let x = 0; x < page.width; x++) {
        const edge = x < side || x >= page.width - side || y < end || y >= page.height - end;
        if (edge && dark(page, x, y)) throw new Error(`ink at the page's edge at ${x},${y}`);
      }
    }
    const extracted = pdfText(one, dir, "long");
    expect(extracted).toContain("…");
    expect(extracted).not.toContain("\u202e");
  });

  it("refuses no entrances and a URL without a code", async () => {
    await expect(buildPosterPdf([], context, font)).rejects.toThrow(LintelError);
    const [e] = entrances;
    if (!e) throw new Error("no entrance");
    await expect(
      buildPosterPdf([{ ...e, codeUrl: `${ORIGIN}/c` }], context, font),
    ).rejects.toMatchObject({ code: "bad-poster" });
  });

  it("pads odd glyph records without changing the font otherwise, and only once", () => {
    const padded = evenGlyphRecords(font);
    expect(padded).not.toBe(font);
    expect(padded.length).toBeGreaterThan(font.length);
    expect(evenGlyphRecords(padded)).toBe(padded);
  });
});
