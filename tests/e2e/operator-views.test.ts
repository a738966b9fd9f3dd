/**
 * The operator page's views, in Chromium against the shared dev server: each view opens from its
 * own URL (a deep link, surviving the sign-in), names itself in the page's title, marks its link
 * with aria-current, takes focus to its heading when moved to, comes back with Back and Forward
 * and stays on reload; at 320 px each view is a short page rather than one long column; and a
 * failed action says so beside its button, with the status line no longer saying it is under way.
 */
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import {
  callRoute,
  deviceKeyFromSeed,
  type SignedServiceOptions,
  signedCall,
} from "@lintel/client-sdk";
import { accountRoutes, citizenRoutes } from "@lintel/contract";
import { decodeBase64url } from "@lintel/protocol";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DemoIdentities } from "../../scripts/lib/demo-identities.ts";
import {
  DEV_SERVER_HOOK_MS,
  type DevServer,
  startDevServer,
} from "../../scripts/lib/dev-server.ts";
import { launchChromium, type WatchedPage, watchedPage } from "../support/browser.ts";
import { preparedHome } from "../support/home.ts";
import { expectAccessible, screenshots } from "../support/page-checks.ts";
import { approvedVenue, type EntranceCode, signerFor } from "../support/venue.ts";

let server: DevServer;
let home: string;
let base: string;

/** Generous: the whole page as one column was about 7,650 px tall at 320 px. */
const MAX_VIEW_HEIGHT = 3_000;

let browser: Browser;
let operator: WatchedPage;
let operatorOptions: SignedServiceOptions;
let venueId: string;
let entrances: readonly EntranceCode[];

beforeAll(async () => {
  // A server of its own: the venue approved here would change what the files that share the
  // seeded demo server expect of it (one venue).
  home = preparedHome("operator-views");
  server = await startDevServer(home);
  base = server.baseUrl;
  const deployment = (await callRoute({ baseUrl: base }, citizenRoutes.deployment)).id;
  const ids = JSON.parse(
    readFileSync(path.join(home, "identities.json"), "utf8"),
  ) as DemoIdentities;
  const registry = signerFor(
    base,
    deployment,
    deviceKeyFromSeed(decodeBase64url(ids.registryStaff.deviceSecretKey, 32)),
  );
  ({
    operator: operatorOptions,
    venueId,
    entrances,
  } = await approvedVenue(
    registry,
    {
      name: { en: "Riverside Bakery", zh: "河畔面包店" },
      address: "8 River Lane",
      category: "shop",
      contact: { person: "Lam Ka Yan", phone: "+852 2111 3333" },
      entrances: [
        { label: { en: "Shop door", zh: "店门" } },
        { label: { en: "Back door", zh: "后门" } },
      ],
    },
    "Bakery office",
  ));
  browser = await launchChromium();
  operator = await watchedPage(browser);
}, DEV_SERVER_HOOK_MS);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

const views = () => [
  { url: "/operator/", heading: "#applications-heading", title: "Your venues", nav: "?" },
  {
    url: "/operator/?view=devices",
    heading: "#devices-heading",
    title: "Your devices",
    nav: "?view=devices",
  },
  { url: "/operator/?view=new", heading: "#application-form", title: "New application" },
  {
    url: `/operator/?venue=${venueId}`,
    heading: "#application-heading",
    title: "Application: Riverside Bakery",
    nav: `?venue=${venueId}`,
  },
  {
    url: `/operator/?venue=${venueId}&view=entrances`,
    heading: "#code-list",
    title: "Entrances and codes: Riverside Bakery",
    nav: `?venue=${venueId}&view=entrances`,
  },
  {
    url: `/operator/?venue=${venueId}&view=staff`,
    heading: "#kiosk-list",
    title: "Staff and kiosks: Riverside Bakery",
    nav: `?venue=${venueId}&view=staff`,
  },
  {
    url: `/operator/?venue=${venueId}&view=today`,
    heading: "#dashboard-list",
    title: "Today: Riverside Bakery",
    nav: `?venue=${venueId}&view=today`,
  },
];

const heightAt320 = async (page: Page) => {
  const size = page.viewportSize() ?? { width: 1280, height: 720 };
  await page.setViewportSize({ width: 320, height: 640 });
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewportSize(size);
  return height;
};

