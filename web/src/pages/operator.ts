/**
 * The venue operator's page: sign up or sign in (device keys, no passwords), the operator's
 * applications, the application form (names, address, category, contact, entrances, licence and
 * floor plan), submission and resubmission after the registry's feedback, and for an approved
 * venue: the entrance codes with printable posters (built in this browser), code replacement,
 * today's counts, staff accounts and kiosk set-up.
 *
 * Everything the service returns about a venue is untrusted text and goes in as text nodes.
 */
import { buildPosterPdf, LintelError, type PosterEntrance } from "@lintel/client-sdk";
import {
  applicationRoutes,
  DOCUMENT_MEDIA_TYPES,
  MAX_DOCUMENT_BYTES,
  operatorRoutes,
  type RouteAnswer,
  type RouteInput,
} from "@lintel/contract";
import { VENUE_CODE_LIMITS } from "@lintel/protocol";
import {
  type ApplicationView,
  applicationFacts,
  documentsSection,
  entranceName,
  historySection,
  statusBadge,
  venueName,
} from "../lib/applications.ts";
import { el, replaceChildren } from "../lib/dom.ts";
import {
  type Bi,
  bi,
  CATEGORIES,
  categoryLabel,
  DOCUMENT_KINDS,
  DOCUMENT_LABELS,
  type DocumentKind,
  REPLACEMENT_REASONS,
  reasonLabel,
} from "../lib/i18n.ts";
import { kioskModeState, PHOTO_LIFETIME_SECONDS } from "../lib/kiosk-mode.ts";
import { renderAccountDevices } from "../lib/operator-devices.ts";
import { renderKioskDevices } from "../lib/operator-kiosks.ts";
import { SignedPage } from "../lib/page.ts";
import { Session } from "../lib/session.ts";
import { callSigned } from "../lib/signed-call.ts";
import {
  announce,
  button,
  checkbox,
  clearRegion,
  confirmDialog,
  downloadBytes,
  errorRegion,
  type Field,
  fileField,
  fileSlug,
  formatHour,
  formatSize,
  formatTime,
  heading,
  onActivate,
  onSubmit,
  paragraph,
  runBusy,
  selectField,
  setFieldError,
  showMessage,
  showProblem,
  textField,
} from "../lib/ui.ts";

// ── what the API answers, as its contract declares it ────────────────────────────────────────

type ApplicationSummary = RouteAnswer<
  typeof applicationRoutes.listApplications
>["applications"][number];
type EntranceCode = RouteAnswer<typeof operatorRoutes.venueCodes>["codes"][number];
type StaffMember = RouteAnswer<typeof operatorRoutes.listStaff>["staff"][number];
type ApplicationInput = RouteInput<typeof applicationRoutes.createApplication>["body"];

const isDocumentMediaType = (type: string) =>
  (DOCUMENT_MEDIA_TYPES as readonly string[]).includes(type);
const DOCUMENT_ACCEPT = `${DOCUMENT_MEDIA_TYPES.join(",")},.pdf,.png,.jpg,.jpeg`;
const PHONE = /^\+?[0-9][0-9 ()-]{5,24}$/;
const POSTER_FONT = "/assets/gen/fonts/NotoSansSC-Regular.ttf";

// ── page state ───────────────────────────────────────────────────────────────────────────────

const page = new SignedPage("operator", render);
/** The application open in the panel; undefined while a new one is not yet saved. */
let current: ApplicationView | undefined;

const accountBox = document.getElementById("account")!;
const workspace = document.getElementById("workspace")!;

const utf8Bytes = (s: string) => new TextEncoder().encode(s).length;

function rememberOpen(id: string | undefined): void {
  const url = new URL(location.href);
  if (id) url.searchParams.set("venue", id);
  else url.searchParams.delete("venue");
  history.replaceState(null, "", url);
}

// ── signed out ───────────────────────────────────────────────────────────────────────────────

function signUpSection(): HTMLElement {
  const section = el("section", { "aria-labelledby": "sign-up-heading" });
  section.append(
    heading(
      2,
      { en: "New operator account", zh: "新建经营者账户" },
      { id: "sign-up-heading", tabindex: "-1" },
    ),
  );
  const form = el("form", { id: "sign-up-form" });
  const label = textField(
    "account-label",
    { en: "Account label", zh: "账户名称" },
    {
      required: true,
      maxLength: 60,
      autocomplete: "off",
      hint: {
        en: "A name you will recognise, not your real name: e.g. “Harbour Books front office”.",
        zh: "便于您识别的名称，不要用真实姓名，例如“海港书店前台”。",
      },
    },
  );
  const error = errorRegion("sign-up-error");
  const submit = button({ en: "Create account", zh: "创建账户" }, { id: "sign-up-submit" });
  submit.type = "submit";
  submit.setAttribute("aria-describedby", error.id);
  form.append(label.wrapper, error, submit);
  onSubmit(form, async () => {
    clearRegion(error);
    const value = label.input.value.trim();
    if (value === "" || value.length > 60) {
      setFieldError(label.input, { en: "Enter 1–60 characters.", zh: "请输入 1–60 个字符。" });
      showMessage(error, { en: "Enter an account label.", zh: "请输入账户名称。" });
      label.input.focus();
      return;
    }
    setFieldError(label.input, null);
    try {
      page.session = await Session.signUpOperator(value, page.deployment.id);
      announce({ en: "Account created; you are signed in.", zh: "账户已创建，您已登录。" });
      render();
      document.getElementById("applications-heading")?.focus();
    } catch (e) {
      showProblem(error, e);
    }
  });
  section.append(form);
  return section;
}

// ── signed in: the list ──────────────────────────────────────────────────────────────────────

