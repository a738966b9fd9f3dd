/**
 * The registry's reports inbox (public reports: no reporter identity, no free text, the hour
 * only), each report's status kept up to date, and the venues export as CSV (made safe for
 * spreadsheets by the service).
 */
import { REPORT_STATUSES, type RouteAnswer, registryRoutes } from "@lintel/contract";
import { entranceName, venueName } from "./applications.ts";
import { el } from "./dom.ts";
import { renderFilteredList } from "./filtered-list.ts";
import { bi, reportKindLabel, reportStatusLabel } from "./i18n.ts";
import type { SignedPage } from "./page.ts";
import { callSigned } from "./signed-call.ts";
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
  selectField,
  textField,
} from "./ui.ts";

type Report = RouteAnswer<typeof registryRoutes.listReports>["reports"][number];

/** Reports from the public into `section`, with a status filter. */
export function renderReports(page: SignedPage, section: HTMLElement): void {
  renderFilteredList(page, section, {
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
    item: (r: Report, reload) => reportItem(page, r, reload),
    listId: "report-list",
  });
}

function reportItem(page: SignedPage, r: Report, reload: () => Promise<void>): HTMLLIElement {
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
  if (r.count > 1) {
    li.append(
      el("br"),
      el(
        "strong",
        { class: "badge report-count", "data-count": String(r.count) },
        bi(`Reported ${r.count} times`, `被举报 ${r.count} 次`),
      ),
    );
  }
  if (r.operatorAnswer !== null) {
    li.append(
      el("h4", {}, bi("The venue's answer", "场所的答复")),
      el("p", { class: "operator-answer feedback-text" }, r.operatorAnswer),
    );
  }
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
  const note = textField(
    `report-note-${r.id}`,
    { en: "Registry's note", zh: "登记机构备注" },
    {
      multiline: true,
      value: r.note ?? "",
      hint: { en: "Seen by registry staff only.", zh: "仅登记机构工作人员可见。" },
    },
  );
  const error = errorRegion(`report-error-${r.id}`);
  const save = button({ en: "Save", zh: "保存" }, { "aria-describedby": `${titleId} ${error.id}` });
  save.type = "submit";
  form.append(select.wrapper, note.wrapper, save, error);
  onSubmit(form, async () => {
    clearRegion(error);
    const status = REPORT_STATUSES.find((s) => s === select.input.value) ?? r.status;
    const text = note.input.value.replace(/\r\n?/g, "\n").trim();
    try {
      await callSigned(page, registryRoutes.updateReport, {
        params: { id: r.id },
        body: text === "" ? { status } : { status, note: text },
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

/** The venues export into `section`. */
export function renderExport(page: SignedPage, section: HTMLElement): void {
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
    heading(2, { en: "Export", zh: "导出" }, { id: "export-heading", tabindex: "-1" }),
    paragraph(
      "Every venue with its status, for spreadsheets. Cells that a spreadsheet would run as a formula are exported as text.",
      "导出全部场所及其状态，供电子表格使用。可能被当作公式执行的单元格会作为文本导出。",
    ),
    error,
    exportButton,
  );
}
