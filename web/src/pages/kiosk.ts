/**
 * The kiosk screen (PROTOCOL.md §3.5), on a device enrolled as a kiosk: the venue's operator
 * makes a one-time kiosk code for one entrance (operator page, the entrance's kiosk set-up), and
 * this page redeems it for a device key kept under "kiosk". That key can fetch its entrance's
 * kiosk screen (GET /api/kiosk/screen) and nothing else: no operator or staff action, so the
 * screen needs no operator session and shows no operator navigation. The page shows the
 * entrance's registry-signed code with a suffix that changes every 30 seconds —
 * `kioskCodeUrl(origin, secret, code, now)` — as a large QR code, redrawn at every step. A photo
 * of the screen stops working within about a minute only while the entrance is in kiosk mode
 * (set on the operator page); otherwise the poster's bare code — which a photo of the screen
 * contains — checks in too, and the screen says so.
 *
 * The kiosk secret lives only in this page's memory while the code is shown: "Stop" (or leaving
 * the page) drops it, and a revoked kiosk gets it no more. The code itself is verified against
 * the registry's key before it is ever shown.
 */
import { readCode } from "@lintel/client-sdk";
import { kioskRoutes } from "@lintel/contract";
import {
  decodeBase64url,
  KIOSK_STEP_SECONDS,
  kioskCodeUrl,
  kioskStep,
  venueCodeUrl,
} from "@lintel/protocol";
import { el, replaceChildren } from "../lib/dom.ts";
import { type Bi, bi, biText, tr } from "../lib/i18n.ts";
import { KIOSK_MODE_OFF_WARNING, kioskScreenNote } from "../lib/kiosk-mode.ts";
import { SignedPage } from "../lib/page.ts";
import { endsSession } from "../lib/problems.ts";
import { callSigned } from "../lib/signed-call.ts";
import { codeUrlQr } from "../lib/staff-qr.ts";
import {
  announce,
  button,
  clearRegion,
  errorRegion,
  heading,
  onActivate,
  paragraph,
  showMessage,
  showProblem,
} from "../lib/ui.ts";

/** The kiosk answer is fetched again this often, to follow a replaced code or a revocation. */
const REFETCH_MS = 10 * 60 * 1000;

const page = new SignedPage("kiosk", render);
const accountBox = document.getElementById("account")!;
const workspace = document.getElementById("workspace")!;

/** The running screen, if any: stop() drops the secret, the timers and the wake lock. */
let running: { stop(): void } | undefined;

function stopKiosk(): void {
  running?.stop();
  running = undefined;
  document.body.classList.remove("kiosk-running");
}

const ENROL_NOTE: Bi = {
  en: "Enrol this screen with the one-time kiosk code the venue's operator made for this entrance (operator page, the entrance's kiosk set-up). The screen can then show that entrance's changing check-in code, and nothing else: it cannot act for the operator or the staff.",
  zh: "请使用场所经营者为此入口生成的一次性自助机登记码登记本屏幕（经营者页面中该入口的自助机设置）。登记后，本屏幕只能显示该入口不断变化的登记码，不能代经营者或工作人员执行任何操作。",
};

function render(): void {
  stopKiosk();
  const signedIn = page.accountGate(accountBox, workspace, {
    before: [paragraph(ENROL_NOTE.en, ENROL_NOTE.zh)],
    focusAfterSignIn: "kiosk-show",
  });
  if (!signedIn) return;
  const error = errorRegion("setup-error");
  const show = button(
    { en: "Show the kiosk code", zh: "显示自助机登记码" },
    { id: "kiosk-show", "aria-describedby": error.id },
  );
  const setup = el(
    "section",
    { id: "kiosk-setup", "aria-labelledby": "setup-heading" },
    heading(2, { en: "This kiosk screen", zh: "本自助机屏幕" }, { id: "setup-heading" }),
    el(
      "div",
      { class: "warning", id: "kiosk-warning" },
      paragraph(SECRET_WARNING.en, SECRET_WARNING.zh),
    ),
    error,
    show,
  );
  const screen = el("div", { id: "kiosk-area" });
  replaceChildren(workspace, setup, screen);
  const begin = async () => {
    clearRegion(error);
    try {
      stopKiosk();
      running = await startKiosk(screen);
      // While the code is shown the screen is the kiosk: the set-up and the account step aside.
      document.body.classList.add("kiosk-running");
      announce({ en: "The kiosk code is shown.", zh: "自助机登记码已显示。" });
      document.getElementById("kiosk-screen-heading")?.focus();
    } catch (e) {
      fail(error, e);
    }
  };
  onActivate(show, begin);
  // A kiosk is for showing the code: it starts at once, and again after every reload.
  void begin();
}

