/**
 * Accessible building blocks shared by the pages: labelled fields with hints and error messages
 * (linked by aria-describedby), buttons that cannot run twice at once, the error region
 * (role="alert") and the status line (aria-live="polite"), a confirmation dialog, times in the
 * deployment's time zone, and downloads of bytes made on the page. Untrusted text only ever goes
 * in as text nodes.
 */
import { type Bi, bi, biBlock, tr } from "./i18n.ts";
import { problemNodes } from "./problems.ts";

type Content = Node | string;

export function heading(
  level: 2 | 3 | 4,
  label: Bi,
  attrs: Readonly<Record<string, string>> = {},
): HTMLHeadingElement {
  const h = document.createElement(`h${level}`);
  for (const [name, value] of Object.entries(attrs)) h.setAttribute(name, value);
  h.append(bi(label.en, label.zh));
  return h;
}

export function paragraph(
  en: string,
  zh: string,
  attrs: Readonly<Record<string, string>> = {},
): HTMLParagraphElement {
  const p = document.createElement("p");
  for (const [name, value] of Object.entries(attrs)) p.setAttribute(name, value);
  p.append(biBlock(en, zh));
  return p;
}

export function button(
  label: Bi | Content,
  attrs: Readonly<Record<string, string>> = {},
): HTMLButtonElement {
  const b = document.createElement("button");
  b.type = "button";
  for (const [name, value] of Object.entries(attrs)) b.setAttribute(name, value);
  b.append(isBi(label) ? bi(label.en, label.zh) : label);
  return b;
}

function isBi(value: unknown): value is Bi {
  return typeof value === "object" && value !== null && "en" in value && "zh" in value;
}

/**
 * Runs `work` when `target` is activated, once at a time: while it runs the button says it is
 * busy (aria-disabled, not `disabled`, so that keyboard focus stays where it was).
 */
export function onActivate(target: HTMLButtonElement, work: () => Promise<void>): void {
  target.addEventListener("click", () => {
    void runBusy(target, work);
  });
}

export async function runBusy(target: HTMLElement, work: () => Promise<void>): Promise<void> {
  if (target.dataset.busy === "true") return;
  target.dataset.busy = "true";
  target.setAttribute("aria-busy", "true");
  if (target instanceof HTMLButtonElement) target.setAttribute("aria-disabled", "true");
  try {
    await work();
  } finally {
    settleProgress();
    delete target.dataset.busy;
    target.removeAttribute("aria-busy");
    target.removeAttribute("aria-disabled");
  }
}

/** Submit handling for a form (Enter in a field, or its submit button), once at a time. */
export function onSubmit(form: HTMLFormElement, work: () => Promise<void>): void {
  form.noValidate = true;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void runBusy(form, work);
  });
}

// ── fields ───────────────────────────────────────────────────────────────────────────────────

export interface FieldOptions {
  readonly value?: string;
  readonly required?: boolean;
  readonly type?: string;
  readonly autocomplete?: string;
  readonly maxLength?: number;
  readonly hint?: Bi;
  /** The language of what is typed ("zh" for the Chinese name). */
  readonly lang?: string;
  readonly multiline?: boolean;
  readonly inputMode?: string;
}

/**
 * Dates and times typed as text, 24-hour, the same in every browser: the browser's own date and
 * time pickers follow the browser's locale, not the page's language (an English browser shows
 * "02:30 PM"), while what is typed here is always the deployment's wall clock.
 */
export type WallClockKind = "date" | "time" | "date-time";

const WALL_CLOCK: Readonly<Record<WallClockKind, { pattern: string; example: string }>> = {
  date: { pattern: "\\d{4}-\\d{2}-\\d{2}", example: "2026-05-01" },
  time: { pattern: "([01]\\d|2[0-3]):[0-5]\\d", example: "14:30" },
  // "T" as well as a space: what a datetime-local value or an ISO time would paste.
  "date-time": {
    pattern: "\\d{4}-\\d{2}-\\d{2}[T ]([01]\\d|2[0-3]):[0-5]\\d",
    example: "2026-05-01 14:30",
  },
};

/** A text field for a date, a 24-hour time or both, with its format in the hint. */
export function wallClockField(
  id: string,
  label: Bi,
  kind: WallClockKind,
  options: Omit<FieldOptions, "type" | "inputMode" | "maxLength"> = {},
): Field<HTMLInputElement> {
  const { pattern, example } = WALL_CLOCK[kind];
  const format: Bi =
    kind === "date"
      ? { en: `Year-month-day, e.g. ${example}.`, zh: `年-月-日，例如 ${example}。` }
      : { en: `24-hour clock, e.g. ${example}.`, zh: `24 小时制，例如 ${example}。` };
  const hint: Bi = options.hint
    ? { en: `${options.hint.en} ${format.en}`, zh: `${options.hint.zh}${format.zh}` }
    : format;
  const field = textField(id, label, {
    ...options,
    hint,
    maxLength: example.length,
    autocomplete: "off",
  }) as Field<HTMLInputElement>;
  field.input.pattern = pattern;
  field.input.placeholder = example;
  field.input.spellcheck = false;
  return field;
}

