/**
 * The citizen's device on its own: the background check of the public log (a warning logged for a
 * visit is notified on the next page open, without opening "My visits", and only once), moving
 * the diary to another browser with a passphrase, and deleting everything.
 *
 * Its own dev server: the query and warning it logs must not show up in other files' logs.
 */
import {
  approveQuery,
  buildQuery,
  callRoute,
  deviceKeyFromSeed,
  fileQuery,
  listQueries,
  type OfficerOptions,
  publishWarning,
} from "@lintel/client-sdk";
import { citizenRoutes } from "@lintel/contract";
import { decodeBase64url, deletionTokenHash, toHex } from "@lintel/protocol";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { guardedContext, launchChromium, PAGE_WAIT_MS } from "../support/browser.ts";
import {
  dismissNotifications,
  notifiedByPage,
  openAndCheck as openAndCheckUrl,
  periodicSync,
  periodicTags,
  recordNotifications,
  shownNotifications,
} from "../support/notifications.ts";
import { DEV_SERVER_HOOK_MS, type OwnServer, ownServer } from "../support/own-server.ts";
import { expectAccessible } from "../support/page-checks.ts";
import { ciphertextRows } from "../support/stored-checkins.ts";

const HOUR = 3600;
const slot = (seconds: number) => seconds - (seconds % HOUR);
let own: OwnServer;
let browser: Browser;

beforeAll(async () => {
  own = await ownServer("citizen-device");
  browser = await launchChromium();
}, DEV_SERVER_HOOK_MS);

afterAll(async () => {
  await browser?.close();
  await own?.stop();
});

function officer(id: "officer-a" | "officer-b"): OfficerOptions {
  const o = own.ids.officers.find((x) => x.id === id)!;
  return {
    baseUrl: own.base,
    deployment: "demo",
    key: deviceKeyFromSeed(decodeBase64url(o.secretKey, 32)),
  };
}

/** Loads `path` and waits for the page's background check to have finished. */
const openAndCheck = (page: Page, path: string) => openAndCheckUrl(page, `${own.base}${path}`);

async function checkInOnPage(page: Page, entranceId: string, name: string): Promise<void> {
  const { url } = await callRoute({ baseUrl: own.base }, citizenRoutes.entranceCode, {
    params: { id: entranceId },
  });
  await page.goto(url);
  await page.locator("#checkin-form").waitFor({ timeout: PAGE_WAIT_MS });
  await page.locator("#contact-name").fill(name);
  await page.locator("#contact-phone").fill("+852 5555 0123");
  await page.locator("#check-in").click();
  await page.locator("#pass").waitFor({ timeout: PAGE_WAIT_MS });
}

/**
 * An approved query for `entranceId` from `windowStart` to the end of this hour, logged, and an
 * officer's warning for it.
 */
async function logWarning(entranceId: string, windowStart: number, caseReference: string) {
  const now = Math.floor(Date.now() / 1000);
  const window = { windowStart, windowEnd: slot(now) + HOUR };
  const entry = await buildQuery({
    deployment: "demo",
    releaseKey: new Uint8Array(32).fill(7),
    caseReference,
    legalBasis: "Prevention and Control of Disease Ordinance (Cap. 599) s.22",
    legalDocument: new TextEncoder().encode("the signed order"),
    entrances: [entranceId],
    ...window,
    reason: "A confirmed case was at the entrance.",
    issuedAt: now,
  });
  const { draftId } = await fileQuery(officer("officer-a"), entry);
  const draft = (await listQueries(officer("officer-b"))).find((d) => d.draftId === draftId)!;
  const approved = await approveQuery(officer("officer-b"), draft, {
    caseReference,
    legalDocument: new TextEncoder().encode("the signed order"),
  });
  if (approved.status !== "logged") throw new Error("the query was not logged");
  await publishWarning(officer("officer-a"), {
    queryIndex: BigInt(approved.queryIndex),
    entranceId,
    ...window,
  });
}

