/**
 * One language at a time, in Chromium: a new visitor sees every page in the deployment's default
 * language (Chinese for the demo) with no English text, the header's switch turns every page to
 * English with no Chinese text, and the choice is remembered on the device, across pages and
 * reloads. "Text" is what the page shows (innerText), less what is deliberately in the other
 * language: the switch's own label, and elements marked data-other-language (the staff page's
 * pair of day words, since a pass may show either) or translate="no" (keys, codes).
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { guardedContext, launchChromium, PAGE_WAIT_MS } from "../support/browser.ts";

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
];

/** Names that stay as they are in Chinese text, and example codes (ABCD-EFGH-JKMN). */
const PROPER_NAMES =
  /Lintel|JavaScript|lintel-audit|ID|QR|PDF|CSV|\b[A-Z0-9]{4}(?:-[A-Z0-9]{2,4})+/g;

/** The page's visible text, less the deliberate other-language elements. */
async function shownText(page: Page): Promise<string> {
  // The page's script has drawn once its requests are done.
  await page.waitForLoadState("networkidle");
  return page.evaluate(() => {
    const clone = document.body.cloneNode(true) as HTMLElement;
    for (const node of clone.querySelectorAll(
      "[data-other-language], [data-choose-language], [translate='no'], code, script, noscript",
    )) {
      node.remove();
    }
    // innerText needs layout: measure the clone in the page, hidden elements excluded as shown.
    clone.style.position = "absolute";
    clone.style.left = "-10000px";
    document.documentElement.append(clone);
    const text = clone.innerText;
    clone.remove();
    return text;
  });
}

describe("one language at a time", () => {
  it("shows every page in Chinese to a new visitor, with no English text", async () => {
    const { context } = await guardedContext(browser, { language: "default" });
    const page = await context.newPage();
    const found: string[] = [];
    for (const path of PAGES) {
      await page.goto(`${base}${path}`);
      expect(await page.evaluate(() => document.documentElement.lang), path).toBe("zh-CN");
      const text = (await shownText(page)).replace(PROPER_NAMES, "");
      // Removed, not only hidden: nothing for a screen reader or a search of the page to find.
      expect(await page.locator('.l10n[lang|="en"]').count(), path).toBe(0);
      for (const word of text.match(/[A-Za-z]{2,}[^\n]{0,30}/g) ?? [])
        found.push(`${path}: ${word}`);
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
      const text = await shownText(page);
      expect(await page.locator('.l10n[lang|="zh"]').count(), path).toBe(0);
      for (const run of text.match(/[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+/g) ?? []) {
        found.push(`${path}: ${run}`);
      }
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
