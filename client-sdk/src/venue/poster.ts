/**
 * Printable entrance posters: one A4 page per entrance, built on the device as a PDF.
 *
 * Each page carries the entrance's signed code as a QR symbol (two segments, error correction M,
 * PROTOCOL.md §3.3) whose module area is 13 cm wide (never under 12 cm) inside a quiet zone of
 * four modules, drawn as vector squares; the venue and entrance names in Chinese and English; the
 * manual-entry code; three numbered steps; "no smartphone? ask staff"; a boxed privacy notice;
 * where to report problems; and, small at the bottom, the code version, its issue date and the
 * deployment's name.
 *
 * Every text is drawn as plain glyphs from the caller's font: names are untrusted, so nothing in
 * them is interpreted (markup, formulas and control characters stay inert; control and
 * bidirectional-formatting characters are dropped or turned into spaces, characters the font lacks
 * become "□"). Each text has a box on the page: it shrinks a little to stay on one line, else
 * wraps and shrinks further; what still does not fit at the smallest size is cut with "…", so
 * nothing runs off the page.
 */

import { codeQrSymbol } from "@lintel/protocol";
import fontkit from "@pdf-lib/fontkit";
import {
  type Color,
  LineCapStyle,
  LineJoinStyle,
  PDFDocument,
  type PDFFont,
  PDFHexString,
  PDFName,
  PDFNumber,
  PDFOperator,
  PDFOperatorNames,
  type PDFPage,
  popGraphicsState,
  pushGraphicsState,
  rgb,
  setFillingColor,
  setLineCap,
  setLineJoin,
  setLineWidth,
  setStrokingColor,
  setTextRenderingMode,
  TextRenderingMode,
} from "pdf-lib";
import { LintelError } from "../errors.ts";

export interface PosterEntrance {
  /** The signed code URL: origin + "/c#" + base32 fragment (PROTOCOL.md §3.2). */
  readonly codeUrl: string;
  /** The formatted manual-entry code, e.g. "7KQ2-M9XA-PE3" (PROTOCOL.md §3.4). */
  readonly manualCode: string;
  /** The code's version. */
  readonly version: number;
  /** When this version was issued; printed as its UTC date, YYYY-MM-DD. */
  readonly issuedAt: Date;
  readonly venueName: { readonly en: string; readonly zh: string };
  readonly entranceLabel: { readonly en: string; readonly zh: string };
}

export interface PosterContext {
  readonly deploymentName: { readonly en: string; readonly zh: string };
  /** How many days check-ins are kept before they are deleted and the day's key destroyed. */
  readonly retentionDays: number;
  /** Where the public reports problems, e.g. origin + "/report". */
  readonly reportUrl: string;
  /** The deployment's privacy page, e.g. origin + "/privacy". */
  readonly privacyUrl: string;
}

/** Centimetres to PDF points. */
const CM = 72 / 2.54;
/** A4 portrait, in points. */
const PAGE_WIDTH = 595.28;
const PAGE_HEIGHT = 841.89;
const MARGIN_X = 36;
const MARGIN_TOP = 28;
const MARGIN_BOTTOM = 22;
const CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X;

/** Width of the QR symbol's module area (quiet zone not included). */
const QR_TARGET_WIDTH = 13 * CM;
const QR_MIN_WIDTH = 12 * CM;
const QR_QUIET_MODULES = 4;
/** The smallest gap between two stacked parts of the page. */
const MIN_GAP = 5;

/** Vertical metrics of a CJK font's ideographic em box (Noto Sans CJK: 880 / −120 per 1000). */
const EM_TOP = 0.88;
/** How far a text shrinks to stay on one line before it wraps instead. */
const ONE_LINE_SHRINK = 0.85;
/** Width of one character cell of the manual code, in em, and of the cell of a "-". */
const CODE_CELL_EM = 0.78;
const CODE_DASH_EM = 0.56;

const INK = rgb(0.08, 0.08, 0.08);
const MUTED = rgb(0.33, 0.33, 0.33);
const ACCENT = rgb(0.02, 0.32, 0.37);
const WHITE = rgb(1, 1, 1);
const BLACK = rgb(0, 0, 0);

