/**
 * An entrance amendment end to end, in Chromium against a dev server of its own (the venue made
 * here would change what the files sharing the seeded demo server expect): the operator proposes
 * on the entrances view to add an entrance and close another for good, pointing to the new one;
 * the registry reviewer finds the venue in the queue narrowed to changes waiting (flagged there)
 * and approves it on the venue's view; the new entrance's poster checks a
 * citizen in; the closed entrance's poster is refused on the check-in page, naming the new
 * entrance in the reader's language, and nothing is stored.
 */
import { signedCall } from "@lintel/client-sdk";
import { accountRoutes, operatorRoutes } from "@lintel/contract";
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

let own: OwnServer;
let browser: Browser;
let venue: ApprovedVenue;

beforeAll(async () => {
  own = await ownServer("amendments");
  venue = await approvedVenue(
    own.registry,
    {
      name: { en: "Temple Street Hall", zh: "庙街会堂" },
      address: "12 Temple Street",
      licenceNumber: freshLicenceNumber(),
      category: "shop",
      contact: { person: "Yip Siu Ming", phone: "+852 2384 0202" },
      entrances: [
        { label: { en: "Front door", zh: "前门" } },
        { label: { en: "Back door", zh: "后门" } },
      ],
    },
    "Hall office",
  );
  browser = await launchChromium();
}, DEV_SERVER_HOOK_MS);

afterAll(async () => {
  await browser?.close();
  await own?.stop();
});

const signedInPage = (pagePath: string, code: string): Promise<Page> =>
  signedInPageAt(browser, `${own.base}${pagePath}`, code);

/** Opens a poster's link as a new visitor; the check-in form or a refusal follows. */
async function openPoster(url: string, language: "en" | "zh"): Promise<Page> {
  const { page } = await watchedPage(browser, { language });
  await page.goto(url);
  await page.locator("#checkin-form, #code-problem [data-code]").first().waitFor({
    timeout: PAGE_WAIT_MS,
  });
  return page;
}

/** The registry's queue narrowed to approved venues with an entrance change waiting: `n` of them. */
async function showApprovedWithChangeWaiting(reviewer: Page, n: number): Promise<void> {
  await reviewer.locator("#queue-count").waitFor();
  await reviewer.locator("#queue-status").selectOption("approved");
  await reviewer.locator("#queue-narrow").check();
  await reviewer.locator("#queue-show").click();
  await expect
    .poll(() => reviewer.locator("#queue-count").textContent())
    .toBe(`Applications approved, with an entrance change waiting: ${n}`);
}

describe("an entrance amendment", () => {
  it("is proposed by the operator, approved by the registry, and sends people from the closed entrance to the new one", async () => {
    const [front, back] = venue.entrances;

    // The operator: a new "Side door", and the back door closed for good, sending people there.
    const { enrolmentCode: ownerCode } = await signedCall(
      venue.operator,
      accountRoutes.newDeviceCode,
      {},
    );
    const owner = await signedInPage(`/operator/?venue=${venue.venueId}&view=entrances`, ownerCode);
    await owner.locator("#amendment-details > summary").click();
    await owner.locator("#amendment-form").waitFor();
    await owner.locator("#new-entrance-0-en").fill("Side door");
    await owner.locator("#new-entrance-0-zh").fill("侧门");
    await owner.locator(`#entrance-action-${back!.entranceId}`).selectOption("retire");
    await owner.locator(`#scan-instead-${back!.entranceId}`).selectOption("added-0");
    await expectAccessible(owner);
    await owner.locator("#amendment-submit").click();
    const pending = owner.locator('[data-amendment][data-status="pending"]');
    await pending.waitFor();
    expect(await pending.textContent()).toContain("Side door");
    expect(await pending.textContent()).toContain("Back door");
    // One waiting at a time: no form until the registry decides.
    expect(await owner.locator("#amendment-details").count()).toBe(0);

    // The registry reviewer finds it in the queue, narrowed to venues with a change waiting, and
    // approves it on the venue's view.
    const { enrolmentCode: reviewerCode } = await signedCall(
      own.registry,
      accountRoutes.createAccount,
      { body: { role: "registry", label: "Amendments desk" } },
    );
    const reviewer = await signedInPage("/registry/", reviewerCode);
    await showApprovedWithChangeWaiting(reviewer, 1);
    const queued = reviewer.locator(`#queue-list [data-application="${venue.venueId}"]`);
    expect(await queued.locator("[data-amendment-pending]").textContent()).toBe(
      "Entrance change waiting",
    );
    await expectAccessible(reviewer);
    await queued.locator("[data-review]").click();
    await reviewer.locator('[data-amendment][data-status="pending"]').waitFor();
    await expectAccessible(reviewer);
    await reviewer.locator("#approve-amendment").click();
    await reviewer.locator("dialog.confirm [data-confirm]").click();
    await reviewer.locator('[data-amendment][data-status="approved"]').waitFor();
    // Decided: the queue narrowed to changes waiting is empty again.
    await reviewer.goto(`${own.base}/registry/`);
    await showApprovedWithChangeWaiting(reviewer, 0);
    await reviewer.goto(`${own.base}/registry/?application=${venue.venueId}`);
    await reviewer.locator('[data-amendment][data-status="approved"]').waitFor();
    const history = (await reviewer.locator(".history-list").textContent()) ?? "";
    expect(history).toContain("Entrance added");
    expect(history).toContain("Entrance closed for good");

    // The operator sees the decision and the new entrance's poster.
    await owner.reload();
    await owner.locator('[data-amendment][data-status="approved"]').waitFor();
    const { codes } = await signedCall(venue.operator, operatorRoutes.venueCodes, {
      params: { id: venue.venueId },
    });
    expect(codes.map((c) => c.label.en)).toEqual(["Front door", "Side door"]);
    const side = codes[1]!;
    await owner.locator(`[data-poster="${side.entranceId}"]`).waitFor();
    expect(await owner.locator(`[data-poster="${back!.entranceId}"]`).count()).toBe(0);
    expect(front).toBeDefined();

    // A citizen at the new entrance checks in.
    const welcome = await openPoster(side.url, "en");
    expect(await welcome.locator("#code-problem [data-code]").count()).toBe(0);
    await welcome.locator("#contact-name").fill("Tsang Mei Ling");
    await welcome.locator("#contact-phone").fill("+852 6000 4321");
    await welcome.locator("#check-in").click();
    await welcome.locator("#pass").waitFor({ timeout: PAGE_WAIT_MS });
    expect(await welcome.locator("#pass-venue").textContent()).toBe("Temple Street Hall");

    // At the closed entrance: refused, told where to scan instead, in the reader's language.
    for (const [language, here, other] of [
      ["en", "Side door", "侧门"],
      ["zh", "侧门", "Side door"],
    ] as const) {
      const refused = await openPoster(back!.url, language);
      const problem = refused.locator('#code-problem [data-code="entrance-retired"]');
      await problem.waitFor();
      expect(await problem.getAttribute("data-scan-instead")).toBe(side.entranceId);
      const text = (await problem.textContent()) ?? "";
      expect(text).toContain(here);
      expect(text).not.toContain(other);
      expect(await refused.locator("#checkin-form").count()).toBe(0);
      await expectAccessible(refused);
    }
  });
});
