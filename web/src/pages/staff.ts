/**
 * The venue staff's page: sign in with the one-time enrolment code the operator handed over
 * (the device key is kept under "staff"), pick the entrance, and
 *
 *   - check in a person without a smartphone ("proxy"): from their citizen card — scanned with
 *     the camera, typed by a handheld scanner, or pasted — whose sealed contact goes into the
 *     record unopened, or from their details typed here;
 *   - send in a paper list kept during a device fault ("paper"), one row at a time, each starting
 *     at its arrival hour within the last 24 hours;
 *   - show today's check-in word large, to match against people's passes.
 *
 * Strictly write-only. Every record is built and encrypted on this device (client-sdk
 * prepareStaffCheckIn) and sent to POST /api/checkins/staff signed by the staff device key. The
 * page never asks the service for anything it stored, and keeps nothing: after a check-in it
 * shows only "checked in", the masked name (a card's public one, or the typed name masked the
 * same way) and the time, and clears the form; after a paper row only the number of rows sent.
 * There is no list of earlier check-ins anywhere.
 */

import {
  callRoute,
  type DeploymentInfo,
  type EncryptionKeys,
  fetchDeployment,
  LintelError,
  loadEncryptionKeys,
  prepareStaffCheckIn,
  readCode,
  type ScannedCode,
  type SignedServiceOptions,
  type StaffPerson,
  type StaffRecordedBy,
  submitStaffCheckIn,
} from "@lintel/client-sdk";
import { citizenRoutes, operatorRoutes, type RouteAnswer } from "@lintel/contract";
import { el, replaceChildren } from "../lib/dom.ts";
import { fastCurves, keepProofMemory, restoreProofMemory } from "../lib/fast-curves.ts";
import { type Bi, bi, biText, tr } from "../lib/i18n.ts";
import { SignedPage } from "../lib/page.ts";
import { endsSession } from "../lib/problems.ts";
import { callSigned, signedService } from "../lib/signed-call.ts";
import { type Scanner, startScanner } from "../lib/staff-camera.ts";
import {
  type ContactInputs,
  clearContact,
  contactInputs,
  readContact,
} from "../lib/staff-contact.ts";
import { showStaffProblem } from "../lib/staff-problems.ts";
import { localClock, localDate, zonedToUnix } from "../lib/staff-time.ts";
import {
  announce,
  button,
  clearRegion,
  errorRegion,
  heading,
  onActivate,
  onSubmit,
  paragraph,
  selectField,
  setFieldError,
  showMessage,
  textField,
} from "../lib/ui.ts";

/** One of the staff member's own entrances, as the API contract declares it. */
type StaffEntrance = RouteAnswer<typeof operatorRoutes.staffEntrances>["entrances"][number];

/** What encrypting needs, fetched and verified once (the deployment, the epoch keys). */
interface CryptoContext {
  readonly deployment: DeploymentInfo;
  readonly keys: EncryptionKeys;
  readonly loadedAt: number;
}

/** The entrance being worked, with its registry-signed code verified on this device. */
interface Door {
  readonly entrance: StaffEntrance;
  readonly code: ScannedCode;
}

const STAY_CHOICES = [15, 30, 60, 90, 120, 180, 240, 360, 480, 720];
/** The epoch keys are fetched again after this long (they are published a week ahead). */
const KEYS_MAX_AGE_MS = 6 * 3600 * 1000;
/** How long the last check-in's "checked in" stays on screen. */
const RESULT_SHOWN_MS = 90 * 1000;
const CARD_TEXT_MAX = 1000;
/** A citizen card's QR text starts with this (PROTOCOL.md §5.4). */
const CITIZEN_CARD_TEXT_PREFIX = "LINTEL-CARD:";

const page = new SignedPage("staff", render);
const accountBox = document.getElementById("account")!;
const workspace = document.getElementById("workspace")!;

let cryptoContext: Promise<CryptoContext> | undefined;
let scanner: Scanner | undefined;
/** Closes the open camera view (stops the camera and hides the view). */
let closeCamera: (() => void) | undefined;
let resultTimer = 0;
let paperRowsSent = 0;

function stopCamera(): void {
  scanner?.stop();
  scanner = undefined;
  closeCamera?.();
  closeCamera = undefined;
}