function render(): void {
  const signedIn = page.accountGate(accountBox, workspace, {
    before: [signUpSection()],
    focusAfterSignIn: "applications-heading",
    focusAfterSignOut: "sign-up-heading",
    onSignOut: () => rememberOpen(undefined),
  });
  if (!signedIn) {
    current = undefined;
    return;
  }
  const list = el("section", { id: "applications", "aria-labelledby": "applications-heading" });
  const panel = el("section", { id: "application", "aria-labelledby": "application-heading" });
  panel.hidden = true;
  const devices = el("section", { id: "devices", "aria-labelledby": "devices-heading" });
  replaceChildren(workspace, list, panel, devices);
  void loadApplications();
  void renderAccountDevices(page, devices);
}

async function loadApplications(): Promise<void> {
  const list = document.getElementById("applications");
  if (!list) return;
  const error = errorRegion("applications-error");
  const body = el("div", { id: "applications-body" });
  const newButton = button({ en: "New application", zh: "新申请" }, { id: "new-application" });
  newButton.addEventListener("click", () => openEditor(undefined));
  const refresh = button({ en: "Refresh", zh: "刷新" }, { class: "secondary", id: "refresh-list" });
  onActivate(refresh, async () => {
    await loadApplications();
    document.getElementById("refresh-list")?.focus();
  });
  replaceChildren(
    list,
    heading(
      2,
      { en: "Your venues", zh: "您的场所" },
      { id: "applications-heading", tabindex: "-1" },
    ),
    el("div", { class: "actions" }, newButton, refresh),
    error,
    body,
  );
  try {
    const { applications } = await callSigned(page, applicationRoutes.listApplications);
    if (applications.length === 0) {
      replaceChildren(
        body,
        paragraph(
          "No applications yet. Start one with “New application”.",
          "暂无申请。请点击“新申请”开始。",
        ),
      );
    } else {
      const ul = el("ul", { class: "plain items", id: "application-list" });
      for (const a of applications) ul.append(applicationItem(a));
      replaceChildren(body, ul);
    }
    const wanted = new URL(location.href).searchParams.get("venue");
    if (wanted && !current && applications.some((a) => a.id === wanted)) {
      await openApplication(wanted, false);
    }
  } catch (e) {
    page.fail(error, e);
  }
}

function applicationItem(a: ApplicationSummary): HTMLLIElement {
  const nameId = `name-${a.id}`;
  const name = venueName(a.name, "strong");
  name.id = nameId;
  const item = el("li", { "data-application": a.id });
  item.append(
    name,
    " ",
    statusBadge(a.status),
    el("br"),
    el("span", { class: "muted" }, formatTime(a.updatedAt, page.deployment.timezone)),
  );
  if (a.status === "rejected" && a.feedback) {
    const feedback = el("div", { class: "feedback" });
    feedback.append(
      el("strong", {}, bi("Registry feedback", "登记机构意见")),
      ": ",
      el("span", { class: "feedback-text" }, a.feedback),
    );
    item.append(feedback);
  }
  const open = button(
    { en: "Open", zh: "打开" },
    { "aria-describedby": nameId, "data-open": a.id },
  );
  open.addEventListener("click", () => {
    void runBusy(open, () => openApplication(a.id, true));
  });
  item.append(el("div", { class: "actions" }, open));
  return item;
}

// ── the application panel ────────────────────────────────────────────────────────────────────

function panelParts(title: Bi, name?: Bi): { panel: HTMLElement; error: HTMLElement } {
  const panel = document.getElementById("application")!;
  panel.hidden = false;
  const h = heading(2, title, { id: "application-heading", tabindex: "-1" });
  if (name) h.append(": ", venueName(name));
  const error = errorRegion("application-error");
  replaceChildren(panel, h, error);
  return { panel, error };
}

function focusPanel(): void {
  const h = document.getElementById("application-heading");
  h?.focus();
  h?.scrollIntoView({ block: "start" });
}

async function openApplication(id: string, focus: boolean): Promise<void> {
  clearRegion(page.error);
  try {
    const view = await callSigned(page, applicationRoutes.getApplication, { params: { id } });
    await showApplication(view);
    if (focus) focusPanel();
  } catch (e) {
    page.fail(page.error, e);
  }
}

async function showApplication(view: ApplicationView): Promise<void> {
  current = view;
  rememberOpen(view.id);
  if (view.status === "draft" || view.status === "rejected") {
    openEditor(view);
    return;
  }
  const { panel, error } = panelParts({ en: "Venue", zh: "场所" }, view.name);
  if (view.status === "submitted") {
    panel.append(
      paragraph(
        "Submitted. The registry will review it; you will see its decision here.",
        "已提交，等待登记机构审核，审核结果会显示在这里。",
        { class: "note", id: "waiting-note" },
      ),
    );
  }
  panel.append(applicationFacts(view));
  if (view.status === "approved") {
    panel.append(
      el("section", { id: "codes", "aria-labelledby": "codes-heading" }),
      el("section", { id: "dashboard", "aria-labelledby": "dashboard-heading" }),
      el("section", { id: "staff", "aria-labelledby": "staff-heading" }),
    );
  }
  panel.append(
    documentsSection(view, page, 3, error),
    historySection(view, page.deployment.timezone, 3),
  );
  if (view.status === "approved") {
    await Promise.all([loadCodes(view), loadDashboard(view), loadStaff(view)]);
  }
}

// ── the form ─────────────────────────────────────────────────────────────────────────────────

let entranceCounter = 0;

