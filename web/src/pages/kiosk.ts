/**
 * The kiosk screen (PROTOCOL.md §3.5): the venue's operator signs in (the operator device key
 * kept under "operator" by the operator page, or an enrolment code), picks a venue and an
 * entrance, and the page shows the entrance's registry-signed code with a suffix that changes
 * every 30 seconds — `kioskCodeUrl(origin, secret, code, now)` — as a large QR code, redrawn at
 * every step. A photo of the screen stops working within about a minute only while the
 * entrance is in kiosk mode (set on the operator page); otherwise the poster's bare code — which
 * a photo of the screen contains — checks in too, and the screen and the controls say so.
 *
 * The kiosk secret comes from GET /api/venues/:id/entrances/:eid/kiosk and lives only in this
 * page's memory while the code is shown: "Stop" (or leaving the page) drops it. The page says so,
 * because whoever can use this browser while it runs can make valid codes for the entrance.
 * The code itself is verified against the registry's key before it is ever shown.
 */
import { readCode } from "@lintel/client-sdk";
import { applicationRoutes, operatorRoutes, type RouteAnswer } from "@lintel/contract";
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
  onSubmit,
  paragraph,
  selectField,
  showMessage,
  showProblem,
} from "../lib/ui.ts";

/** The kiosk answer is fetched again this often, to follow a replaced code. */
const REFETCH_MS = 10 * 60 * 1000;

const page = new SignedPage("operator", render);
const accountBox = document.getElementById("account")!;
const workspace = document.getElementById("workspace")!;

/** The running screen, if any: stop() drops the secret, the timers and the wake lock. */
let running: { stop(): void } | undefined;

function stopKiosk(): void {
  running?.stop();
  running = undefined;
  document.body.classList.remove("kiosk-running");
}

function render(): void {
  stopKiosk();
  const link = el("a", { href: "/operator/" }, bi("the operator page", "经营者页面"));
  const signedIn = page.accountGate(accountBox, workspace, {
    before: [
      el(
        "p",
        {},
        bi(
          "Sign in as the venue's operator: this browser is signed in already if you use ",
          "请以场所经营者身份登录：如果您在本浏览器使用",
        ),
        link,
        bi(
          " here. Or use a one-time enrolment code for the operator account.",
          "，则已登录；也可使用经营者账户的一次性登记码。",
        ),
      ),
    ],
    focusAfterSignIn: "setup-heading",
  });
  if (!signedIn) return;
  const setup = el("section", { id: "kiosk-setup", "aria-labelledby": "setup-heading" });
  const screen = el("div", { id: "kiosk-area" });
  replaceChildren(workspace, setup, screen);
  void renderSetup(setup, screen);
}

function fail(region: HTMLElement, e: unknown): void {
  if (endsSession(e)) page.fail(region, e);
  else showProblem(region, e);
}

const SECRET_WARNING: Bi = {
  en: "While the code is shown, this browser holds the entrance's kiosk secret: anyone who can use it can make codes that check people in here. Use a screen the public cannot operate, keep it locked, and press Stop (or close the page) when the kiosk is not in use.",
  zh: "显示登记码期间，本浏览器持有该入口的自助机密钥：任何能操作本浏览器的人都能生成在此登记的有效码。请使用公众无法操作的屏幕并保持锁定；不使用时请按“停止”或关闭页面。",
};