function render(): void {
  stopCamera();
  const intro = paragraph(
    "Your venue's operator gives you a one-time enrolment code for the entrances you work at.",
    "场所经营者会为您负责的入口提供一次性登记码。",
  );
  const signedIn = page.accountGate(accountBox, workspace, {
    before: [intro],
    focusAfterSignIn: "where-heading",
    onSignOut: () => {
      paperRowsSent = 0;
    },
  });
  if (!signedIn) return;
  const where = el("section", { id: "where", "aria-labelledby": "where-heading" });
  const word = el("section", { id: "day-word-section", "aria-labelledby": "day-word-heading" });
  const tasks = el("div", { id: "tasks" });
  replaceChildren(workspace, where, word, tasks);
  renderDayWord(word);
  void loadEntrances(where, tasks);
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

/** The staff device's key as the SDK's signed calls take it. */
function staffService(): Promise<SignedServiceOptions> {
  return signedService(page.role, page.deployment.id);
}

// ── where: the entrance ──────────────────────────────────────────────────────────────────────

function entranceText(e: StaffEntrance): Bi {
  return { en: `${e.venue.name.en} — ${e.label.en}`, zh: `${e.venue.name.zh} — ${e.label.zh}` };
}

async function loadEntrances(section: HTMLElement, tasks: HTMLElement): Promise<void> {
  const error = errorRegion("where-error");
  replaceChildren(
    section,
    heading(
      2,
      { en: "Your entrance", zh: "您所在的入口" },
      { id: "where-heading", tabindex: "-1" },
    ),
    error,
    paragraph("Loading…", "加载中…", { class: "muted" }),
  );
  let entrances: StaffEntrance[];
  try {
    ({ entrances } = await callSigned(page, operatorRoutes.staffEntrances));
  } catch (e) {
    section.lastElementChild?.remove();
    fail(error, e);
    return;
  }
  section.lastElementChild?.remove();
  if (entrances.length === 0) {
    section.append(
      paragraph(
        "This account is not bound to any open entrance. Ask your venue's operator.",
        "此账户未绑定任何开放的入口，请联系场所经营者。",
      ),
    );
    return;
  }
  const where = el("p", { id: "where-now", class: "where", "aria-live": "polite" });
  const choose = async (entrance: StaffEntrance) => {
    clearRegion(error);
    replaceChildren(tasks);
    stopCamera();
    replaceChildren(where, bi("Checking the entrance's code…", "正在核验入口的场所码…"));
    try {
      const door = await openDoor(entrance);
      const name = entranceText(entrance);
      replaceChildren(
        where,
        bi("Checking people in at", "当前登记入口"),
        ": ",
        el("strong", { class: "venue-name" }, tr(name)),
      );
      renderTasks(tasks, door);
    } catch (e) {
      replaceChildren(where);
      if (e instanceof LintelError && !endsSession(e) && e.status === undefined) {
        // Found on this device: the code did not verify against the registry's key.
        showMessage(error, {
          en: "This entrance's code could not be verified. Do not check anyone in; tell the venue operator.",
          zh: "无法核验该入口的场所码。请勿登记，并告知场所经营者。",
        });
        const detail = el("p", { class: "detail" }, `${e.message} (${e.code})`);
        error.append(detail);
        return;
      }
      fail(error, e);
    }
  };
  if (entrances.length === 1) {
    section.append(where);
    await choose(entrances[0]!);
    return;
  }
  const select = selectField(
    "entrance",
    { en: "Entrance you are at", zh: "您所在的入口" },
    entrances.map((e) => ({ value: e.id, label: entranceText(e) })),
  );
  select.input.addEventListener("change", () => {
    const chosen = entrances.find((e) => e.id === select.input.value);
    if (chosen) void choose(chosen);
  });
  section.append(select.wrapper, where);
  await choose(entrances[0]!);
}

async function openDoor(entrance: StaffEntrance): Promise<Door> {
  const [context, answer] = await Promise.all([
    loadCrypto(),
    callRoute({ baseUrl: location.origin }, citizenRoutes.entranceCode, {
      params: { id: entrance.id },
    }),
  ]);
  const code = readCode(answer.url, {
    registryVerifierKey: context.deployment.registry.verifierKey,
    deployment: context.deployment.id,
  });
  if (code.code.entranceId !== entrance.id) {
    throw new LintelError("unknown-code", "The service answered with another entrance's code.");
  }
  return { entrance, code };
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
    heading(2, { en: "Today's check-in word", zh: "今日登记口令" }, { id: "day-word-heading" }),
    paragraph(
      "Every check-in pass shown today carries this word. A pass with another word is not from today.",
      "今天出示的每张登记凭证都带有此口令。口令不同的凭证不是今天的。",
    ),
    word,
    error,
    refresh,
  );
  void load();
}

