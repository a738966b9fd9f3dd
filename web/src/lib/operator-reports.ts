/**
 * What the public reported about the operator's venue (no reporter, no free text, the hour only;
 * identical reports counted together), with a form to answer each once: the registry reads the
 * answer, and each reporter learns that the venue answered.
 */
import { type RouteAnswer, venueReportRoutes } from "@lintel/contract";
import { answerForm } from "./answer-form.ts";
import { entranceName } from "./applications.ts";
import { el, replaceChildren } from "./dom.ts";
import { bi, reportKindLabel, reportStatusLabel } from "./i18n.ts";
import type { SignedPage } from "./page.ts";
import { callSigned } from "./signed-call.ts";
import { announce, errorRegion, formatTime, heading, paragraph } from "./ui.ts";

type Report = RouteAnswer<typeof venueReportRoutes.venueReports>["reports"][number];

/** The venue's reports into a new section. */
export function venueReportsSection(page: SignedPage, venueId: string): HTMLElement {
  const section = el("section", {
    id: "venue-reports",
    "aria-labelledby": "venue-reports-heading",
  });
  void draw(page, section, venueId);
  return section;
}

async function draw(page: SignedPage, section: HTMLElement, venueId: string): Promise<void> {
  const error = errorRegion("venue-reports-error");
  const list = el("ol", { class: "rectification-list", id: "venue-report-list" });
  replaceChildren(
    section,
    heading(3, { en: "Reports from the public", zh: "公众举报" }, { id: "venue-reports-heading" }),
    error,
    list,
  );
  try {
    const { reports } = await callSigned(page, venueReportRoutes.venueReports, {
      params: { id: venueId },
    });
    if (reports.length === 0) {
      list.replaceWith(paragraph("No reports.", "没有举报。", { id: "venue-report-list" }));
      return;
    }
    for (const r of reports) list.append(reportItem(page, section, venueId, r));
  } catch (e) {
    page.fail(error, e);
  }
}

function reportItem(
  page: SignedPage,
  section: HTMLElement,
  venueId: string,
  r: Report,
): HTMLElement {
  const kind = reportKindLabel(r.kind);
  const status = reportStatusLabel(r.status);
  const at = formatTime(r.reportedHour, page.deployment.timezone);
  const item = el(
    "li",
    { "data-report": r.id },
    el("p", {}, el("strong", {}, bi(kind.en, kind.zh)), " · ", bi(status.en, status.zh)),
  );
  if (r.entrance) item.append(el("p", {}, entranceName(r.entrance.label)));
  item.append(
    paragraph(
      r.count > 1
        ? `${r.count} reports, the first in the hour from ${at}.`
        : `In the hour from ${at}.`,
      r.count > 1 ? `共 ${r.count} 条举报，最早在 ${at} 起一小时内。` : `${at} 起一小时内。`,
    ),
  );
  if (r.operatorAnswer !== null) {
    item.append(
      el("h4", {}, bi("Your answer", "您的答复")),
      el("p", { class: "answer" }, r.operatorAnswer),
    );
    return item;
  }
  const error = errorRegion(`venue-report-error-${r.id}`);
  const form = answerForm({
    id: `venue-report-answer-${r.id}`,
    label: { en: "Your answer to the registry", zh: "您给登记机构的答复" },
    mark: ["data-answer-report", r.id],
    error,
    send: async (text) => {
      try {
        await callSigned(page, venueReportRoutes.answerReport, {
          params: { id: venueId, rid: r.id },
          body: { answer: text },
        });
        await draw(page, section, venueId);
        announce({ en: "Answer sent to the registry.", zh: "答复已提交登记机构。" });
      } catch (e) {
        page.fail(error, e);
      }
    },
  });
  item.append(form);
  return item;
}
