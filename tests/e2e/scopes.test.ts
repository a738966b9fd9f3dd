/**
 * Registry reviewers scoped by sector and district, in Chromium against a dev server of its own
 * (the venues made here would change what the files sharing the seeded demo server expect): an
 * education supervisor sees only the school in the review queue, not the restaurant next door,
 * and opening the restaurant's application by its direct URL is refused with a message naming
 * the scope; its own school's view shows the district and sector in either language, and it is
 * offered no way to enrol anyone. A reviewer of full scope widens that supervisor's scope from the
 * People view, enrols a witness from its tool's public file (a trustee already in the log is
 * refused) and removes it again after a confirmation (the demo's trustees, which every check-in
 * needs, offer no removal). Two browser sign-ins in the file (enrolment is limited per network
 * address).
 */
import { signedCall } from "@lintel/client-sdk";
import { accountRoutes, partyRoutes } from "@lintel/contract";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trusteeKeys, witnessKeys } from "../../scripts/lib/bootstrap/keys.ts";
import {
  launchChromium,
  PAGE_WAIT_MS,
  signedInPage as signedInPageAt,
} from "../support/browser.ts";
import { DEV_SERVER_HOOK_MS, type OwnServer, ownServer } from "../support/own-server.ts";
import { expectAccessible } from "../support/page-checks.ts";
import { operatorApplication } from "../support/venue.ts";

let own: OwnServer;
let browser: Browser;
let schoolId: string;
let restaurantId: string;
let supervisor: { accountId: string; enrolmentCode: string };

const venue = (category: "school" | "restaurant", en: string, zh: string, address: string) => ({
  name: { en, zh },
  address,
  category,
  district: "harbour",
  contact: { person: "Wong Siu Ming", phone: "+852 2384 0202" },
  entrances: [{ label: { en: "Gate", zh: "大门" } }],
});

beforeAll(async () => {
  own = await ownServer("scopes");
  ({ venueId: schoolId } = await operatorApplication(
    own.registry,
    venue("school", "Bay Primary School", "海湾小学", "3 Bay Road"),
    "School office",
  ));
  ({ venueId: restaurantId } = await operatorApplication(
    own.registry,
    venue("restaurant", "Bay Noodle House", "海湾面馆", "5 Bay Road"),
    "Noodle house",
  ));
  supervisor = await signedCall(own.registry, accountRoutes.createAccount, {
    body: {
      role: "registry",
      label: "Education Bureau, harbour",
      scope: { districts: ["harbour"], sectors: ["education"] },
    },
  });
  browser = await launchChromium();
}, DEV_SERVER_HOOK_MS);

afterAll(async () => {
  await browser?.close();
  await own?.stop();
});

const signedInPage = (pagePath: string, code: string): Promise<Page> =>
  signedInPageAt(browser, `${own.base}${pagePath}`, code);

let supervisorPage: Page;
let head: Page;

describe("an education supervisor", () => {
  it("sees only education venues, and is refused another sector's venue by its URL", async () => {
    supervisorPage = await signedInPage("/registry/", supervisor.enrolmentCode);
    const page = supervisorPage;
    await page.locator(`#queue-list [data-application="${schoolId}"]`).waitFor({
      timeout: PAGE_WAIT_MS,
    });
    expect(await page.locator(`[data-application="${restaurantId}"]`).count()).toBe(0);
    await expect
      .poll(() => page.locator("#my-scope").textContent())
      .toBe("Your scope: Harbour District; Education.");
    await expectAccessible(page);

    await page.goto(`${own.base}/registry/?application=${restaurantId}`);
    const refusal = page.locator('#detail-error [data-code="not-found"]');
    await refusal.waitFor({ timeout: PAGE_WAIT_MS });
    expect(await refusal.textContent()).toContain(
      "No such application in your scope (Harbour District; Education)",
    );
    expect(await page.locator("#approve, #supervision-heading").count()).toBe(0);
    await expectAccessible(page);

    // Its own sector's venue opens as before.
    await page.goto(`${own.base}/registry/?application=${schoolId}`);
    await page.locator("#detail").getByText("Bay Primary School").first().waitFor({
      timeout: PAGE_WAIT_MS,
    });
    expect(await page.locator('#detail-error [data-code="not-found"]').count()).toBe(0);
    // With the district and sector that make it this supervisor's, in either language.
    expect(await page.locator("#detail .venue-district").textContent()).toBe("Harbour District");
    expect(await page.locator("#detail .venue-sector").textContent()).toBe("Education");
    await page.evaluate(() => localStorage.setItem("lintel.language.v1", "zh"));
    await page.reload();
    await page.locator("#detail .venue-district").waitFor({ timeout: PAGE_WAIT_MS });
    expect(await page.locator("#detail .venue-district").textContent()).toBe("港湾区");
    expect(await page.locator("#detail .venue-sector").textContent()).toBe("教育");
    await page.evaluate(() => localStorage.setItem("lintel.language.v1", "en"));
  });
});

