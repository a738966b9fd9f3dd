/**
 * A venue request granting contacts (PROTOCOL.md §11.7), in Chromium against a dev server of its
 * own whose policy grants contacts (LINTEL_VENUE_REQUEST_GRANTS; the shared server's does not):
 * two citizens check in with a name and a phone, one at each of the venue's two entrances; the
 * operator asks about the first entrance, its browser making the request's key; two officers
 * approve from their own accounts; one of them fetches the trustees' and the log's releases for
 * the venue; the operator opens the contact records on its own device and sees the citizen who
 * was at the first entrance — name, phone, entrance — and not the other; that citizen's phone
 * says the request released their contact details.
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
import { DEV_SERVER_HOOK_MS, type OwnServer, ownServer } from "../support/own-server.ts";
import { expectAccessible } from "../support/page-checks.ts";
import { type ApprovedVenue, approvedVenue } from "../support/venue.ts";
import { wallClock } from "../support/wall-clock.ts";

const HOUR = 3600;
/** Releases ask every trustee (with the witness's cosignature on the proof) and the log. */
const RELEASE_WAIT_MS = 120_000;
let own: OwnServer;
let browser: Browser;
let venue: ApprovedVenue;

beforeAll(async () => {
  own = await ownServer("venue-contacts", { LINTEL_VENUE_REQUEST_GRANTS: "warning,contacts" });
  venue = await approvedVenue(
    own.registry,
    {
      name: { en: "Shanghai Street Bakery", zh: "上海街饼店" },
      address: "88 Shanghai Street",
      licenceNumber: freshLicenceNumber(),
      category: "restaurant",
      contact: { person: "Lau Ka Yan", phone: "+852 2384 0303" },
      entrances: [
        { label: { en: "Front door", zh: "正门" } },
        { label: { en: "Side door", zh: "侧门" } },
      ],
    },
    "Bakery office",
  );
  browser = await launchChromium();
}, DEV_SERVER_HOOK_MS);

afterAll(async () => {
  await browser?.close();
  await own?.stop();
});

const signedInPage = (pagePath: string, code: string): Promise<Page> =>
  signedInPageAt(browser, `${own.base}${pagePath}`, code);

/** A citizen's phone, checked in at entrance `i` of the venue with a name and a phone. */
async function checkedIn(i: number, name: string, phone: string): Promise<Page> {
  const { page } = await watchedPage(browser, { language: "en" });
  await page.goto(venue.entrances[i]!.url);
  await page.locator("#checkin-form").waitFor({ timeout: PAGE_WAIT_MS });
  await page.locator("#contact-name").fill(name);
  await page.locator("#contact-phone").fill(phone);
  await page.locator("#check-in").click();
  await page.locator("#pass").waitFor({ timeout: PAGE_WAIT_MS });
  return page;
}

const local = (t: number) => {
  const { date, time } = wallClock(t, own.timezone);
  return `${date} ${time}`;
};

async function officerPage(label: string): Promise<Page> {
  const { enrolmentCode } = await signedCall(own.registry, accountRoutes.createAccount, {
    body: { role: "officer", label },
  });
  return signedInPage("/authority/", enrolmentCode);
}

describe("a venue request granting contacts", () => {
  it("needs two officers, is released to the venue's key, and opens only its own entrance", async () => {
    const present = await checkedIn(0, "Lee Mei Ling", "+852 6000 2222");
    await checkedIn(1, "Wong Tak Wah", "+852 6000 3333");
    const from = Math.floor(Date.now() / 1000 / HOUR) * HOUR - HOUR;

    // The operator files: the grants say contact details will be released to this device.
    const { enrolmentCode: ownerCode } = await signedCall(
      venue.operator,
      accountRoutes.newDeviceCode,
      {},
    );
    const owner = await signedInPage(`/operator/?venue=${venue.venueId}&view=requests`, ownerCode);
    await owner.locator("#request-form").waitFor();
    expect(await owner.locator("#request-grants").textContent()).toContain("contact details");
    await owner.uncheck(`#request-entrance-${venue.entrances[1]!.entranceId}`);
    await owner.fill("#request-start", local(from));
    await owner.fill("#request-end", local(from + 2 * HOUR));
    await owner.selectOption("#request-reason", "staff-case");
    await owner.click("#request-submit");
    const filed = owner.locator('#request-list [data-state="pending"]');
    await filed.waitFor();
    expect(
      await filed.locator("[data-request-approvals]").getAttribute("data-request-approvals"),
    ).toBe("0");

    // Two officers, each from their own account: the first approval waits for the second.
    const first = await officerPage("Dr Ho, Yau Tsim Mong Health Office");
    const pending = first.locator('#venue-request-list [data-state="pending"]');
    await pending.waitFor({ timeout: PAGE_WAIT_MS });
    await pending.locator("[data-approve-request]").click();
    await first
      .locator('#venue-request-list [data-state="pending"] [data-request-approvals="1"]')
      .waitFor({ timeout: PAGE_WAIT_MS });
    const second = await officerPage("Dr Tam, Kowloon City Health Office");
    const waiting = second.locator('#venue-request-list [data-state="pending"]');
    await waiting.locator('[data-request-approvals="1"]').waitFor({ timeout: PAGE_WAIT_MS });
    await waiting.locator("[data-approve-request]").click();
    const approved = second.locator('#venue-request-list [data-state="approved"]');
    await approved.waitFor({ timeout: PAGE_WAIT_MS });
    expect(await approved.getAttribute("data-venue-request")).toBeTruthy();

    // Before the releases, the venue is told to wait; then an officer fetches them for it.
    await owner.reload();
    const granted = owner.locator('#request-list [data-state="approved"]');
    await granted.waitFor();
    expect(await granted.locator("[data-open-contacts]").count()).toBe(0);
    await approved.locator("[data-forward-releases]").click();
    await second
      .locator('#venue-request-list [data-state="approved"] [data-request-releases*="log"]')
      .waitFor({ timeout: RELEASE_WAIT_MS });
    await expectAccessible(second);

    // The venue opens them on its own device: the front door's visitor only.
    await owner.reload();
    await owner.locator("[data-open-contacts]").click();
    const rows = owner.locator("[data-contacts-table] tbody tr[data-contact-entrance]");
    await rows.first().waitFor({ timeout: RELEASE_WAIT_MS });
    expect(await rows.count()).toBe(1);
    expect(await rows.first().getAttribute("data-contact-entrance")).toBe(
      venue.entrances[0]!.entranceId,
    );
    expect(await rows.first().locator("[data-contact-name]").textContent()).toBe("Lee Mei Ling");
    expect(await rows.first().locator("[data-contact-phone]").textContent()).toBe("+852 6000 2222");
    expect(await rows.first().textContent()).toContain("Front door");
    const table = (await owner.locator("[data-contacts-table]").textContent()) ?? "";
    expect(table).not.toContain("Wong Tak Wah");
    expect(table).not.toContain("6000 3333");
    await expectAccessible(owner);

    // The citizen who was there reads, on their own phone, that the request released contacts.
    await present.goto(`${own.base}/visits/`);
    const listed = present.locator('#exposure-result [data-exposure="venue-request"]');
    await listed.waitFor({ timeout: PAGE_WAIT_MS });
    expect(await listed.getAttribute("data-contacts")).toBe("true");
    expect(await listed.textContent()).toContain("released contact details");
  });
});