describe("the background check", () => {
  it("notifies a warning for a visit on the next page open, without 'My visits', and only once", async () => {
    const { context, foreignRequests } = await guardedContext(browser, {
      permissions: ["notifications"],
    });
    await recordNotifications(context);
    const page = await context.newPage();
    const before = slot(Math.floor(Date.now() / 1000));
    await checkInOnPage(page, "hbr-main", "Background check");
    // Nothing logged yet: the check finds nothing to tell.
    expect(await openAndCheck(page, "/c")).toEqual([]);
    expect(await page.locator("#exposure-notice").count()).toBe(0);

    await logWarning("hbr-main", before, "CASE-device");

    // The check-in page (not "My visits") notices it and notifies once.
    expect(await openAndCheck(page, "/c")).toEqual(["Exposure warning for one of your visits"]);
    const notice = page.locator("#exposure-notice");
    expect(await notice.textContent()).toContain("An exposure warning concerns one of your visits");
    expect(await notice.locator("a").getAttribute("href")).toBe("/visits/#exposure-heading");
    await expectAccessible(page);
    // Opened again: the notice stays until seen, the notification is not repeated.
    expect(await openAndCheck(page, "/c")).toEqual([]);
    expect(await notice.count()).toBe(1);
    // Seen on "My visits": the notice goes.
    await page.goto(`${own.base}/visits/`);
    await page.locator('[data-exposure="warning"]').waitFor({ timeout: PAGE_WAIT_MS });
    expect(await openAndCheck(page, "/c")).toEqual([]);
    expect(await notice.count()).toBe(0);
    expect(foreignRequests).toEqual([]);
    await context.close();
  });

  it("runs in the service worker on a periodic sync, notifying once in the person's language", async () => {
    const people = [];
    for (const language of ["en", "zh"] as const) {
      const { context, foreignRequests } = await guardedContext(browser, {
        permissions: ["notifications"],
        language,
      });
      await recordNotifications(context);
      const page = await context.newPage();
      const sync = await periodicSync(context, page, own.base);
      people.push({ language, context, foreignRequests, page, sync });
    }
    const before = slot(Math.floor(Date.now() / 1000));
    for (const { page, language } of people) {
      await checkInOnPage(page, "hbr-east", `Periodic check ${language}`);
      // Notifications allowed, periodic sync granted: "My visits" says the worker checks too.
      await page.goto(`${own.base}/visits/`);
      const state = page.locator("#periodic-state");
      await state.waitFor({ timeout: PAGE_WAIT_MS });
      expect(await state.getAttribute("data-periodic")).toBe("on");
      expect(await periodicTags(page)).toEqual(["lintel-exposure-check"]);
      // The page the worker will tell: its own check (which also keeps the language) finds nothing.
      expect(await openAndCheck(page, "/c")).toEqual([]);
    }
    await logWarning("hbr-east", before, "CASE-periodic");

    const titles = {
      en: "Exposure warning for one of your visits",
      zh: "您的一次到访收到暴露提醒",
    };
    for (const { page, language, sync } of people) {
      await sync.fire("lintel-exposure-check");
      // Shown by the worker: the page, loaded before the warning, showed nothing itself.
      expect(await shownNotifications(page)).toEqual([titles[language]]);
      expect(await notifiedByPage(page)).toEqual([]);
      // The open page hears of it and shows its notice.
      await page.locator("#exposure-notice").waitFor({ timeout: PAGE_WAIT_MS });
      // Dismissed, then the next periodic sync: nothing new to notify.
      await dismissNotifications(page);
      await sync.fire("lintel-exposure-check");
      expect(await shownNotifications(page)).toEqual([]);
    }

    // Notifications turned off: the next page open unregisters the periodic check.
    const [first] = people;
    await first!.context.clearPermissions();
    await openAndCheck(first!.page, "/c");
    await expect.poll(() => periodicTags(first!.page), { timeout: PAGE_WAIT_MS }).toEqual([]);

    // "Delete everything" leaves no periodic check, even on the registration this page still holds.
    // (Chromium drops it with the worker's registration as well as by its name: removing either
    // alone keeps this passing.)
    const second = people[1]!.page;
    await second.goto(`${own.base}/visits/`);
    await second.locator("[data-visit]").first().waitFor({ timeout: PAGE_WAIT_MS });
    await second.evaluate(async () => {
      (window as unknown as { __held: ServiceWorkerRegistration }).__held =
        await navigator.serviceWorker.ready;
    });
    await second.locator("#delete-everything").click();
    await second.locator("dialog [data-confirm]").click();
    await second.locator("#deleted-summary").waitFor({ timeout: PAGE_WAIT_MS });
    expect(
      await second.evaluate(() =>
        (
          window as unknown as {
            __held: ServiceWorkerRegistration & {
              periodicSync: { getTags(): Promise<string[]> };
            };
          }
        ).__held.periodicSync.getTags(),
      ),
    ).toEqual([]);
    for (const { context, foreignRequests } of people) {
      expect(foreignRequests).toEqual([]);
      await context.close();
    }
  });

  it("says on 'My visits' when the browser refuses periodic checks", async () => {
    const { context } = await guardedContext(browser, { permissions: ["notifications"] });
    const page = await context.newPage();
    await page.goto(`${own.base}/visits/`);
    const state = page.locator("#periodic-state");
    await state.waitFor({ timeout: PAGE_WAIT_MS });
    expect(await state.getAttribute("data-periodic")).toBe("off");
    expect(await state.textContent()).toContain(
      "This browser does not let Lintel check while it is closed",
    );
    await context.close();
  });

  it("asks for permission only after the button on 'My visits' is pressed", async () => {
    const { context } = await guardedContext(browser);
    const page = await context.newPage();
    await page.goto(`${own.base}/visits/`);
    await page.locator("#notify-ask").waitFor({ timeout: PAGE_WAIT_MS });
    expect(await page.evaluate(() => Notification.permission)).toBe("default");
    await context.close();
  });
});

