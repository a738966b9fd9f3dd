/**
 * A venue asks the health authority for its own records, in Chromium against a dev server of its
 * own: two citizens check in at the venue's two entrances; its operator asks about the first
 * entrance for these hours; an officer refuses with a reason, which the operator reads; the
 * operator asks again; the officer approves, and the approval is logged. The operator then sees
 * its hourly counts; the citizen who was at the first entrance is warned on their phone (and
 * notified by its background check), the one at the other entrance is not; both see the request
 * on "Was any of my visits looked at?".
 */
import { signedCall } from "@lintel/client-sdk";
import { accountRoutes } from "@lintel/contract";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  launchChromium,
  PAGE_WAIT_MS,
  signedInPage as signedInPageAt,
  watchedPage,
} from "../support/browser.ts";
import { freshLicenceNumber } from "../support/licence.ts";
import { openAndCheck, recordNotifications } from "../support/notifications.ts";
import { DEV_SERVER_HOOK_MS, type OwnServer, ownServer } from "../support/own-server.ts";
import { expectAccessible } from "../support/page-checks.ts";
import { type ApprovedVenue, approvedVenue } from "../support/venue.ts";
import { wallClock } from "../support/wall-clock.ts";

const HOUR = 3600;
let own: OwnServer;
let browser: Browser;
let venue: ApprovedVenue;

beforeAll(async () => {
  own = await ownServer("venue-requests");
  venue = await approvedVenue(
    own.registry,
    {
      name: { en: "Temple Street Noodles", zh: "庙街面馆" },
      address: "21 Temple Street",
      licenceNumber: freshLicenceNumber(),
      category: "restaurant",
      contact: { person: "Chan Siu Ming", phone: "+852 2384 0202" },
      entrances: [
        { label: { en: "Front door", zh: "正门" } },
        { label: { en: "Back lane", zh: "后巷门" } },
      ],
    },
    "Noodle shop office",
  );
  browser = await launchChromium();
}, DEV_SERVER_HOOK_MS);

afterAll(async () => {
  await browser?.close();
  await own?.stop();
});

const signedInPage = (pagePath: string, code: string): Promise<Page> =>
  signedInPageAt(browser, `${own.base}${pagePath}`, code);

/** A citizen's phone, checked in at entrance `i` of the venue; it allows notifications. */
async function checkedIn(i: number, name: string): Promise<Page> {
  const { page, context } = await watchedPage(browser, {
    language: "en",
    permissions: ["notifications"],
  });
  await recordNotifications(context);
  await page.goto(venue.entrances[i]!.url);
  await page.locator("#checkin-form").waitFor({ timeout: PAGE_WAIT_MS });
  await page.locator("#contact-name").fill(name);
  await page.locator("#contact-phone").fill("+852 6000 2222");
  await page.locator("#check-in").click();
  await page.locator("#pass").waitFor({ timeout: PAGE_WAIT_MS });
  return page;
}

const local = (t: number) => {
  const { date, time } = wallClock(t, own.timezone);
  return `${date} ${time}`;
};

/** Fills and sends the operator's request form: the first entrance only, these two hours. */
async function fileRequest(owner: Page, from: number, note: string): Promise<void> {
  await owner.locator("#request-form").waitFor();
  await owner.uncheck(`#request-entrance-${venue.entrances[1]!.entranceId}`);
  await owner.fill("#request-start", local(from));
  await owner.fill("#request-end", local(from + 2 * HOUR));
  await owner.selectOption("#request-reason", "guest-case");
  await owner.fill("#request-note", note);
  expect(await owner.locator("#request-grants").textContent()).toContain("warning");
  await owner.click("#request-submit");
  await owner.locator('#request-list [data-state="pending"]').waitFor();
}

describe("a venue request", () => {
  it("is refused with a reason, filed again, approved, and warns only who was present", async () => {
    const present = await checkedIn(0, "Lee Mei Ling");
    const elsewhere = await checkedIn(1, "Wong Tak Wah");
    const from = Math.floor(Date.now() / 1000 / HOUR) * HOUR - HOUR;

    const { enrolmentCode: ownerCode } = await signedCall(
      venue.operator,
      accountRoutes.newDeviceCode,
      {},
    );
    const requestsView = `/operator/?venue=${venue.venueId}&view=requests`;
    const owner = await signedInPage(requestsView, ownerCode);
    await fileRequest(owner, from, "A guest phoned: tested positive the next morning.");
    await expectAccessible(owner);

    const { enrolmentCode: officerCode } = await signedCall(
      own.registry,
      accountRoutes.createAccount,
      { body: { role: "officer", label: "Dr Ho, Yau Tsim Mong Health Office" } },
    );
    const officer = await signedInPage("/authority/", officerCode);
    const pending = officer.locator('#venue-request-list [data-state="pending"]');
    await pending.waitFor({ timeout: PAGE_WAIT_MS });
    expect(await pending.textContent()).toContain("Temple Street Noodles");
    expect(await pending.textContent()).toContain("tested positive");
    await pending.locator("textarea").fill("Ask the guest to call the health line first.");
    await pending.locator("[data-refuse-request]").click();
    await officer.locator('#venue-request-list [data-state="refused"]').waitFor();

    await owner.reload();
    const refused = owner.locator('#request-list [data-state="refused"]');
    await refused.waitFor();
    expect(await refused.locator("[data-refusal]").textContent()).toContain("health line");
    await fileRequest(owner, from, "The guest called the health line; reference given by phone.");

    await officer.click("#venue-requests-refresh");
    const again = officer.locator('#venue-request-list [data-state="pending"]');
    await again.waitFor();
    await again.locator("[data-approve-request]").click();
    const approved = officer.locator('#venue-request-list [data-state="approved"]');
    await approved.waitFor({ timeout: PAGE_WAIT_MS });
    expect(await approved.textContent()).toContain("Dr Ho");
    await expectAccessible(officer);

    // The operator: approved, the warning sent, one check-in at the front door in those hours.
    await owner.reload();
    const granted = owner.locator('#request-list [data-state="approved"]');
    await granted.waitFor();
    expect(await granted.locator("[data-warning-sent]").count()).toBe(1);
    const counts = granted.locator("[data-request-counts] tbody tr[data-count]");
    expect(await counts.count()).toBe(1);
    expect(await counts.first().getAttribute("data-count")).toBe("1");
    expect(await granted.textContent()).toContain("Front door");
    expect(await granted.textContent()).not.toContain("Lee Mei Ling");

    // The citizens' own phones match the public log against their diaries: the one who was
    // there is notified on the next page open, the other is not.
    expect(await openAndCheck(present, `${own.base}/c`)).toEqual([
      "Exposure warning for one of your visits",
    ]);
    expect(await openAndCheck(elsewhere, `${own.base}/c`)).toEqual([]);
    await present.goto(`${own.base}/visits/`);
    await present
      .locator('#exposure-result [data-exposure="venue-warning"]')
      .waitFor({ timeout: PAGE_WAIT_MS });
    expect(
      await present
        .locator('#exposure-result [data-exposure="venue-request"]')
        .getAttribute("data-present"),
    ).toBe("true");
    expect(await present.locator("#exposure-result").textContent()).toContain("Dr Ho");
    await expectAccessible(present);

    await elsewhere.goto(`${own.base}/visits/`);
    const listed = elsewhere.locator('#exposure-result [data-exposure="venue-request"]');
    await listed.waitFor({ timeout: PAGE_WAIT_MS });
    expect(await listed.getAttribute("data-present")).toBe("false");
    expect(await elsewhere.locator('[data-exposure="venue-warning"]').count()).toBe(0);
  });
});