/** The date and the time of a "date-time" field's value ("YYYY-MM-DD HH:MM", or with a "T"). */
export function splitDateTime(value: string): { date: string; time: string } {
  const [date = "", time = ""] = value.trim().split(/[T ]+/);
  return { date, time };
}

export interface Field<E extends HTMLElement> {
  readonly wrapper: HTMLDivElement;
  readonly input: E;
}

function labelFor(id: string, label: Bi, required: boolean): HTMLLabelElement {
  const l = document.createElement("label");
  l.htmlFor = id;
  l.append(bi(label.en, label.zh));
  if (required) {
    const mark = document.createElement("span");
    mark.className = "required";
    mark.append(" (", bi("required", "必填"), ")");
    l.append(mark);
  }
  return l;
}

/** The hint and error elements below a control, linked to it by aria-describedby. */
function describe(wrapper: HTMLElement, control: HTMLElement, id: string, hint?: Bi): void {
  const ids: string[] = [];
  if (hint) {
    const p = document.createElement("p");
    p.className = "hint";
    p.id = `${id}-hint`;
    p.append(biBlock(hint.en, hint.zh));
    wrapper.append(p);
    ids.push(p.id);
  }
  const error = document.createElement("p");
  error.className = "field-error";
  error.id = `${id}-error`;
  wrapper.append(error);
  ids.push(error.id);
  control.setAttribute("aria-describedby", ids.join(" "));
}

export function textField(
  id: string,
  label: Bi,
  options: FieldOptions = {},
): Field<HTMLInputElement | HTMLTextAreaElement> {
  const wrapper = document.createElement("div");
  wrapper.className = "field";
  const input = document.createElement(options.multiline ? "textarea" : "input");
  input.id = id;
  input.name = id;
  if (input instanceof HTMLInputElement) input.type = options.type ?? "text";
  else input.rows = 3;
  if (options.value !== undefined) input.value = options.value;
  if (options.required) input.required = true;
  if (options.maxLength !== undefined) input.maxLength = options.maxLength;
  if (options.autocomplete) input.setAttribute("autocomplete", options.autocomplete);
  if (options.lang) input.lang = options.lang;
  if (options.inputMode) input.setAttribute("inputmode", options.inputMode);
  wrapper.append(labelFor(id, label, options.required ?? false));
  describe(wrapper, input, id, options.hint);
  // The control sits between its label and its hint/error text.
  wrapper.insertBefore(input, wrapper.children[1] ?? null);
  return { wrapper, input };
}

export interface Choice {
  readonly value: string;
  readonly label: Bi;
}

export function selectField(
  id: string,
  label: Bi,
  choices: readonly Choice[],
  options: { readonly value?: string; readonly required?: boolean; readonly hint?: Bi } = {},
): Field<HTMLSelectElement> {
  const wrapper = document.createElement("div");
  wrapper.className = "field";
  const select = document.createElement("select");
  select.id = id;
  select.name = id;
  if (options.required) select.required = true;
  for (const c of choices) {
    const option = document.createElement("option");
    option.value = c.value;
    option.textContent = c.label.zh ? tr(c.label) : c.label.en;
    select.append(option);
  }
  if (options.value !== undefined) select.value = options.value;
  wrapper.append(labelFor(id, label, options.required ?? false), select);
  describe(wrapper, select, id, options.hint);
  return { wrapper, input: select };
}

export function fileField(
  id: string,
  label: Bi,
  accept: string,
  hint: Bi,
): Field<HTMLInputElement> {
  const wrapper = document.createElement("div");
  wrapper.className = "field";
  const input = document.createElement("input");
  input.type = "file";
  input.id = id;
  input.name = id;
  input.accept = accept;
  wrapper.append(labelFor(id, label, false), input);
  describe(wrapper, input, id, hint);
  return { wrapper, input };
}

/** A checkbox with its label on the right, the whole row a large target. */
export function checkbox(id: string, label: Content, checked = false): HTMLDivElement {
  const wrapper = document.createElement("div");
  wrapper.className = "check";
  const input = document.createElement("input");
  input.type = "checkbox";
  input.id = id;
  input.checked = checked;
  const l = document.createElement("label");
  l.htmlFor = id;
  l.append(label);
  wrapper.append(input, l);
  return wrapper;
}

/** Shows (or, with null, clears) the message under one field and marks it invalid. */
export function setFieldError(control: HTMLElement, message: Bi | null): void {
  const error = document.getElementById(`${control.id}-error`);
  if (message === null) {
    control.removeAttribute("aria-invalid");
    error?.replaceChildren();
  } else {
    control.setAttribute("aria-invalid", "true");
    error?.replaceChildren(bi(message.en, message.zh));
  }
}

