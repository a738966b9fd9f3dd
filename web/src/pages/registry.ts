/**
 * The registry's page: sign in with an enrolment code, the review queue (any status), one
 * application in full (documents downloaded with signed requests), approve or reject with
 * feedback, the public reports inbox, and the venues export (CSV, made safe for spreadsheets by
 * the service).
 *
 * Names, addresses, contacts and labels come from operators: untrusted text, textContent only.
 */
import {
  APPLICATION_STATUSES,
  applicationRoutes,
  REPORT_STATUSES,
  type RouteAnswer,
  registryRoutes,
} from "@lintel/contract";
import {
  type ApplicationView,
  applicationFacts,
  documentsSection,
  entranceName,
  historySection,
  venueName,
} from "../lib/applications.ts";
import { el, replaceChildren } from "../lib/dom.ts";
import {
  type Bi,
  bi,
  categoryLabel,
  reportKindLabel,
  reportStatusLabel,
  statusLabel,
} from "../lib/i18n.ts";
import { SignedPage } from "../lib/page.ts";
import { callSigned } from "../lib/signed-call.ts";
import {
  announce,
  button,
  clearRegion,
  downloadBytes,
  errorRegion,
  formatTime,
  heading,
  onActivate,
  onSubmit,
  paragraph,
  runBusy,
  selectField,
  setFieldError,
  showMessage,
  textField,
} from "../lib/ui.ts";

type QueueItem = RouteAnswer<typeof registryRoutes.reviewQueue>["applications"][number];
type Report = RouteAnswer<typeof registryRoutes.listReports>["reports"][number];

const page = new SignedPage("registry", render);

const accountBox = document.getElementById("account")!;
const workspace = document.getElementById("workspace")!;

function render(): void {
  if (!page.accountGate(accountBox, workspace, { focusAfterSignIn: "queue-heading" })) return;
  const queue = el("section", { id: "queue", "aria-labelledby": "queue-heading" });
  const detail = el("section", { id: "detail", "aria-labelledby": "detail-heading" });
  detail.hidden = true;
  const reports = el("section", { id: "reports", "aria-labelledby": "reports-heading" });
  const exportSection = el("section", { id: "export", "aria-labelledby": "export-heading" });
  replaceChildren(workspace, queue, detail, reports, exportSection);
  renderQueueFrame(queue);
  renderReportsFrame(reports);
  renderExport(exportSection);
}

// ── the review queue ─────────────────────────────────────────────────────────────────────────

/**
 * A section that lists items of one status, with a status filter: the review queue and the
 * reports inbox are both this. Loading announces the count to screen readers.
 */
interface FilteredList<T, S extends string> {
  readonly id: string;
  readonly heading: Bi;
  readonly intro?: Bi;
  readonly filterLabel: Bi;
  readonly statuses: ReadonlyArray<{ value: S; label: Bi }>;
  readonly initial: S;
  readonly fetch: (status: S) => Promise<readonly T[]>;
  readonly count: (status: Bi, n: number) => Bi;
  readonly item: (value: T, reload: () => Promise<void>) => HTMLLIElement;
  /** The list element's id (kept stable for tests and skip targets). */
  readonly listId: string;
}

