/**
 * The citizen check-in page, `/c`. A poster's QR code opens `/c#<code>`: the code travels in the
 * URL fragment, which browsers never send, and this page never puts it in a URL, a request line
 * or a log. It is verified here, offline, against the registry's key; then the service is asked
 * (in a POST body) whether it is still the entrance's current code. Without a fragment the page
 * offers the camera scanner and manual-code entry — or, when a visit is open, its pass.
 *
 * Details (name, phone, an ID number only where the code asks for one, companions) are encrypted
 * on this phone by the SDK; only ciphertexts leave it. They are remembered on this phone only when
 * the person ticks "Remember" (citizen-profile.ts). A check-in goes through the SDK's offline
 * queue: when the network fails it is kept (ciphertexts and idempotency keys) and sent when the
 * browser is back online or on the next load, and the service stores it exactly once.
 *
 * `?bench` exposes performance marks as `window.__lintelTimings` (scripts/bench/scan.ts).
 */

import { readCode, type ScannedCode } from "@lintel/client-sdk";
import { showAuthorityContact } from "../lib/authority-contact.ts";
import { flushQueue, showPass, showWaiting } from "../lib/checkin-after.ts";
import { openScanned, showScan } from "../lib/checkin-scan.ts";
import { forgetFragment, trust, view } from "../lib/checkin-view.ts";
import { encryptionKeys, openCitizen, openVisits, tidyDiary } from "../lib/citizen-service.ts";
import { showCitizenProblem } from "../lib/citizen-text.ts";
import { replaceChildren } from "../lib/dom.ts";
import { loadExposureWatch } from "../lib/exposure-watch-loader.ts";
import { fastCurves } from "../lib/fast-curves.ts";
import { registerServiceWorker } from "../lib/offline.ts";
import { announce } from "../lib/ui.ts";

async function main(): Promise<void> {
  // Read the fragment first, before anything can change the address.
  const fragment = location.hash.slice(1);
  void fastCurves(); // fetched while the page starts; until it is in, encryption uses noble
  try {
    view.ctx = await openCitizen();
  } catch (e) {
    replaceChildren(view.app);
    showCitizenProblem(view.pageError, e);
    return;
  }
  void encryptionKeys(view.ctx).catch(() => undefined); // ready before the form is sent
  showAuthorityContact(view.ctx.deployment.contact);
  addEventListener("online", () => {
    void flushQueue();
  });
  try {
    const closed = await tidyDiary(view.ctx);
    if (closed.length > 0) {
      announce({
        en: "Visits whose stay was over were checked out automatically.",
        zh: "停留时间已到的到访已自动办理离开。",
      });
    }
    // A check-in saved offline earlier goes now; its pass shows unless a new code was opened.
    await flushQueue(view.pageError, fragment === "");
  } catch (e) {
    showCitizenProblem(view.pageError, e);
  }
  if (view.pass) return;

  // A poster link opened while this page is already open changes only the fragment: the browser
  // does not load the page again, so the new code is taken from here.
  addEventListener("hashchange", () => {
    const next = location.hash.slice(1);
    if (next) void openFragment(next);
  });
  if (fragment) {
    await openFragment(fragment);
    return;
  }
  const open = (await openVisits(view.ctx))[0];
  // Still no connection: the check-in saved on this phone shows, waiting, as it did.
  const queued = (await view.ctx.queue.list())[0];
  if (open) showPass(open);
  else if (queued) showWaiting(queued.id, queued.prepared);
  else showScan();
}

/** A code from the address's fragment (a poster's link): verified here, then opened. */
async function openFragment(fragment: string): Promise<void> {
  let scanned: ScannedCode;
  try {
    scanned = readCode(fragment, trust());
  } catch (e) {
    forgetFragment();
    showScan({ problem: e });
    return;
  }
  await openScanned(scanned, true);
}

registerServiceWorker();
loadExposureWatch();
void main();
