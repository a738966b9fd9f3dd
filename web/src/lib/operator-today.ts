/**
 * An approved venue's check-ins today, per entrance and per hour: counts only, never who. An
 * entrance with none today is flagged, as its poster may be damaged.
 */
import { operatorRoutes } from "@lintel/contract";
import { type ApplicationView, entranceName } from "./applications.ts";
import { el, replaceChildren } from "./dom.ts";
import { bi } from "./i18n.ts";
import type { SignedPage } from "./page.ts";
import { callSigned } from "./signed-call.ts";
import { button, errorRegion, formatHour, heading, onActivate, paragraph } from "./ui.ts";

/** Draws today's counts per entrance into `section` (again on "Refresh counts"). */
export async function renderToday(
  page: SignedPage,
  section: HTMLElement,
  view: ApplicationView,
): Promise<void> {
  const error = errorRegion("dashboard-error");
  const refresh = button(
    { en: "Refresh counts", zh: "刷新数据" },
    { class: "secondary", id: "refresh-dashboard" },
  );
  onActivate(refresh, async () => {
    await renderToday(page, section, view);
    document.getElementById("refresh-dashboard")?.focus();
  });
  replaceChildren(
    section,
    heading(
      3,
      { en: "Today's check-ins", zh: "今日登记" },
      { id: "dashboard-heading", tabindex: "-1" },
    ),
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
