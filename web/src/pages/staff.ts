/**
 * The venue staff's page: sign in with the one-time enrolment code the operator handed over
 * (the device key is kept under "staff"), pick the entrance (staff-door.ts: in the operator's
 * order, the last one remembered on this device, named at the top of every view), and
 *
 *   - check in a person without a smartphone ("proxy", staff-proxy.ts): from their citizen card,
 *     whose sealed contact goes into the record unopened, or from their details typed here, with
 *     the stay they say;
 *   - send in a paper list kept during a device fault ("paper", staff-paper.ts), one row at a
 *     time, each starting at its arrival hour within the last 24 hours;
 *   - show the venue's check-in word of today large, to match against people's passes;
 *   - check a pass's receipt QR on this device, offline (staff-check-pass.ts): genuine, from
 *     one of this venue's entrances, stored today and its stay not over.
 *
 * Strictly write-only. Every record is built and encrypted on this device (client-sdk
 * prepareStaffCheckIn) and sent to POST /api/checkins/staff signed by the staff device key. The
 * page never asks the service for anything it stored, and keeps nothing but the entrance last
 * worked at: after a check-in it shows only "checked in", the masked name (a card's public one,
 * or the typed name masked the same way), the entrance and the times, and clears the form; after
 * a paper row only the number of rows sent. There is no list of earlier check-ins anywhere.
 */

import {
  type DeploymentInfo,
  type EncryptionKeys,
  fetchDeployment,
  loadEncryptionKeys,
  prepareStaffCheckIn,
  receiptPublicKey,
  submitStaffCheckIn,
} from "@lintel/client-sdk";
import { operatorRoutes } from "@lintel/contract";
import { el, replaceChildren } from "../lib/dom.ts";
import { fastCurves, keepProofMemory, restoreProofMemory } from "../lib/fast-curves.ts";
import { SignedPage } from "../lib/page.ts";
import type { PassCheckContext } from "../lib/pass-verdict.ts";
import { endsSession } from "../lib/problems.ts";
import { callSigned, signedService } from "../lib/signed-call.ts";
import { stopStaffCameras } from "../lib/staff-camera-part.ts";
import { checkPassSection } from "../lib/staff-check-pass.ts";
import type { StaffDesk, Submission } from "../lib/staff-desk.ts";
import { renderDoorPicker } from "../lib/staff-door.ts";
import { paperSection, resetPaperCount } from "../lib/staff-paper.ts";
import { showStaffProblem } from "../lib/staff-problems.ts";
import { proxySection } from "../lib/staff-proxy.ts";
import { button, clearRegion, errorRegion, heading, onActivate, paragraph } from "../lib/ui.ts";

/** What encrypting needs, fetched and verified once (the deployment, the epoch keys). */
interface CryptoContext {
  readonly deployment: DeploymentInfo;
  readonly keys: EncryptionKeys;
  readonly loadedAt: number;
}

/** The epoch keys are fetched again after this long (they are published a week ahead). */
const KEYS_MAX_AGE_MS = 6 * 3600 * 1000;

const page = new SignedPage("staff", render);
const accountBox = document.getElementById("account")!;
const workspace = document.getElementById("workspace")!;

let cryptoContext: Promise<CryptoContext> | undefined;
/** The last deployment loaded: a pass is checked against it when the network is gone. */
let lastDeployment: DeploymentInfo | undefined;
/** Every entrance of the staff member's venue, as GET /api/staff/entrances last answered. */
let venueEntrances: PassCheckContext["entrances"] = [];

function render(): void {
  stopStaffCameras();
  const intro = paragraph(
    "Your venue's operator gives you a one-time enrolment code for the entrances you work at.",
    "场所经营者会为您负责的入口提供一次性登记码。",
  );
  const signedIn = page.accountGate(accountBox, workspace, {
    before: [intro],
    focusAfterSignIn: "where-heading",
    onSignOut: resetPaperCount,
  });
  if (!signedIn || !page.session) return;
  const where = el("section", { id: "where", "aria-labelledby": "where-heading" });
  const word = el("section", { id: "day-word-section", "aria-labelledby": "day-word-heading" });
  const tasks = el("div", { id: "tasks" });
  replaceChildren(workspace, where, word, tasks);
  renderDayWord(word);
  void renderDoorPicker(where, {
    deployment: page.deployment.id,
    accountId: page.session.account.accountId,
    load: async () => {
      const answer = await callSigned(page, operatorRoutes.staffEntrances);
      venueEntrances = answer.venueEntrances;
      return answer.entrances;
    },
    trust: async () => (await loadCrypto()).deployment,
    onLeave: () => {
      stopStaffCameras();
      replaceChildren(tasks);
    },
    onDoor: (door, doorLine) => {
      const desk: StaffDesk = { timeZone: page.deployment.timezone, send, fail, doorLine };
      replaceChildren(
        tasks,
        proxySection(door, desk),
        paperSection(door, desk),
        checkPassSection(desk, passContext),
      );
    },
    fail,
  });
}

