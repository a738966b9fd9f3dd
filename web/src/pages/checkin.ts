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
import {
  LintelError,
  lookUpManualCode,
  MAX_COMPANIONS,
  readCode,
  type ScannedCode,
  type Visit,
} from "@lintel/client-sdk";
import { type PassHandle, renderPass } from "../lib/citizen-pass.ts";
import {
  forgetProfile,
  loadProfile,
  type PersonDetails,
  saveProfile,
} from "../lib/citizen-profile.ts";
import { type Scanner, startScanner } from "../lib/citizen-scanner.ts";
import {
  type CitizenContext,
  checkCodeIsCurrent,
  checkOutVisit,
  encryptionKeys,
  openCitizen,
  openVisits,
  tidyDiary,
} from "../lib/citizen-service.ts";
import { CODE_REPLACED, showCitizenProblem } from "../lib/citizen-text.ts";
import { el, replaceChildren } from "../lib/dom.ts";
import { fastCurves } from "../lib/fast-curves.ts";
import { type Bi, bi, biBlock, biText } from "../lib/i18n.ts";
import { registerServiceWorker } from "../lib/offline.ts";
import { stayChoices, stayText } from "../lib/stay-choices.ts";
import {
  announce,
  button,
  checkbox,
  clearRegion,
  errorRegion,
  heading,
  onSubmit,
  paragraph,
  selectField,
  setFieldError,
  showMessage,
  textField,
} from "../lib/ui.ts";

// ── timings for the benchmark ────────────────────────────────────────────────────────────────

declare global {
  interface Window {
    __lintelTimings?: Record<string, number>;
  }
}

const BENCH = new URL(location.href).searchParams.has("bench");
if (BENCH) window.__lintelTimings = {};

/** A performance mark; with ?bench also kept in window.__lintelTimings (first time only). */
function mark(name: string): void {
  const entry = performance.mark(`lintel:${name}`);
  const timings = window.__lintelTimings;
  if (timings && timings[name] === undefined) timings[name] = entry.startTime;
}

// ── page state ───────────────────────────────────────────────────────────────────────────────

const app = document.getElementById("app")!;
const pageError = document.getElementById("page-error")!;
let ctx: CitizenContext;
let scanner: Scanner | undefined;
let pass: PassHandle | undefined;
/** The check-in waiting in the offline queue that this page shows, if any. */
let waitingId: string | undefined;
let waitingTimer: number | undefined;

/** Bumped by every stop, so a camera that finishes starting after a stop is stopped at once. */
let cameraGeneration = 0;

function stopCamera(): void {
  cameraGeneration += 1;
  scanner?.stop();
  scanner = undefined;
}

/** Clears whatever the page showed (camera, pass timers, retry timer). */
function clearView(): void {
  stopCamera();
  pass?.dispose();
  pass = undefined;
  if (waitingTimer !== undefined) window.clearInterval(waitingTimer);
  waitingTimer = undefined;
  waitingId = undefined;
}

/** Drops the code from the address bar once it has served (a reload then shows the pass). */
function forgetFragment(): void {
  if (location.hash) history.replaceState(null, "", location.pathname + location.search);
}

function trust() {
  return { registryVerifierKey: ctx.registryVerifierKey, deployment: ctx.deployment.id };
}

function focusHeading(id: string): void {
  const h = document.getElementById(id);
  if (!h) return;
  h.setAttribute("tabindex", "-1");
  h.focus();
}

// ── scanning and typing a code ───────────────────────────────────────────────────────────────

interface ScanOptions {
  /** Shown at the top, as an alert (the poster's code was replaced, …). */
  readonly problem?: unknown;
  readonly replaced?: boolean;
}

