/**
 * The installed app's PNG icons, drawn at build time from the same shapes as
 * web/public/assets/favicon.svg (a green tile, a white L, a light green post), so no image tool
 * or package is needed: a few rectangles on a 32-unit grid, edges smoothed by 4×4 supersampling,
 * written as an 8-bit RGBA PNG with Node's zlib.
 *
 * "any" icons are the rounded tile as the favicon draws it; the "maskable" one fills the square
 * with the tile colour and keeps the mark inside the central safe circle (radius 40 % of the
 * side), as launchers crop it to their own shape.
 */
import { crc32, deflateSync } from "node:zlib";

type Rgb = readonly [number, number, number];

const TILE: Rgb = [0x14, 0x53, 0x2d];
const WHITE: Rgb = [0xff, 0xff, 0xff];
const POST: Rgb = [0x86, 0xef, 0xac];

/** The favicon's shapes, on its 32-unit grid. */
const MARK: ReadonlyArray<{ x0: number; y0: number; x1: number; y1: number; colour: Rgb }> = [
  { x0: 7, y0: 7, x1: 11, y1: 25, colour: WHITE },
  { x0: 11, y0: 21, x1: 18, y1: 25, colour: WHITE },
  { x0: 21, y0: 7, x1: 25, y1: 25, colour: POST },
];

export type IconPurpose = "any" | "maskable";

/** The colour at a point of the 32-unit grid, or undefined where the icon is transparent. */
function colourAt(x: number, y: number, purpose: IconPurpose): Rgb | undefined {
  // The maskable icon shrinks the mark to 60 % around the centre, inside the safe circle.
  const [u, v] = purpose === "maskable" ? [16 + (x - 16) / 0.6, 16 + (y - 16) / 0.6] : [x, y];
  for (const r of MARK) {
    if (u >= r.x0 && u < r.x1 && v >= r.y0 && v < r.y1) return r.colour;
  }
  if (purpose === "maskable") return TILE;
  // The tile's corners are rounded with radius 6, as the favicon's `rx="6"`.
  const cx = Math.min(Math.max(x, 6), 26);
  const cy = Math.min(Math.max(y, 6), 26);
  return (x - cx) ** 2 + (y - cy) ** 2 <= 36 ? TILE : undefined;
}

/** RGBA pixels of a `size`×`size` icon. */
export function iconPixels(size: number, purpose: IconPurpose): Uint8Array {
  const out = new Uint8Array(size * size * 4);
  const samples = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const x = ((px + (sx + 0.5) / samples) * 32) / size;
          const y = ((py + (sy + 0.5) / samples) * 32) / size;
          const c = colourAt(x, y, purpose);
          if (!c) continue;
          r += c[0];
          g += c[1];
          b += c[2];
          a += 1;
        }
      }
      const i = (py * size + px) * 4;
      if (a > 0) {
        out[i] = Math.round(r / a);
        out[i + 1] = Math.round(g / a);
        out[i + 2] = Math.round(b / a);
        out[i + 3] = Math.round((255 * a) / (samples * samples));
      }
    }
  }
  return out;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "ascii");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** An 8-bit RGBA PNG of the given pixels. */
export function encodePng(size: number, rgba: Uint8Array): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bits per channel
  header[9] = 6; // RGBA
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    // Filter type 0 (none) before each row.
    rows.set(rgba.subarray(y * size * 4, (y + 1) * size * 4), y * (size * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(rows, { level: 9 })),
    chunk("IEND", new Uint8Array()),
  ]);
}

/** The icons the web app manifest names: file name under assets/gen/icons/, size, purpose. */
export const APP_ICONS = [
  { file: "icon-192.png", size: 192, purpose: "any" },
  { file: "icon-512.png", size: 512, purpose: "any" },
  { file: "icon-maskable-512.png", size: 512, purpose: "maskable" },
] as const satisfies ReadonlyArray<{ file: string; size: number; purpose: IconPurpose }>;

export function appIconPng(icon: (typeof APP_ICONS)[number]): Buffer {
  return encodePng(icon.size, iconPixels(icon.size, icon.purpose));
}
