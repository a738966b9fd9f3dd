/**
 * Kiosk screens and a second operator device, in Chromium against the dev server: the operator
 * signs a second browser in with a one-time device code, makes a kiosk code on the operator page,
 * and a kiosk browser enrols with it on /kiosk/. The screen shows the rotating QR, which checks a
 * person in; that browser's kiosk key is refused an operator action; the operator's kiosk-mode
 * switch is what the screen says it is; revoking the kiosk ends its screen.
 */
import { readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import {
  callRoute,
  checkIn,
  deviceKeyFromSeed,
  fetchDeployment,
  LintelError,
  loadEncryptionKeys,
  readCode,
  type SignedServiceOptions,
  signedCall,
} from "@lintel/client-sdk";
import { accountRoutes, citizenRoutes, operatorRoutes } from "@lintel/contract";
import {
  decodeBase64url,
  encodeBase32,
  KIOSK_STEP_SECONDS,
  kioskStep,
  kioskSuffix,
  venueCodeUrl,
} from "@lintel/protocol";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DemoIdentities } from "../../scripts/lib/demo-identities.ts";
import {
  DEV_SERVER_HOOK_MS,
  type DevServer,
  startDevServer,
} from "../../scripts/lib/dev-server.ts";
import { launchChromium, PAGE_WAIT_MS, type WatchedPage, watchedPage } from "../support/browser.ts";
import { preparedHome } from "../support/home.ts";
import { expectAccessible, screenshots } from "../support/page-checks.ts";
import { decodeQrPng } from "../support/qr-reader.ts";
import { approvedVenue, type EntranceCode, signerFor, type VenueInput } from "../support/venue.ts";

const _require = createRequire(import.meta.url);
const WALK_IN = { name: "Margaret Oduya", phone: "+852 9876 5432" };

const VENUE_INPUT = {
  name: { en: "Harbour Swimming Pool", zh: "海港游泳池" },
  address: "1 Pier Road, Kowloon",
  category: "gym",
  contact: { person: "Wing Chan", phone: "+852 2345 6780" },
  entrances: [
    { label: { en: "Front gate", zh: "正门" } },
    { label: { en: "Side gate", zh: "侧门" } },
  ],
} satisfies VenueInput;

async function expectStatus(page: Page, text: string): Promise<void> {
  await expect.poll(() => page.locator("#status").textContent()).toContain(text);
}

let server: DevServer;
let home: string;
let base: string;
let deploymentId: string;
let browser: Browser;
let operatorOptions: SignedServiceOptions;
let venueId: string;
let entrances: readonly EntranceCode[];
/** The operator's second browser, signed in with a device code. */
let operator: WatchedPage;
/** The kiosk screen's browser. */
let kiosk: WatchedPage;
let kioskCode: string;
const watched: WatchedPage[] = [];

beforeAll(async () => {
  home = preparedHome("kiosk");
  server = await startDevServer(home);
  base = server.baseUrl;
  deploymentId = (await callRoute({ baseUrl: base }, citizenRoutes.deployment)).id;
  const ids = JSON.parse(
    readFileSync(path.join(home, "identities.json"), "utf8"),
  ) as DemoIdentities;
  browser = await launchChromium();
  const registry = signerFor(
    base,
    deploymentId,
    deviceKeyFromSeed(decodeBase64url(ids.registryStaff.deviceSecretKey, 32)),
  );
  const venue = await approvedVenue(registry, VENUE_INPUT, "Pool office");
  ({ operator: operatorOptions, venueId, entrances } = venue);
  operator = await watchedPage(browser);
  kiosk = await watchedPage(browser);
  watched.push(operator, kiosk);
}, DEV_SERVER_HOOK_MS);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe("a second operator device", () => {
  it("signs another browser in with a one-time device code; the first sees both devices", async () => {
    const { enrolmentCode } = await signedCall(operatorOptions, accountRoutes.newDeviceCode);
    const { page } = operator;
    await page.goto(`${base}/operator/`);
    await page.locator("#enrolment-code").fill(enrolmentCode);
    await page.locator("#enrolment-code").press("Enter");
    await expect.poll(() => page.locator("#signed-in-as").textContent()).toContain("Pool office");
    // The same account: its venue is listed here.
    await expect
      .poll(() => page.locator("#applications").textContent())
      .toContain(VENUE_INPUT.name.en);
    // The account's devices are a view of their own.
    await page.locator('#account-nav a[data-view="?view=devices"]').click();
    await expect.poll(() => page.locator("#device-list li").count()).toBe(2);
    expect(await page.locator("#device-list").textContent()).toContain("This browser");
    // This browser, too, can make a code for a further device.
    await page.locator("#add-device").click();
    await page.locator("#device-enrolment-code").waitFor();
    expect(await page.locator("#device-enrolment-code").textContent()).toMatch(
      /^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/,
    );
    await expectAccessible(page);
    await screenshots(page, "operator-devices");
  });
});