/** Renders the section; returns a function that reloads it with the status now selected. */
function renderFilteredList<T, S extends string>(
  section: HTMLElement,
  spec: FilteredList<T, S>,
): () => Promise<void> {
  const form = el("form", { class: "filter", id: `${spec.id}-filter` });
  const status = selectField(`${spec.id}-status`, spec.filterLabel, spec.statuses, {
    value: spec.initial,
  });
  const show = button({ en: "Show", zh: "显示" }, { id: `${spec.id}-show` });
  show.type = "submit";
  form.append(status.wrapper, show);
  const error = errorRegion(`${spec.id}-error`);
  const body = el("div", { id: `${spec.id}-body` });

  /** The status chosen in the filter (one of the list's own, whatever the select holds). */
  const chosen = (): S =>
    spec.statuses.find((s) => s.value === status.input.value)?.value ?? spec.initial;
  const load = async (value: S): Promise<Bi | null> => {
    clearRegion(error);
    try {
      const items = await spec.fetch(value);
      const label = spec.statuses.find((s) => s.value === value)?.label ?? { en: value, zh: value };
      const count = spec.count(label, items.length);
      const list = el("ul", { class: "plain items", id: spec.listId });
      for (const item of items) {
        list.append(
          spec.item(item, async () => {
            await load(value);
          }),
        );
      }
      replaceChildren(
        body,
        el("p", { class: "muted", id: `${spec.id}-count` }, bi(count.en, count.zh)),
        items.length > 0 && list,
      );
      return count;
    } catch (e) {
      page.fail(error, e);
      return null;
    }
  };
  onSubmit(form, async () => {
    const count = await load(chosen());
    if (count) announce(count);
  });
  section.append(
    heading(2, spec.heading, { id: `${spec.id}-heading`, tabindex: "-1" }),
    ...(spec.intro ? [paragraph(spec.intro.en, spec.intro.zh, { class: "muted" })] : []),
    form,
    error,
    body,
  );
  void load(spec.initial);
  return async () => {
    await load(chosen());
  };
}

/** Reloads the review queue after a decision; set once the queue is rendered. */
let reloadQueue: () => Promise<void> = async () => {};

function renderQueueFrame(section: HTMLElement): void {
  reloadQueue = renderFilteredList(section, {
    id: "queue",
    heading: { en: "Applications", zh: "申请" },
    filterLabel: { en: "Show applications that are", zh: "显示状态为" },
    statuses: APPLICATION_STATUSES.map((s) => ({ value: s, label: statusLabel(s) })),
    initial: "submitted",
    fetch: async (status) =>
      (await callSigned(page, registryRoutes.reviewQueue, { query: { status } })).applications,
    count: (label, n) => ({
      en: `Applications ${label.en.toLowerCase()}: ${n}`,
      zh: `${label.zh}的申请：${n} 个`,
    }),
    item: (a: QueueItem) => queueItem(a),
    listId: "queue-list",
  });
}

function queueItem(a: QueueItem): HTMLLIElement {
  const li = el("li", { "data-application": a.id });
  const nameId = `queue-name-${a.id}`;
  const name = venueName(a.name, "strong");
  name.id = nameId;
  const category = categoryLabel(a.category);
  li.append(
    name,
    el("br"),
    el(
      "span",
      { class: "muted" },
      bi(
        `${category.en}; ${a.entrances} entrance(s); updated ${formatTime(a.updatedAt, page.deployment.timezone)}`,
        `${category.zh}；${a.entrances} 个入口；更新于 ${formatTime(a.updatedAt, page.deployment.timezone)}`,
      ),
    ),
  );
  const open = button(
    { en: "Review", zh: "审核" },
    { "aria-describedby": nameId, "data-review": a.id },
  );
  open.addEventListener("click", () => {
    void runBusy(open, () => openDetail(a.id));
  });
  li.append(el("div", { class: "actions" }, open));
  return li;
}

// ── one application ──────────────────────────────────────────────────────────────────────────

async function openDetail(id: string): Promise<void> {
  clearRegion(page.error);
  try {
    const view = await callSigned(page, applicationRoutes.getApplication, { params: { id } });
    renderDetail(view);
    const h = document.getElementById("detail-heading");
    h?.focus();
    h?.scrollIntoView({ block: "start" });
  } catch (e) {
    page.fail(page.error, e);
  }
}

function renderDetail(view: ApplicationView): void {
  const section = document.getElementById("detail");
  if (!section) return;
  section.hidden = false;
  const h = heading(2, { en: "Application", zh: "申请" }, { id: "detail-heading", tabindex: "-1" });
  h.append(": ", venueName(view.name));
  const error = errorRegion("detail-error");
  const close = button({ en: "Close", zh: "关闭" }, { class: "secondary", id: "detail-close" });
  close.addEventListener("click", () => {
    section.hidden = true;
    replaceChildren(section);
    document.querySelector<HTMLButtonElement>(`[data-review="${view.id}"]`)?.focus();
  });
  replaceChildren(section, h, error, applicationFacts(view));
  if (view.askIdNumber) {
    section.append(
      paragraph(
        "Visitors of this category are also asked for an ID number.",
        "此类场所的访客还需提供证件号码。",
        { class: "note" },
      ),
    );
  }
  if (view.feedback && view.status === "rejected") {
    const box = el("div", { class: "feedback" });
    box.append(
      el("strong", {}, bi("Feedback sent", "已发送的意见")),
      ": ",
      el("span", { class: "feedback-text" }, view.feedback),
    );
    section.append(box);
  }
  section.append(documentsSection(view, page, 3, error));
  if (view.status === "submitted") section.append(decisionSection(view));
  section.append(
    historySection(view, page.deployment.timezone, 3),
    el("div", { class: "actions" }, close),
  );
}