function entranceRow(list: HTMLOListElement, entrance?: { id: string; label: Bi }): HTMLLIElement {
  entranceCounter += 1;
  const n = entranceCounter;
  const li = el("li", { class: "entrance-row" });
  if (entrance) li.dataset.entranceId = entrance.id;
  const fieldset = el("fieldset");
  const legend = el("legend");
  const en = textField(
    `entrance-${n}-en`,
    { en: "English label", zh: "英文名称" },
    {
      required: true,
      maxLength: VENUE_CODE_LIMITS.entranceName,
      value: entrance?.label.en ?? "",
      autocomplete: "off",
    },
  );
  const zh = textField(
    `entrance-${n}-zh`,
    { en: "Chinese label", zh: "中文名称" },
    {
      required: true,
      lang: "zh",
      value: entrance?.label.zh ?? "",
      autocomplete: "off",
      hint: { en: "At most 10 Chinese characters.", zh: "最多 10 个汉字。" },
    },
  );
  en.input.dataset.part = "en";
  zh.input.dataset.part = "zh";
  const remove = button({ en: "Remove this entrance", zh: "删除此入口" }, { class: "secondary" });
  remove.dataset.remove = "";
  remove.addEventListener("click", () => {
    if (list.children.length <= 1) {
      announce({ en: "A venue needs at least one entrance.", zh: "场所至少需要一个入口。" });
      return;
    }
    const next = li.nextElementSibling ?? li.previousElementSibling;
    li.remove();
    numberEntrances(list);
    announce({ en: "Entrance removed.", zh: "已删除入口。" });
    next?.querySelector("input")?.focus();
  });
  fieldset.append(legend, en.wrapper, zh.wrapper, remove);
  li.append(fieldset);
  return li;
}

/** Legends and remove-button names follow the rows' order. */
function numberEntrances(list: HTMLOListElement): void {
  [...list.children].forEach((li, i) => {
    const legend = li.querySelector("legend");
    legend?.replaceChildren(bi(`Entrance ${i + 1}`, `入口 ${i + 1}`));
    const remove = li.querySelector("button[data-remove]");
    remove?.replaceChildren(bi(`Remove entrance ${i + 1}`, `删除入口 ${i + 1}`));
  });
}

interface EditorFields {
  nameEn: Field<HTMLInputElement | HTMLTextAreaElement>;
  nameZh: Field<HTMLInputElement | HTMLTextAreaElement>;
  address: Field<HTMLInputElement | HTMLTextAreaElement>;
  category: Field<HTMLSelectElement>;
  person: Field<HTMLInputElement | HTMLTextAreaElement>;
  phone: Field<HTMLInputElement | HTMLTextAreaElement>;
  entrances: HTMLOListElement;
  files: Record<DocumentKind, Field<HTMLInputElement>>;
}

function documentHint(view: ApplicationView | undefined, kind: DocumentKind): Bi {
  const doc = view?.documents.find((d) => d.kind === kind);
  if (!doc) {
    return {
      en: "PDF, PNG or JPEG, at most 5 MB. Not uploaded yet.",
      zh: "PDF、PNG 或 JPEG，最大 5 MB。尚未上传。",
    };
  }
  const type = doc.mediaType.split("/")[1]?.toUpperCase() ?? "";
  const at = formatTime(doc.uploadedAt, page.deployment.timezone);
  return {
    en: `Uploaded: ${type}, ${formatSize(doc.size)}, ${at}. Choose a file only to replace it.`,
    zh: `已上传：${type}，${formatSize(doc.size)}，${at}。仅在需要替换时选择文件。`,
  };
}