describe("moving the diary", () => {
  it("exports with a passphrase and imports into a fresh browser once; a wrong passphrase imports nothing", async () => {
    const old = await guardedContext(browser);
    const phone = await old.context.newPage();
    await checkInOnPage(phone, "hbr-east", "Moving phones");
    await phone.goto(`${own.base}/visits/`);
    const item = phone.locator("[data-visit]");
    await item.first().waitFor({ timeout: PAGE_WAIT_MS });
    expect(await item.count()).toBe(1);
    const visitId = await item.first().getAttribute("data-visit");
    await phone.locator("#export-passphrase").fill("a long passphrase");
    await phone.locator("#export-passphrase-again").fill("a long passphrase");
    const [download] = await Promise.all([
      phone.waitForEvent("download", { timeout: PAGE_WAIT_MS }),
      phone.locator("#export-diary").click(),
    ]);
    const file = await download.path();
    expect(download.suggestedFilename()).toMatch(/^lintel-visits-\d{4}-\d{2}-\d{2}\.json$/);

    const fresh = await guardedContext(browser);
    const other = await fresh.context.newPage();
    await other.goto(`${own.base}/visits/`);
    await other.locator("#no-visits").waitFor({ timeout: PAGE_WAIT_MS });
    await other.locator("#import-file").setInputFiles(file);
    await other.locator("#import-passphrase").fill("not the passphrase");
    await other.locator("#import-diary").click();
    await other
      .locator("#import-error", { hasText: "The passphrase is wrong" })
      .waitFor({ timeout: PAGE_WAIT_MS });
    expect(await other.locator("#no-visits").count()).toBe(1);

    await other.locator("#import-passphrase").fill("a long passphrase");
    await other.locator("#import-diary").click();
    await other
      .locator("#status", { hasText: "1 added, 0 already on this phone." })
      .waitFor({ timeout: PAGE_WAIT_MS });
    expect(await other.locator(`[data-visit="${visitId}"]`).count()).toBe(1);
    // The same file again: nothing new.
    await other.locator("#import-file").setInputFiles(file);
    await other.locator("#import-passphrase").fill("a long passphrase");
    await other.locator("#import-diary").click();
    await other
      .locator("#status", { hasText: "0 added, 1 already on this phone." })
      .waitFor({ timeout: PAGE_WAIT_MS });
    await other.reload();
    await other.locator("[data-visit]").first().waitFor({ timeout: PAGE_WAIT_MS });
    expect(await other.locator("[data-visit]").count()).toBe(1);
    expect(old.foreignRequests).toEqual([]);
    expect(fresh.foreignRequests).toEqual([]);
    await old.context.close();
    await fresh.context.close();
  });
});

describe("deleting everything", () => {
  it("deletes the service's copies first, then every store of the site in this browser", async () => {
    const { context, foreignRequests } = await guardedContext(browser);
    const page = await context.newPage();
    await checkInOnPage(page, "hbr-main", "Delete everything");
    // The deletion secrets this browser keeps, and what the service stores under their hashes.
    const secrets = await page.evaluate(
      () =>
        new Promise<string[]>((resolve, reject) => {
          const open = indexedDB.open("lintel");
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const all = open.result.transaction("visits").objectStore("visits").getAll();
            all.onsuccess = () =>
              resolve(
                (
                  all.result as {
                    deletionSecret: string;
                    companions: { deletionSecret: string }[];
                  }[]
                ).flatMap((v) => [v.deletionSecret, ...v.companions.map((c) => c.deletionSecret)]),
              );
          };
        }),
    );
    expect(secrets).toHaveLength(1);
    const hashes = new Set(
      secrets.map((s) => toHex(deletionTokenHash(decodeBase64url(s, 32))).toUpperCase()),
    );
    const stored = () => ciphertextRows(own.server.home).filter((r) => hashes.has(r.deletion));
    expect(stored().length).toBeGreaterThan(0);

    await page.goto(`${own.base}/visits/`);
    await page.locator("[data-visit]").first().waitFor({ timeout: PAGE_WAIT_MS });
    await page.locator("#delete-everything").click();
    await page.locator("dialog [data-confirm]").click();
    const summary = page.locator("#deleted-summary");
    await summary.waitFor({ timeout: PAGE_WAIT_MS });
    expect(await summary.textContent()).toContain("The service deleted 1 check-in");
    expect(stored()).toEqual([]);
    const left = await page.evaluate(async () => ({
      databases: (await indexedDB.databases()).map((d) => d.name),
      caches: await caches.keys(),
      local: localStorage.length,
      workers: (await navigator.serviceWorker.getRegistrations()).length,
    }));
    expect(left).toEqual({ databases: [], caches: [], local: 0, workers: 0 });
    expect(foreignRequests).toEqual([]);
    await context.close();
  });
});
