/**
 * The guide for venue staff prints to exactly one A4 page, in the reader's language, with
 * nothing of the page's header or buttons, the responsible authority's contact in its footer;
 * and it loads nothing from another site.
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

/** Pages of a PDF Chromium wrote: its page objects (`/Type /Page`, not `/Pages`). */
function pdfPages(pdf: Buffer): number {
  return (pdf.toString("latin1").match(/\/Type\s*\/Page(?!s)/g) ?? []).length;
}

describe("the staff guide", () => {
  for (const lang of ["zh", "en"] as const) {
    it(`prints to one A4 page in ${lang === "zh" ? "Chinese" : "English"}`, async () => {
      const { context, foreignRequests } = await guardedContext(browser, { language: lang });
      const page = await context.newPage();
      await page.goto(`${base}/guide/`);
      await page.locator("#never-heading").waitFor({ timeout: PAGE_WAIT_MS });
      // The deployment's authority, in the footer, in the reader's language.
      await page.locator("#authority-contact").waitFor({ timeout: PAGE_WAIT_MS });
      expect(await page.locator("#authority-contact").textContent()).toContain(
        lang === "zh" ? "演示卫生部门" : "Demo Health Authority",
      );
      await page.waitForLoadState("networkidle");
      expect(await otherLanguageText(page, lang)).toEqual([]);
      await page.emulateMedia({ media: "print" });
      expect(await page.locator("#print-guide").isVisible()).toBe(false);
      expect(await page.locator("header.site").isVisible()).toBe(false);
      const pdf = await page.pdf({ format: "A4", preferCSSPageSize: true });
      expect(pdfPages(pdf)).toBe(1);
      expect(foreignRequests).toEqual([]);
      await context.close();
    });
  }
});