function openEditor(view: ApplicationView | undefined): void {
  clearRegion(page.error);
  current = view;
  rememberOpen(view?.id);
  const { panel } = view
    ? panelParts({ en: "Application", zh: "申请" }, view.name)
    : panelParts({ en: "New application", zh: "新申请" });
  if (view?.status === "rejected") {
    const box = el("div", { class: "feedback prominent", id: "registry-feedback" });
    box.append(
      heading(3, { en: "The registry asks for changes", zh: "登记机构要求修改" }),
      el("p", { class: "feedback-text" }, view.feedback ?? ""),
      paragraph(
        "Edit the application below, then submit it again.",
        "请修改以下申请内容，然后重新提交。",
      ),
    );
    panel.append(box);
  } else if (view) {
    panel.append(el("p", {}, statusBadge(view.status)));
  }

  const form = el("form", { id: "application-form" });
  const v = view;
  const fields: EditorFields = {
    nameEn: textField(
      "name-en",
      { en: "Venue name in English", zh: "场所英文名称" },
      { required: true, value: v?.name.en ?? "", autocomplete: "organization", maxLength: 120 },
    ),
    nameZh: textField(
      "name-zh",
      { en: "Venue name in Chinese", zh: "场所中文名称" },
      {
        required: true,
        lang: "zh",
        value: v?.name.zh ?? "",
        autocomplete: "off",
        hint: {
          en: "Printed in the code: at most 20 Chinese characters.",
          zh: "将写入场所码：最多 20 个汉字。",
        },
      },
    ),
    address: textField(
      "address",
      { en: "Address", zh: "地址" },
      { required: true, value: v?.address ?? "", autocomplete: "off", maxLength: 300 },
    ),
    category: selectField(
      "category",
      { en: "Category", zh: "类别" },
      CATEGORIES.map((c) => ({ value: c, label: categoryLabel(c) })),
      {
        required: true,
        value: v?.category ?? "other",
        hint: {
          en: "Hotels and hospitals also ask visitors for an ID number.",
          zh: "酒店和医院还会要求访客提供证件号码。",
        },
      },
    ),
    person: textField(
      "contact-person",
      { en: "Contact person", zh: "联系人" },
      {
        required: true,
        value: v?.contact?.person ?? "",
        autocomplete: "name",
        hint: {
          en: "Only the registry sees it; it is stored encrypted.",
          zh: "仅登记机构可见，加密保存。",
        },
      },
    ),
    phone: textField(
      "contact-phone",
      { en: "Contact phone", zh: "联系电话" },
      {
        required: true,
        type: "tel",
        value: v?.contact?.phone ?? "",
        autocomplete: "tel",
        hint: {
          en: "Digits, spaces, ( ) - and a leading +.",
          zh: "数字、空格、( ) - 及开头的 +。",
        },
      },
    ),
    entrances: el("ol", { class: "plain entrance-rows", id: "entrance-rows" }),
    files: {
      licence: fileField(
        "licence-file",
        DOCUMENT_LABELS.licence,
        DOCUMENT_ACCEPT,
        documentHint(view, "licence"),
      ),
      "floor-plan": fileField(
        "floor-plan-file",
        DOCUMENT_LABELS["floor-plan"],
        DOCUMENT_ACCEPT,
        documentHint(view, "floor-plan"),
      ),
    },
  };
  for (const e of view?.entrances ?? []) fields.entrances.append(entranceRow(fields.entrances, e));
  if (fields.entrances.children.length === 0)
    fields.entrances.append(entranceRow(fields.entrances));
  numberEntrances(fields.entrances);

  const addEntrance = button(
    { en: "Add an entrance", zh: "添加入口" },
    { id: "add-entrance", class: "secondary" },
  );
  addEntrance.addEventListener("click", () => {
    const row = entranceRow(fields.entrances);
    fields.entrances.append(row);
    numberEntrances(fields.entrances);
    row.querySelector("input")?.focus();
  });

  const formError = errorRegion("application-form-error");
  const save = button(
    view ? { en: "Save changes", zh: "保存修改" } : { en: "Save draft", zh: "保存草稿" },
    { id: "save-application", "aria-describedby": formError.id },
  );
  save.type = "submit";
  const submit = button(
    view?.status === "rejected"
      ? { en: "Save and submit again", zh: "保存并重新提交" }
      : { en: "Save and submit for review", zh: "保存并提交审核" },
    { id: "submit-application", "aria-describedby": formError.id },
  );

  const fieldsetOf = (legend: Bi, ...children: Node[]) => {
    const fs = el("fieldset");
    fs.append(el("legend", {}, bi(legend.en, legend.zh)), ...children);
    return fs;
  };
  form.append(
    fieldsetOf(
      { en: "Venue", zh: "场所" },
      fields.nameEn.wrapper,
      fields.nameZh.wrapper,
      fields.address.wrapper,
      fields.category.wrapper,
    ),
    fieldsetOf({ en: "Contact", zh: "联系方式" }, fields.person.wrapper, fields.phone.wrapper),
    fieldsetOf(
      { en: "Entrances", zh: "入口" },
      paragraph(
        "Every door people come in by gets its own code and poster.",
        "每个供人进入的门都有自己的场所码和海报。",
        { class: "hint" },
      ),
      fields.entrances,
      addEntrance,
    ),
    fieldsetOf(
      { en: "Documents", zh: "文件" },
      fields.files.licence.wrapper,
      fields.files["floor-plan"].wrapper,
    ),
    formError,
    el("div", { class: "actions" }, save, submit),
  );

  onSubmit(form, async () => {
    clearRegion(formError);
    const saved = await saveApplication(fields, formError);
    if (saved) {
      await showApplication(saved);
      await loadApplications();
      announce({ en: "Saved.", zh: "已保存。" });
      focusPanel();
    }
  });
  onActivate(submit, async () => {
    clearRegion(formError);
    const saved = await saveApplication(fields, formError);
    if (!saved) return;
    try {
      const submitted = await callSigned(page, applicationRoutes.submitApplication, {
        params: { id: saved.id },
      });
      await showApplication(submitted);
      await loadApplications();
      announce({ en: "Submitted for review.", zh: "已提交审核。" });
      focusPanel();
    } catch (e) {
      // Saved but not submitted: show what was saved, with the reason.
      await showApplication(saved);
      const region = document.getElementById("application-form-error");
      if (region) page.fail(region, e);
      focusPanel();
    }
  });

  panel.append(form);
  if (view) panel.append(historySection(view, page.deployment.timezone, 3));
}

