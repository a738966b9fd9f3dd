import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { guardedContext, launchChromium } from "../support/browser.ts";

const base = inject("baseUrl");
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

describe("the home page in Chromium", () => {
  it("shows the deployment and verifies every trustee key proof in the browser", async () => {
    const { context, foreignRequests } = await guardedContext(browser);
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(m.text());
    });
    page.on("pageerror", (e) => problems.push(e.message));

    const res = await page.goto(`${base}/`);
    expect(res?.headers()["content-security-policy"]).toContain("default-src 'none'");
    await page.locator("#deployment-name").waitFor();
    expect(await page.locator("#deployment-name").textContent()).toContain(
      "Lintel demo deployment",
    );
    await expect.poll(() => page.locator('[data-pop="verified"]').count()).toBe(2);
    expect(await page.locator('[data-pop="failed"]').count()).toBe(0);
    // The demo venue, in English (other test files may have approved more on this server).
    expect(await page.locator("[data-venue]").allTextContents()).toContain(
      "Harbour Public Library",
    );
    // A plain way in for every role.
    expect(
      await page
        .locator("nav.ways a[data-way]")
        .evaluateAll((links) =>
          links.map((a) => [a.getAttribute("data-way"), a.getAttribute("href")]),
        ),
    ).toEqual([
      ["check-in", "/c"],
      ["visits", "/visits/"],
      ["report", "/report/"],
      ["card", "/card/"],
      ["operator", "/operator/"],
      ["staff", "/staff/"],
      ["registry", "/registry/"],
      ["authority", "/authority/"],
      ["audit", "/transparency/"],
    ]);

    expect(problems).toEqual([]);
    expect(foreignRequests).toEqual([]);
    await context.close();
  });

  it("fits a 320 px wide screen without horizontal scrolling", async () => {
    const { context } = await guardedContext(browser, { viewport: { width: 320, height: 640 } });
    const page = await context.newPage();
    await page.goto(`${base}/`);
    await page.locator("#deployment-name").waitFor();
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await context.close();
  });

  it("reaches the content by keyboard through the skip link", async () => {
    const { context } = await guardedContext(browser);
    const page = await context.newPage();
    await page.goto(`${base}/`);
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.getAttribute("href"))).toBe("#main");
    await context.close();
  });
});