function fail(region: HTMLElement, e: unknown): void {
  if (endsSession(e)) page.fail(region, e);
  else showProblem(region, e);
}

const SECRET_WARNING: Bi = {
  en: "While the code is shown, this browser holds the entrance's kiosk secret: anyone who can use it can make codes that check people in here. Use a screen the public cannot operate, keep it locked, and press Stop (or close the page) when the kiosk is not in use.",
  zh: "显示登记码期间，本浏览器持有该入口的自助机密钥：任何能操作本浏览器的人都能生成在此登记的有效码。请使用公众无法操作的屏幕并保持锁定；不使用时请按“停止”或关闭页面。",
};

interface Chosen {
  readonly venue: { readonly id: string; readonly name: Bi };
  readonly entranceId: string;
  readonly label: Bi;
}

interface KioskKeys {
  readonly chosen: Chosen;
  readonly signed: Uint8Array;
  readonly secret: Uint8Array;
  readonly kioskRequired: boolean;
}

async function fetchKiosk(): Promise<KioskKeys> {
  const answer = await callSigned(page, kioskRoutes.kioskScreen);
  const signed = decodeBase64url(answer.code);
  const registry = page.deployment.registry;
  if (!registry) throw new Error("The deployment names no registry key.");
  // Never show a code the registry did not sign for this entrance (throws the protocol's code).
  const verified = readCode(venueCodeUrl(location.origin, signed), {
    registryVerifierKey: registry.verifierKey,
    deployment: page.deployment.id,
  });
  if (verified.code.entranceId !== answer.entranceId) {
    throw new Error("The service answered with another entrance's code.");
  }
  return {
    chosen: { venue: answer.venue, entranceId: answer.entranceId, label: answer.label },
    signed,
    secret: decodeBase64url(answer.kioskSecret, 32),
    kioskRequired: answer.kioskRequired,
  };
}