/** Reads and checks the form; marks what is wrong. Undefined when something is. */
function readForm(fields: EditorFields, formError: HTMLElement): ApplicationInput | undefined {
  const problems: Array<{ control: HTMLElement; message: Bi }> = [];
  const need = (f: Field<HTMLInputElement | HTMLTextAreaElement>, max: number, what: Bi) => {
    const value = f.input.value.trim();
    if (value === "")
      problems.push({
        control: f.input,
        message: { en: `Enter the ${what.en}.`, zh: `请填写${what.zh}。` },
      });
    else if (utf8Bytes(value) > max)
      problems.push({
        control: f.input,
        message: { en: `The ${what.en} is too long.`, zh: `${what.zh}过长。` },
      });
    else setFieldError(f.input, null);
    return value;
  };
  const input: ApplicationInput = {
    name: {
      en: need(fields.nameEn, 120, { en: "English name", zh: "英文名称" }),
      zh: need(fields.nameZh, VENUE_CODE_LIMITS.venueName, { en: "Chinese name", zh: "中文名称" }),
    },
    address: need(fields.address, 300, { en: "address", zh: "地址" }),
    // The select offers only the categories; "other" stands in for anything else.
    category: CATEGORIES.find((c) => c === fields.category.input.value) ?? "other",
    contact: {
      person: need(fields.person, 100, { en: "contact person", zh: "联系人" }),
      phone: fields.phone.input.value.trim(),
    },
    entrances: [],
  };
  if (!PHONE.test(input.contact.phone)) {
    problems.push({
      control: fields.phone.input,
      message: {
        en: "Enter a phone number: digits, spaces, ( ) - and a leading +.",
        zh: "请输入电话号码：数字、空格、( ) - 及开头的 +。",
      },
    });
  } else setFieldError(fields.phone.input, null);
  for (const li of fields.entrances.querySelectorAll<HTMLLIElement>("li.entrance-row")) {
    const [en, zh] = ["en", "zh"].map(
      (part) => li.querySelector<HTMLInputElement>(`input[data-part="${part}"]`)!,
    ) as [HTMLInputElement, HTMLInputElement];
    const label = { en: en.value.trim(), zh: zh.value.trim() };
    for (const [control, value, what] of [
      [en, label.en, { en: "English label", zh: "英文名称" }],
      [zh, label.zh, { en: "Chinese label", zh: "中文名称" }],
    ] as const) {
      if (value === "")
        problems.push({
          control,
          message: { en: `Enter the ${what.en}.`, zh: `请填写${what.zh}。` },
        });
      else if (utf8Bytes(value) > VENUE_CODE_LIMITS.entranceName)
        problems.push({
          control,
          message: { en: `The ${what.en} is too long.`, zh: `${what.zh}过长。` },
        });
      else setFieldError(control, null);
    }
    const id = li.dataset.entranceId;
    input.entrances.push(id ? { id, label } : { label });
  }
  for (const kind of DOCUMENT_KINDS) {
    const f = fields.files[kind].input;
    const file = f.files?.[0];
    if (file && !isDocumentMediaType(file.type)) {
      problems.push({
        control: f,
        message: { en: "Choose a PDF, PNG or JPEG file.", zh: "请选择 PDF、PNG 或 JPEG 文件。" },
      });
    } else if (file && file.size > MAX_DOCUMENT_BYTES) {
      problems.push({
        control: f,
        message: { en: "The file is over 5 MB.", zh: "文件超过 5 MB。" },
      });
    } else setFieldError(f, null);
  }
  for (const p of problems) setFieldError(p.control, p.message);
  if (problems.length > 0) {
    const list = el("ul");
    for (const p of problems) list.append(el("li", {}, bi(p.message.en, p.message.zh)));
    replaceChildren(formError, paragraph("Check the marked fields:", "请检查标出的字段："), list);
    problems[0]?.control.focus();
    return undefined;
  }
  return input;
}

/** Saves the form (creating the application the first time), then uploads chosen files. */
async function saveApplication(
  fields: EditorFields,
  formError: HTMLElement,
): Promise<ApplicationView | undefined> {
  const input = readForm(fields, formError);
  if (!input) return undefined;
  try {
    let view = current
      ? await callSigned(page, applicationRoutes.updateApplication, {
          params: { id: current.id },
          body: input,
        })
      : await callSigned(page, applicationRoutes.createApplication, { body: input });
    // From here on the application exists: a failed upload must not create a second one.
    current = view;
    rememberOpen(view.id);
    let uploaded = false;
    for (const kind of DOCUMENT_KINDS) {
      const file = fields.files[kind].input.files?.[0];
      if (!file) continue;
      announce({
        en: `Uploading the ${DOCUMENT_LABELS[kind].en.toLowerCase()}…`,
        zh: `正在上传${DOCUMENT_LABELS[kind].zh}…`,
      });
      try {
        await callSigned(page, applicationRoutes.uploadDocument, {
          params: { id: view.id, kind },
          bytes: new Uint8Array(await file.arrayBuffer()),
          contentType: file.type,
        });
      } catch (e) {
        setFieldError(fields.files[kind].input, {
          en: "This file was not accepted.",
          zh: "此文件未被接受。",
        });
        throw e;
      }
      uploaded = true;
    }
    if (uploaded) {
      view = await callSigned(page, applicationRoutes.getApplication, { params: { id: view.id } });
    }
    current = view;
    return view;
  } catch (e) {
    page.fail(formError, e);
    return undefined;
  }
}

// ── an approved venue: codes and posters ─────────────────────────────────────────────────────

let fontRequest: Promise<Uint8Array> | undefined;

function posterFont(): Promise<Uint8Array> {
  fontRequest ??= fetch(POSTER_FONT)
    .then(async (res) => {
      if (!res.ok) throw new LintelError("network", "The poster font could not be loaded.");
      return new Uint8Array(await res.arrayBuffer());
    })
    .catch((e: unknown) => {
      fontRequest = undefined;
      throw e;
    });
  return fontRequest;
}

async function downloadPosters(
  view: ApplicationView,
  codes: readonly EntranceCode[],
  filename: string,
): Promise<void> {
  announce({ en: "Preparing the poster…", zh: "正在生成海报…" });
  const entrances: PosterEntrance[] = codes.map((c) => ({
    codeUrl: c.url,
    manualCode: c.manualCode,
    version: c.version,
    issuedAt: new Date(c.issuedAt * 1000),
    venueName: view.name,
    entranceLabel: c.label,
  }));
  const pdf = await buildPosterPdf(
    entrances,
    {
      deploymentName: page.deployment.name,
      retentionDays: page.deployment.retentionDays,
      reportUrl: `${location.origin}/report`,
      privacyUrl: `${location.origin}/privacy`,
    },
    await posterFont(),
  );
  downloadBytes(pdf, "application/pdf", filename);
  announce({ en: "Poster ready: see your downloads.", zh: "海报已生成，请查看下载。" });
}

async function loadCodes(view: ApplicationView): Promise<void> {
  const section = document.getElementById("codes");
  if (!section) return;
  const error = errorRegion("codes-error");
  replaceChildren(
    section,
    heading(3, { en: "Entrances and codes", zh: "入口与场所码" }, { id: "codes-heading" }),
    paragraph(
      "Print one poster per entrance and put it up where people come in. Posters are made in this browser.",
      "请为每个入口打印一张海报，张贴在入口处。海报在本浏览器中生成。",
    ),
    error,
  );
  let codes: EntranceCode[];
  try {
    ({ codes } = await callSigned(page, operatorRoutes.venueCodes, { params: { id: view.id } }));
  } catch (e) {
    page.fail(error, e);
    return;
  }
  const all = button(
    { en: "Download all posters (one PDF)", zh: "下载全部海报（一个 PDF）" },
    { id: "download-all-posters", "aria-describedby": error.id },
  );
  onActivate(all, async () => {
    clearRegion(error);
    try {
      await downloadPosters(view, codes, `posters-${fileSlug(view.name.en, view.id)}.pdf`);
    } catch (e) {
      showProblem(error, e);
    }
  });
  const list = el("ul", { class: "plain items", id: "code-list" });
  for (const code of codes) list.append(codeItem(view, code, error));
  section.append(el("div", { class: "actions" }, all), list);
}