function decisionSection(view: ApplicationView): HTMLElement {
  const section = el("section", { class: "decision", "aria-labelledby": "decision-heading" });
  section.append(heading(3, { en: "Decision", zh: "审核决定" }, { id: "decision-heading" }));

  const approveError = errorRegion("approve-error");
  const approve = button(
    { en: "Approve and issue codes", zh: "批准并签发场所码" },
    { id: "approve", "aria-describedby": approveError.id },
  );
  onActivate(approve, async () => {
    clearRegion(approveError);
    try {
      const decided = await callSigned(page, registryRoutes.approveApplication, {
        params: { id: view.id },
      });
      renderDetail(decided);
      await refreshQueue();
      announce({
        en: "Approved: one signed code was issued per entrance.",
        zh: "已批准：每个入口已签发一个场所码。",
      });
      document.getElementById("detail-heading")?.focus();
    } catch (e) {
      page.fail(approveError, e);
    }
  });
  section.append(
    paragraph(
      "Approving signs a code for every entrance with the registry's key.",
      "批准后将用登记机构的密钥为每个入口签发场所码。",
    ),
    approveError,
    el("div", { class: "actions" }, approve),
  );

  const form = el("form", { id: "reject-form" });
  const feedback = textField(
    "reject-feedback",
    { en: "Feedback to the operator", zh: "给申请人的意见" },
    {
      required: true,
      multiline: true,
      hint: {
        en: "Say what to change. The operator sees this text exactly as you write it.",
        zh: "请说明需要修改的内容。申请人会看到您写的原文。",
      },
    },
  );
  const rejectError = errorRegion("reject-error");
  const reject = button(
    { en: "Send back for changes", zh: "退回修改" },
    { id: "reject", class: "danger", "aria-describedby": rejectError.id },
  );
  reject.type = "submit";
  form.append(
    el("h4", {}, bi("Ask for changes", "要求修改")),
    feedback.wrapper,
    rejectError,
    reject,
  );
  onSubmit(form, async () => {
    clearRegion(rejectError);
    // Plain text with its line breaks; the service refuses other control characters.
    const text = feedback.input.value.replace(/\r\n?/g, "\n").trim();
    if (text === "") {
      setFieldError(feedback.input, { en: "Write the feedback.", zh: "请填写意见。" });
      showMessage(rejectError, {
        en: "Feedback is required to send an application back.",
        zh: "退回申请必须填写意见。",
      });
      feedback.input.focus();
      return;
    }
    if (new TextEncoder().encode(text).length > 2000) {
      setFieldError(feedback.input, { en: "At most 2000 bytes.", zh: "最多 2000 字节。" });
      feedback.input.focus();
      return;
    }
    setFieldError(feedback.input, null);
    try {
      const decided = await callSigned(page, registryRoutes.rejectApplication, {
        params: { id: view.id },
        body: { feedback: text },
      });
      renderDetail(decided);
      await refreshQueue();
      announce({ en: "Sent back to the operator.", zh: "已退回申请人。" });
      document.getElementById("detail-heading")?.focus();
    } catch (e) {
      page.fail(rejectError, e);
    }
  });
  section.append(form);
  return section;
}

async function refreshQueue(): Promise<void> {
  await reloadQueue();
}

// ── reports ──────────────────────────────────────────────────────────────────────────────────