function showScan(options: ScanOptions = {}): void {
  clearView();
  const scanError = errorRegion("scan-error");
  const video = el("video", {
    id: "camera",
    class: "camera",
    "aria-label": biText("Camera view", "摄像头画面"),
    playsinline: "",
    muted: "",
  });
  video.hidden = true;
  const start = button({ en: "Start the camera", zh: "打开摄像头" }, { id: "start-camera" });
  const stop = button(
    { en: "Stop the camera", zh: "关闭摄像头" },
    { id: "stop-camera", class: "secondary" },
  );
  stop.hidden = true;
  let lastRefused = "";

  const cameraStopped = () => {
    video.hidden = true;
    stop.hidden = true;
    start.hidden = false;
  };

  start.addEventListener("click", () => {
    if (scanner && !scanner.stopped) return;
    clearRegion(scanError);
    video.hidden = false;
    start.hidden = true;
    stop.hidden = false;
    announce({ en: "Starting the camera…", zh: "正在打开摄像头…" });
    const generation = cameraGeneration;
    startScanner(video, {
      onFirstFrame: () => {
        mark("camera-first-frame");
        announce({
          en: "Camera on: point it at the code on the poster.",
          zh: "摄像头已打开：请对准海报上的二维码。",
        });
      },
      onText: (text) => {
        let scanned: ScannedCode;
        try {
          scanned = readCode(text, trust());
        } catch (e) {
          // Not a venue code (or a forged one): say so once, and go on looking.
          if (text !== lastRefused) showCitizenProblem(scanError, e);
          lastRefused = text;
          return false;
        }
        mark("code-read");
        cameraStopped();
        void openScanned(scanned, false);
        return true;
      },
    })
      .then((s) => {
        if (generation !== cameraGeneration) {
          s.stop(); // stopped (or the view changed) while the camera was starting
          return;
        }
        scanner = s;
        if (!s.stopped) stop.focus();
      })
      .catch((e: unknown) => {
        cameraStopped();
        showCitizenProblem(scanError, e);
        document.getElementById("manual-code")?.focus();
      });
  });
  stop.addEventListener("click", () => {
    stopCamera();
    cameraStopped();
    announce({ en: "Camera off.", zh: "摄像头已关闭。" });
    start.focus();
  });

  const manual = textField(
    "manual-code",
    { en: "Manual code", zh: "手动登记码" },
    {
      required: true,
      autocomplete: "off",
      maxLength: 20,
      hint: {
        en: "The short code printed under the QR code on the poster, like ABCD-EFGH-JKM.",
        zh: "海报上二维码下方印的短码，例如 ABCD-EFGH-JKM。",
      },
    },
  );
  manual.input.setAttribute("autocapitalize", "characters");
  manual.input.setAttribute("spellcheck", "false");
  const manualError = errorRegion("manual-error");
  const lookUp = button({ en: "Continue", zh: "继续" }, { id: "manual-submit" });
  lookUp.type = "submit";
  const form = el("form", { id: "manual-form" }, manual.wrapper, manualError, lookUp);
  onSubmit(form, async () => {
    clearRegion(manualError);
    setFieldError(manual.input, null);
    if (manual.input.value.trim() === "") {
      setFieldError(manual.input, { en: "Type the code first.", zh: "请先输入登记码。" });
      manual.input.focus();
      return;
    }
    try {
      const scanned = await lookUpManualCode(ctx.service, manual.input.value, trust());
      stopCamera();
      await openScanned(scanned, false);
    } catch (e) {
      showCitizenProblem(manualError, e);
      manual.input.setAttribute("aria-invalid", "true");
      manual.input.focus();
    }
  });

  const top: Node[] = [];
  if (options.replaced) {
    const alert = el("div", { class: "alert replaced", role: "alert", id: "code-replaced" });
    alert.append(el("p", {}, biBlock(CODE_REPLACED.en, CODE_REPLACED.zh)));
    top.push(alert);
  } else if (options.problem !== undefined) {
    const alert = errorRegion("code-problem");
    showCitizenProblem(alert, options.problem);
    top.push(alert);
  }

  replaceChildren(
    app,
    ...top,
    el(
      "section",
      { "aria-labelledby": "scan-heading", id: "scan" },
      heading(
        2,
        { en: "Scan the code at the entrance", zh: "扫描入口处的场所码" },
        {
          id: "scan-heading",
        },
      ),
      paragraph(
        "Point the camera at the QR code on the entrance poster. The picture stays on this phone.",
        "请将摄像头对准入口海报上的二维码。画面只在本机处理。",
        { class: "hint" },
      ),
      el("div", { class: "scanner" }, video),
      el("div", { class: "actions" }, start, stop),
      scanError,
    ),
    el(
      "section",
      { "aria-labelledby": "manual-heading", id: "manual" },
      heading(2, { en: "Or type the code", zh: "或输入手动登记码" }, { id: "manual-heading" }),
      form,
    ),
    visitsLink(),
  );
}