function codeItem(view: ApplicationView, code: EntranceCode, error: HTMLElement): HTMLLIElement {
  const li = el("li", { "data-entrance": code.entranceId, class: "card" });
  const facts = el("dl", { class: "facts" });
  facts.append(
    el("dt", {}, bi("Code version", "场所码版本")),
    el("dd", { "data-version": String(code.version) }, String(code.version)),
    el("dt", {}, bi("Manual code", "手动输入码")),
    el("dd", {}, el("code", { class: "manual-code" }, code.manualCode)),
    el("dt", {}, bi("Issued", "签发时间")),
    el("dd", {}, formatTime(code.issuedAt, page.deployment.timezone)),
  );
  const slug = fileSlug(code.label.en, code.entranceId);
  const poster = button(
    { en: "Download poster", zh: "下载海报" },
    { "data-poster": code.entranceId },
  );
  poster.setAttribute("aria-describedby", `entrance-heading-${code.entranceId}`);
  onActivate(poster, async () => {
    clearRegion(error);
    try {
      await downloadPosters(view, [code], `poster-${slug}.pdf`);
    } catch (e) {
      showProblem(error, e);
    }
  });
  const h = el("h4", { id: `entrance-heading-${code.entranceId}` }, entranceName(code.label));
  li.append(
    h,
    facts,
    el("div", { class: "actions" }, poster),
    replaceForm(view, code),
    kioskPart(view, code),
  );
  return li;
}

function replaceForm(view: ApplicationView, code: EntranceCode): HTMLFormElement {
  const form = el("form", { class: "replace-code", "data-replace": code.entranceId });
  const id = `replace-reason-${code.entranceId}`;
  const reason = selectField(
    id,
    { en: "Reason for a new code", zh: "更换场所码的原因" },
    REPLACEMENT_REASONS.map((r) => ({ value: r, label: reasonLabel(r) })),
  );
  const error = errorRegion(`replace-error-${code.entranceId}`);
  const submit = button(
    { en: "Replace this code", zh: "更换此场所码" },
    { class: "secondary", "aria-describedby": error.id },
  );
  submit.type = "submit";
  form.append(reason.wrapper, error, submit);
  onSubmit(form, async () => {
    clearRegion(error);
    const chosen = reasonLabel(reason.input.value);
    const ok = await confirmDialog(
      { en: "Replace this entrance's code?", zh: "更换此入口的场所码？" },
      [
        el("p", {}, entranceName(code.label)),
        paragraph(
          `The printed poster (version ${code.version}) stops working at once. Print and put up the new poster straight away.`,
          `已打印的海报（版本 ${code.version}）将立即失效。请马上打印并张贴新海报。`,
        ),
        paragraph(`Reason: ${chosen.en}`, `原因：${chosen.zh}`),
      ],
      { en: "Replace code", zh: "更换场所码" },
    );
    if (!ok) return;
    try {
      const next = await callSigned(page, operatorRoutes.replaceCode, {
        params: { id: view.id, eid: code.entranceId },
        // The select offers only the reasons; "other" stands in for anything else.
        body: { reason: REPLACEMENT_REASONS.find((r) => r === reason.input.value) ?? "other" },
      });
      await loadCodes(view);
      announce({
        en: `New code issued: version ${next.version}. Print its poster now.`,
        zh: `已签发新场所码：版本 ${next.version}。请立即打印海报。`,
      });
      document.querySelector<HTMLButtonElement>(`[data-poster="${code.entranceId}"]`)?.focus();
    } catch (e) {
      page.fail(error, e);
    }
  });
  return form;
}

function kioskPart(view: ApplicationView, code: EntranceCode): HTMLElement {
  const box = el("div", { class: "kiosk", "data-kiosk": code.entranceId });
  const panelId = `kiosk-panel-${code.entranceId}`;
  const toggle = button(
    { en: "Kiosk set-up", zh: "自助机设置" },
    { class: "secondary", "aria-expanded": "false", "aria-controls": panelId },
  );
  const panel = el("div", { id: panelId, class: "kiosk-panel" });
  const devicesPart = el("div", { class: "kiosk-devices-part" });
  panel.hidden = true;
  toggle.addEventListener("click", () => {
    const open = panel.hidden;
    panel.hidden = !open;
    toggle.setAttribute("aria-expanded", String(open));
    if (open) {
      replaceChildren(panel, kioskModePart(view, code), devicesPart);
      const door = { venueId: view.id, entranceId: code.entranceId, label: code.label };
      void renderKioskDevices(page, door, devicesPart);
    } else replaceChildren(panel);
  });
  box.append(toggle, panel);
  return box;
}

/**
 * The entrance's kiosk mode, as a switch: on, the poster's bare code is refused here and only
 * the screen's rotating code checks in; turning it on is confirmed first, because every poster
 * at that door stops working at once.
 */
