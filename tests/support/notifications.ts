/**
 * Watching the citizen pages' background check in a browser: which notifications a page showed
 * (by the page or through its service worker), and waiting for the check to finish; and the
 * service worker's periodic check, fired through the Chrome DevTools Protocol.
 */
import type { BrowserContext, CDPSession, Page } from "playwright-core";
import { PAGE_WAIT_MS } from "./browser.ts";

/**
 * Records the notifications each page of `context` shows, per page load; and the messages the
 * service worker sends the pages after each periodic check.
 */
export async function recordNotifications(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const shown: string[] = [];
    const checks: unknown[] = [];
    const w = window as unknown as { __notified: string[]; __workerChecks: unknown[] };
    w.__notified = shown;
    w.__workerChecks = checks;
    const original = ServiceWorkerRegistration.prototype.showNotification;
    ServiceWorkerRegistration.prototype.showNotification = function (title, options) {
      shown.push(title);
      return original.call(this, title, options);
    };
    const Original = window.Notification;
    if (Original) {
      window.Notification = class extends Original {
        constructor(title: string, options?: NotificationOptions) {
          super(title, options);
          shown.push(title);
        }
      } as typeof Notification;
    }
    try {
      navigator.serviceWorker?.addEventListener("message", (event) => {
        if ((event.data as { type?: unknown } | null)?.type === "lintel-exposure-checked") {
          checks.push(event.data);
        }
      });
    } catch {
      // about:blank: an opaque origin may not touch service workers
    }
  });
}

/** Loads `url` and waits for the page's background check; the notifications it showed. */
export async function openAndCheck(page: Page, url: string): Promise<string[]> {
  await page.goto(url);
  await page.waitForFunction(() => document.body.dataset.exposureChecked !== undefined, null, {
    timeout: PAGE_WAIT_MS,
  });
  return notifiedByPage(page);
}

/** What the page itself showed since it loaded (not its service worker). */
export function notifiedByPage(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __notified: string[] }).__notified);
}

/** The titles of the notifications of the site's service worker registration now on screen. */
export function shownNotifications(page: Page): Promise<string[]> {
  return page.evaluate(async () =>
    (await (await navigator.serviceWorker.ready).getNotifications()).map((n) => n.title),
  );
}

/** Closes them, as a person dismisses them. */
export async function dismissNotifications(page: Page): Promise<void> {
  await page.evaluate(async () => {
    for (const n of await (await navigator.serviceWorker.ready).getNotifications()) n.close();
  });
}

/** The tags of the periodic background syncs registered with the site's service worker. */
export function periodicTags(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const registration = (await navigator.serviceWorker.ready) as ServiceWorkerRegistration & {
      periodicSync: { getTags(): Promise<string[]> };
    };
    return registration.periodicSync.getTags();
  });
}

/** The periodic background sync of the site's service worker, driven from a test. */
export interface PeriodicSync {
  /**
   * Fires the periodic sync `tag` at the worker, as the browser would, and waits until the worker
   * told `page` (recordNotifications) that its check is done.
   */
  fire(tag: string): Promise<void>;
}

/**
 * Chromium grants `periodic-background-sync` only to an installed app the person uses; here the
 * permission is granted for `origin` through DevTools (Browser.setPermission, in `page`'s browser
 * context), and the event is dispatched with ServiceWorker.dispatchPeriodicSyncEvent to the
 * registration DevTools reports for the origin's root scope.
 */
export async function periodicSync(
  context: BrowserContext,
  page: Page,
  origin: string,
): Promise<PeriodicSync> {
  const cdp: CDPSession = await context.newCDPSession(page);
  const { targetInfo } = await cdp.send("Target.getTargetInfo");
  await cdp.send("Browser.setPermission", {
    permission: { name: "periodic-background-sync" },
    setting: "granted",
    origin,
    ...(targetInfo.browserContextId ? { browserContextId: targetInfo.browserContextId } : {}),
  });
  let registrationId: string | undefined;
  cdp.on("ServiceWorker.workerRegistrationUpdated", ({ registrations }) => {
    for (const r of registrations) {
      if (r.scopeURL === `${origin}/`) registrationId = r.isDeleted ? undefined : r.registrationId;
    }
  });
  await cdp.send("ServiceWorker.enable");
  return {
    async fire(tag) {
      const checks = () =>
        page.evaluate(() => (window as unknown as { __workerChecks: unknown[] }).__workerChecks);
      const before = (await checks()).length;
      if (registrationId === undefined) throw new Error("no service worker registration for /");
      await cdp.send("ServiceWorker.dispatchPeriodicSyncEvent", { origin, registrationId, tag });
      await page.waitForFunction(
        (n) => (window as unknown as { __workerChecks: unknown[] }).__workerChecks.length > n,
        before,
        { timeout: PAGE_WAIT_MS },
      );
    },
  };
}
