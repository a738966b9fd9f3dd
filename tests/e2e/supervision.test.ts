/**
 * The registry suspends a venue and reinstates it, in Chromium against a dev server of its own
 * (the venue made here would change what the files sharing the seeded demo server expect of it):
 * the reviewer suspends it from the application's view for a reason, after a confirmation; a
 * citizen opening one of its posters is told the registry suspended it, and nothing is stored;
 * its operator sees why; once reinstated, the same poster checks the citizen in. And an officer
 * enrolled from the registry page's People view signs in on the authority's page with the code
 * shown there, and files (signs) an exposure query. And a rectification order issued on the
 * registry page is seen and answered by the venue's operator, whose answer the registry reads.
 * And the public report page keeps Send disabled until the venue's entrances have loaded (a
 * report sent before would name the whole venue by accident), and enables it with a message when
 * they cannot be loaded. And two identical public reports are merged in the registry's inbox,
 * noted, answered by the operator, and followed by their reporters with the reference each was
 * given. And an inspection
 * recorded with a photo is read by the operator and shows on the registry's Compliance view.
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

let own: OwnServer;
let base: string;
let browser: Browser;
let venue: ApprovedVenue;
let registry: OwnServer["registry"];

const VISITOR = { name: "Lam Ka Yan", phone: "+852 6000 1234" };

beforeAll(async () => {
  own = await ownServer("supervision");
  base = own.base;
  registry = own.registry;
  venue = await approvedVenue(
    registry,
    {
      name: { en: "Jordan Road Arcade", zh: "佐敦道商场" },
      address: "8 Jordan Road",
      licenceNumber: freshLicenceNumber(),
      category: "shop",
      contact: { person: "Ho Wing Sze", phone: "+852 2384 0101" },
      entrances: [{ label: { en: "Street door", zh: "临街门" } }],
    },
    "Arcade office",
  );
  browser = await launchChromium();
}, DEV_SERVER_HOOK_MS);

afterAll(async () => {
  await browser?.close();
  await own?.stop();
});

const signedInPage = (pagePath: string, code: string): Promise<Page> =>
  signedInPageAt(browser, `${base}${pagePath}`, code);

/**
 * One registry reviewer's page and one operator's page for the whole file, signed in once and
 * moved between views: the service allows ten enrolments an hour per network, and every test
 * here comes from the same address.
 */
let reviewerPage: Page | undefined;
let ownerPage: Page | undefined;

async function reviewerAt(pagePath: string): Promise<Page> {
  if (reviewerPage) {
    await reviewerPage.goto(`${base}${pagePath}`);
    return reviewerPage;
  }
  const { enrolmentCode } = await signedCall(registry, accountRoutes.createAccount, {
    body: { role: "registry", label: "Inspection team" },
  });
  reviewerPage = await signedInPage(pagePath, enrolmentCode);
  return reviewerPage;
}

async function ownerAt(pagePath: string): Promise<Page> {
  if (ownerPage) {
    await ownerPage.goto(`${base}${pagePath}`);
    return ownerPage;
  }
  const { enrolmentCode } = await signedCall(venue.operator, accountRoutes.newDeviceCode, {});
  ownerPage = await signedInPage(pagePath, enrolmentCode);
  return ownerPage;
}

/** Opens the venue's poster link as a new visitor; the check-in form or a refusal follows. */
async function openPoster(): Promise<Page> {
  const { page } = await watchedPage(browser, { language: "en" });
  await page.goto(venue.entrances[0]!.url);
  await page.locator("#checkin-form, #code-problem [data-code]").first().waitFor({
    timeout: PAGE_WAIT_MS,
  });
  return page;
}

