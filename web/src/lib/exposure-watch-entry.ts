/**
 * The background check as a script of its own (`/assets/gen/exposure-watch.js`, see
 * exposure-watch.ts): a citizen page imports it by address once loaded, so none of the log
 * audit's code is in the page's first load. With an empty diary it stops before any request.
 *
 * It also keeps the service worker's periodic check in step with this device: the language chosen
 * for its notifications (language-store.ts) and whether it runs at all (periodic-check.ts: only
 * while notifications are allowed).
 */
import { indexedDbVisitStore, listVisits } from "@lintel/client-sdk";
import { openCitizen } from "./citizen-service.ts";
import { watchExposure } from "./exposure-watch.ts";
import { language } from "./language.ts";
import { keepLanguage } from "./language-store.ts";
import { syncPeriodicCheck } from "./periodic-check.ts";

async function start(): Promise<void> {
  void syncPeriodicCheck();
  await keepLanguage(language()).catch(() => undefined); // no storage: the worker's is the default
  if ((await listVisits(indexedDbVisitStore())).length === 0) {
    document.body.dataset.exposureChecked = String(Date.now());
    return;
  }
  watchExposure(await openCitizen());
}

void start().catch(() => undefined); // no storage or no service: the next page open tries again
