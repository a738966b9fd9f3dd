/**
 * The registry's compliance view (`?view=compliance`): venue by venue, what needs attention —
 * entrances with no check-in for some days, reports not closed, codes replaced, rectification
 * orders past their deadline, the last inspection — the venues needing most first; and how long
 * closed reports took. Counts only.
 */
import { inspectionRoutes, QUIET_DAYS, type RouteAnswer } from "@lintel/contract";
import { entranceName, venueName } from "./applications.ts";
import { el, replaceChildren } from "./dom.ts";
import { bi, tr } from "./i18n.ts";
import { RESULT_LABELS } from "./inspections.ts";
import type { SignedPage } from "./page.ts";
import { callSigned } from "./signed-call.ts";
import { errorRegion, heading, onSubmit, paragraph, selectField } from "./ui.ts";

type Compliance = RouteAnswer<typeof inspectionRoutes.compliance>;

export function renderCompliance(
  page: SignedPage,
  section: HTMLElement,
  open: (venueId: string) => void,
): void {
  const error = errorRegion("compliance-error");
  const result = el("div", { id: "compliance-result", "aria-live": "polite" });
  const form = el("form", { id: "compliance-form", class: "inline" });
  const days = selectField(
    "compliance-days",
    { en: "An entrance is quiet after", zh: "入口无登记的天数" },
    [1, 3, 7, 14, QUIET_DAYS.max].map((d) => ({
      value: String(d),
      label: { en: `${d} days without a check-in`, zh: `${d} 天无登记` },
    })),
    { value: String(QUIET_DAYS.default) },
  );
  form.append(days.wrapper);
  const load = async () => {
    try {
      const answer = await callSigned(page, inspectionRoutes.compliance, {
        query: { quietDays: days.input.value },
      });
      replaceChildren(result, ...figures(answer, open));
    } catch (e) {
      page.fail(error, e);
    }
  };
  days.input.addEventListener("change", () => void load());
  onSubmit(form, load);
  replaceChildren(
    section,
    heading(2, { en: "Compliance", zh: "合规情况" }, { id: "compliance-heading", tabindex: "-1" }),
    paragraph(
      "Venues needing attention first: overdue rectification orders, open reports, entrances with no check-in (a missing or ignored poster), replaced codes. Counts only.",
      "需要关注的场所排在前面：逾期未整改、未处理的举报、没有登记的入口（海报缺失或被忽视）、更换过的场所码。仅显示数量。",
    ),
    form,
    error,
    result,
  );
  void load();
}

function figures(c: Compliance, open: (venueId: string) => void): HTMLElement[] {
  const handling =
    c.medianHoursToClose === null
      ? paragraph(
          `No report was closed in the last ${c.quietDays} days.`,
          `最近 ${c.quietDays} 天没有关闭的举报。`,
          { id: "report-handling" },
        )
      : paragraph(
          `${c.reportsClosed} reports closed in the last ${c.quietDays} days; half within ${c.medianHoursToClose.toFixed(1)} hours of being made.`,
          `最近 ${c.quietDays} 天关闭了 ${c.reportsClosed} 条举报；其中一半在提交后 ${c.medianHoursToClose.toFixed(1)} 小时内处理完毕。`,
          { id: "report-handling" },
        );
  if (c.venues.length === 0) {
    return [handling, paragraph("No approved venues yet.", "尚无获批场所。")];
  }
  const table = el("table", { id: "compliance-table" });
  table.append(
    el("caption", {}, bi("Venues", "场所")),
    el(
      "thead",
      {},
      el(
        "tr",
        {},
        el("th", { scope: "col" }, bi("Venue", "场所")),
        el("th", { scope: "col" }, bi("Quiet entrances", "无登记的入口")),
        el("th", { scope: "col" }, bi("Open reports", "未处理举报")),
        el("th", { scope: "col" }, bi("Codes replaced", "更换场所码")),
        el("th", { scope: "col" }, bi("Overdue orders", "逾期整改")),
        el("th", { scope: "col" }, bi("Last inspection", "最近检查")),
      ),
    ),
  );
  const body = el("tbody");
  for (const v of c.venues) {
    const link = el("a", { href: `/registry/?application=${encodeURIComponent(v.venueId)}` });
    link.append(venueName(v.name));
    link.addEventListener("click", (e) => {
      e.preventDefault();
      open(v.venueId);
    });
    const quiet = el("td", { "data-quiet": String(v.quietEntrances.length) });
    v.quietEntrances.forEach((e, i) => {
      if (i > 0) quiet.append(", ");
      quiet.append(entranceName(e.label));
    });
    if (v.quietEntrances.length === 0) quiet.append("—");
    const last = v.lastInspection;
    const inspected = last
      ? [`${last.inspectedOn} `, bi(RESULT_LABELS[last.result].en, RESULT_LABELS[last.result].zh)]
      : ["—"];
    body.append(
      el(
        "tr",
        { "data-venue": v.venueId },
        el("th", { scope: "row" }, link),
        quiet,
        el("td", { "data-open-reports": String(v.openReports) }, String(v.openReports)),
        el("td", {}, String(v.replacedCodes)),
        el(
          "td",
          { "data-overdue": String(v.overdueRectifications) },
          String(v.overdueRectifications),
        ),
        el("td", {}, ...inspected),
      ),
    );
  }
  table.append(body);
  // A wide table scrolls on its own on a narrow screen; the region is focusable to scroll by key.
  const region = el("div", {
    class: "table-scroll",
    tabindex: "0",
    role: "region",
    "aria-label": tr({ en: "Venues", zh: "场所" }),
  });
  region.append(table);
  return [handling, region];
}