describe("a suspended venue", () => {
  it("has its codes refused at check-in until the registry reinstates it", async () => {
    const reviewer = await reviewerAt(`/registry/?application=${venue.venueId}`);
    await reviewer.locator("#supervision-heading").waitFor();
    await reviewer.locator("#suspension-reason").selectOption("rectification-overdue");
    await reviewer.locator("#suspend").click();
    const dialog = reviewer.locator("dialog.confirm");
    expect(await dialog.textContent()).toContain("Rectification overdue");
    await dialog.locator("[data-confirm]").click();
    await reviewer.locator("#suspension-state").waitFor();
    expect(await reviewer.locator("#suspension-state").textContent()).toContain(
      "Suspended: Rectification overdue",
    );
    await expectAccessible(reviewer);

    // A citizen at the door: told why, before typing anything, and nothing is stored.
    const refused = await openPoster();
    const problem = refused.locator('#code-problem [data-code="venue-suspended"]');
    await problem.waitFor();
    expect(await problem.textContent()).toContain("The registry has suspended this venue");
    expect(await refused.locator("#checkin-form").count()).toBe(0);
    await expectAccessible(refused);

    // Its operator sees why on the venue's page.
    const owner = await ownerAt(`/operator/?venue=${venue.venueId}`);
    const notice = owner.locator("#suspension-notice");
    await notice.waitFor();
    expect(await notice.textContent()).toContain("Rectification overdue");

    // Reinstated: the same poster checks the citizen in.
    await reviewer.locator("#reinstate").click();
    await reviewer.locator("dialog.confirm [data-confirm]").click();
    await reviewer.locator("#suspend").waitFor();
    const welcome = await openPoster();
    expect(await welcome.locator("#code-problem [data-code]").count()).toBe(0);
    await welcome.locator("#contact-name").fill(VISITOR.name);
    await welcome.locator("#contact-phone").fill(VISITOR.phone);
    await welcome.locator("#check-in").click();
    await welcome.locator("#pass").waitFor({ timeout: PAGE_WAIT_MS });
    expect(await welcome.locator("#pass-venue").textContent()).toBe("Jordan Road Arcade");
  });
});

describe("the registry page's People view", () => {
  it("enrols an officer whose code signs in on the authority's page, and who files a query", async () => {
    const desk = await reviewerAt("/registry/?view=people");
    await desk.locator("#people-heading").waitFor();
    await desk.locator("#person-role").selectOption("officer");
    expect(await desk.locator("#person-where").textContent()).toContain("public log");
    await desk.locator("#person-label").fill("Dr Wong, Kowloon Health Office");
    await desk.locator("#person-submit").click();
    const code = (await desk.locator("#person-enrolment-code").textContent()) ?? "";
    expect(code).toMatch(/^[0-9A-Z-]{16,}$/);
    await expectAccessible(desk);

    const { page: officer } = await watchedPage(browser, { language: "en" });
    await officer.goto(`${base}/authority/`);
    await officer.locator("#enrolment-code").fill(code);
    await officer.locator("#enrol-submit").click();
    await officer.locator("#file-form").waitFor();
    expect(await officer.locator("#signed-in-as").textContent()).toContain("Dr Wong");

    const timeZone = own.timezone;
    const now = Math.floor(Date.now() / 1000);
    const start = now - (now % 3600) - 2 * 3600;
    const local = (t: number) => {
      const { date, time } = wallClock(t, timeZone);
      return `${date}T${time}`;
    };
    await officer.fill("#case-reference", "KLN-2026-0117");
    await officer.fill(
      "#legal-basis",
      "Prevention and Control of Disease Ordinance (Cap. 599) s.22",
    );
    await officer.setInputFiles("#legal-document", {
      name: "order.pdf",
      mimeType: "application/pdf",
      buffer: Buffer.from("%PDF-1.4 order of the magistrate"),
    });
    await officer.check(`#entrance-${venue.entrances[0]!.entranceId}`);
    await officer.fill("#window-start", local(start));
    await officer.fill("#window-end", local(start + 3600));
    await officer.fill("#reason", "A confirmed case visited the arcade that afternoon.");
    await officer.click("#file-submit");
    const filed = officer.locator("#drafts-list > li").first();
    await filed.waitFor();
    expect(await officer.locator("#file-result").textContent()).toContain("Filed as draft");
  });
});

