/**
 * The background check while no Lintel page is open: where the browser offers Periodic Background
 * Sync and the person allowed notifications, the pages register it with the service worker, which
 * then runs the same check from time to time (sw.ts). Chromium grants it only to an installed app
 * the person uses, and other browsers have no such thing: a refusal is quiet, "My visits" says
 * whether periodic checks are on, and the check on every page open goes on as before.
 */
import { PERIODIC_CHECK_TAG } from "./exposure-check.ts";

/**
 * The least time between two checks that the pages ask for. Browsers space them as they see fit
 * (Chromium by how much the app is used, never under twelve hours); asking for less gains nothing.
 */
const MIN_INTERVAL_MS = 12 * 60 * 60 * 1000;

/** The Periodic Background Sync API, which TypeScript's DOM library does not declare yet. */
interface PeriodicSyncManager {
  register(tag: string, options?: { readonly minInterval: number }): Promise<void>;
  unregister(tag: string): Promise<void>;
  getTags(): Promise<string[]>;
}

export function periodicSyncOf(
  registration: ServiceWorkerRegistration,
): PeriodicSyncManager | undefined {
  return (registration as ServiceWorkerRegistration & { periodicSync?: PeriodicSyncManager })
    .periodicSync;
}

function notificationsAllowed(): boolean {
  return typeof Notification !== "undefined" && Notification.permission === "granted";
}

/**
 * Registers the periodic check while notifications are allowed, and unregisters it once they are
 * not (a check that may tell no one has no reason to run). Resolves with whether it is on. Waits
 * for the service worker to be active: on a page of a browser that never registered it, never.
 */
export async function syncPeriodicCheck(): Promise<boolean> {
  if (!("serviceWorker" in navigator)) return false;
  const sync = periodicSyncOf(await navigator.serviceWorker.ready);
  if (!sync) return false;
  try {
    if (notificationsAllowed()) {
      await sync.register(PERIODIC_CHECK_TAG, { minInterval: MIN_INTERVAL_MS });
      return true;
    }
    await sync.unregister(PERIODIC_CHECK_TAG);
  } catch {
    // Refused (not installed, too little use, a policy): the checks on page open still run.
  }
  return false;
}

/** For "delete everything", beside unregistering the worker (delete-everything.ts says why). */
export async function stopPeriodicCheck(registration: ServiceWorkerRegistration): Promise<void> {
  await periodicSyncOf(registration)
    ?.unregister(PERIODIC_CHECK_TAG)
    .catch(() => undefined);
}