function renderReportsFrame(section: HTMLElement): void {
  renderFilteredList(section, {
    id: "reports",
    heading: { en: "Reports from the public", zh: "公众举报" },
    intro: {
      en: "Reports carry no reporter identity and no free text; their time is kept to the hour.",
      zh: "举报不包含举报人身份和自由文本，时间只精确到小时。",
    },
    filterLabel: { en: "Show reports that are", zh: "显示状态为" },
    statuses: REPORT_STATUSES.map((s) => ({ value: s, label: reportStatusLabel(s) })),
    initial: "open",
    fetch: async (status) =>
      (await callSigned(page, registryRoutes.listReports, { query: { status } })).reports,
    count: (label, n) => ({
      en: `Reports ${label.en.toLowerCase()}: ${n}`,
      zh: `${label.zh}的举报：${n} 条`,
    }),
    item: (r: Report, reload) => reportItem(r, reload),
    listId: "report-list",
  });
}

function reportItem(r: Report, reload: () => Promise<void>): HTMLLIElement {
  const li = el("li", { "data-report": r.id });
  const kind = reportKindLabel(r.kind);
  const titleId = `report-title-${r.id}`;
  li.append(el("strong", { id: titleId }, bi(kind.en, kind.zh)), el("br"), venueName(r.venue.name));
  if (r.entrance) li.append(" — ", entranceName(r.entrance.label));
  li.append(
    el("br"),
    el(
      "span",
      { class: "muted" },
      bi(
        `Reported in the hour from ${formatTime(r.reportedHour, page.deployment.timezone)}`,
        `举报时间：${formatTime(r.reportedHour, page.deployment.timezone)} 起一小时内`,
      ),
    ),
  );
  if (r.handledBy && r.handledAt) {
    const at = formatTime(r.handledAt, page.deployment.timezone);
    li.append(
      el("br"),
      el(
        "span",
        { class: "muted" },
        bi(`Handled by ${r.handledBy}, ${at}`, `处理人：${r.handledBy}，${at}`),
      ),
    );
  }
  const form = el("form", { class: "report-status" });
  const select = selectField(
    `report-status-${r.id}`,
    { en: "Status", zh: "状态" },
    REPORT_STATUSES.map((s) => ({ value: s, label: reportStatusLabel(s) })),
    { value: r.status },
  );
  const error = errorRegion(`report-error-${r.id}`);
  const save = button(
    { en: "Update status", zh: "更新状态" },
    { "aria-describedby": `${titleId} ${error.id}` },
  );
  save.type = "submit";
  form.append(select.wrapper, save, error);
  onSubmit(form, async () => {
    clearRegion(error);
    const status = REPORT_STATUSES.find((s) => s === select.input.value) ?? r.status;
    try {
      await callSigned(page, registryRoutes.updateReport, {
        params: { id: r.id },
        body: { status },
      });
      const label = reportStatusLabel(status);
      announce({ en: `Report marked ${label.en.toLowerCase()}.`, zh: `举报已标记为${label.zh}。` });
      await reload();
      document.getElementById("reports-heading")?.focus();
    } catch (e) {
      page.fail(error, e);
    }
  });
  li.append(form);
  return li;
}

// ── export ───────────────────────────────────────────────────────────────────────────────────

function renderExport(section: HTMLElement): void {
  const error = errorRegion("export-error");
  const exportButton = button(
    { en: "Export venues (CSV)", zh: "导出场所（CSV）" },
    { id: "export-csv", "aria-describedby": error.id },
  );
  onActivate(exportButton, async () => {
    clearRegion(error);
    try {
      const csv = await callSigned(page, registryRoutes.exportVenues);
      downloadBytes(csv, "text/csv;charset=utf-8", "venues.csv");
      announce({ en: "Venues exported.", zh: "场所已导出。" });
    } catch (e) {
      page.fail(error, e);
    }
  });
  section.append(
    heading(2, { en: "Export", zh: "导出" }, { id: "export-heading" }),
    paragraph(
      "Every venue with its status, for spreadsheets. Cells that a spreadsheet would run as a formula are exported as text.",
      "导出全部场所及其状态，供电子表格使用。可能被当作公式执行的单元格会作为文本导出。",
    ),
    error,
    exportButton,
  );
}

// ── start ────────────────────────────────────────────────────────────────────────────────────

void page.start();