// ── the tasks at the door ────────────────────────────────────────────────────────────────────

function renderTasks(tasks: HTMLElement, door: Door): void {
  const askId = door.code.code.contactFields.idNumber;
  replaceChildren(tasks, proxySection(door, askId), paperSection(door, askId));
}

interface Submission {
  readonly door: Door;
  readonly recordedBy: StaffRecordedBy;
  readonly person: StaffPerson;
  readonly arrival?: Date;
  readonly stayMinutes?: number;
}

/** Encrypts on this device and sends; resolves with what the door may show. */
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
  return submitStaffCheckIn(await staffService(), context.deployment, prepared);
}

function proxySection(door: Door, askId: boolean): HTMLElement {
  const section = el("section", {
    id: "proxy",
    class: "task",
    "aria-labelledby": "proxy-heading",
  });
  const result = el("div", { id: "proxy-result", class: "result", tabindex: "-1" });
  const showDone = (maskedName: string, arrival: number) => {
    const at = localClock(arrival, page.deployment.timezone);
    window.clearTimeout(resultTimer);
    replaceChildren(
      result,
      el("p", {}, el("strong", {}, bi("Checked in", "已登记"))),
      el("p", { class: "masked-name", "data-masked-name": "" }, maskedName),
      el("p", {}, bi(`at ${at}`, `时间 ${at}`)),
    );
    resultTimer = window.setTimeout(() => replaceChildren(result), RESULT_SHOWN_MS);
    announce({
      en: `Checked in: ${maskedName} at ${at}.`,
      zh: `已登记：${maskedName}，时间 ${at}。`,
    });
  };

  // With the card.
  const cardForm = el("form", { id: "card-form" });
  const cardField = textField(
    "card-text",
    { en: "Card text", zh: "登记卡文字" },
    {
      maxLength: CARD_TEXT_MAX,
      autocomplete: "off",
      hint: {
        en: `Scan the card's QR code with the camera, or with a handheld scanner into this field, or paste its text (it starts with ${CITIZEN_CARD_TEXT_PREFIX}).`,
        zh: `用摄像头或扫码枪扫描登记卡二维码（扫码枪会填入此栏），或粘贴卡上文字（以 ${CITIZEN_CARD_TEXT_PREFIX} 开头）。`,
      },
    },
  );
  cardField.input.classList.add("card-input");
  cardField.input.spellcheck = false;
  cardField.input.setAttribute("autocapitalize", "characters");
  const cardError = errorRegion("card-error");
  const cardSubmit = button(
    { en: "Check in with the card", zh: "凭卡登记" },
    { id: "card-submit", "aria-describedby": cardError.id },
  );
  cardSubmit.type = "submit";
  const camera = cameraPart(cardField.input, cardForm, cardError);
  cardForm.append(camera, cardField.wrapper, cardError, cardSubmit);
  onSubmit(cardForm, async () => {
    clearRegion(cardError);
    const text = cardField.input.value.trim();
    if (text === "") {
      setFieldError(cardField.input, {
        en: "Scan the card or enter its text.",
        zh: "请扫描登记卡或输入卡上文字。",
      });
      cardField.input.focus();
      return;
    }
    setFieldError(cardField.input, null);
    try {
      const done = await send({ door, recordedBy: "proxy", person: { card: text } });
      cardField.input.value = "";
      showDone(done.maskedName, done.arrival);
      cardField.input.focus();
    } catch (e) {
      fail(cardError, e);
    }
  });

  // By typing the details.
  const typedForm = el("form", { id: "typed-form" });
  const inputs = contactInputs("typed", askId ? "required" : "none");
  const typedError = errorRegion("typed-error");
  const typedSubmit = button(
    { en: "Check in", zh: "登记" },
    { id: "typed-submit", "aria-describedby": typedError.id },
  );
  typedSubmit.type = "submit";
  typedForm.append(
    ...contactWrappers(inputs),
    typedError,
    el(
      "div",
      { class: "actions" },
      typedSubmit,
      clearButton("typed-clear", () => {
        clearContact(inputs);
        clearRegion(typedError);
        inputs.name.input.focus();
      }),
    ),
  );
  onSubmit(typedForm, async () => {
    clearRegion(typedError);
    const read = readContact(inputs);
    if ("invalid" in read) {
      showMessage(typedError, { en: "Check the marked fields.", zh: "请检查标出的字段。" });
      read.invalid.focus();
      return;
    }
    try {
      const done = await send({ door, recordedBy: "proxy", person: { contact: read.values } });
      clearContact(inputs);
      showDone(done.maskedName, done.arrival);
      inputs.name.input.focus();
    } catch (e) {
      fail(typedError, e);
    }
  });

  section.append(
    heading(2, { en: "Check someone in", zh: "为他人登记" }, { id: "proxy-heading" }),
    paragraph(
      "For a person without a smartphone, who is here now. Use their check-in card if they have one: then even you never see their details.",
      "为此刻在场、没有智能手机的人登记。如对方有登记卡，请使用登记卡：这样连您也看不到其个人信息。",
    ),
    result,
    heading(3, { en: "With their check-in card", zh: "使用登记卡" }),
    cardForm,
    heading(3, { en: "By typing their details", zh: "输入对方信息" }),
    paragraph(
      "The details are encrypted on this device and cleared from the form once sent.",
      "信息在本设备上加密，发送后即从表单中清除。",
      { class: "hint" },
    ),
    typedForm,
  );
  return section;
}

