/**
 * The registry's review queue: applications of one status (submitted first), each with a link
 * to review it in full. A venue whose entrance change awaits a decision says so, and the queue
 * can be narrowed to those.
 */
import { APPLICATION_STATUSES, type RouteAnswer, registryRoutes } from "@lintel/contract";
import { venueName } from "./applications.ts";
import { el } from "./dom.ts";
import { renderFilteredList } from "./filtered-list.ts";
import { bi, categoryLabel, statusLabel } from "./i18n.ts";
import type { SignedPage } from "./page.ts";
import { registryViewSearch } from "./registry-router.ts";
import { districtLabel } from "./registry-scope.ts";
import { callSigned } from "./signed-call.ts";
import { formatTime } from "./ui.ts";
import { viewLink } from "./view-nav.ts";

type QueueItem = RouteAnswer<typeof registryRoutes.reviewQueue>["applications"][number];

/** The queue into `section`; `go` opens one application. */
export function renderQueue(
  page: SignedPage,
  section: HTMLElement,
  go: (id: string) => void,
): void {
  renderFilteredList(page, section, {
    id: "queue",
    heading: { en: "Applications", zh: "申请" },
    filterLabel: { en: "Show applications that are", zh: "显示状态为" },
    statuses: APPLICATION_STATUSES.map((s) => ({ value: s, label: statusLabel(s) })),
    initial: "submitted",
    narrow: {
      label: {
        en: "Only venues with an entrance change waiting",
        zh: "仅显示有入口变更待审的场所",
      },
      qualify: (status) => ({
        en: `${status.en}, with an entrance change waiting`,
        zh: `${status.zh}且有入口变更待审`,
      }),
    },
    fetch: async (status, narrowed) =>
      (
        await callSigned(page, registryRoutes.reviewQueue, {
          query: narrowed ? { status, amendment: "pending" } : { status },
        })
      ).applications,
    count: (label, n) => ({
      en: `Applications ${label.en.toLowerCase()}: ${n}`,
      zh: `${label.zh}的申请：${n} 个`,
    }),
    item: (a: QueueItem) => queueItem(page, a, go),
    listId: "queue-list",
  });
}

function queueItem(page: SignedPage, a: QueueItem, go: (id: string) => void): HTMLLIElement {
  const li = el("li", { "data-application": a.id });
  const nameId = `queue-name-${a.id}`;
  const name = venueName(a.name, "strong");
  name.id = nameId;
  const category = categoryLabel(a.category);
  const district = districtLabel(page.deployment.districts, a.district);
  li.append(name);
  if (a.amendmentPending) {
    // The venue's view holds the change and its decision; here the reviewer sees it waits.
    li.append(
      " ",
      el(
        "span",
        { class: "badge amendment-pending", "data-amendment-pending": "" },
        bi("Entrance change waiting", "入口变更待审"),
      ),
    );
  }
  if (a.possibleDuplicates > 0) {
    // The application view lists them; here the reviewer sees which to open first.
    li.append(
      " ",
      el(
        "span",
        {
          class: "badge possible-duplicate",
          "data-possible-duplicates": String(a.possibleDuplicates),
        },
        bi(
          `Possible duplicate (${a.possibleDuplicates})`,
          `可能重复登记（${a.possibleDuplicates}）`,
        ),
      ),
    );
  }
  li.append(
    el("br"),
    el(
      "span",
      { class: "muted" },
      bi(
        `${category.en}; ${district.en}; ${a.entrances} entrance(s); updated ${formatTime(a.updatedAt, page.deployment.timezone)}`,
        `${category.zh}；${district.zh}；${a.entrances} 个入口；更新于 ${formatTime(a.updatedAt, page.deployment.timezone)}`,
      ),
    ),
  );
  const open = viewLink(
    `/registry/${registryViewSearch({ kind: "application", id: a.id })}`,
    { en: "Review", zh: "审核" },
    () => go(a.id),
    { "aria-describedby": nameId, "data-review": a.id },
  );
  li.append(el("div", { class: "actions" }, open));
  return li;
}
