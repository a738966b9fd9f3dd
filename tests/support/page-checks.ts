/** Checks every browser test makes of a page: accessibility and fit, and optional screenshots. */
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { expect } from "vitest";
import { axeViolations } from "./axe.ts";

/** LINTEL_E2E_SCREENSHOTS=<dir> keeps screenshots of every view the tests check. */
const SCREENSHOTS = process.env.LINTEL_E2E_SCREENSHOTS;

/** axe clean, and nothing wider than a 320 px screen. */
export async function expectAccessible(page: Page): Promise<void> {
  expect(await axeViolations(page)).toEqual([]);
  const size = page.viewportSize() ?? { width: 1280, height: 720 };
  await page.setViewportSize({ width: 320, height: 640 });
  expect(
    await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
  ).toBeLessThanOrEqual(0);
  await page.setViewportSize(size);
}

/** With LINTEL_E2E_SCREENSHOTS=<dir>: the full page at 1280 and at 320 px wide. */
export async function screenshots(page: Page, name: string): Promise<void> {
  if (!SCREENSHOTS) return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  const size = page.viewportSize() ?? { width: 1280, height: 720 };
  for (const width of [1280, 320]) {
    await page.setViewportSize({ width, height: 800 });
    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize(size);
}