/** "Clear the form": drops what was typed (a row that was refused, say) without sending it. */
function clearButton(id: string, clear: () => void): HTMLButtonElement {
  const b = button({ en: "Clear the form", zh: "清空表单" }, { id, class: "secondary" });
  b.addEventListener("click", clear);
  return b;
}

function contactWrappers(inputs: ContactInputs): HTMLElement[] {
  return [
    inputs.name.wrapper,
    inputs.phone.wrapper,
    ...(inputs.idNumber ? [inputs.idNumber.wrapper] : []),
  ];
}

/** The camera button and view; a card read by the camera is put in the field and submitted. */
function cameraPart(
  field: HTMLInputElement | HTMLTextAreaElement,
  form: HTMLFormElement,
  error: HTMLElement,
): HTMLElement {
  const box = el("div", { class: "camera-part" });
  const panel = el("div", { id: "camera", class: "camera" });
  panel.hidden = true;
  const video = el("video", { "aria-label": biText("Camera view", "摄像头画面") });
  const note = el("p", { class: "hint", "aria-live": "polite" });
  const toggle = button(
    { en: "Scan the card with the camera", zh: "用摄像头扫描登记卡" },
    { id: "scan-card", class: "secondary", "aria-expanded": "false", "aria-controls": panel.id },
  );
  const close = () => {
    scanner?.stop();
    scanner = undefined;
    panel.hidden = true;
    toggle.setAttribute("aria-expanded", "false");
    replaceChildren(note);
  };
  const stop = button({ en: "Stop the camera", zh: "关闭摄像头" }, { class: "secondary" });
  stop.addEventListener("click", () => {
    close();
    toggle.focus();
  });
  panel.append(video, note, stop);
  onActivate(toggle, async () => {
    if (scanner) {
      close();
      return;
    }
    clearRegion(error);
    closeCamera = close;
    panel.hidden = false;
    toggle.setAttribute("aria-expanded", "true");
    replaceChildren(
      note,
      bi("Hold the card's QR code in front of the camera.", "请将登记卡二维码对准摄像头。"),
    );
    try {
      const started = await startScanner(video, (text) => {
        if (!text.startsWith(CITIZEN_CARD_TEXT_PREFIX)) {
          replaceChildren(note, bi("That QR code is not a check-in card.", "该二维码不是登记卡。"));
          return false;
        }
        field.value = text;
        close();
        form.requestSubmit();
        return true;
      });
      // Closed while the camera was starting (or the browser was asking for it): stop it again.
      if (panel.hidden) started.stop();
      else scanner = started;
    } catch (e) {
      close();
      fail(error, e);
    }
  });
  box.append(toggle, panel);
  return box;
}

// ── the paper list ───────────────────────────────────────────────────────────────────────────