function visitsLink(): HTMLElement {
  return el(
    "p",
    { class: "visits-link" },
    el(
      "a",
      { href: "/visits/" },
      bi("My visits and what this phone keeps", "我的登记及本机保存的信息"),
    ),
  );
}

/**
 * A verified code: is it still current? A replaced code stores nothing and says so; without a
 * network the form is still offered (the check-in then waits in the queue, and the service
 * checks the code when it arrives).
 */
async function openScanned(scanned: ScannedCode, fromLink: boolean): Promise<void> {
  clearRegion(pageError);
  replaceChildren(
    app,
    el("p", { class: "muted", id: "checking" }, bi("Checking the code…", "正在核验场所码…")),
  );
  let offline = false;
  try {
    const current = await checkCodeIsCurrent(ctx, scanned.fragment);
    if (current.kioskRequired && scanned.kiosk === undefined) {
      // A poster, or a photo of a kiosk screen cut short: said now, before any detail is typed.
      throw new LintelError(
        "kiosk-code-required",
        "This entrance takes only the rotating code on its kiosk screen.",
      );
    }
  } catch (e) {
    const code = e instanceof LintelError ? e.code : "";
    if (code === "network") {
      offline = true;
    } else {
      forgetFragment();
      showScan(code === "code-replaced" ? { replaced: true } : { problem: e });
      focusHeading("scan-heading");
      return;
    }
  }
  const already = (await openVisits(ctx)).find((v) => v.entranceId === scanned.code.entranceId);
  if (already) {
    forgetFragment();
    showPass(already, {
      en: "You are already checked in at this entrance.",
      zh: "您已在此入口登记。",
    });
    return;
  }
  showForm(scanned, offline);
  mark("form-shown");
  if (!fromLink) announce({ en: "Code read.", zh: "已读取场所码。" });
  if (!fromLink) focusHeading("venue-heading");
}

// ── the details form ─────────────────────────────────────────────────────────────────────────

const LIMITS = { name: 64, phone: 24, idNumber: 24 } as const;
const PHONE = /^[0-9 +\-()]+$/;
const CONTROL = /[\p{Cc}\p{Cf}]/u;
const utf8Length = (s: string) => new TextEncoder().encode(s).length;

interface PersonFields {
  readonly name: HTMLInputElement;
  readonly phone: HTMLInputElement;
  readonly idNumber?: HTMLInputElement;
}

function input(field: { input: HTMLInputElement | HTMLTextAreaElement }): HTMLInputElement {
  return field.input as HTMLInputElement;
}

/** Field checks the protocol would otherwise refuse; the first bad control, or undefined. */
function checkPerson(
  fields: PersonFields,
  rules: { phoneRequired: boolean; idRequired: boolean },
): HTMLElement | undefined {
  let first: HTMLElement | undefined;
  const fail = (control: HTMLElement, message: Bi) => {
    setFieldError(control, message);
    first ??= control;
  };
  for (const control of [fields.name, fields.phone, fields.idNumber]) {
    if (control) setFieldError(control, null);
  }
  const name = fields.name.value.trim();
  if (name === "") fail(fields.name, { en: "Type a name.", zh: "请填写姓名。" });
  else if (utf8Length(name) > LIMITS.name || CONTROL.test(name)) {
    fail(fields.name, { en: "This name is too long.", zh: "姓名过长。" });
  }
  const phone = fields.phone.value.trim();
  if (phone === "" && rules.phoneRequired) {
    fail(fields.phone, { en: "Type a phone number.", zh: "请填写电话号码。" });
  } else if (
    phone !== "" &&
    (!PHONE.test(phone) || !/[0-9]/.test(phone) || utf8Length(phone) > LIMITS.phone)
  ) {
    fail(fields.phone, {
      en: "Use digits, spaces, +, - and brackets only (at most 24).",
      zh: "只能包含数字、空格、+、- 和括号（最多 24 个）。",
    });
  }
  if (fields.idNumber) {
    const id = fields.idNumber.value.trim();
    if (id === "" && rules.idRequired) {
      fail(fields.idNumber, {
        en: "This venue asks for an ID number.",
        zh: "此场所要求填写证件号码。",
      });
    } else if (utf8Length(id) > LIMITS.idNumber || CONTROL.test(id)) {
      fail(fields.idNumber, {
        en: "At most 24 characters.",
        zh: "最多 24 个字符。",
      });
    }
  }
  return first;
}

