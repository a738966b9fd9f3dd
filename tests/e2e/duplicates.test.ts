import { type SignedServiceOptions, signedCall } from "@lintel/client-sdk";
import { accountRoutes, registryRoutes } from "@lintel/contract";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, watchedPage } from "../support/browser.ts";
import { freshLicenceNumber } from "../support/licence.ts";
import { DEV_SERVER_HOOK_MS, type OwnServer, ownServer } from "../support/own-server.ts";
import { expectAccessible, screenshots } from "../support/page-checks.ts";
import { type Application, operatorApplication, type VenueInput } from "../support/venue.ts";

let own: OwnServer;
let base: string;
let browser: Browser;
let registry: SignedServiceOptions;

const LICENCE = freshLicenceNumber();
const VENUE = {
  name: { en: "Temple Street Noodles", zh: "庙街面家" },
  address: "5 Temple Street, Yau Ma Tei",
  licenceNumber: LICENCE,
  category: "restaurant",
  contact: { person: "Wong Siu Ming", phone: "+852 2384 0001" },
  entrances: [{ label: { en: "Shop front", zh: "店面" } }],
} satisfies VenueInput;
/** The same venue as another operator types it. */
const SECOND = {
  ...VENUE,
  name: { en: "Temple St. Noodle House", zh: "庙街面馆" },
  address: "５ TEMPLE STREET，YAU MA TEI",
  licenceNumber: `${LICENCE.slice(0, 8)} ${LICENCE.slice(8).toLowerCase()}`,
  contact: { person: "Chan Ka Fai", phone: "+852 2384 0002" },
} satisfies VenueInput;

let first: Application;
let second: Application;

beforeAll(async () => {
  own = await ownServer("duplicates");
  base = own.base;
  registry = own.registry;
  // Both submitted while neither is registered; then the first is approved.
  first = await operatorApplication(registry, VENUE, "Noodles office");
  second = await operatorApplication(registry, SECOND, "Noodle house office");
  await signedCall(registry, registryRoutes.approveApplication, {
    params: { id: first.venueId },
  });
  browser = await launchChromium();
}, DEV_SERVER_HOOK_MS);

afterAll(async () => {
  await browser?.close();
  await own?.stop();
});

/** A page signed in on `path` with a fresh one-time code of `role`. */
async function signedInPage(
  pagePath: string,
  code: string,
  language: "en" | "zh" = "en",
): Promise<Page> {
  const { page } = await watchedPage(browser, { language });
  await page.goto(`${base}${pagePath}`);
  await page.locator("#enrolment-code").fill(code);
  await page.locator("#enrolment-code").press("Enter");
  await page.locator("#signed-in-as").waitFor();
  return page;
}

describe("a second registration of one venue", () => {
  it("is flagged to the reviewer with the match, linked, and its approval is refused", async () => {
    const { enrolmentCode } = await signedCall(registry, accountRoutes.createAccount, {
      body: { role: "registry", label: "Duplicates reviewer" },
    });
    // The queue marks it; its review opens the application.
    const page = await signedInPage("/registry/", enrolmentCode);
    const queued = page.locator(`#queue-list li[data-application="${second.venueId}"]`);
    await queued.waitFor();
    expect(await queued.locator(".possible-duplicate").textContent()).toBe(
      "Possible duplicate (1)",
    );
    await queued.locator("[data-review]").click();
    const match = page.locator(`#matches li[data-match="${first.venueId}"]`);
    await match.waitFor();
    expect(await page.locator("#matches li").count()).toBe(1);
    expect(await match.getAttribute("data-keys")).toBe("address licence");
    const text = (await match.textContent()) ?? "";
    expect(text).toContain("Possible duplicate of");
    expect(text).toContain("Temple Street Noodles");
    expect(text).toContain("Approved");
    expect(text).toContain("same licence number and address");
    expect(await page.locator("#matches-heading").textContent()).toBe("Possible duplicates");
    // The reviewer checks the number against the licence document.
    expect(await page.locator(".licence-number").textContent()).toBe(LICENCE);
    await expectAccessible(page);
    await screenshots(page, "registry-possible-duplicate");

    await page.locator("#approve").click();
    await expect
      .poll(() => page.locator("#approve-error").textContent())
      .toContain("This licence number is already registered; contact the registry.");
    expect(
      (
        await signedCall(registry, registryRoutes.reviewQueue, { query: { status: "submitted" } })
      ).applications.map((a) => a.id),
    ).toContain(second.venueId);

    // The link opens the registered venue's application, and it lists the second in turn.
    await match.locator("a").click();
    await expect
      .poll(() => new URL(page.url()).searchParams.get("application"))
      .toBe(first.venueId);
    await page.locator(`#matches li[data-match="${second.venueId}"]`).waitFor();
    expect(await page.locator("#detail-heading").textContent()).toContain("Temple Street Noodles");
  });

  it("is refused at submit once the licence number is registered, naming nobody else's venue", async () => {
    const third = await operatorApplication(
      registry,
      { ...VENUE, name: { en: "Noodle Corner", zh: "面角" }, address: "7 Shanghai Street" },
      "Noodle corner office",
      { submit: false },
    );
    const { enrolmentCode } = await signedCall(third.operator, accountRoutes.newDeviceCode);
    const page = await signedInPage(`/operator/?venue=${third.venueId}`, enrolmentCode, "zh");
    await page.locator("#submit-application").waitFor();
    expect(await page.locator("#licence-number").inputValue()).toBe(LICENCE);
    await page.locator("#submit-application").click();
    await expect
      .poll(() => page.locator("#application-form-error").textContent())
      .toContain("此营业执照号码已登记，请联系登记机构。");
    const shown = await page.locator("main").textContent();
    for (const other of ["庙街面家", "Temple Street", first.venueId]) {
      expect(shown).not.toContain(other);
    }
    expect(await page.locator("#application .badge").first().getAttribute("data-status")).toBe(
      "draft",
    );
  });
});
