import path from "node:path";
import { build } from "esbuild";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { guardedContext, launchChromium } from "../support/browser.ts";

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

describe("protocol test vectors in Chromium", () => {
  it("all verify with both BLS12-381 backends and both XChaCha20-Poly1305 implementations", async () => {
    const bundle = await build({
      entryPoints: [path.join(import.meta.dirname, "vectors-entry.ts")],
      bundle: true,
      write: false,
      format: "iife",
      platform: "browser",
      target: "chrome110",
      logLevel: "silent",
    });
    const { context, foreignRequests } = await guardedContext(browser);
    const page = await context.newPage();
    await page.goto("about:blank");
    await page.addScriptTag({ content: bundle.outputFiles[0]!.text });
    type Result = { checks: number; failures: string[]; skipped: string[] };
    const results = (await page.evaluate(() =>
      (globalThis as unknown as { runLintelVectors: () => Promise<unknown> }).runLintelVectors(),
    )) as { noble: Result; nobleAead: Result; mcl: Result; backend: string };
    expect(results.backend).toBe("mcl");
    for (const result of [results.noble, results.nobleAead, results.mcl]) {
      expect(result.failures).toEqual([]);
      expect(result.skipped).toEqual([]);
      expect(result.checks).toBeGreaterThan(60);
    }
    expect(foreignRequests).toEqual([]);
    await context.close();
  });
});