function kioskModePart(view: ApplicationView, code: EntranceCode): HTMLElement {
  let required = code.kioskRequired;
  const id = code.entranceId;
  const stateId = `kiosk-mode-state-${id}`;
  const error = errorRegion(`kiosk-mode-error-${id}`);
  const state = el("p", { id: stateId, "data-kiosk-mode-state": id });
  const toggle = button(
    { en: "Kiosk mode: only the screen checks in", zh: "自助机模式：只能扫描屏幕登记" },
    {
      role: "switch",
      class: "secondary",
      "data-kiosk-mode": id,
      "aria-describedby": `${stateId} ${error.id}`,
    },
  );
  const show = () => {
    toggle.setAttribute("aria-checked", String(required));
    const text = kioskModeState(required);
    replaceChildren(state, bi(text.en, text.zh));
    state.className = required ? "note" : "warning";
  };
  show();
  onActivate(toggle, async () => {
    clearRegion(error);
    const next = !required;
    if (next) {
      const ok = await confirmDialog(
        { en: "Turn kiosk mode on?", zh: "开启自助机模式？" },
        [
          el("p", {}, entranceName(code.label)),
          paragraph(
            "The printed posters at this entrance stop working at once: people's phones will check in here only with the changing code on the kiosk screen. Put a running kiosk screen at this door first.",
            "此入口张贴的海报将立即失效：手机只能用自助机屏幕上的动态码在此登记。请先在此入口放置正在运行的自助机屏幕。",
          ),
          paragraph(
            `A photo of the screen stops working within ${PHOTO_LIFETIME_SECONDS} seconds. Staff can still check people in by hand. You can turn kiosk mode off again here.`,
            `屏幕照片在 ${PHOTO_LIFETIME_SECONDS} 秒内失效。工作人员仍可代为登记。您可以随时在此关闭自助机模式。`,
          ),
        ],
        { en: "Turn kiosk mode on", zh: "开启自助机模式" },
      );
      if (!ok) return;
    }
    try {
      const answer = await callSigned(page, operatorRoutes.setKioskMode, {
        params: { id: view.id, eid: id },
        body: { required: next },
      });
      required = answer.kioskRequired;
      show();
      announce(
        required
          ? {
              en: "Kiosk mode is on: posters at this entrance stop working.",
              zh: "自助机模式已开启：此入口的海报已失效。",
            }
          : {
              en: "Kiosk mode is off: the poster checks people in again.",
              zh: "自助机模式已关闭：海报恢复可用。",
            },
      );
      toggle.focus();
    } catch (e) {
      page.fail(error, e);
    }
  });
  return el(
    "div",
    { class: "kiosk-mode" },
    el("h5", {}, bi("Kiosk mode", "自助机模式")),
    state,
    error,
    toggle,
  );
}

// ── an approved venue: today's counts ────────────────────────────────────────────────────────

async function loadDashboard(view: ApplicationView): Promise<void> {
  const section = document.getElementById("dashboard");
  if (!section) return;
  const error = errorRegion("dashboard-error");
  const refresh = button(
    { en: "Refresh counts", zh: "刷新数据" },
    { class: "secondary", id: "refresh-dashboard" },
  );
  onActivate(refresh, async () => {
    await loadDashboard(view);
    document.getElementById("refresh-dashboard")?.focus();
  });
  replaceChildren(
    section,
    heading(3, { en: "Today's check-ins", zh: "今日登记" }, { id: "dashboard-heading" }),
    paragraph(
      "Counts only: nobody at the venue can see who checked in.",
      "仅显示人数：场所的任何人都看不到谁登记了。",
      { class: "muted" },
    ),
    error,
  );
  try {
    const board = await callSigned(page, operatorRoutes.dashboard, { params: { id: view.id } });
    const list = el("ul", { class: "plain items", id: "dashboard-list" });
    for (const e of board.entrances) {
      const li = el("li", { class: "card", "data-entrance": e.id });
      li.append(
        el("h4", {}, entranceName(e.label)),
        paragraph(`Today: ${e.today} check-ins`, `今日：${e.today} 次登记`, {
          "data-today": String(e.today),
        }),
      );
      if (e.possiblyDamaged) {
        li.append(
          paragraph(
            "⚠ No check-in today — is the poster damaged?",
            "今天没有登记——海报是否损坏？",
            {
              class: "warning",
              "data-possibly-damaged": "",
            },
          ),
        );
      }
      const hours = e.hours.filter((h) => h.count > 0);
      if (hours.length > 0) {
        const table = el("table", { class: "hours" });
        const caption = el("caption");
        caption.append(bi("Check-ins per hour: ", "每小时登记："), entranceName(e.label));
        const head = el(
          "tr",
          {},
          el("th", { scope: "col" }, bi("Hour", "时段")),
          el("th", { scope: "col" }, bi("Check-ins", "登记次数")),
        );
        const body = el("tbody");
        for (const h of hours) {
          body.append(
            el(
              "tr",
              {},
              el("td", {}, formatHour(h.hour, board.timezone)),
              el("td", { class: "number" }, String(h.count)),
            ),
          );
        }
        table.append(caption, el("thead", {}, head), body);
        li.append(table);
      }
      list.append(li);
    }
    section.append(list, refresh);
  } catch (e) {
    page.fail(error, e);
    section.append(refresh);
  }
}

// ── an approved venue: staff ─────────────────────────────────────────────────────────────────

async function loadStaff(view: ApplicationView, created?: HTMLElement): Promise<void> {
  const section = document.getElementById("staff");
  if (!section) return;
  const error = errorRegion("staff-error");
  replaceChildren(
    section,
    heading(3, { en: "Staff", zh: "工作人员" }, { id: "staff-heading", tabindex: "-1" }),
    paragraph(
      "Staff check in people who have no smartphone. They never see anyone's data.",
      "工作人员为没有智能手机的人登记，他们看不到任何人的信息。",
    ),
    error,
    created,
  );
  const labels = new Map(view.entrances.map((e) => [e.id, e.label]));
  try {
    const { staff } = await callSigned(page, operatorRoutes.listStaff, { params: { id: view.id } });
    const list = el("ul", { class: "plain items", id: "staff-list" });
    for (const member of staff) list.append(staffItem(view, member, labels, error));
    if (staff.length === 0)
      list.append(el("li", {}, bi("No staff accounts yet.", "暂无工作人员账户。")));
    section.append(list);
  } catch (e) {
    page.fail(error, e);
  }
  section.append(addStaffForm(view));
}