/** The fixed texts of a poster. */
const STEPS: ReadonlyArray<{ readonly zh: string; readonly en: string }> = [
  { zh: "用手机相机扫描二维码", en: "Scan the QR code with your phone camera" },
  { zh: "核对显示的场所和入口名称", en: "Check the venue and entrance name shown" },
  { zh: "确认。数据在您的手机上加密", en: "Confirm. Your data is encrypted on your phone" },
];
const NO_PHONE = { zh: "没有智能手机？请找工作人员", en: "No smartphone? Ask staff" };
const MANUAL_LABEL = "手动输入码 / Manual code";

function privacyTexts(c: PosterContext): { zh: string; en: string } {
  const days = c.retentionDays;
  return {
    zh:
      "用途：仅用于接触者追踪。" +
      `保存：${days} 天后删除，并销毁解密所需的密钥。` +
      "谁能查看：只有卫生部门的官员，且须两名官员共同批准，仅限指定的入口和时段；" +
      "每次查看都写入公开日志，任何人都可以审计。本场所无法查看您的登记。" +
      `详情：${c.privacyUrl}`,
    en:
      "Purpose: contact tracing only. " +
      `Kept for ${days} days, then deleted and the key that could decrypt it destroyed. ` +
      "Who can see it: only health-authority officers, two of them together, for named " +
      "entrances and hours; every access is written to a public log that anyone can audit. " +
      "This venue cannot read your check-in. " +
      `Details: ${c.privacyUrl}`,
  };
}

/**
 * Builds one A4 page per entrance, in the order given. `font` is a TrueType font with CJK and
 * Latin glyphs (for example Noto Sans SC); only the glyphs used are embedded.
 */