async function startKiosk(area: HTMLElement): Promise<{ stop(): void }> {
  let keys: KioskKeys | undefined = await fetchKiosk();
  const { chosen } = keys;
  const qr = el("div", { class: "kiosk-qr", id: "kiosk-qr" });
  // What a photo of the screen can do depends on the entrance's kiosk mode: said as it is.
  const screenNote = el("p", { class: "kiosk-small", id: "kiosk-note" });
  const modeWarning = el("div", { class: "warning", id: "kiosk-mode-off" });
  const showMode = (required: boolean) => {
    const note = kioskScreenNote(required);
    screenNote.dataset.kioskRequired = String(required);
    replaceChildren(screenNote, bi(note.en, note.zh));
    modeWarning.hidden = required;
    replaceChildren(
      modeWarning,
      required ? "" : paragraph(KIOSK_MODE_OFF_WARNING.en, KIOSK_MODE_OFF_WARNING.zh),
    );
  };
  showMode(keys.kioskRequired);
  const label = biText(`Check-in code for ${chosen.label.en}`, `${chosen.label.zh} 的登记码`);
  const screen = el(
    "section",
    { id: "kiosk-screen", class: "kiosk-screen", "aria-labelledby": "kiosk-screen-heading" },
    el(
      "div",
      { class: "kiosk-head" },
      el(
        "h2",
        { id: "kiosk-screen-heading", class: "kiosk-venue", tabindex: "-1" },
        el("span", { class: "venue-name" }, tr(chosen.venue.name)),
      ),
      el("p", { class: "kiosk-entrance" }, tr(chosen.label)),
    ),
    qr,
    el(
      "div",
      { class: "kiosk-foot" },
      el("p", { class: "kiosk-scan" }, bi("Scan to check in", "扫码登记")),
      el(
        "p",
        { class: "kiosk-help" },
        bi("No smartphone? Ask staff", "没有智能手机？请找工作人员"),
      ),
      screenNote,
    ),
  );
  const error = errorRegion("kiosk-error");
  const fullscreen = button(
    { en: "Full screen", zh: "全屏显示" },
    { id: "kiosk-fullscreen", class: "secondary" },
  );
  fullscreen.addEventListener("click", () => {
    void screen.requestFullscreen?.().catch(() => {
      showMessage(error, {
        en: "This browser refused full screen. Use its own full-screen key (often F11).",
        zh: "浏览器拒绝全屏，请使用浏览器自身的全屏键（通常为 F11）。",
      });
    });
  });
  const stopButton = button({ en: "Stop", zh: "停止" }, { id: "kiosk-stop", class: "danger" });
  const controls = el(
    "div",
    { class: "kiosk-controls" },
    el("div", { class: "warning" }, paragraph(SECRET_WARNING.en, SECRET_WARNING.zh)),
    modeWarning,
    error,
    el("div", { class: "actions" }, fullscreen, stopButton),
  );
  replaceChildren(area, screen, controls);

  let drawTimer = 0;
  let shownStep = -1;
  const draw = () => {
    if (!keys) return;
    const now = Date.now();
    const step = kioskStep(now);
    if (step === shownStep) return;
    const url = kioskCodeUrl(location.origin, keys.secret, keys.signed, now);
    replaceChildren(qr, codeUrlQr(url, label));
    qr.dataset.step = String(step);
    shownStep = step;
  };
  const schedule = () => {
    const period = KIOSK_STEP_SECONDS * 1000;
    drawTimer = window.setTimeout(
      () => {
        draw();
        schedule();
      },
      period - (Date.now() % period) + 50,
    );
  };
  draw();
  schedule();

  const refetch = window.setInterval(() => {
    void onceAtATime(async () => {
      try {
        const next = await fetchKiosk();
        if (!keys) return;
        keys = next;
        showMode(next.kioskRequired);
        shownStep = -1;
        draw();
        clearRegion(error);
      } catch (e) {
        if (endsSession(e)) {
          page.fail(error, e);
          return;
        }
        // The code on screen stays valid until it is replaced; say that it could not be checked.
        showProblem(error, e);
      }
    });
  }, REFETCH_MS);

  let wakeLock: WakeLockSentinel | undefined;
  const keepAwake = async () => {
    try {
      wakeLock = await navigator.wakeLock?.request("screen");
    } catch {
      wakeLock = undefined; // not offered here: the screen may sleep; nothing else changes
    }
  };
  void keepAwake();
  const onVisible = () => {
    if (document.hidden) return;
    draw(); // timers may have been slowed while hidden
    if (!wakeLock || wakeLock.released) void keepAwake();
  };
  document.addEventListener("visibilitychange", onVisible);

  const stop = () => {
    keys = undefined; // the secret is dropped with the last reference to it
    window.clearTimeout(drawTimer);
    window.clearInterval(refetch);
    document.removeEventListener("visibilitychange", onVisible);
    void wakeLock?.release().catch(() => undefined);
    if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
    replaceChildren(area);
  };
  stopButton.addEventListener("click", () => {
    stopKiosk();
    announce({ en: "The kiosk code is no longer shown.", zh: "自助机登记码已停止显示。" });
    document.getElementById("kiosk-show")?.focus();
  });
  return { stop };
}

let busy = false;
async function onceAtATime(work: () => Promise<void>): Promise<void> {
  if (busy) return;
  busy = true;
  try {
    await work();
  } finally {
    busy = false;
  }
}

window.addEventListener("pagehide", stopKiosk);

void page.start();