function showForm(scanned: ScannedCode, unchecked: boolean): void {
  clearView();
  const code = scanned.code;
  const askId = code.contactFields.idNumber;
  const profile = loadProfile();

  const name = textField(
    "contact-name",
    { en: "Your name", zh: "您的姓名" },
    {
      required: true,
      autocomplete: "name",
      maxLength: LIMITS.name,
      value: profile?.self.name ?? "",
    },
  );
  const phone = textField(
    "contact-phone",
    { en: "Your phone number", zh: "您的电话号码" },
    {
      required: true,
      type: "tel",
      autocomplete: "tel",
      inputMode: "tel",
      maxLength: LIMITS.phone,
      value: profile?.self.phone ?? "",
      hint: {
        en: "Only a health officer can ever read it, and only after an exposure at this entrance.",
        zh: "只有在此入口发生暴露后，卫生部门人员才可能读取。",
      },
    },
  );
  const idNumber = askId
    ? textField(
        "contact-id",
        { en: "Your ID number", zh: "您的证件号码" },
        {
          required: true,
          autocomplete: "off",
          maxLength: LIMITS.idNumber,
          value: profile?.self.idNumber ?? "",
          hint: {
            en: "This venue must ask for it. It is encrypted like the rest.",
            zh: "此场所必须登记证件号码，它与其他信息一样会被加密。",
          },
        },
      )
    : undefined;
  const self: PersonFields = {
    name: input(name),
    phone: input(phone),
    ...(idNumber ? { idNumber: input(idNumber) } : {}),
  };

  // Companions: each gets a record (and a check-in) of their own.
  const rows = el("ol", { class: "companion-rows plain", id: "companion-rows" });
  const companions: Array<{ id: number; row: HTMLLIElement; fields: PersonFields }> = [];
  let nextId = 1;
  const add = button(
    { en: "Add a person with you", zh: "添加同行人员" },
    { id: "add-companion", class: "secondary" },
  );

  const renumber = () => {
    companions.forEach((c, i) => {
      const legend = c.row.querySelector("legend");
      legend?.replaceChildren(bi(`Person with you ${i + 1}`, `同行人员 ${i + 1}`));
      const remove = c.row.querySelector<HTMLButtonElement>("button.remove");
      remove?.replaceChildren(bi(`Remove person ${i + 1}`, `移除同行人员 ${i + 1}`));
    });
    add.hidden = companions.length >= MAX_COMPANIONS;
  };

  const addCompanion = (details?: PersonDetails): PersonFields => {
    const id = nextId++;
    const cName = textField(
      `companion-${id}-name`,
      { en: "Name", zh: "姓名" },
      { required: true, autocomplete: "off", maxLength: LIMITS.name, value: details?.name ?? "" },
    );
    const cPhone = textField(
      `companion-${id}-phone`,
      { en: "Phone number", zh: "电话号码" },
      {
        type: "tel",
        autocomplete: "off",
        inputMode: "tel",
        maxLength: LIMITS.phone,
        value: details?.phone ?? "",
        hint: { en: "Leave empty to use yours.", zh: "留空则使用您的号码。" },
      },
    );
    const cId = askId
      ? textField(
          `companion-${id}-id`,
          { en: "ID number", zh: "证件号码" },
          {
            autocomplete: "off",
            maxLength: LIMITS.idNumber,
            value: details?.idNumber ?? "",
            hint: { en: "If they have one.", zh: "如有请填写。" },
          },
        )
      : undefined;
    const remove = button("", { class: "secondary remove", id: `companion-${id}-remove` });
    const row = el(
      "li",
      { "data-companion": String(id) },
      el("fieldset", {}, el("legend", {}), cName.wrapper, cPhone.wrapper, cId?.wrapper, remove),
    );
    const fields: PersonFields = {
      name: input(cName),
      phone: input(cPhone),
      ...(cId ? { idNumber: input(cId) } : {}),
    };
    const entry = { id, row, fields };
    companions.push(entry);
    rows.append(row);
    remove.addEventListener("click", () => {
      const at = companions.indexOf(entry);
      companions.splice(at, 1);
      row.remove();
      renumber();
      announce({ en: "Person removed.", zh: "已移除同行人员。" });
      const next = companions[at] ?? companions[at - 1];
      (next ? next.fields.name : add).focus();
    });
    renumber();
    return fields;
  };
  for (const c of profile?.companions ?? []) addCompanion(c);
  add.addEventListener("click", () => {
    if (companions.length >= MAX_COMPANIONS) return;
    addCompanion().name.focus();
    announce({ en: "Person added.", zh: "已添加同行人员。" });
  });

  const stay = selectField(
    "stay",
    { en: "How long you will stay", zh: "预计停留时间" },
    stayChoices(code.defaultStayMinutes),
    {
      value: String(code.defaultStayMinutes),
      hint: {
        en: "You are checked out automatically then, unless you check out earlier.",
        zh: "到时将自动为您办理离开，您也可以提前离开。",
      },
    },
  );

  const remember = checkbox(
    "remember",
    bi("Remember these details on this phone for next time", "在本机记住这些信息，下次自动填写"),
    true,
  );
  const rememberBox = remember.querySelector("input")!;

  const error = errorRegion("checkin-error");
  const submit = button({ en: "Check in", zh: "登记" }, { id: "check-in", class: "primary" });
  submit.type = "submit";
  submit.setAttribute("aria-describedby", error.id);

  const form = el(
    "form",
    { id: "checkin-form" },
    name.wrapper,
    phone.wrapper,
    idNumber?.wrapper,
    el(
      "fieldset",
      { id: "companions" },
      el("legend", {}, bi("People with you", "同行人员")),
      paragraph(
        "Family or children checking in with you: each gets a check-in of their own.",
        "与您一同登记的家人或儿童：每人单独登记。",
        { class: "hint" },
      ),
      rows,
      add,
    ),
    stay.wrapper,
    remember,
    el(
      "p",
      { class: "note", id: "privacy-note" },
      biBlock(
        "Your details are encrypted on this phone before they are sent. Nobody can read them — not this service, not the venue — unless an exposure query for this entrance and these hours is approved and written to the public log. They are deleted after the retention period.",
        "您的信息在发送前于本机加密。除非针对此入口和时段的流调查询获得批准并写入公开日志，任何人（包括本服务和场所）都无法读取。保存期满后即被删除。",
      ),
    ),
    error,
    submit,
  );

  onSubmit(form, async () => {
    clearRegion(error);
    const bad = [
      checkPerson(self, { phoneRequired: true, idRequired: askId }),
      ...companions.map((c) => checkPerson(c.fields, { phoneRequired: false, idRequired: false })),
    ].find((c) => c !== undefined);
    if (bad) {
      showMessage(error, {
        en: "Some details need correcting: see the marked fields.",
        zh: "部分信息需要更正，请查看标出的字段。",
      });
      bad.focus();
      return;
    }
    const person = (f: PersonFields, fallbackPhone: string): PersonDetails => ({
      name: f.name.value.trim(),
      phone: f.phone.value.trim() || fallbackPhone,
      ...(f.idNumber && f.idNumber.value.trim() !== ""
        ? { idNumber: f.idNumber.value.trim() }
        : {}),
    });
    const head = person(self, "");
    const party = companions.map((c) => person(c.fields, head.phone));
    if (rememberBox.checked) {
      // An ID number remembered from a venue that asked keeps, where this one did not ask.
      const keptId = head.idNumber ?? profile?.self.idNumber;
      saveProfile({
        self: { ...head, ...(keptId ? { idNumber: keptId } : {}) },
        companions: companions.map((c) => person(c.fields, "")),
      });
    } else {
      forgetProfile(); // unticked: nothing of this person stays on the phone
    }
    mark("submit");
    announce({ en: "Encrypting and sending…", zh: "正在加密并发送…" });
    try {
      const keys = await encryptionKeys(ctx);
      const outcome = await ctx.queue.checkIn({
        keys,
        code: scanned,
        contact: head,
        companions: party,
        stayMinutes: Number(stay.input.value),
      });
      if (outcome.status === "stored") {
        await afterStored(outcome.visit);
        showPass(outcome.visit);
      } else {
        showWaiting(outcome.id, scanned.code);
      }
    } catch (e) {
      await discardRefused();
      if (e instanceof LintelError && e.code === "code-replaced") {
        forgetFragment();
        showScan({ replaced: true });
        focusHeading("scan-heading");
        return;
      }
      showCitizenProblem(error, e);
      submit.focus();
    }
  });

  const facts = el(
    "div",
    { class: "venue-card" },
    el("p", { class: "venue-name", id: "venue-name" }, code.venueName),
    el("p", { class: "entrance-name", id: "entrance-name" }, code.entranceName),
    el(
      "p",
      { class: "usual-stay", id: "usual-stay" },
      bi(
        `Usual stay: ${stayText(code.defaultStayMinutes).en}`,
        `通常停留：${stayText(code.defaultStayMinutes).zh}`,
      ),
    ),
  );
  const offlineNote = unchecked
    ? el(
        "p",
        { class: "warning", id: "unchecked-note" },
        biBlock(
          "This phone is offline, so the code could not be checked with the service yet. You can still check in: it is kept on this phone and sent when you are back online.",
          "本机目前离线，暂时无法向服务核验场所码。您仍可登记：登记会保存在本机，联网后自动发送。",
        ),
      )
    : null;
  const another = button(
    { en: "Scan another code", zh: "扫描其他场所码" },
    { id: "scan-another", class: "secondary" },
  );
  another.addEventListener("click", () => {
    forgetFragment();
    showScan();
    focusHeading("scan-heading");
  });

  replaceChildren(
    app,
    el(
      "section",
      { "aria-labelledby": "venue-heading", id: "venue" },
      heading(2, { en: "You are checking in at", zh: "您正在登记的场所" }, { id: "venue-heading" }),
      facts,
      offlineNote,
    ),
    el(
      "section",
      { "aria-labelledby": "details-heading", id: "details" },
      heading(2, { en: "Your details", zh: "您的信息" }, { id: "details-heading" }),
      form,
      el("div", { class: "actions" }, another),
    ),
  );
}

