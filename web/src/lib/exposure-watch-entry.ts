/**
 * The background check as a script of its own (`/assets/gen/exposure-watch.js`, see
 * exposure-watch.ts): a citizen page imports it by address once loaded, so none of the log
 * audit's code is in the page's first load. With an empty diary it stops before any request.
 */
import { indexedDbVisitStore, listVisits } from "@lintel/client-sdk";
import { openCitizen } from "./citizen-service.ts";
import { watchExposure } from "./exposure-watch.ts";

async function start(): Promise<void> {
  if ((await listVisits(indexedDbVisitStore())).length === 0) {
    document.body.dataset.exposureChecked = String(Date.now());
    return;
  }
  watchExposure(await openCitizen());
}

void start().catch(() => undefined); // no storage or no service: the next page open tries again