describe("a rectification order", () => {
  it("is issued on the registry page, seen and answered by the operator, and read back", async () => {
    const reviewer = await reviewerAt(`/registry/?application=${venue.venueId}`);
    await reviewer.locator("#order-form").waitFor();
    const due = wallClock(Math.floor(Date.now() / 1000) + 3 * 86_400, own.timezone);
    const findings =
      "The back door has no code poster.\nStaff did not know how to register a visitor without a phone.";
    await reviewer.locator("#order-findings").fill(findings);
    await reviewer.locator("#order-deadline").fill(`${due.date} ${due.time}`);
    await reviewer.locator("#order-submit").click();
    const issued = reviewer.locator('#rectification-list li[data-state="open"]');
    await issued.waitFor();
    expect(await issued.locator(".findings").textContent()).toBe(findings);
    await expectAccessible(reviewer);

    const owner = await ownerAt(`/operator/?venue=${venue.venueId}`);
    const order = owner.locator('#rectification-list li[data-state="open"]');
    await order.waitFor();
    expect(await order.locator(".findings").textContent()).toBe(findings);
    expect(await order.textContent()).toContain(`${due.date} ${due.time}`);
    const answer = "Poster put up at the back door on Monday; all staff trained on proxy check-in.";
    await order.locator("textarea").fill(answer);
    await order.locator("[data-answer]").click();
    const answered = owner.locator('#rectification-list li[data-state="answered"]');
    await answered.waitFor();
    expect(await answered.locator(".answer").textContent()).toBe(answer);
    await expectAccessible(owner);

    await reviewer.reload();
    const back = reviewer.locator('#rectification-list li[data-state="answered"]');
    await back.waitFor();
    expect(await back.locator(".answer").textContent()).toBe(answer);
    await back.locator("[data-close]").click();
    await reviewer.locator('#rectification-list li[data-state="closed"]').waitFor();
  });
});