// ── after check-in: the pass, the queue ──────────────────────────────────────────────────────

/** Only one visit is open at a time: a new check-in checks the others out (best effort). */
async function afterStored(visit: Visit): Promise<void> {
  forgetFragment();
  for (const other of await openVisits(ctx)) {
    if (other.id === visit.id) continue;
    await checkOutVisit(ctx, other).catch(() => undefined);
  }
}

function showPass(visit: Visit, note?: Bi): void {
  clearView();
  pass = renderPass(ctx, visit, note ? { note } : {});
  replaceChildren(
    app,
    pass.element,
    el(
      "div",
      { class: "actions" },
      (() => {
        const again = button(
          { en: "Check in somewhere else", zh: "在其他场所登记" },
          { id: "new-check-in", class: "secondary" },
        );
        again.addEventListener("click", () => {
          showScan();
          focusHeading("scan-heading");
        });
        return again;
      })(),
    ),
  );
  focusHeading("pass-heading");
  announce(
    visit.checkedOutAt === undefined
      ? {
          en: "Checked in. Show this pass if staff ask.",
          zh: "登记成功。如工作人员要求，请出示此凭证。",
        }
      : { en: "This visit is over.", zh: "本次到访已结束。" },
  );
  requestAnimationFrame(() => mark("pass-shown"));
}

