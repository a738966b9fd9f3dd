/**
 * One language at a time, in Chromium: a new visitor sees every page in the deployment's default
 * language (Chinese for the demo) with no English text, the header's switch turns every page to
 * English with no Chinese text, and the choice is remembered on the device, across pages and
 * reloads. "Text" is what the page shows (innerText), less what is deliberately in the other
 * language: the switch's own label, and elements marked data-other-language (the staff page's
 * pair of day words, since a pass may show either) or translate="no" (keys, codes).
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { guardedContext, launchChromium, PAGE_WAIT_MS } from "../support/browser.ts";
import { otherLanguageText } from "../support/shown-text.ts";

const base = inject("baseUrl");
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

const PAGES = [
  "/",
  "/c",
  "/visits/",
  "/privacy/",
  "/report/",
  "/operator/",
  "/kiosk/",
  "/staff/",
  "/card/",
  "/registry/",
  "/authority/",
  "/transparency/",
  "/guide/",
];

describe("one language at a time", () => {
  it("shows every page in Chinese to a new visitor, with no English text", async () => {
    const { context } = await guardedContext(browser, { language: "default" });
    const page = await context.newPage();
    const found: string[] = [];
    for (const path of PAGES) {
      await page.goto(`${base}${path}`);
      expect(await page.evaluate(() => document.documentElement.lang), path).toBe("zh-CN");
      // The page's script has drawn once its requests are done.
      await page.waitForLoadState("networkidle");
      // The other language removed, not only hidden: nothing for a screen reader to find.
      for (const text of await otherLanguageText(page, "zh")) found.push(`${path}: ${text}`);
      expect(await page.title(), path).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(found).toEqual([]);
    await context.close();
  });

  it("turns every page to English with the header's switch, remembered across pages and reloads", async () => {
    const { context } = await guardedContext(browser, { language: "default" });
    const page = await context.newPage();
    await page.goto(`${base}/privacy/`);
    await page.locator("[data-choose-language='en']").click();
    await page.waitForFunction(() => document.documentElement.lang === "en", undefined, {
      timeout: PAGE_WAIT_MS,
    });
    const found: string[] = [];
    for (const path of PAGES) {
      await page.goto(`${base}${path}`);
      expect(await page.evaluate(() => document.documentElement.lang), path).toBe("en");
      await page.waitForLoadState("networkidle");
      for (const text of await otherLanguageText(page, "en")) found.push(`${path}: ${text}`);
    }
    expect(found).toEqual([]);
    // Back to Chinese, and it stays.
    await page.locator("[data-choose-language='zh']").click();
    await page.waitForFunction(() => document.documentElement.lang === "zh-CN");
    await page.goto(`${base}/c`);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe("zh-CN");
    await context.close();
  });

  it("keeps a larger-text setting on the device", async () => {
    const { context } = await guardedContext(browser, { language: "default" });
    const page = await context.newPage();
    await page.goto(`${base}/`);
    const size = () =>
      page.evaluate(() => Number.parseFloat(getComputedStyle(document.documentElement).fontSize));
    const before = await size();
    await page.locator("[data-large-text]").click();
    expect(await size()).toBeGreaterThan(before);
    await page.goto(`${base}/c`);
    expect(await size()).toBeGreaterThan(before);
    expect(await page.locator("[data-large-text]").getAttribute("aria-pressed")).toBe("true");
    await context.close();
  });
});