describe("a reviewer of full scope", () => {
  it("widens the supervisor's scope from the People view", async () => {
    const { enrolmentCode } = await signedCall(own.registry, accountRoutes.createAccount, {
      body: { role: "registry", label: "Registry head office" },
    });
    head = await signedInPage("/registry/?view=people", enrolmentCode);
    await expect
      .poll(() => head.locator("#my-scope").textContent())
      .toBe("Your scope: every district; every sector.");
    const row = head.locator(`#reviewer-list [data-reviewer="${supervisor.accountId}"]`);
    await row.waitFor({ timeout: PAGE_WAIT_MS });
    expect(await row.locator("[data-scope]").textContent()).toBe("Harbour District; Education");
    // No one changes their own scope.
    expect(await head.locator("#reviewer-list li [data-change-scope]").count()).toBeGreaterThan(0);
    await row.locator("[data-change-scope]").click();
    await row.locator(`#scope-${supervisor.accountId}-sector-commerce`).check();
    await expectAccessible(head);
    await row.getByRole("button", { name: "Save the scope" }).click();
    await expect
      .poll(() => row.locator("[data-scope]").textContent())
      .toBe("Harbour District; Education, Commerce and markets");

    // The supervisor, on their next load, sees the restaurant too.
    await supervisorPage.goto(`${own.base}/registry/`);
    await supervisorPage
      .locator(`#queue-list [data-application="${restaurantId}"]`)
      .waitFor({ timeout: PAGE_WAIT_MS });
    // A reviewer of partial scope is shown the list but no way to change it, and enrols no one:
    // no account form, no trustee or witness form (the service refuses both to them).
    await supervisorPage.goto(`${own.base}/registry/?view=people`);
    await supervisorPage.locator("#reviewer-list li").first().waitFor({ timeout: PAGE_WAIT_MS });
    expect(await supervisorPage.locator("[data-change-scope]").count()).toBe(0);
    await supervisorPage.locator("#person-full-scope-only").waitFor({ timeout: PAGE_WAIT_MS });
    await supervisorPage
      .getByText("a reviewer of full scope enrols them")
      .waitFor({ timeout: PAGE_WAIT_MS });
    expect(await supervisorPage.locator("#person-form, #party-form").count()).toBe(0);
  });
});

describe("trustees and witnesses", () => {
  it("are enrolled from their tools' public files, after the page shows what will be logged", async () => {
    await head.goto(`${own.base}/registry/?view=people`);
    const file = head.locator("#party-file");
    await file.waitFor({ timeout: PAGE_WAIT_MS });
    const witness = witnessKeys("witness.example/e2e", "https://witness.example/w").public;
    await file.fill(JSON.stringify(witness));
    await head.locator("#party-check").click();
    const preview = head.locator('#party-preview[data-kind="witness"]');
    await preview.waitFor();
    expect(await preview.textContent()).toContain("a witness enrolment");
    expect(await preview.textContent()).toContain("witness.example/e2e");
    await expectAccessible(head);
    await head.locator("#party-enrol").click();
    await expect
      .poll(() => head.locator("#party-logged").textContent())
      .toMatch(/^Logged as entry \d+\.$/);

    // The demo's trustee-a is in the log since its start: a second enrolment is refused.
    await file.fill(JSON.stringify(trusteeKeys("trustee-a", "https://trustee-a.example").public));
    await head.locator("#party-check").click();
    await head.locator('#party-preview[data-kind="trustee"]').waitFor();
    await head.locator("#party-enrol").click();
    await head.locator('#party-error [data-code="log-policy-violation"]').waitFor({
      timeout: PAGE_WAIT_MS,
    });

    // Not a party's file: said so before anything is sent.
    await file.fill("{}");
    await head.locator("#party-check").click();
    expect(await head.locator("#party-error").textContent()).toContain(
      "neither a trustee's nor a witness's public file",
    );
  });

  it("are listed as the log enrols them; a witness is removed after a confirmation, a needed trustee cannot be", async () => {
    await head.goto(`${own.base}/registry/?view=people`);
    const enrolled = head.locator('#party-list [data-party="witness.example/e2e"]');
    await enrolled.waitFor({ timeout: PAGE_WAIT_MS });
    // The demo's trustees: every check-in is encrypted to them, so no removal is offered.
    const trustee = head.locator('#party-list [data-party="trustee-a"]');
    await trustee.locator("[data-required]").waitFor();
    expect(await trustee.locator("[data-remove-party]").count()).toBe(0);

    // Cancelled: nothing changes.
    await enrolled.locator("[data-remove-party]").click();
    const dialog = head.locator("dialog.confirm");
    expect(await dialog.textContent()).toContain("witness.example/e2e");
    await expectAccessible(head);
    await dialog.getByRole("button", { name: "Cancel" }).click();
    expect(await enrolled.count()).toBe(1);

    await enrolled.locator("[data-remove-party]").click();
    await head.locator("dialog.confirm [data-confirm]").click();
    await expect
      .poll(() => head.locator("#party-removed").textContent())
      .toMatch(/^Removed: logged as entry \d+\.$/);
    expect(await enrolled.count()).toBe(0);
    // The log holds the removal: the service lists the witness no longer.
    const { witnesses } = await signedCall(own.registry, partyRoutes.listParties);
    expect(witnesses.map((w) => w.name)).not.toContain("witness.example/e2e");
  });
});