function paperSection(door: Door, askId: boolean): HTMLElement {
  const timeZone = page.deployment.timezone;
  const section = el("section", {
    id: "paper",
    class: "task",
    "aria-labelledby": "paper-heading",
  });
  const form = el("form", { id: "paper-form" });
  const inputs = contactInputs("paper", askId ? "required" : "none");
  const now = Math.floor(Date.now() / 1000);
  const today = localDate(now, timeZone);
  const day = textField(
    "paper-day",
    { en: "Date", zh: "日期" },
    { required: true, type: "date", value: today },
  );
  day.input.setAttribute("max", today);
  day.input.setAttribute("min", localDate(now - 86_400, timeZone));
  const time = textField(
    "paper-time",
    { en: "Arrival time", zh: "到达时间" },
    {
      required: true,
      type: "time",
      hint: { en: "As written on the list, local time.", zh: "按登记表所写的当地时间。" },
    },
  );
  const defaultStay = door.code.code.defaultStayMinutes;
  const stays = [...new Set([...STAY_CHOICES, defaultStay])].sort((a, b) => a - b);
  const stay = selectField(
    "paper-stay",
    { en: "Stay", zh: "停留时长" },
    stays.map((m) => ({ value: String(m), label: stayLabel(m) })),
    { value: String(defaultStay) },
  );
  const row = el("div", { class: "field-row" }, day.wrapper, time.wrapper, stay.wrapper);
  const error = errorRegion("paper-error");
  const submit = button(
    { en: "Send this row", zh: "发送此行" },
    { id: "paper-submit", "aria-describedby": error.id },
  );
  submit.type = "submit";
  const count = el("p", { id: "paper-count", class: "count" });
  const showCount = () =>
    replaceChildren(count, bi(`Rows sent: ${paperRowsSent}`, `已发送：${paperRowsSent} 行`));
  showCount();
  form.append(
    ...contactWrappers(inputs),
    row,
    error,
    el(
      "div",
      { class: "actions" },
      submit,
      clearButton("paper-clear", () => {
        clearContact(inputs);
        time.input.value = "";
        setFieldError(time.input, null);
        setFieldError(day.input, null);
        clearRegion(error);
        inputs.name.input.focus();
      }),
    ),
  );
  onSubmit(form, async () => {
    clearRegion(error);
    const read = readContact(inputs);
    const at = zonedToUnix(day.input.value, time.input.value, timeZone);
    const dayProblem = /^\d{4}-\d{2}-\d{2}$/.test(day.input.value)
      ? null
      : { en: "Enter the date.", zh: "请填写日期。" };
    const timeProblem =
      at === null && /^\d{2}:\d{2}/.test(time.input.value) === false
        ? { en: "Enter the arrival time.", zh: "请填写到达时间。" }
        : null;
    setFieldError(day.input, dayProblem);
    setFieldError(time.input, timeProblem);
    if ("invalid" in read || at === null) {
      showMessage(error, { en: "Check the marked fields.", zh: "请检查标出的字段。" });
      ("invalid" in read ? read.invalid : dayProblem ? day.input : time.input).focus();
      return;
    }
    if (at > Date.now() / 1000) {
      setFieldError(time.input, { en: "This time is still to come.", zh: "该时间尚未到来。" });
      showStaffProblem(error, new LintelError("bad-slots", ""));
      time.input.focus();
      return;
    }
    try {
      await send({
        door,
        recordedBy: "paper",
        person: { contact: read.values },
        arrival: new Date(at * 1000),
        stayMinutes: Number(stay.input.value),
      });
      clearContact(inputs);
      time.input.value = "";
      paperRowsSent++;
      showCount();
      announce({
        en: `Row sent. Rows sent: ${paperRowsSent}.`,
        zh: `已发送此行。共 ${paperRowsSent} 行。`,
      });
      inputs.name.input.focus();
    } catch (e) {
      if (e instanceof LintelError && e.code === "bad-slots") {
        setFieldError(time.input, {
          en: "Not within the last 24 hours.",
          zh: "不在过去 24 小时内。",
        });
        time.input.focus();
      }
      fail(error, e);
    }
  });
  section.append(
    heading(2, { en: "Send in a paper list", zh: "补录纸质登记表" }, { id: "paper-heading" }),
    paragraph(
      "Only after a device fault: type each row of the paper list kept at this entrance. Rows from the last 24 hours are taken, each recorded from its arrival hour. Each row is encrypted and sent on its own, and the form is cleared; only the number of rows sent is shown.",
      "仅在设备故障后使用：逐行输入本入口的纸质登记表。只接受过去 24 小时内的记录，每条记录从其到达的整点时段开始。每行单独加密发送，发送后表单即清空，页面只显示已发送的行数。",
    ),
    form,
    count,
  );
  return section;
}

function stayLabel(minutes: number): Bi {
  if (minutes < 60 || minutes % 60 !== 0) {
    return { en: `${minutes} minutes`, zh: `${minutes} 分钟` };
  }
  const hours = minutes / 60;
  return { en: hours === 1 ? "1 hour" : `${hours} hours`, zh: `${hours} 小时` };
}

document.addEventListener("visibilitychange", () => {
  // The camera is not left running in a tab nobody looks at.
  if (document.hidden) stopCamera();
});

void page.start();