/** Fails `region` with `e`, or goes back to sign-in when the session ended. */
function fail(region: HTMLElement, e: unknown): void {
  if (endsSession(e)) {
    page.fail(region, e);
    return;
  }
  showStaffProblem(region, e);
}

function loadCrypto(): Promise<CryptoContext> {
  const fresh = async (): Promise<CryptoContext> => {
    const service = { baseUrl: location.origin };
    restoreProofMemory();
    void fastCurves(); // every later check-in's encryption runs on it once it has loaded
    const deployment = await fetchDeployment(service);
    lastDeployment = deployment;
    const keys = await loadEncryptionKeys(service, deployment);
    keepProofMemory();
    return { deployment, keys, loadedAt: Date.now() };
  };
  const current = cryptoContext;
  const next = current
    ? current.then((c) => (Date.now() - c.loadedAt > KEYS_MAX_AGE_MS ? fresh() : c))
    : fresh();
  cryptoContext = next;
  // A failure is not remembered: the next attempt starts again.
  next.catch(() => {
    if (cryptoContext === next) cryptoContext = undefined;
  });
  return next;
}

/** What checking a pass needs; offline, the deployment last loaded. */
async function passContext(): Promise<PassCheckContext> {
  const deployment = await loadCrypto().then(
    (c) => c.deployment,
    (e: unknown) => {
      if (lastDeployment) return lastDeployment;
      throw e;
    },
  );
  return {
    deployment: deployment.id,
    receiptKey: receiptPublicKey(deployment),
    timeZone: deployment.timezone,
    slotSeconds: deployment.slotMinutes * 60,
    entrances: venueEntrances,
  };
}

/** Encrypts on this device and sends, signed by the staff device's key. */
async function send(submission: Submission) {
  const context = await loadCrypto();
  const prepared = await prepareStaffCheckIn({
    deployment: context.deployment,
    keys: context.keys,
    code: submission.door.code,
    recordedBy: submission.recordedBy,
    person: submission.person,
    ...(submission.arrival ? { arrival: submission.arrival } : {}),
    ...(submission.stayMinutes ? { stayMinutes: submission.stayMinutes } : {}),
  });
  const service = await signedService(page.role, page.deployment.id);
  return submitStaffCheckIn(service, context.deployment, prepared);
}

// ── today's word ─────────────────────────────────────────────────────────────────────────────

function renderDayWord(section: HTMLElement): void {
  const error = errorRegion("day-word-error");
  const word = el("p", { id: "day-word", class: "day-word" });
  const refresh = button(
    { en: "Check the word again", zh: "重新获取口令" },
    { id: "day-word-refresh", class: "secondary", "aria-describedby": error.id },
  );
  const load = async () => {
    clearRegion(error);
    try {
      const answer = await callSigned(page, operatorRoutes.staffDayWord);
      replaceChildren(
        word,
        // Both words: a person's pass shows the word in the language of their phone.
        el("span", { lang: "en", "data-other-language": "" }, answer.word.en),
        " · ",
        el("span", { lang: "zh-CN", "data-other-language": "" }, answer.word.zh),
      );
      word.dataset.day = answer.day;
    } catch (e) {
      replaceChildren(word);
      fail(error, e);
    }
  };
  onActivate(refresh, load);
  replaceChildren(
    section,
    heading(
      2,
      { en: "Today's check-in word here", zh: "本场所今日登记口令" },
      { id: "day-word-heading" },
    ),
    paragraph(
      "Every pass made at this venue today carries this word. A pass with another word is from another day or another venue.",
      "今天在本场所登记的每张凭证都带有此口令。口令不同的凭证来自其他日期或其他场所。",
    ),
    word,
    error,
    refresh,
  );
  void load();
}

document.addEventListener("visibilitychange", () => {
  // The camera is not left running in a tab nobody looks at.
  if (document.hidden) stopStaffCameras();
});

void page.start();
