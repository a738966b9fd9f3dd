/**
 * "Was any of my visits looked at?" on /visits/: the citizen SDK audits the public transparency
 * log on this phone and matches it against the diary here (PROTOCOL.md §11.6). It downloads only
 * what every auditor downloads — the checkpoint and the log's tiles — so the service cannot tell
 * whose visits matched. The log's state and full tiles are kept in IndexedDB, so later checks
 * fetch only what is new.
 */
import {
  checkExposure,
  type ExposureReport,
  indexedDbExposureAuditStore,
  type Visit,
} from "@lintel/client-sdk";
import { dateTimeText } from "./citizen-pass.ts";
import type { CitizenContext } from "./citizen-service.ts";
import { venueRequestItems } from "./citizen-venue-requests.ts";
import { el, replaceChildren } from "./dom.ts";
import { bi, biBlock } from "./i18n.ts";
import { button, errorRegion, heading, runBusy, showMessage } from "./ui.ts";

function hourRange(start: number, end: number, timeZone: string): string {
  return `${dateTimeText(start, timeZone).slice(0, 16)} – ${dateTimeText(end, timeZone).slice(11, 16)}`;
}

/** Renders the section into `section` and runs a check now; the button runs it again. */
export function renderExposure(
  section: HTMLElement,
  ctx: CitizenContext,
  visits: () => Promise<readonly Visit[]>,
  onChecked: (report: ExposureReport) => Promise<void> = async () => undefined,
  extra?: HTMLElement,
): void {
  const result = el("div", { id: "exposure-result", "aria-live": "polite" });
  const error = errorRegion("exposure-error");
  const again = button(
    { en: "Check the public log again", zh: "再次检查公开记录" },
    { id: "exposure-check", class: "secondary" },
  );
  const tz = ctx.deployment.timezone;
  const run = async () => {
    replaceChildren(
      result,
      el("p", { class: "muted" }, bi("Checking the public log…", "正在检查公开记录…")),
    );
    const mine = await visits();
    const outcome = await checkExposure({
      service: ctx.service,
      deployment: ctx.deployment,
      visits: mine,
      store: indexedDbExposureAuditStore(),
    });
    if (!outcome.ok) {
      replaceChildren(result);
      showMessage(error, {
        en: `The public log could not be verified, so this phone cannot tell you whether your visits were looked at: ${outcome.reason}`,
        zh: "无法验证公开记录，因此本机无法告诉您到访记录是否被查阅。",
      });
      return;
    }
    await onChecked(outcome.report);
    const byId = new Map(mine.map((v) => [v.id, v]));
    const items: HTMLElement[] = [];
    for (const w of outcome.report.warnings) {
      const v = byId.get(w.visitId);
      items.push(
        el(
          "li",
          { class: "warning", "data-exposure": "warning" },
          el("strong", {}, bi("Exposure warning", "暴露提醒")),
          biBlock(
            `The health authority warns that a confirmed case was at ${v?.entranceName.en ?? "this entrance"} (${v?.venueName.en ?? ""}) between ${hourRange(w.windowStart, w.windowEnd, tz)}, while you were there. Watch for symptoms and follow the health authority's advice.`,
            `卫生部门提醒：${hourRange(w.windowStart, w.windowEnd, tz)} 期间，一名确诊者曾在 ${v?.venueName.zh ?? ""} ${v?.entranceName.zh ?? "此入口"}，与您到访时间重叠。请留意症状并遵从卫生部门的建议。`,
          ),
        ),
      );
    }
    for (const c of outcome.report.covered) {
      const v = byId.get(c.visitId);
      const officers = c.signedBy.map((o) => o.label).join(", ");
      const line = (en: string, zh: string, value: string) =>
        el("p", {}, el("span", { class: "muted" }, bi(en, zh)), ` ${value}`);
      items.push(
        el(
          "li",
          { "data-exposure": "covered" },
          el("strong", {}, bi("Looked at by the health authority", "卫生部门曾查阅")),
          biBlock(
            `Query ${c.queryIndex} in the public log, ${dateTimeText(c.issuedAt, tz).slice(0, 16)}, covers your visit to ${v?.venueName.en ?? ""} · ${v?.entranceName.en ?? ""}.`,
            `公开记录中的第 ${c.queryIndex} 号查询（${dateTimeText(c.issuedAt, tz).slice(0, 16)}）涵盖您到访 ${v?.venueName.zh ?? ""} · ${v?.entranceName.zh ?? ""}。`,
          ),
          line("Hours:", "时段：", hourRange(c.windowStart, c.windowEnd, tz)),
          line("Legal basis:", "法律依据：", c.legalBasis),
          line("Reason:", "原因：", c.reason),
          line("Signed by:", "签署人：", officers),
          line("Keys released by:", "已发放密钥：", c.releasedBy.join(", ") || "—"),
          line(
            "Case reference (hash):",
            "案件编号（散列）：",
            `${c.caseReferenceHash.slice(0, 16)}…`,
          ),
        ),
      );
    }
    items.push(...venueRequestItems(outcome.report.venueRequests, byId, tz));
    replaceChildren(
      result,
      items.length === 0
        ? el(
            "p",
            { id: "exposure-none", "data-exposure": "none" },
            bi(
              `No query or warning in the public log covers your visits (log verified, ${outcome.logSize} entries).`,
              `公开记录中没有涵盖您到访的查询或提醒（记录已验证，共 ${outcome.logSize} 条）。`,
            ),
          )
        : el("ul", { class: "exposure-list" }, ...items),
    );
  };
  again.addEventListener("click", () => {
    void runBusy(again, () => run().catch((e: unknown) => showMessage(error, problemText(e))));
  });
  replaceChildren(
    section,
    heading(
      2,
      { en: "Was any of my visits looked at?", zh: "我的到访是否被查阅？" },
      { id: "exposure-heading" },
    ),
    el(
      "p",
      {},
      biBlock(
        "Every exposure query and warning is written to a public log before anyone can read a check-in. This phone reads that log and compares it with the visits above; nothing about you is sent.",
        "任何人读取登记之前，每项暴露查询和提醒都会写入公开记录。本机读取该记录并与上方的到访比对，不会发送任何关于您的信息。",
      ),
    ),
    result,
    error,
    el("div", { class: "actions" }, again),
    extra ?? null,
  );
  void run().catch((e: unknown) => showMessage(error, problemText(e)));
}

function problemText(e: unknown): { en: string; zh: string } {
  return {
    en: `The public log could not be read: ${e instanceof Error ? e.message : String(e)}`,
    zh: "无法读取公开记录。",
  };
}