describe("the operator page's views", () => {
  it("opens a deep link after the sign-in, on the view it names", async () => {
    const { page } = operator;
    const { enrolmentCode } = await signedCall(operatorOptions, accountRoutes.newDeviceCode);
    await page.goto(`${base}/operator/?venue=${venueId}&view=staff`);
    await page.locator("#enrolment-code").fill(enrolmentCode);
    await page.locator("#enrolment-code").press("Enter");
    await page.locator("#kiosk-list").waitFor();
    expect(new URL(page.url()).search).toBe(`?venue=${venueId}&view=staff`);
    await expect.poll(() => page.locator("#staff-list").count()).toBe(1);
  });

  it("opens every view by its URL, titled, marked in its nav, and short at 320 px", async () => {
    const { page } = operator;
    for (const view of views()) {
      await page.goto(`${base}${view.url}`);
      await page.locator(view.heading).waitFor();
      // A venue's name joins the title once its application has arrived.
      await expect.poll(() => page.title()).toContain(view.title);
      if (view.nav !== undefined) {
        expect(
          await page.locator(`main nav a[data-view="${view.nav}"]`).getAttribute("aria-current"),
        ).toBe("page");
        // One view marked (the site's header marks the operator page itself besides).
        expect(
          await page
            .locator('#account-nav a[aria-current="page"], #venue-nav a[aria-current="page"]')
            .count(),
        ).toBe(1);
      }
      expect(await heightAt320(page)).toBeLessThan(MAX_VIEW_HEIGHT);
      await expectAccessible(page);
      await screenshots(
        page,
        `operator-view-${view.title.split(":")[0]!.toLowerCase().replaceAll(" ", "-")}`,
      );
    }
  });

  it("moves between views with its links, focus on the new view's heading; Back, Forward and reload keep up", async () => {
    const { page } = operator;
    await page.goto(`${base}/operator/`);
    await page.locator(`[data-open="${venueId}"]`).click();
    await page.locator("#venue-nav").waitFor();
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.id))
      .toBe("application-heading");
    await page.locator('#venue-nav a[data-view$="view=entrances"]').click();
    await page.locator("#code-list").waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("codes-heading");
    expect(new URL(page.url()).search).toBe(`?venue=${venueId}&view=entrances`);

    await page.goBack();
    await expect.poll(() => new URL(page.url()).search).toBe(`?venue=${venueId}`);
    await expect
      .poll(() => page.locator('#venue-nav a[aria-current="page"]').getAttribute("data-view"))
      .toBe(`?venue=${venueId}`);
    expect(await page.locator("#code-list").count()).toBe(0);
    await expect.poll(() => page.title()).toContain("Application: Riverside Bakery");

    await page.goBack();
    await page.locator(`[data-open="${venueId}"]`).waitFor();
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.id))
      .toBe("applications-heading");

    await page.goForward();
    await page.goForward();
    await page.locator("#code-list").waitFor();
    await page.reload();
    await page.locator("#code-list").waitFor();
    expect(new URL(page.url()).search).toBe(`?venue=${venueId}&view=entrances`);
    expect(operator.problems).toEqual([]);
    expect(operator.foreignRequests).toEqual([]);
  });

  it("shows a failed poster beside its button, and the status line stops saying it is preparing", async () => {
    const { page } = operator;
    const door = entrances[1]!;
    await page.goto(`${base}/operator/?venue=${venueId}&view=entrances`);
    await page.locator("#code-list").waitFor();
    // The poster's font cannot be fetched: the poster cannot be made.
    await page.route("**/fonts/**", (route) => route.abort());
    const card = page.locator(`#code-list [data-entrance="${door.entranceId}"]`);
    await card.locator(`[data-poster="${door.entranceId}"]`).click();
    await expect
      .poll(() => card.locator(`#poster-error-${door.entranceId}`).textContent())
      .not.toBe("");
    // A timer set now runs after any status update the page set before the failure.
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 100)));
    expect(await page.locator("#status").textContent()).not.toContain("Preparing");
    expect(await page.locator("#codes-error").textContent()).toBe("");
    await page.unroute("**/fonts/**");
  });
});