/** A check-in kept on the phone because the service could not be reached. */
function showWaiting(id: string, place: { venueName: string; entranceName: string }): void {
  clearView();
  waitingId = id;
  const retry = button({ en: "Try sending now", zh: "立即发送" }, { id: "send-now" });
  const error = errorRegion("waiting-error");
  retry.addEventListener("click", () => {
    void flushQueue(error);
  });
  replaceChildren(
    app,
    el(
      "section",
      { "aria-labelledby": "waiting-heading", id: "waiting", "data-queued": id },
      heading(2, { en: "Saved on this phone", zh: "已保存在本机" }, { id: "waiting-heading" }),
      el("p", { class: "waiting-badge", id: "waiting-status" }, bi("Waiting to send", "等待发送")),
      el(
        "p",
        { class: "status-box", id: "waiting-message" },
        biBlock(
          "No connection: your check-in is saved, encrypted, on this phone, and will be sent when you are back online. Keep this page open or open it again later.",
          "没有网络：您的登记已加密保存在本机，联网后将自动发送。请保持此页面打开，或稍后再次打开。",
        ),
      ),
      el("p", { class: "venue-name", id: "waiting-venue" }, place.venueName),
      el("p", { class: "entrance-name", id: "waiting-entrance" }, place.entranceName),
      error,
      el("div", { class: "actions" }, retry),
    ),
  );
  announce({
    en: "No connection: saved on this phone, will be sent when you are online.",
    zh: "没有网络：已保存在本机，联网后将发送。",
  });
  focusHeading("waiting-heading");
  waitingTimer = window.setInterval(() => {
    if (navigator.onLine) void flushQueue();
  }, 15_000);
}