async function renderSetup(section: HTMLElement, area: HTMLElement): Promise<void> {
  const error = errorRegion("setup-error");
  replaceChildren(
    section,
    heading(
      2,
      { en: "Choose the entrance", zh: "选择入口" },
      { id: "setup-heading", tabindex: "-1" },
    ),
    error,
  );
  let venues: RouteAnswer<typeof applicationRoutes.listApplications>["applications"];
  try {
    const { applications } = await callSigned(page, applicationRoutes.listApplications);
    venues = applications.filter((a) => a.status === "approved");
  } catch (e) {
    fail(error, e);
    return;
  }
  if (venues.length === 0) {
    section.append(
      paragraph(
        "This account has no approved venue yet. A kiosk shows the code of an approved venue's entrance.",
        "此账户尚无已批准的场所。自助机只能显示已批准场所入口的登记码。",
      ),
    );
    return;
  }
  const params = new URLSearchParams(location.search);
  const form = el("form", { id: "kiosk-form" });
  const venue = selectField(
    "kiosk-venue",
    { en: "Venue", zh: "场所" },
    venues.map((v) => ({ value: v.id, label: v.name })),
    {
      value: venues.some((v) => v.id === params.get("venue"))
        ? params.get("venue")!
        : venues[0]!.id,
    },
  );
  const entranceBox = el("div", { id: "kiosk-entrance-box" });
  const start = button(
    { en: "Show the kiosk code", zh: "显示自助机登记码" },
    { id: "kiosk-start", "aria-describedby": `${error.id} kiosk-warning` },
  );
  start.type = "submit";
  const warning = el(
    "div",
    { class: "warning", id: "kiosk-warning" },
    paragraph(SECRET_WARNING.en, SECRET_WARNING.zh),
  );
  form.append(venue.wrapper, entranceBox, warning, start);
  section.append(form);

  let codes: RouteAnswer<typeof operatorRoutes.venueCodes> | undefined;
  let entrance: HTMLSelectElement | undefined;
  const loadEntrances = async () => {
    clearRegion(error);
    codes = undefined;
    entrance = undefined;
    replaceChildren(entranceBox, paragraph("Loading…", "加载中…", { class: "muted" }));
    try {
      codes = await callSigned(page, operatorRoutes.venueCodes, {
        params: { id: venue.input.value },
      });
    } catch (e) {
      replaceChildren(entranceBox);
      fail(error, e);
      return;
    }
    const wanted = params.get("entrance");
    const field = selectField(
      "kiosk-entrance",
      { en: "Entrance", zh: "入口" },
      codes.codes.map((c) => ({ value: c.entranceId, label: c.label })),
      codes.codes.some((c) => c.entranceId === wanted) ? { value: wanted! } : {},
    );
    entrance = field.input;
    replaceChildren(entranceBox, field.wrapper);
  };
  venue.input.addEventListener("change", () => void loadEntrances());
  await loadEntrances();

  onSubmit(form, async () => {
    clearRegion(error);
    if (!codes || !entrance) {
      showMessage(error, { en: "Choose a venue and an entrance.", zh: "请选择场所和入口。" });
      return;
    }
    const door = codes.codes.find((c) => c.entranceId === entrance!.value);
    if (!door) return;
    const chosen = { venue: codes.venue, entranceId: door.entranceId, label: door.label };
    try {
      stopKiosk();
      running = await startKiosk(area, chosen);
      // While the code is shown the screen is the kiosk: the set-up and the account step aside.
      document.body.classList.add("kiosk-running");
      const query = new URLSearchParams({ venue: chosen.venue.id, entrance: chosen.entranceId });
      history.replaceState(null, "", `?${query}`);
      announce({ en: "The kiosk code is shown.", zh: "自助机登记码已显示。" });
      document.getElementById("kiosk-screen-heading")?.focus();
    } catch (e) {
      fail(error, e);
    }
  });
}

interface Chosen {
  readonly venue: { readonly id: string; readonly name: Bi };
  readonly entranceId: string;
  readonly label: Bi;
}

interface KioskKeys {
  readonly signed: Uint8Array;
  readonly secret: Uint8Array;
  readonly kioskRequired: boolean;
}

async function fetchKiosk(chosen: Chosen): Promise<KioskKeys> {
  const answer = await callSigned(page, operatorRoutes.kiosk, {
    params: { id: chosen.venue.id, eid: chosen.entranceId },
  });
  const signed = decodeBase64url(answer.code);
  const registry = page.deployment.registry;
  if (!registry) throw new Error("The deployment names no registry key.");
  // Never show a code the registry did not sign for this entrance (throws the protocol's code).
  const verified = readCode(venueCodeUrl(location.origin, signed), {
    registryVerifierKey: registry.verifierKey,
    deployment: page.deployment.id,
  });
  if (verified.code.entranceId !== chosen.entranceId) {
    throw new Error("The service answered with another entrance's code.");
  }
  return {
    signed,
    secret: decodeBase64url(answer.kioskSecret, 32),
    kioskRequired: answer.kioskRequired,
  };
}

async function startKiosk(area: HTMLElement, chosen: Chosen): Promise<{ stop(): void }> {
  let keys: KioskKeys | undefined = await fetchKiosk(chosen);
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
        const next = await fetchKiosk(chosen);
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
    document.getElementById("kiosk-start")?.focus();
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