function staffItem(
  view: ApplicationView,
  member: StaffMember,
  labels: Map<string, Bi>,
  error: HTMLElement,
): HTMLLIElement {
  const li = el("li", { "data-staff": member.accountId });
  const nameId = `staff-name-${member.accountId}`;
  li.append(el("strong", { id: nameId }, member.label), " ");
  const state = member.disabled
    ? bi("Disabled", "已停用")
    : member.enrolled
      ? bi("Signed in", "已登录")
      : bi("Not signed in yet", "尚未登录");
  li.append(el("span", { class: "badge" }, state), el("br"));
  const doors = el("span", { class: "muted" });
  member.entrances.forEach((id, i) => {
    if (i > 0) doors.append("; ");
    const label = labels.get(id);
    doors.append(label ? entranceName(label) : id);
  });
  li.append(doors);
  if (member.lastSeen) {
    const at = formatTime(member.lastSeen, page.deployment.timezone);
    li.append(el("br"), bi(`Last active ${at}`, `最近活动 ${at}`));
  }
  if (!member.disabled) {
    const disable = button(
      { en: "Disable", zh: "停用" },
      { class: "secondary", "aria-describedby": nameId, "data-disable": member.accountId },
    );
    onActivate(disable, async () => {
      clearRegion(error);
      const who = el("p", {}, el("strong", {}, member.label));
      const ok = await confirmDialog(
        { en: "Disable this staff account?", zh: "停用此工作人员账户？" },
        [
          who,
          paragraph(
            "Their devices are signed out at once and cannot sign in again.",
            "其设备将立即退出登录，且无法再次登录。",
          ),
        ],
        { en: "Disable", zh: "停用" },
      );
      if (!ok) return;
      try {
        await callSigned(page, operatorRoutes.removeStaff, {
          params: { id: view.id, accountId: member.accountId },
        });
        announce({ en: "Staff account disabled.", zh: "工作人员账户已停用。" });
        await loadStaff(view);
        document.getElementById("staff-heading")?.focus();
      } catch (e) {
        page.fail(error, e);
      }
    });
    li.append(el("div", { class: "actions" }, disable));
  }
  return li;
}

function addStaffForm(view: ApplicationView): HTMLFormElement {
  const form = el("form", { id: "add-staff-form" });
  const label = textField(
    "staff-label",
    { en: "Staff label", zh: "工作人员名称" },
    {
      required: true,
      maxLength: 60,
      autocomplete: "off",
      hint: {
        en: "A label such as “Front desk 1”, not a real name.",
        zh: "例如“前台 1”，不要用真实姓名。",
      },
    },
  );
  const doors = el("fieldset", { id: "staff-entrances" });
  doors.append(el("legend", {}, bi("Entrances they work at", "负责的入口")));
  for (const e of view.entrances.filter((x) => x.active)) {
    const box = checkbox(`staff-entrance-${e.id}`, entranceName(e.label), true);
    box.querySelector("input")!.value = e.id;
    doors.append(box);
  }
  const error = errorRegion("add-staff-error");
  const submit = button(
    { en: "Add staff member", zh: "添加工作人员" },
    { id: "add-staff", "aria-describedby": error.id },
  );
  submit.type = "submit";
  form.append(
    el("h4", {}, bi("Add a staff member", "添加工作人员")),
    label.wrapper,
    doors,
    error,
    submit,
  );
  onSubmit(form, async () => {
    clearRegion(error);
    const value = label.input.value.trim();
    const entranceIds = [...doors.querySelectorAll<HTMLInputElement>("input:checked")].map(
      (i) => i.value,
    );
    if (value === "") {
      setFieldError(label.input, { en: "Enter a label.", zh: "请输入名称。" });
      showMessage(error, { en: "Enter a label for the staff member.", zh: "请输入工作人员名称。" });
      label.input.focus();
      return;
    }
    setFieldError(label.input, null);
    if (entranceIds.length === 0) {
      showMessage(error, { en: "Choose at least one entrance.", zh: "请至少选择一个入口。" });
      doors.querySelector("input")?.focus();
      return;
    }
    try {
      const created = await callSigned(page, operatorRoutes.addStaff, {
        params: { id: view.id },
        body: { label: value, entranceIds },
      });
      const box = el("div", { class: "once", id: "staff-code-box", tabindex: "-1" });
      const hide = button(
        { en: "I have noted it — hide the code", zh: "已记下，隐藏登记码" },
        { class: "secondary" },
      );
      hide.addEventListener("click", () => {
        box.remove();
        document.getElementById("staff-label")?.focus();
      });
      box.append(
        el("h4", {}, bi("One-time enrolment code", "一次性登记码")),
        el(
          "p",
          {},
          el("strong", {}, created.label),
          ": ",
          el("code", { id: "staff-enrolment-code", class: "big-code" }, created.enrolmentCode),
        ),
        paragraph(
          `Hand it over in person. It is shown only this once, works once, and expires on ${formatTime(created.codeExpiresAt, page.deployment.timezone)}.`,
          `请当面交给工作人员。此码只显示这一次，只能使用一次，于 ${formatTime(created.codeExpiresAt, page.deployment.timezone)} 过期。`,
        ),
        hide,
      );
      await loadStaff(view, box);
      announce({ en: "Staff account created.", zh: "工作人员账户已创建。" });
      box.focus();
    } catch (e) {
      page.fail(error, e);
    }
  });
  return form;
}

// ── start ────────────────────────────────────────────────────────────────────────────────────

void page.start();