/** Drops check-ins the service refused for good, once the person has been told. */
async function discardRefused(): Promise<void> {
  for (const item of await ctx.queue.list()) {
    if (item.submissions[0]?.state === "refused") await ctx.queue.discard(item.id);
  }
}

let flushing: Promise<void> | undefined;

/**
 * Sends what the queue holds; shows the pass of the check-in this page was waiting for (or, with
 * `showAny`, of any check-in it sent).
 */
function flushQueue(region: HTMLElement = pageError, showAny = false): Promise<void> {
  flushing ??= (async () => {
    try {
      const result = await ctx.queue.flush();
      for (const visit of result.stored) {
        await afterStored(visit);
        if (visit.id === waitingId || showAny) {
          showPass(visit, {
            en: "Your check-in saved on this phone has been sent.",
            zh: "保存在本机的登记已发送。",
          });
        } else {
          announce({
            en: "A check-in saved on this phone has been sent.",
            zh: "保存在本机的登记已发送。",
          });
        }
      }
      if (result.refused.length > 0) {
        const refusal = result.refused[0]!;
        showCitizenProblem(region, refusal.error);
        await discardRefused();
        if (refusal.id === waitingId) {
          showScan({ problem: refusal.error });
        }
      }
      if (result.error && region !== pageError) showCitizenProblem(region, result.error);
    } finally {
      flushing = undefined;
    }
  })();
  return flushing;
}

// ── start ────────────────────────────────────────────────────────────────────────────────────

async function main(): Promise<void> {
  // Read the fragment first, before anything can change the address.
  const fragment = location.hash.slice(1);
  void fastCurves(); // fetched while the page starts; until it is in, encryption uses noble
  try {
    ctx = await openCitizen();
  } catch (e) {
    replaceChildren(app);
    showCitizenProblem(pageError, e);
    return;
  }
  void encryptionKeys(ctx).catch(() => undefined); // ready before the form is sent
  addEventListener("online", () => {
    void flushQueue();
  });
  try {
    const closed = await tidyDiary(ctx);
    if (closed.length > 0) {
      announce({
        en: "Visits whose stay was over were checked out automatically.",
        zh: "停留时间已到的到访已自动办理离开。",
      });
    }
    // A check-in saved offline earlier goes now; its pass shows unless a new code was opened.
    await flushQueue(pageError, fragment === "");
  } catch (e) {
    showCitizenProblem(pageError, e);
  }
  if (pass) return;

  if (fragment) {
    let scanned: ScannedCode;
    try {
      scanned = readCode(fragment, trust());
    } catch (e) {
      forgetFragment();
      showScan({ problem: e });
      return;
    }
    await openScanned(scanned, true);
    return;
  }
  const open = (await openVisits(ctx))[0];
  // Still no connection: the check-in saved on this phone shows, waiting, as it did.
  const queued = (await ctx.queue.list())[0];
  if (open) showPass(open);
  else if (queued) showWaiting(queued.id, queued.prepared);
  else showScan();
}

registerServiceWorker();
void main();