describe("a report from the public", () => {
  it("cannot be sent before the venue's entrances have loaded, and can when they fail to", async () => {
    const { page, context } = await watchedPage(browser, { language: "en" });
    // The venue's entrance request is held until the test lets it go: the page waits for it.
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route(`**/api/venues/${venue.venueId}`, async (route) => {
      await held;
      await route.continue();
    });
    await page.goto(`${base}/report/?venue=${venue.venueId}`);
    await page.locator("#report-form").waitFor();
    const send = page.locator("#report-submit");
    await expect
      .poll(() => page.locator("#entrance-status").textContent())
      .toBe("Loading the entrances…");
    expect(await send.isDisabled()).toBe(true);
    release();
    await expect.poll(() => send.isDisabled()).toBe(false);
    expect(await page.locator("#entrance-status").textContent()).toContain("entrance(s):");
    expect(await page.locator("#report-entrance option").count()).toBe(1 + venue.entrances.length);

    // A venue whose entrance list cannot be had is still reportable as a whole, and says so.
    await page.unroute(`**/api/venues/${venue.venueId}`);
    await page.route(`**/api/venues/${venue.venueId}`, (route) =>
      route.fulfill({
        status: 503,
        contentType: "application/problem+json",
        body: JSON.stringify({
          type: "/problems/database-unavailable",
          title: "Database unavailable",
          status: 503,
          code: "database-unavailable",
        }),
      }),
    );
    await page.reload();
    await expect
      .poll(() => page.locator("#entrance-status").textContent())
      .toBe("The entrances could not be loaded: you can still report the whole venue.");
    expect(await send.isDisabled()).toBe(false);
    await context.close();
  });

  it("is merged with an identical one, noted, answered, and followed by its reporter's reference", async () => {
    const door = venue.entrances[0]!.entranceId;
    const references: string[] = [];
    for (let i = 0; i < 2; i++) {
      const { page, context } = await watchedPage(browser, { language: "en" });
      await page.goto(`${base}/report/?venue=${venue.venueId}&entrance=${door}`);
      await page.locator("#report-form").waitFor();
      // The entrances load after the form: the link's entrance is chosen once they have.
      await expect.poll(() => page.locator("#report-entrance").inputValue()).toBe(door);
      await page.locator("#kind-no-code-posted").check();
      await page.locator("#report-submit").click();
      await page.locator("#report-reference").waitFor();
      references.push((await page.locator("#report-reference").textContent()) ?? "");
      if (i === 0) await expectAccessible(page);
      await context.close();
    }
    expect(references[0]).toMatch(/^[A-Z2-7]{4}(-[A-Z2-7]{4})+$/);
    expect(references[0]).not.toBe(references[1]);

    const desk = await reviewerAt("/registry/?view=reports");
    const item = desk.locator("#report-list [data-report]");
    await item.first().waitFor();
    expect(await item.count()).toBe(1);
    expect(await item.locator(".report-count").textContent()).toBe("Reported 2 times");
    await item.locator("select").selectOption("in-review");
    await item.locator("textarea").fill("Inspector visits on Friday.");
    await item.locator("button").click();
    await expect.poll(() => desk.locator("#report-list [data-report]").count()).toBe(0);

    const owner = await ownerAt(`/operator/?venue=${venue.venueId}`);
    const reported = owner.locator("#venue-report-list [data-report]");
    await reported.first().waitFor();
    expect(await reported.first().textContent()).toContain("2 reports");
    await reported.first().locator("textarea").fill("A new poster is up at the street door.");
    await reported.first().locator("[data-answer-report]").click();
    await reported.first().locator(".answer").waitFor();

    // Each reporter, back on the report page with nothing but the reference.
    for (const reference of references) {
      const { page, context } = await watchedPage(browser, { language: "en" });
      await page.goto(`${base}/report/`);
      await page.locator("#follow-reference").fill(reference.toLowerCase());
      await page.locator("#follow-submit").click();
      await page.locator("#follow-status").waitFor();
      expect(await page.locator("#follow-status").textContent()).toContain("In review");
      expect(await page.locator("#follow-answered").textContent()).toBe(
        "The venue has answered the registry.",
      );
      await context.close();
    }

    // The registry reads the operator's answer beside its note.
    await desk.goto(`${base}/registry/?view=reports`);
    await desk.locator("#reports-status").selectOption("in-review");
    await desk.locator("#reports-show").click();
    const noted = desk.locator("#report-list [data-report]");
    await noted.first().waitFor();
    expect(await noted.locator(".operator-answer").textContent()).toBe(
      "A new poster is up at the street door.",
    );
    expect(await noted.locator("textarea").inputValue()).toBe("Inspector visits on Friday.");
  });
});

describe("an inspection", () => {
  it("is recorded with a photo on the registry page, read by the operator, and counted on Compliance", async () => {
    // A 1 × 1 PNG: what a phone camera's picture stands in for here.
    const png = Buffer.from(
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
      "base64",
    );
    const reviewer = await reviewerAt(`/registry/?application=${venue.venueId}`);
    await reviewer.locator("#inspection-form").waitFor();
    await reviewer.selectOption("#inspection-result", "follow-up");
    await reviewer.fill("#inspection-findings", "Street door poster torn at one corner.");
    await reviewer.setInputFiles("#inspection-photos", {
      name: "door.png",
      mimeType: "image/png",
      buffer: png,
    });
    await reviewer.click("#inspection-submit");
    const recorded = reviewer.locator("#inspection-list [data-inspection]");
    await recorded.first().locator("img[data-photo]").waitFor();
    expect(await recorded.first().getAttribute("data-result")).toBe("follow-up");
    expect(
      await recorded
        .first()
        .locator("img[data-photo]")
        .evaluate((img) => (img as HTMLImageElement).naturalWidth),
    ).toBe(1);
    await expectAccessible(reviewer);

    const owner = await ownerAt(`/operator/?venue=${venue.venueId}`);
    const seen = owner.locator("#inspection-list [data-inspection]");
    await seen.first().waitFor();
    expect(await seen.first().textContent()).toContain("Street door poster torn");
    await seen.first().locator("img[data-photo]").waitFor();

    await reviewer.goto(`${base}/registry/?view=compliance`);
    const row = reviewer.locator(`#compliance-table tr[data-venue="${venue.venueId}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain("Needs follow-up");
    await expectAccessible(reviewer);
  });
});
