/**
 * /transparency/: the public statistics, verified in this browser. The SDK's auditTransparency
 * fetches the deployment (its registry-signed record names the log key) and the whole public log,
 * checks every entry's leaf, signatures and rules, and counts the verified entries with the same
 * function as `lintel-audit report`, so the page and the tool show the same figures. What was
 * verified is kept in IndexedDB (the store "My visits" keeps for the same log), so a later visit
 * downloads and replays only what is new, and a log that forked or shrank since is caught. A log that
 * does not verify shows why and no figure at all: "we could not check" must not read as "nothing
 * happened". The CSV download is made here, from the same report.
 */
import {
  auditTransparency,
  indexedDbExposureAuditStore,
  REPORT_COUNTERS,
  type ReportCounts,
  reportCsv,
  type TransparencyReport,
} from "@lintel/client-sdk";
import { el, replaceChildren } from "./dom.ts";
import { fastCurves } from "./fast-curves.ts";
import { bi } from "./i18n.ts";
import { FIGURE_TEXT } from "./transparency-text.ts";
import {
  announce,
  button,
  clearStatus,
  downloadBytes,
  errorRegion,
  heading,
  showMessage,
  showProblem,
} from "./ui.ts";

function row(label: Node, month: string, counts: ReportCounts, total = false): HTMLElement {
  return el(
    "tr",
    total ? { class: "total", "data-month": month } : { "data-month": month },
    el("th", { scope: "row" }, label),
    ...REPORT_COUNTERS.map((c) =>
      el("td", { "data-figure": c, "data-month": month }, counts[c].toString()),
    ),
  );
}

function figuresTable(report: TransparencyReport): HTMLElement {
  const caption = el(
    "caption",
    { id: "figures-caption" },
    bi(`Per calendar month, time zone ${report.timeZone}`, `按自然月统计，时区 ${report.timeZone}`),
  );
  const table = el(
    "table",
    { class: "figures", id: "figures" },
    caption,
    el(
      "thead",
      {},
      el(
        "tr",
        {},
        el("th", { scope: "col" }, bi("Month", "月份")),
        ...REPORT_COUNTERS.map((c) =>
          el("th", { scope: "col" }, bi(FIGURE_TEXT[c].heading.en, FIGURE_TEXT[c].heading.zh)),
        ),
      ),
    ),
    el(
      "tbody",
      {},
      ...report.months.map((m) => row(document.createTextNode(m.month), m.month, m.counts)),
    ),
    el("tfoot", {}, row(bi("Total", "合计"), "total", report.totals, true)),
  );
  // Wider than a phone: it scrolls in its own region, which a keyboard can reach.
  return el(
    "div",
    { class: "table-scroll", tabindex: "0", role: "region", "aria-labelledby": "figures-caption" },
    table,
  );
}

function meanings(): HTMLElement {
  return el(
    "dl",
    { class: "meanings" },
    ...REPORT_COUNTERS.flatMap((c) => [
      el("dt", {}, bi(FIGURE_TEXT[c].heading.en, FIGURE_TEXT[c].heading.zh)),
      el("dd", {}, bi(FIGURE_TEXT[c].meaning.en, FIGURE_TEXT[c].meaning.zh)),
    ]),
  );
}

function verifiedSummary(report: TransparencyReport, cosigners: readonly string[]): HTMLElement {
  const size = report.logSize.toString();
  return el(
    "p",
    { id: "transparency-verified", "data-log-size": size },
    bi(
      `Verified in this browser: all ${size} entries of the public log, every signature and rule checked${cosigners.length ? `, countersigned by ${cosigners.join(", ")}` : ""}. Months are read in the deployment's time zone, ${report.timeZone}, by the time each entry states.`,
      `已在本浏览器核验：公开日志全部 ${size} 条记录，每个签名和规则均已检查${cosigners.length ? `，由 ${cosigners.join("、")} 联署` : ""}。月份按本部署的时区 ${report.timeZone}、以每条记录所载时间计算。`,
    ),
  );
}

function downloadButton(report: TransparencyReport): HTMLButtonElement {
  const b = button(
    { en: "Download these figures (CSV)", zh: "下载这些数字（CSV）" },
    { id: "transparency-csv", class: "secondary" },
  );
  b.addEventListener("click", () => {
    downloadBytes(
      new TextEncoder().encode(reportCsv(report)),
      "text/csv;charset=utf-8",
      `${report.deployment || "lintel"}-statistics.csv`,
    );
  });
  return b;
}

/** Verifies the log and draws the figures into `box`, or why there are none. */
export async function renderTransparency(box: HTMLElement): Promise<void> {
  const error = errorRegion("transparency-error");
  replaceChildren(box, error);
  announce({ en: "Checking the public log…", zh: "正在核验公开日志…" }, { progress: true });
  // The log's key-holder enrolments carry proofs checked by pairings: the fast curves, if they load.
  await fastCurves();
  let audit: Awaited<ReturnType<typeof auditTransparency>>;
  try {
    audit = await auditTransparency({
      service: { baseUrl: location.origin },
      store: indexedDbExposureAuditStore(),
    });
  } catch (e) {
    showProblem(error, e);
    error.prepend(
      el(
        "p",
        {},
        bi(
          "The deployment could not be verified, so no figures are shown.",
          "无法核验本部署，因此不显示任何数字。",
        ),
      ),
    );
    error.dataset.verification = "failed";
    return;
  }
  clearStatus();
  if (!audit.ok) {
    error.dataset.verification = "failed";
    showMessage(error, {
      en: `The public log did not verify, so no figures are shown: ${audit.reason}`,
      zh: "公开日志未通过核验，因此不显示任何数字。",
    });
    return;
  }
  const { report } = audit;
  replaceChildren(
    box,
    error,
    verifiedSummary(report, audit.cosigners),
    report.months.length === 0
      ? el("p", {}, bi("The log has no entries yet.", "日志中尚无记录。"))
      : figuresTable(report),
    downloadButton(report),
    heading(2, { en: "What each figure means", zh: "各项数字的含义" }),
    meanings(),
    el(
      "p",
      { class: "muted" },
      bi("Check it yourself: the command ", "您也可以自行核查：命令 "),
      el("code", {}, "lintel-audit report"),
      bi(
        " verifies the same log and prints the same figures.",
        " 会核验同一份日志并输出相同的数字。",
      ),
    ),
  );
}
