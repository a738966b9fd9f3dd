/**
 * The service worker (`/sw.js`, scope `/`): the citizen pages open with no signal once one of
 * them has been opened online. scripts/build-web.ts bundles it with the build's precache list and version
 * (scripts/lib/offline-shell.ts), so any change to a page, script or stylesheet changes this file,
 * the browser installs it as a new version, and the old version's cache is deleted on activation.
 *
 * - Precached files (the citizen pages' HTML under their addresses, their scripts and chunks,
 *   the stylesheets, icons and manifest) are answered from this version's cache, so one load
 *   never mixes two builds; anything else (the other pages) goes to the network.
 * - The public reads the check-in page needs to verify a venue code and encrypt a check-in (the
 *   deployment and the epoch keys: the same answer for everyone, nothing personal) go to the
 *   network first and fall back to the copy kept from the last answer. The page verifies both
 *   again, signatures and all, whichever way they came.
 * - Nothing else is touched: no POST, no signed or personal read, no other origin is ever cached.
 *
 * Where the browser allows periodic background sync and the person allowed notifications
 * (web/src/lib/periodic-check.ts registers it), it also runs the pages' background check of the
 * public log while no page is open (web/src/lib/exposure-check.ts: the same code), and notifies
 * what is new once, in the language the pages show. Its notification's click opens "My visits".
 */
import { indexedDbVisitStore } from "@lintel/client-sdk";
import {
  checkAndRemember,
  exposureNotification,
  PERIODIC_CHECK_TAG,
  type PeriodicCheckMessage,
  setBadge,
} from "./lib/exposure-check.ts";
import { keptLanguage } from "./lib/language-store.ts";

declare const LINTEL_PRECACHE: readonly string[];
declare const LINTEL_SHELL_VERSION: string;

/** The parts of the service worker scope used here (the pages' TypeScript has the DOM library). */
interface SwExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface SwFetchEvent extends SwExtendableEvent {
  readonly request: Request;
  respondWith(response: Promise<Response>): void;
}
interface SwScope {
  readonly location: { readonly origin: string };
  readonly clients: { claim(): Promise<void> };
  readonly registration: ServiceWorkerRegistration & {
    readonly periodicSync?: { unregister(tag: string): Promise<void> };
  };
  skipWaiting(): Promise<void>;
  addEventListener(
    type: "install" | "activate",
    listener: (event: SwExtendableEvent) => void,
  ): void;
  addEventListener(type: "fetch", listener: (event: SwFetchEvent) => void): void;
  addEventListener(
    type: "notificationclick",
    listener: (event: SwExtendableEvent & { readonly notification: Notification }) => void,
  ): void;
  addEventListener(
    type: "periodicsync",
    listener: (event: SwExtendableEvent & { readonly tag: string }) => void,
  ): void;
}
/** The part of `clients` a notification's click and a periodic check use. */
interface SwClients {
  matchAll(options: { type: "window"; includeUncontrolled?: boolean }): Promise<
    ReadonlyArray<{
      readonly url: string;
      focus(): Promise<unknown>;
      navigate(url: string): Promise<unknown>;
      postMessage(message: PeriodicCheckMessage): void;
    }>
  >;
  openWindow(url: string): Promise<unknown>;
}

const scope = self as unknown as SwScope;

const SHELL_PREFIX = "lintel-shell-";
const SHELL_CACHE = `${SHELL_PREFIX}${LINTEL_SHELL_VERSION}`;
/** Kept across versions: the last answers of the public reads below. */
const API_CACHE = "lintel-public-reads-v1";
/** citizenRoutes.deployment and citizenRoutes.epochKeys of @lintel/contract, without a query. */
const PUBLIC_READS: ReadonlySet<string> = new Set(["/api/deployment", "/api/epoch-keys"]);
const PRECACHED: ReadonlySet<string> = new Set(LINTEL_PRECACHE);

/** A public read from the network, its answer kept when it is a plain 200. */
async function refreshRead(path: string): Promise<Response> {
  const response = await fetch(path, { cache: "no-store", credentials: "omit" });
  if (response.status === 200) {
    const cache = await caches.open(API_CACHE);
    await cache.put(path, response.clone());
  }
  return response;
}

async function networkFirst(path: string): Promise<Response> {
  try {
    return await refreshRead(path);
  } catch (e) {
    const kept = await (await caches.open(API_CACHE)).match(path);
    if (kept) return kept;
    throw e;
  }
}

async function fromShell(path: string, request: Request): Promise<Response> {
  const hit = await (await caches.open(SHELL_CACHE)).match(path);
  return hit ?? fetch(request);
}

scope.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(SHELL_CACHE);
      // "reload": the files of this build from the service, never an older copy the HTTP cache holds.
      await cache.addAll([...PRECACHED].map((url) => new Request(url, { cache: "reload" })));
      // The page that installs this worker is not controlled yet, so its own reads pass by:
      // fetch them here once. Best effort: offline they are taken on the next online load.
      await Promise.all([...PUBLIC_READS].map((path) => refreshRead(path).catch(() => undefined)));
      await scope.skipWaiting();
    })(),
  );
});

scope.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(SHELL_PREFIX) && name !== SHELL_CACHE) await caches.delete(name);
      }
      await scope.clients.claim();
    })(),
  );
});

scope.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== scope.location.origin) return;
  if (PUBLIC_READS.has(url.pathname)) {
    if (url.search === "") event.respondWith(networkFirst(url.pathname));
    return;
  }
  // A page's address with a query (`/c?bench`) is the same page.
  if (PRECACHED.has(url.pathname)) event.respondWith(fromShell(url.pathname, request));
});

// A notification of the background check (the pages' or the periodic one below) opens "My visits",
// in a window of this site already open where there is one.
scope.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const clients = scope.clients as unknown as SwClients;
  const target = new URL("/visits/#exposure-heading", scope.location.origin).href;
  event.waitUntil(
    (async () => {
      const open = (await clients.matchAll({ type: "window" }))[0];
      if (open) {
        await open.navigate(target);
        await open.focus();
      } else {
        await clients.openWindow(target);
      }
    })(),
  );
});

/**
 * A periodic check: the pages' own (exposure-check.ts), against the diary in IndexedDB, with the
 * deployment fetched and verified here. What is new is notified once; the memory is the pages',
 * so neither notifies again what the other did. Open pages hear of the findings for their notice.
 */
async function periodicCheck(): Promise<void> {
  if (Notification.permission !== "granted") {
    // Notifications were turned off since the pages registered this: it would tell no one.
    await scope.registration.periodicSync?.unregister(PERIODIC_CHECK_TAG);
    return;
  }
  const findings = await checkAndRemember({
    service: { baseUrl: scope.location.origin },
    visits: indexedDbVisitStore(),
    notify: true,
  });
  if (!findings) return;
  const shown = exposureNotification(findings.fresh, await keptLanguage());
  if (shown) await scope.registration.showNotification(shown.title, shown.options);
  setBadge(findings.unseen.length);
  const message: PeriodicCheckMessage = {
    type: "lintel-exposure-checked",
    unseen: findings.unseen,
  };
  const clients = scope.clients as unknown as SwClients;
  for (const client of await clients.matchAll({ type: "window", includeUncontrolled: true })) {
    client.postMessage(message);
  }
}

scope.addEventListener("periodicsync", (event) => {
  if (event.tag !== PERIODIC_CHECK_TAG) return;
  // Offline, or the service unreachable: the browser's next periodic sync tries again.
  event.waitUntil(periodicCheck().catch(() => undefined));
});
