/**
 * Watching the citizen pages' background check in a browser: which notifications a page showed
 * (by the page or through its service worker), and waiting for the check to finish.
 */
import type { BrowserContext, Page } from "playwright-core";
import { PAGE_WAIT_MS } from "./browser.ts";

/** Records the notifications each page of `context` shows, per page load. */
export async function recordNotifications(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const shown: string[] = [];
    (window as unknown as { __notified: string[] }).__notified = shown;
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
  });
}

/** Loads `url` and waits for the page's background check; the notifications it showed. */
export async function openAndCheck(page: Page, url: string): Promise<string[]> {
  await page.goto(url);
  await page.waitForFunction(() => document.body.dataset.exposureChecked !== undefined, null, {
    timeout: PAGE_WAIT_MS,
  });
  return page.evaluate(() => (window as unknown as { __notified: string[] }).__notified);
}