describe("a kiosk device", () => {
  it("gets a one-time kiosk code from the operator page's kiosk set-up", async () => {
    const { page } = operator;
    const door = entrances[1]!;
    await page.goto(`${base}/operator/?venue=${venueId}&view=staff`);
    const box = page.locator(`[data-kiosk="${door.entranceId}"]`);
    await box.locator("button[aria-expanded]").click();
    // Nothing on the page reveals the kiosk secret any more.
    expect(await box.textContent()).not.toContain("Reveal the kiosk secret");
    await page.locator(`#kiosk-label-${door.entranceId}`).fill("Side gate screen");
    await page.locator(`#add-kiosk-${door.entranceId}`).click();
    const code = page.locator(`[data-kiosk-code="${door.entranceId}"]`);
    await code.waitFor();
    kioskCode = (await code.textContent()) ?? "";
    expect(kioskCode).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
    await expect
      .poll(() => box.locator("[data-kiosk-device]").textContent())
      .toContain("Side gate screen");
    await expectAccessible(page);
    await screenshots(page, "operator-kiosk-code");
  });

  it("enrols on /kiosk/ with that code and shows the rotating QR, which checks a person in", async () => {
    const { page } = kiosk;
    const door = entrances[1]!;
    await page.clock.install();
    await page.goto(`${base}/kiosk/`);
    await page.locator("#enrol-form").waitFor();
    // No operator navigation on the kiosk's page.
    expect(await page.locator('header a[href="/operator/"]').count()).toBe(0);
    await expectAccessible(page);
    await page.locator("#enrolment-code").fill(kioskCode);
    await page.locator("#enrolment-code").press("Enter");
    await page.locator("#kiosk-qr svg").waitFor();
    expect(await page.locator("#kiosk-screen").textContent()).toContain("Side gate");
    // The venue's name in the page's language (English in this test) only.
    expect(await page.locator("#kiosk-screen").textContent()).toContain(VENUE_INPUT.name.en);
    expect(await page.locator("#kiosk-screen").textContent()).not.toContain(VENUE_INPUT.name.zh);
    // While it runs, the screen is the kiosk alone.
    expect(await page.locator("#account").isVisible()).toBe(false);

    const url = await decodeQrPng(kiosk.context, await page.locator("#kiosk-qr svg").screenshot());
    expect(url).toMatch(new RegExp(`^${base}/c#[A-Z2-7]+\\.[A-Z2-7]{32}$`));
    await expectAccessible(page);
    await screenshots(page, "kiosk-screen");

    const service = { baseUrl: base };
    const deployment = await fetchDeployment(service);
    const trust = {
      registryVerifierKey: deployment.registry.verifierKey,
      deployment: deploymentId,
    };
    const scanned = readCode(url!, trust);
    expect(scanned.code.entranceId).toBe(door.entranceId);
    const step = new DataView(scanned.kiosk!.buffer, scanned.kiosk!.byteOffset).getUint32(0);
    expect(Math.abs(step - kioskStep(Date.now()))).toBeLessThanOrEqual(1);
    const keys = await loadEncryptionKeys(service, deployment);
    const visit = await checkIn({ service, deployment, keys, code: scanned, contact: WALK_IN });
    expect(visit.entranceId).toBe(door.entranceId);

    // A suffix two minutes old is stale.
    const answer = await signedCall(operatorOptions, operatorRoutes.kiosk, {
      params: { id: venueId, eid: door.entranceId },
    });
    const signed = decodeBase64url(answer.code);
    const secret = decodeBase64url(answer.kioskSecret, 32);
    const old = `${venueCodeUrl(base, signed)}.${encodeBase32(kioskSuffix(secret, signed, Date.now() - 120_000))}`;
    const err = await checkIn({
      service,
      deployment,
      keys,
      code: readCode(old, trust),
      contact: WALK_IN,
    }).catch((e: unknown) => e);
    expect((err as LintelError).code).toBe("kiosk-code-stale");

    // A step later the screen shows the next code.
    const firstStep = await page.locator("#kiosk-qr").getAttribute("data-step");
    await page.clock.fastForward(KIOSK_STEP_SECONDS * 1000);
    await expect
      .poll(() => page.locator("#kiosk-qr").getAttribute("data-step"))
      .not.toBe(firstStep);
    const next = await decodeQrPng(kiosk.context, await page.locator("#kiosk-qr svg").screenshot());
    expect(next).not.toBe(url);
    expect(next?.split(".")[0]).toBe(url!.split(".")[0]);

    // After a reload the screen starts again by itself.
    await page.reload();
    await page.locator("#kiosk-qr svg").waitFor();
  });

  it("signs in with a key that is refused an operator action", async () => {
    // Another page of the kiosk's browser, with the kiosk's key where the operator page looks.
    const refused = await kiosk.context.newPage();
    await refused.goto(`${base}/kiosk/`);
    await refused.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open("lintel");
        open.onerror = () => reject(open.error);
        open.onsuccess = () => resolve(open.result);
      });
      const store = (mode: IDBTransactionMode) =>
        db.transaction("device-keys", mode).objectStore("device-keys");
      const record = await new Promise<unknown>((resolve, reject) => {
        const get = store("readonly").get("kiosk");
        get.onsuccess = () => resolve(get.result);
        get.onerror = () => reject(get.error);
      });
      if (!record) throw new Error("no kiosk key in this browser");
      await new Promise<void>((resolve, reject) => {
        const put = store("readwrite").put(record, "operator");
        put.onsuccess = () => resolve();
        put.onerror = () => reject(put.error);
      });
      db.close();
    });
    const answer = refused.waitForResponse((r) => r.url().endsWith("/api/applications"));
    await refused.goto(`${base}/operator/`);
    const res = await answer;
    expect(res.status()).toBe(403);
    expect(((await res.json()) as { code: string }).code).toBe("forbidden");
    await expect
      .poll(() => refused.locator("#applications").textContent())
      .toContain("may not do that");
    expect(await refused.locator("#applications-body li").count()).toBe(0);
    await refused.close();
  });

  it("says on the screen what the operator's kiosk-mode switch makes of the poster", async () => {
    const { page } = operator;
    const door = entrances[1]!;
    const service = { baseUrl: base };
    const deployment = await fetchDeployment(service);
    const trust = {
      registryVerifierKey: deployment.registry.verifierKey,
      deployment: deploymentId,
    };
    const keys = await loadEncryptionKeys(service, deployment);
    // The poster's code: what a photo of the poster, or of the screen cut short, carries.
    const bare = readCode(door.url, trust);
    const posterCheckIn = () =>
      checkIn({ service, deployment, keys, code: bare, contact: WALK_IN }).then(
        () => "checked in",
        (e: unknown) => (e instanceof LintelError ? e.code : String(e)),
      );
    const screen = async () => {
      await kiosk.page.reload();
      await kiosk.page.locator("#kiosk-qr svg").waitFor();
      return {
        note: await kiosk.page.locator("#kiosk-note").textContent(),
        warned: await kiosk.page.locator("#kiosk-mode-off").isVisible(),
      };
    };
    const off = await screen();
    expect(off.note).toContain("printed poster at this entrance checks you in too");
    expect(off.warned).toBe(true);
    expect(await posterCheckIn()).toBe("checked in");

    await page.goto(`${base}/operator/?venue=${venueId}&view=staff`);
    const box = page.locator(`[data-kiosk="${door.entranceId}"]`);
    await box.locator("button[aria-expanded]").click();
    const toggle = box.locator(`[data-kiosk-mode="${door.entranceId}"]`);
    await toggle.click();
    await page.locator("dialog.confirm [data-confirm]").click();
    await expectStatus(page, "Kiosk mode is on");
    expect(await toggle.getAttribute("aria-checked")).toBe("true");
    expect(await posterCheckIn()).toBe("kiosk-code-required");
    const on = await screen();
    expect(on.note).toContain("Only this screen checks you in here");
    expect(on.warned).toBe(false);
    // The check-in page says so as soon as the poster is scanned, before anything is typed.
    const person = await kiosk.context.newPage();
    await person.goto(door.url);
    await expect
      .poll(() => person.locator("main").textContent(), { timeout: PAGE_WAIT_MS })
      .toContain("only with the changing code on its kiosk screen");
    expect(await person.locator("#checkin-form").count()).toBe(0);
    await person.close();

    // Off again: the poster checks in again.
    await toggle.click();
    await expectStatus(page, "Kiosk mode is off");
    expect(await posterCheckIn()).toBe("checked in");
  });

  it("stops showing the code once the operator revokes it", async () => {
    const { page } = operator;
    const door = entrances[1]!;
    const box = page.locator(`[data-kiosk="${door.entranceId}"]`);
    await box.locator("[data-revoke-kiosk]").click();
    await page.locator("dialog.confirm [data-confirm]").click();
    await expectStatus(page, "Kiosk screen revoked");
    await expect.poll(() => box.locator("[data-kiosk-device]").textContent()).toContain("Revoked");
    // The screen checks again at its next refetch: move its clock on to it.
    await kiosk.page.clock.fastForward(11 * 60 * 1000);
    await kiosk.page.locator("#enrol-form").waitFor({ timeout: PAGE_WAIT_MS });
    expect(await kiosk.page.locator("#kiosk-qr").count()).toBe(0);
  });
});

describe("all along", () => {
  it("logged no console errors and requested nothing from other sites", () => {
    for (const w of watched) {
      // The revoked kiosk's last refused call is the browser's console error of a 401.
      expect(w.problems.filter((p) => !p.includes("status of 401"))).toEqual([]);
      expect(w.foreignRequests).toEqual([]);
    }
  });
});
