/**
 * The citizen page's scan-to-pass time, in Debian's Chromium with a fake camera that shows the
 * poster's QR code (a .y4m video made with ffmpeg), against a local `npm run dev`:
 *
 *   web.scan_to_pass_ms   — from the first camera frame the page receives to the pass on screen:
 *                           decoding the QR (jsQR), verifying the code's signature, asking the
 *                           service whether it is current, encrypting every slot's record
 *                           (libsodium + BLS12-381) and storing it with a verified receipt
 *   web.scan_decode_ms    — of that, the first frame to the code read and verified
 *   web.code_check_ms     — of that, the code read to the form shown (POST /api/codes/check)
 *   web.checkin_submit_ms — of that, "Check in" pressed to the pass on screen
 *
 * Median of 5 runs, after one warm-up. Each run is a fresh browser profile (no visit open, so
 * the form appears) whose details are already remembered on the phone, so the only step between
 * the form and the pass is pressing the button, as a returning visitor would; the driver presses
 * it in the first animation frame it exists. The marks are the page's own (performance.mark),
 * read from window.__lintelTimings, which `?bench` exposes.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { callRoute } from "@lintel/client-sdk";
import { citizenRoutes } from "@lintel/contract";
import QRCode from "qrcode";
import { guardedContext, launchChromiumWithFakeCamera } from "../../tests/support/browser.ts";
import { ensureTestBinaries } from "../lib/chromium.ts";
import type { Figure } from "./protocol.ts";

const RUNS = 5;

/**
 * A fake camera video that shows `text` as a QR code: a PNG made with `qrcode`, turned by ffmpeg
 * into a 640×480, 10 fps .y4m (yuv420p) of 10 frames that Chromium loops.
 */
export async function qrCameraVideo(text: string, dir: string): Promise<string> {
  const png = path.join(dir, "qr.png");
  const y4m = path.join(dir, "qr.y4m");
  await QRCode.toFile(png, text, { errorCorrectionLevel: "M", margin: 4, width: 400 });
  execFileSync(
    "ffmpeg",
    [
      "-y",
      "-loglevel",
      "error",
      "-loop",
      "1",
      "-i",
      png,
      "-vf",
      "scale=400:400,pad=640:480:120:40:white,format=yuv420p",
      "-r",
      "10",
      "-frames:v",
      "10",
      y4m,
    ],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
  return y4m;
}

/** The page's marks, which `?bench` exposes. */
type Timed = Window & { __lintelTimings?: Record<string, number> };

/** The median, to 0.1 ms. */
const median = (values: number[]) =>
  Math.round([...values].sort((a, b) => a - b)[values.length >> 1]! * 10) / 10;

export async function scanBenchmarks(
  say: (line: string) => void,
  baseUrl: string,
): Promise<Record<string, Figure>> {
  ensureTestBinaries(); // Chromium and ffmpeg
  const dir = mkdtempSync(path.join(os.tmpdir(), "lintel-bench-scan-"));
  const code = await callRoute({ baseUrl }, citizenRoutes.entranceCode, {
    params: { id: "hbr-main" },
  });
  const video = await qrCameraVideo(code.url, dir);
  const browser = await launchChromiumWithFakeCamera(video);
  const profile = JSON.stringify({
    self: { name: "Bench Visitor", phone: "+852 5000 0000" },
    companions: [],
  });
  const total: number[] = [];
  const decode: number[] = [];
  const check: number[] = [];
  const submit: number[] = [];
  try {
    for (let run = 0; run <= RUNS; run++) {
      const { context, foreignRequests } = await guardedContext(browser, {
        permissions: ["camera"],
      });
      // Before any page script runs: the details a returning visitor has remembered.
      await context.addInitScript((value) => {
        window.localStorage.setItem("lintel.citizen.profile.v1", value);
      }, profile);
      const page = await context.newPage();
      await page.goto(`${baseUrl}/c?bench`);
      await page.locator("#start-camera").click();
      // Press "Check in" in the first animation frame it exists: no driver polling in the figure.
      await page.waitForFunction(
        () => {
          const button = document.getElementById("check-in");
          button?.click();
          return button !== null;
        },
        undefined,
        { polling: "raf", timeout: 30_000 },
      );
      await page.waitForFunction(
        () => (window as Timed).__lintelTimings?.["pass-shown"] !== undefined,
        undefined,
        { timeout: 60_000 },
      );
      const t = await page.evaluate(() => (window as Timed).__lintelTimings!);
      if (foreignRequests.length > 0) throw new Error(`foreign requests: ${foreignRequests}`);
      await context.close();
      const first = t["camera-first-frame"]!;
      if (run === 0) continue; // warm-up: the page's code and the service's isolates
      total.push(t["pass-shown"]! - first);
      decode.push(t["code-read"]! - first);
      check.push(t["form-shown"]! - t["code-read"]!);
      submit.push(t["pass-shown"]! - t.submit!);
    }
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const figures: Record<string, Figure> = {
    "web.scan_to_pass_ms": { value: median(total), unit: "ms" },
    "web.scan_decode_ms": { value: median(decode), unit: "ms" },
    "web.code_check_ms": { value: median(check), unit: "ms" },
    "web.checkin_submit_ms": { value: median(submit), unit: "ms" },
  };
  say(
    `scan: first camera frame → pass ${figures["web.scan_to_pass_ms"]!.value.toFixed(0)} ms ` +
      `(decode ${figures["web.scan_decode_ms"]!.value.toFixed(0)} ms, code current ` +
      `${figures["web.code_check_ms"]!.value.toFixed(0)} ms, check-in ` +
      `${figures["web.checkin_submit_ms"]!.value.toFixed(0)} ms), median of ${RUNS}: ` +
      total.map((v) => v.toFixed(0)).join(", "),
  );
  return figures;
}