export async function buildPosterPdf(
  entrances: readonly PosterEntrance[],
  context: PosterContext,
  font: Uint8Array,
): Promise<Uint8Array> {
  checkInput(entrances, context);
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  let embedded: PDFFont;
  try {
    // No ligatures: "ffi" in "officers" stays three glyphs, which copy and search as text.
    embedded = await doc.embedFont(evenGlyphRecords(font), {
      subset: true,
      features: { liga: false },
    });
  } catch (e) {
    throw new LintelError(
      "bad-font",
      `the poster font could not be read: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  const type = new Typesetter(embedded);
  const first = entrances[0];
  doc.setTitle(
    first && entrances.every((e) => e.venueName.en === first.venueName.en)
      ? `${type.clean(first.venueName.en)} — entrance posters`
      : "Entrance posters",
  );
  doc.setSubject("Lintel venue check-in posters");
  doc.setCreator("Lintel client SDK");
  doc.setLanguage("zh-CN");
  for (const entrance of entrances)
    drawPoster(doc.addPage([PAGE_WIDTH, PAGE_HEIGHT]), type, entrance, context);
  return doc.save();
}

function checkInput(entrances: readonly PosterEntrance[], context: PosterContext): void {
  if (entrances.length === 0) throw new LintelError("bad-poster", "no entrances to print");
  if (!Number.isInteger(context.retentionDays) || context.retentionDays < 1)
    throw new LintelError("bad-poster", "retentionDays must be a positive whole number");
  for (const e of entrances) {
    // The fragment goes into the symbol upper-cased, in alphanumeric mode (protocol/src/codes/qr-budget.ts).
    const hash = e.codeUrl.indexOf("#");
    if (hash < 0 || !/^[0-9A-Za-z $%*+\-./:]+$/.test(e.codeUrl.slice(hash + 1)))
      throw new LintelError("bad-poster", "a code URL must end in #<base32 code>");
    if (!Number.isInteger(e.version) || e.version < 0)
      throw new LintelError("bad-poster", "a code version must be a whole number");
    if (Number.isNaN(e.issuedAt.getTime()))
      throw new LintelError("bad-poster", "issuedAt is not a valid time");
  }
}

// ── the page ─────────────────────────────────────────────────────────────────────────────────

/** Heights of the parts of a page other than the QR symbol, top to bottom. */
const H = {
  venueZh: 36,
  venueEn: 26,
  entrance: 22,
  manual: 56,
  steps: 48,
  privacy: 96,
  report: 22,
  footer: 10,
} as const;
/** The parts are stacked with equal gaps: header | QR | manual | steps | privacy | report | footer. */
const GAPS = 6;

function drawPoster(
  page: PDFPage,
  type: Typesetter,
  entrance: PosterEntrance,
  context: PosterContext,
): void {
  const symbol = codeQrSymbol(entrance.codeUrl);
  const modules = symbol.modules.size;
  const quiet = QR_QUIET_MODULES;

  // Everything but the symbol has a fixed height; the symbol gets what is left, up to 13 cm.
  const fixed = Object.values(H).reduce((a, b) => a + b, 0);
  const room = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM - fixed - GAPS * MIN_GAP;
  const qrWidth = Math.min(QR_TARGET_WIDTH, (room * modules) / (modules + 2 * quiet));
  if (qrWidth < QR_MIN_WIDTH)
    throw new LintelError("bad-poster", "the code's QR symbol does not fit at 12 cm");
  const moduleSize = qrWidth / modules;
  const qrBlock = moduleSize * (modules + 2 * quiet);
  const gap = MIN_GAP + (room - qrBlock) / GAPS;
  const full = { x: MARGIN_X, width: CONTENT_WIDTH, align: "center" } as const;

  // y runs down the page from the top edge; PDF coordinates run up from the bottom.
  let y = MARGIN_TOP;
  type.block(page, entrance.venueName.zh, {
    ...full,
    top: y,
    height: H.venueZh,
    maxSize: 30,
    minSize: 11,
    color: INK,
    bold: true,
  });
  y += H.venueZh;
  type.block(page, entrance.venueName.en, {
    ...full,
    top: y,
    height: H.venueEn,
    maxSize: 20,
    minSize: 9,
    color: INK,
    bold: true,
  });
  y += H.venueEn;
  type.block(page, `${entrance.entranceLabel.zh} / ${entrance.entranceLabel.en}`, {
    ...full,
    top: y,
    height: H.entrance,
    maxSize: 16,
    minSize: 8,
    color: ACCENT,
  });
  y += H.entrance + gap;

  drawQr(page, symbol.modules, (PAGE_WIDTH - qrWidth) / 2, y + quiet * moduleSize, moduleSize);
  y += qrBlock + gap;

  drawManualRow(page, type, entrance.manualCode, y);
  y += H.manual + gap;

  drawSteps(page, type, y);
  y += H.steps + gap;

  drawPrivacy(page, type, privacyTexts(context), y);
  y += H.privacy + gap;

  type.block(page, `发现问题？请告诉我们 / Report a problem: ${context.reportUrl}`, {
    ...full,
    top: y,
    height: H.report,
    maxSize: 9.5,
    minSize: 6,
    color: INK,
  });
  y += H.report + gap;

  const half = (CONTENT_WIDTH - 12) / 2;
  const small = { top: y, width: half, height: H.footer, maxSize: 7.5, minSize: 5, color: MUTED };
  type.block(page, `${context.deploymentName.zh} / ${context.deploymentName.en}`, {
    ...small,
    x: MARGIN_X,
    align: "left",
  });
  type.block(
    page,
    `代码版本 Code version ${entrance.version} · 发布日期 Issued ${isoDate(entrance.issuedAt)}`,
    { ...small, x: MARGIN_X + half + 12, align: "right" },
  );
}

/** The QR symbol's dark modules, each row's runs as rectangles of one filled path (no seams). */
function drawQr(
  page: PDFPage,
  matrix: { readonly size: number; get(row: number, col: number): number | boolean },
  left: number,
  top: number,
  moduleSize: number,
): void {
  const n = matrix.size;
  const ops: PDFOperator[] = [pushGraphicsState(), setFillingColor(BLACK)];
  for (let row = 0; row < n; row++) {
    let col = 0;
    while (col < n) {
      if (!matrix.get(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < n && matrix.get(row, col)) col++;
      ops.push(
        PDFOperator.of(PDFOperatorNames.AppendRectangle, [
          num(left + start * moduleSize),
          num(PAGE_HEIGHT - (top + (row + 1) * moduleSize)),
          num((col - start) * moduleSize),
          num(moduleSize),
        ]),
      );
    }
  }
  ops.push(PDFOperator.of(PDFOperatorNames.FillNonZero), popGraphicsState());
  page.pushOperators(...ops);
}

/** The manual code with its label on the left; "no smartphone? ask staff" boxed on the right. */
function drawManualRow(page: PDFPage, type: Typesetter, manualCode: string, top: number): void {
  const leftWidth = CONTENT_WIDTH * 0.56;
  const label = 15;
  const codeHeight = 36;
  type.block(page, MANUAL_LABEL, {
    x: MARGIN_X,
    top,
    width: leftWidth,
    height: label,
    maxSize: 10.5,
    minSize: 8,
    align: "center",
    color: MUTED,
  });
  type.monospace(page, manualCode, {
    x: MARGIN_X,
    top: top + label,
    width: leftWidth,
    height: codeHeight,
    maxSize: 30,
  });

  const x = MARGIN_X + leftWidth + 14;
  const width = CONTENT_WIDTH - leftWidth - 14;
  const boxTop = top + 3;
  const boxHeight = label + codeHeight - 3;
  page.drawRectangle({
    x,
    y: PAGE_HEIGHT - (boxTop + boxHeight),
    width,
    height: boxHeight,
    borderColor: ACCENT,
    borderWidth: 1.2,
  });
  const inner = { x: x + 8, width: width - 16, align: "center", color: INK } as const;
  type.block(page, NO_PHONE.zh, {
    ...inner,
    top: boxTop + 5,
    height: 20,
    maxSize: 14,
    minSize: 8,
    bold: true,
  });
  type.block(page, NO_PHONE.en, {
    ...inner,
    top: boxTop + 25,
    height: 18,
    maxSize: 12.5,
    minSize: 7,
  });
}

/** Three numbered steps side by side: a badge, the Chinese text, the English text below it. */
function drawSteps(page: PDFPage, type: Typesetter, top: number): void {
  const columnGap = 14;
  const width = (CONTENT_WIDTH - 2 * columnGap) / 3;
  const badge = 18;
  STEPS.forEach((step, i) => {
    const x = MARGIN_X + i * (width + columnGap);
    page.drawCircle({
      x: x + badge / 2,
      y: PAGE_HEIGHT - (top + badge / 2),
      size: badge / 2,
      color: ACCENT,
    });
    type.block(page, String(i + 1), {
      x,
      top: top + 2,
      width: badge,
      height: badge - 4,
      maxSize: 11,
      minSize: 11,
      align: "center",
      color: WHITE,
      bold: true,
    });
    const text = { x: x + badge + 6, width: width - badge - 6, align: "left" } as const;
    const zh = type.block(page, step.zh, {
      ...text,
      top: top + 1,
      height: 27,
      maxSize: 11,
      minSize: 8,
      color: INK,
    });
    type.block(page, step.en, {
      ...text,
      top: top + 3 + zh,
      height: H.steps - 3 - zh,
      maxSize: 9.5,
      minSize: 6,
      color: MUTED,
    });
  });
}

/** The privacy notice in a box: a title, then Chinese and English side by side. */
function drawPrivacy(
  page: PDFPage,
  type: Typesetter,
  text: { zh: string; en: string },
  top: number,
): void {
  const pad = 8;
  page.drawRectangle({
    x: MARGIN_X,
    y: PAGE_HEIGHT - (top + H.privacy),
    width: CONTENT_WIDTH,
    height: H.privacy,
    borderColor: INK,
    borderWidth: 0.8,
  });
  type.block(page, "隐私说明 / Privacy notice", {
    x: MARGIN_X + pad,
    top: top + pad - 2,
    width: CONTENT_WIDTH - 2 * pad,
    height: 14,
    maxSize: 10,
    minSize: 8,
    align: "left",
    color: ACCENT,
    bold: true,
  });
  const columnGap = 14;
  const width = (CONTENT_WIDTH - 2 * pad - columnGap) / 2;
  const body = {
    top: top + pad + 13,
    height: H.privacy - 2 * pad - 13,
    maxSize: 8.5,
    minSize: 5.5,
  };
  type.block(page, text.zh, {
    ...body,
    x: MARGIN_X + pad,
    width,
    align: "left",
    color: INK,
    leading: 1.4,
  });
  type.block(page, text.en, {
    ...body,
    x: MARGIN_X + pad + width + columnGap,
    width,
    align: "left",
    color: INK,
    leading: 1.3,
  });
}

function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

function num(n: number): PDFNumber {
  return PDFNumber.of(Math.round(n * 1000) / 1000);
}

// ── the font ─────────────────────────────────────────────────────────────────────────────────

/**
 * The same TrueType font with every glyph record padded to an even length (the `glyf` and `loca`
 * tables rewritten, checksums updated); any other font is returned unchanged.
 *
 * Why: the subsetter of @pdf-lib/fontkit 1.1.1 writes a subset smaller than 64 KiB with a short
 * `loca` table (offsets stored halved) but copies each glyph record at its original length. A
 * font with a long `loca` table may have odd-length records (Noto Sans SC has many); each one
 * shifts the halved offsets of every later glyph by a byte, and those glyphs render blank or
 * broken while text extraction still looks right. With even records the halved offsets are exact.
 */
export function evenGlyphRecords(font: Uint8Array): Uint8Array {
  if (font.length < 12) return font;
  const view = new DataView(font.buffer, font.byteOffset, font.byteLength);
  const sfntVersion = view.getUint32(0);
  // TrueType outlines only ("\0\1\0\0" or "true"); CFF fonts and collections are left alone.
  if (sfntVersion !== 0x00010000 && sfntVersion !== 0x74727565) return font;
  const numTables = view.getUint16(4);
  if (12 + 16 * numTables > font.length) return font;
  const tables: Array<{ tag: string; offset: number; length: number }> = [];
  for (let i = 0; i < numTables; i++) {
    const record = 12 + 16 * i;
    const tag = String.fromCharCode(...font.subarray(record, record + 4));
    const offset = view.getUint32(record + 8);
    const length = view.getUint32(record + 12);
    if (offset + length > font.length) return font;
    tables.push({ tag, offset, length });
  }
  const table = (tag: string) => tables.find((t) => t.tag === tag);
  const head = table("head");
  const maxp = table("maxp");
  const loca = table("loca");
  const glyf = table("glyf");
  if (!head || !maxp || !loca || !glyf || head.length < 54 || maxp.length < 6) return font;
  // A short loca table can only point at even offsets: nothing to fix.
  if (view.getInt16(head.offset + 50) !== 1) return font;
  const numGlyphs = view.getUint16(maxp.offset + 4);
  if (loca.length < 4 * (numGlyphs + 1)) return font;
  const offsets = new Uint32Array(numGlyphs + 1);
  let odd = false;
  for (let g = 0; g <= numGlyphs; g++) {
    offsets[g] = view.getUint32(loca.offset + 4 * g);
    if (g > 0) {
      const length = (offsets[g] ?? 0) - (offsets[g - 1] ?? 0);
      if (length < 0 || (offsets[g] ?? 0) > glyf.length) return font;
      if (length % 2 === 1) odd = true;
    }
  }
  if (!odd) return font;

  // The new glyf and loca tables.
  let glyfLength = 0;
  for (let g = 0; g < numGlyphs; g++) glyfLength += pad2((offsets[g + 1] ?? 0) - (offsets[g] ?? 0));
  const newGlyf = new Uint8Array(glyfLength);
  const newLoca = new Uint8Array(4 * (numGlyphs + 1));
  const locaView = new DataView(newLoca.buffer);
  let at = 0;
  for (let g = 0; g < numGlyphs; g++) {
    const start = glyf.offset + (offsets[g] ?? 0);
    const end = glyf.offset + (offsets[g + 1] ?? 0);
    locaView.setUint32(4 * g, at);
    newGlyf.set(font.subarray(start, end), at);
    at += pad2(end - start);
  }
  locaView.setUint32(4 * numGlyphs, at);

  // The file: same header and table order, each table at a 4-byte boundary.
  const contents = tables.map((t) =>
    t.tag === "glyf"
      ? newGlyf
      : t.tag === "loca"
        ? newLoca
        : font.subarray(t.offset, t.offset + t.length),
  );
  const directoryEnd = 12 + 16 * numTables;
  const out = new Uint8Array(contents.reduce((n, c) => n + pad4(c.length), directoryEnd));
  const outView = new DataView(out.buffer);
  out.set(font.subarray(0, 12));
  let position = directoryEnd;
  let headAt = -1;
  tables.forEach((t, i) => {
    const data = contents[i] ?? new Uint8Array();
    out.set(data, position);
    if (t.tag === "head") {
      headAt = position;
      outView.setUint32(position + 8, 0); // checkSumAdjustment, set below
    }
    const record = 12 + 16 * i;
    out.set(font.subarray(record, record + 4), record);
    outView.setUint32(record + 4, checksum(outView, position, data.length));
    outView.setUint32(record + 8, position);
    outView.setUint32(record + 12, data.length);
    position += pad4(data.length);
  });
  if (headAt >= 0)
    outView.setUint32(headAt + 8, (0xb1b0afba - checksum(outView, 0, out.length)) >>> 0);
  return out;
}

function pad2(n: number): number {
  return n + (n % 2);
}

function pad4(n: number): number {
  return (n + 3) & ~3;
}

/** The OpenType table checksum: the sum of big-endian uint32 words, the last one zero-padded. */
function checksum(view: DataView, offset: number, length: number): number {
  let sum = 0;
  const words = Math.floor(length / 4);
  for (let i = 0; i < words; i++) sum = (sum + view.getUint32(offset + 4 * i)) >>> 0;
  let last = 0;
  for (let i = 4 * words; i < length; i++)
    last |= view.getUint8(offset + i) << (24 - 8 * (i - 4 * words));
  return (sum + (last >>> 0)) >>> 0;
}

// ── text ─────────────────────────────────────────────────────────────────────────────────────

interface BlockOptions {
  /** Left edge, in points from the page's left edge. */
  readonly x: number;
  /** Top edge, in points from the page's top edge. */
  readonly top: number;
  readonly width: number;
  readonly height: number;
  readonly maxSize: number;
  readonly minSize: number;
  readonly align: "left" | "center" | "right";
  readonly color: Color;
  /** Line height as a multiple of the font size. */
  readonly leading?: number;
  /** Drawn with a thin outline as well, a little heavier than the font's regular weight. */
  readonly bold?: boolean;
}

/** A piece of text a line may end after; `text` keeps its trailing spaces. */
interface Piece {
  readonly text: string;
  /** Width at size 1 with and without the trailing spaces. */
  readonly width: number;
  readonly inkWidth: number;
}

/**
 * Wraps and shrinks plain text into boxes. Widths are additive (pdf-lib places glyphs by their
 * advance widths, without kerning), so every piece is measured once, at size 1.
 */
class Typesetter {
  private readonly supported: ReadonlySet<number>;
  private readonly fallback: string;

  constructor(private readonly font: PDFFont) {
    this.supported = new Set(font.getCharacterSet());
    this.fallback = this.supported.has(0x25a1) ? "\u25a1" : "?";
  }

  /**
   * Plain text for one box: control characters and line or paragraph separators become spaces,
   * format characters (bidirectional overrides, zero-width joiners…) are dropped, characters the
   * font lacks become "□", runs of spaces become one.
   */
  clean(text: string): string {
    let out = "";
    for (const ch of text.normalize("NFC")) {
      if (/[\p{Cc}\p{Z}]/u.test(ch)) out += " ";
      else if (/[\p{Cf}]/u.test(ch)) continue;
      else if (/\p{Cs}/u.test(ch) || !this.supported.has(ch.codePointAt(0) ?? 0))
        out += this.fallback;
      else out += ch;
    }
    return out.replace(/ {2,}/g, " ").trim();
  }

  /** Draws `text` wrapped and shrunk into the box; returns the height its lines take. */
  block(page: PDFPage, text: string, o: BlockOptions): number {
    const leading = o.leading ?? 1.2;
    const { size, lines } = this.fit(
      this.clean(text),
      o.width,
      o.height,
      o.maxSize,
      o.minSize,
      leading,
    );
    const lineHeight = size * leading;
    lines.forEach((line, i) => {
      const width = this.font.widthOfTextAtSize(line, size);
      const x =
        o.align === "left"
          ? o.x
          : o.align === "right"
            ? o.x + o.width - width
            : o.x + (o.width - width) / 2;
      const baseline = o.top + i * lineHeight + (lineHeight - size) / 2 + EM_TOP * size;
      this.drawLine(page, line, x, baseline, size, o.color, o.bold ?? false);
    });
    return lines.length * lineHeight;
  }

  /**
   * `text` in fixed-width cells, as a monospaced font would set it (a "-" gets a narrower cell),
   * shrunk to the box's width and centred in it. The cells are marked with /ActualText so that
   * copying or extracting the text gives the characters without the spacing.
   */
  monospace(
    page: PDFPage,
    text: string,
    o: { x: number; top: number; width: number; height: number; maxSize: number },
  ): void {
    const chars = graphemes(this.clean(text));
    if (chars.length === 0) return;
    const cellEm = (ch: string) => (ch === "-" ? CODE_DASH_EM : CODE_CELL_EM);
    const ems = chars.reduce((n, ch) => n + cellEm(ch), 0);
    const size = Math.min(o.maxSize, o.width / ems, o.height / 1.1);
    let x = o.x + (o.width - size * ems) / 2;
    const baseline = o.top + (o.height - size) / 2 + EM_TOP * size;
    // The inline property list, with the text hex-encoded (UTF-16BE): no byte of it can end the
    // string or the dictionary early.
    const actualText = PDFHexString.fromText(chars.join("")).toString();
    page.pushOperators(
      PDFOperator.of(PDFOperatorNames.BeginMarkedContentSequence, [
        PDFName.of("Span"),
        `<< /ActualText ${actualText} >>`,
      ]),
    );
    for (const ch of chars) {
      const cell = size * cellEm(ch);
      const w = this.font.widthOfTextAtSize(ch, size);
      this.drawLine(page, ch, x + (cell - w) / 2, baseline, size, INK, true);
      x += cell;
    }
    page.pushOperators(PDFOperator.of(PDFOperatorNames.EndMarkedContent));
  }

  private drawLine(
    page: PDFPage,
    line: string,
    x: number,
    baselineFromTop: number,
    size: number,
    color: Color,
    bold: boolean,
  ): void {
    const options = { x, y: PAGE_HEIGHT - baselineFromTop, size, font: this.font, color };
    if (!bold) {
      page.drawText(line, options);
      return;
    }
    // Fill and stroke the glyphs: the stroke thickens them a little (a "faux bold").
    page.pushOperators(
      pushGraphicsState(),
      setTextRenderingMode(TextRenderingMode.FillAndOutline),
      setLineWidth(size * 0.03),
      setLineJoin(LineJoinStyle.Round),
      setLineCap(LineCapStyle.Round),
      setStrokingColor(color),
    );
    page.drawText(line, options);
    page.pushOperators(popGraphicsState());
  }

  /**
   * The largest size (in half points) at which the text fits the box. One line shrunk by up to
   * 15% is preferred to wrapping; at minSize, what does not fit is cut with "…".
   */
  private fit(
    text: string,
    width: number,
    height: number,
    maxSize: number,
    minSize: number,
    leading: number,
  ): { size: number; lines: string[] } {
    const pieces = this.pieces(text);
    const oneLineFloor = Math.max(minSize, maxSize * ONE_LINE_SHRINK);
    for (let size = maxSize; size >= oneLineFloor; size -= 0.5) {
      const lines = this.wrap(pieces, width / size);
      if (lines.length <= 1 && size * leading <= height + 1e-6) return { size, lines };
    }
    for (let size = maxSize; size >= minSize; size -= 0.5) {
      const lines = this.wrap(pieces, width / size);
      if (lines.length * size * leading <= height + 1e-6) return { size, lines };
    }
    const lines = this.wrap(pieces, width / minSize);
    const keep = Math.max(1, Math.floor((height + 1e-6) / (minSize * leading)));
    if (lines.length <= keep) return { size: minSize, lines };
    const kept = lines.slice(0, keep);
    kept[keep - 1] = this.ellipsize(
      `${kept[keep - 1] ?? ""} ${lines[keep] ?? ""}`,
      width / minSize,
    );
    return { size: minSize, lines: kept };
  }

  private ellipsize(line: string, maxWidth: number): string {
    const chars = graphemes(line);
    while (chars.length > 0 && this.width(`${chars.join("").trimEnd()}…`) > maxWidth) chars.pop();
    return `${chars.join("").trimEnd()}…`;
  }

  private width(text: string): number {
    return this.font.widthOfTextAtSize(text, 1);
  }

  /** Splits text where a line may end: after spaces, around CJK characters, after "/" or "-". */
  private pieces(text: string): Piece[] {
    const chars = graphemes(text);
    const out: Piece[] = [];
    let current = "";
    chars.forEach((ch, i) => {
      current += ch;
      const next = chars[i + 1];
      if (next === undefined || breakBetween(chars[i - 1], ch, next)) {
        const ink = current.trimEnd();
        out.push({ text: current, width: this.width(current), inkWidth: this.width(ink) });
        current = "";
      }
    });
    return out;
  }

  /** Greedy line filling; a piece wider than a line is split between characters. */
  private wrap(pieces: readonly Piece[], maxWidth: number): string[] {
    const lines: string[] = [];
    let line = "";
    let lineWidth = 0;
    for (const piece of pieces) {
      if (line !== "" && lineWidth + piece.inkWidth <= maxWidth) {
        line += piece.text;
        lineWidth += piece.width;
        continue;
      }
      if (line !== "") lines.push(line.trimEnd());
      line = "";
      lineWidth = 0;
      if (piece.inkWidth <= maxWidth) {
        line = piece.text;
        lineWidth = piece.width;
        continue;
      }
      for (const ch of graphemes(piece.text)) {
        const w = this.width(ch);
        if (line !== "" && lineWidth + w > maxWidth && ch !== " ") {
          lines.push(line.trimEnd());
          line = "";
          lineWidth = 0;
        }
        line += ch;
        lineWidth += w;
      }
    }
    if (line.trim() !== "") lines.push(line.trimEnd());
    return lines;
  }
}

const segmenter =
  typeof Intl.Segmenter === "function"
    ? new Intl.Segmenter("en", { granularity: "grapheme" })
    : null;

function graphemes(text: string): string[] {
  return segmenter ? Array.from(segmenter.segment(text), (s) => s.segment) : [...text];
}

/** CJK ideographs, kana, Hangul and full-width forms: a line may end before or after each. */
const WIDE =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303f\uff00-\uffef]/u;
/** Never at the start of a line. */
const CLOSING = /[)\]}>,.;:!?%'"’”、。，．：；！？）》」』】〉〕…·]/u;
/** Never at the end of a line. */
const OPENING = /[([{<‘“（《「『【〈〔]/u;

/** Whether a line may end between `a` and `b` (`before` is the character before `a`). */
function breakBetween(before: string | undefined, a: string, b: string): boolean {
  if (b === " ") return false;
  if (a === " ") return true;
  if (CLOSING.test(b) || OPENING.test(a)) return false;
  if (WIDE.test(a) || WIDE.test(b)) return true;
  // In URLs: after a "/" of a path, never inside "//"; after a "-".
  if (a === "/") return b !== "/" && before !== "/";
  return a === "-";
}