// ── messages ─────────────────────────────────────────────────────────────────────────────────

/** An error region for one form or task: empty until something fails. */
export function errorRegion(id: string): HTMLDivElement {
  const region = document.createElement("div");
  region.id = id;
  region.className = "alert";
  region.setAttribute("role", "alert");
  return region;
}

/**
 * Shows why something failed in its own region, beside what failed. The status line is emptied
 * too: it may still say what was under way ("Uploading…", "Preparing the poster…"), which the
 * failure has ended.
 */
export function showProblem(region: HTMLElement, e: unknown): void {
  clearStatus();
  region.replaceChildren(...problemNodes(e));
}

export function showMessage(region: HTMLElement, message: Bi): void {
  const p = document.createElement("p");
  p.append(bi(message.en, message.zh));
  region.replaceChildren(p);
}

export function clearRegion(region: HTMLElement): void {
  region.replaceChildren();
}

/** The status update waiting to be shown (see announce), if any. */
let pendingStatus: number | undefined;

/**
 * A status update in the page's polite live region (#status). `progress`: it says work is under
 * way ("Encrypting and sending…"), which settleProgress ends if the work does not say more.
 */
export function announce(message: Bi, options: { readonly progress?: boolean } = {}): void {
  const status = document.getElementById("status");
  if (!status) return;
  // Cleared first so that the same message twice in a row is announced twice.
  clearStatus();
  if (options.progress) status.dataset.progress = "true";
  const p = document.createElement("p");
  p.append(bi(message.en, message.zh));
  pendingStatus = window.setTimeout(() => {
    pendingStatus = undefined;
    status.replaceChildren(p);
  }, 50);
}

/** Empties the status line, including an update announced a moment ago and not yet shown. */
export function clearStatus(): void {
  window.clearTimeout(pendingStatus);
  pendingStatus = undefined;
  const status = document.getElementById("status");
  if (!status) return;
  delete status.dataset.progress;
  status.replaceChildren();
}

/**
 * Ends an "…ing" status that the work which announced it did not replace with its outcome (it
 * failed, and said so beside its button): the status line never claims work still under way.
 */
export function settleProgress(): void {
  if (document.getElementById("status")?.dataset.progress === "true") clearStatus();
}

// ── time, sizes, downloads ───────────────────────────────────────────────────────────────────

/** "2026-05-01 14:03" in `timeZone` (the deployment's). */
export function formatTime(unixSeconds: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(new Date(unixSeconds * 1000));
  const get = (type: Intl.DateTimeFormatPartTypes) =>
    parts.find((p) => p.type === type)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")} ${get("hour")}:${get("minute")}`;
}

/** "14:00–15:00" for the hour starting at `unixSeconds`. */
export function formatHour(unixSeconds: number, timeZone: string): string {
  const start = formatTime(unixSeconds, timeZone).slice(11);
  const end = formatTime(unixSeconds + 3600, timeZone).slice(11);
  return `${start}–${end}`;
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Saves bytes made on the page as a file, through a Blob URL and a download link. */
export function downloadBytes(bytes: Uint8Array, type: string, filename: string): void {
  const url = URL.createObjectURL(new Blob([new Uint8Array(bytes)], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // Long enough for the browser to have started the download.
  window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** A file name part from untrusted text: ASCII letters and digits only, else the fallback. */
export function fileSlug(text: string, fallback: string): string {
  const slug = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40);
  return slug || fallback;
}

// ── confirmation ─────────────────────────────────────────────────────────────────────────────

/**
 * Asks before something that cannot be undone, in a modal <dialog> (focus moves into it and
 * returns to the opener; Escape cancels). Resolves true only for the confirm button.
 */
export function confirmDialog(title: Bi, message: Content[], confirm: Bi): Promise<boolean> {
  const dialog = document.createElement("dialog");
  dialog.className = "confirm";
  const titleId = `dialog-title-${Math.random().toString(36).slice(2, 8)}`;
  dialog.setAttribute("aria-labelledby", titleId);
  const h = heading(2, title, { id: titleId });
  const body = document.createElement("div");
  body.append(...message);
  const cancelButton = button({ en: "Cancel", zh: "取消" }, { class: "secondary" });
  const confirmButton = button(confirm, { class: "danger", "data-confirm": "" });
  const actions = document.createElement("div");
  actions.className = "actions";
  actions.append(cancelButton, confirmButton);
  dialog.append(h, body, actions);
  document.body.append(dialog);
  return new Promise((resolve) => {
    let answer = false;
    cancelButton.addEventListener("click", () => dialog.close());
    confirmButton.addEventListener("click", () => {
      answer = true;
      dialog.close();
    });
    dialog.addEventListener("close", () => {
      dialog.remove();
      resolve(answer);
    });
    dialog.showModal();
    cancelButton.focus();
  });
}
