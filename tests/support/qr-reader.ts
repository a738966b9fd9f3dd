/**
 * Reading a QR code the way a person's camera would see it: a screenshot (PNG) decoded by jsQR in
 * a blank page of the test's own browser context, so nothing of the page under test helps.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { BrowserContext } from "playwright-core";

const require = createRequire(import.meta.url);
const JSQR_SOURCE = readFileSync(require.resolve("jsqr/dist/jsQR.js"), "utf8");

/** The text of the QR code in a PNG, or null when jsQR finds none. */
export async function decodeQrPng(context: BrowserContext, png: Buffer): Promise<string | null> {
  const reader = await context.newPage();
  try {
    await reader.goto("about:blank");
    await reader.addScriptTag({ content: JSQR_SOURCE });
    return await reader.evaluate(
      async (dataUrl) => {
        const image = new Image();
        image.src = dataUrl;
        await image.decode();
        const canvas = document.createElement("canvas");
        canvas.width = image.naturalWidth;
        canvas.height = image.naturalHeight;
        const g = canvas.getContext("2d")!;
        g.drawImage(image, 0, 0);
        const pixels = g.getImageData(0, 0, canvas.width, canvas.height);
        type JsQr = (d: Uint8ClampedArray, w: number, h: number) => { data: string } | null;
        const jsQR = (window as unknown as { jsQR: JsQr }).jsQR;
        return jsQR(pixels.data, pixels.width, pixels.height)?.data ?? null;
      },
      `data:image/png;base64,${png.toString("base64")}`,
    );
  } finally {
    await reader.close();
  }
}
