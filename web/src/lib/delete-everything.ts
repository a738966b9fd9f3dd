/**
 * "Delete everything" on /visits/: first the service's copies this phone can delete — every
 * check-in of the diary, companions included, and every check-in still in the offline queue (the
 * service may have stored one whose answer never arrived; deleting one it does not hold deletes
 * nothing) — with the deletion secrets kept here (POST /api/checkins/delete); then every store of
 * this site in this browser: its IndexedDB databases, its caches, its localStorage and
 * sessionStorage, and the service worker with its periodic check. What the service could not delete is listed, and this
 * phone keeps its secrets until the person chooses to delete them anyway, since without them
 * nobody can delete those check-ins before the retention period ends.
 */
import { callRoute, deleteVisit, LintelError, listVisits } from "@lintel/client-sdk";
import { citizenRoutes, type Localized } from "@lintel/contract";
import type { CitizenContext } from "./citizen-service.ts";
import { citizenMessage } from "./citizen-text.ts";
import { el, replaceChildren } from "./dom.ts";
import { NOTICE_DATABASE } from "./exposure-memory.ts";
import { bi, tr } from "./i18n.ts";
import { LANGUAGE_DATABASE } from "./language-store.ts";
import { stopPeriodicCheck } from "./periodic-check.ts";
import { announce, button, confirmDialog, paragraph, runBusy } from "./ui.ts";

export interface ServerDeletion {
  /** Check-ins (diary visits and queued ones) whose every part the service answered for. */
  readonly deleted: number;
  /** Encrypted records the service said it deleted. */
  readonly records: number;
  readonly failed: ReadonlyArray<{ readonly place: Localized; readonly reason: string }>;
}

function reasonOf(e: unknown): string {
  if (e instanceof LintelError) {
    const message = citizenMessage(e.code);
    return message ? tr(message) : e.message;
  }
  return e instanceof Error ? e.message : String(e);
}

/** Deletes what the service holds for this phone's check-ins; never throws for one failure. */
export async function deleteServerCopies(ctx: CitizenContext): Promise<ServerDeletion> {
  let deleted = 0;
  let records = 0;
  const failed: { place: Localized; reason: string }[] = [];
  for (const visit of await listVisits(ctx.visits)) {
    try {
      records += await deleteVisit(ctx.service, visit);
      deleted++;
    } catch (e) {
      failed.push({ place: visit.venueName, reason: reasonOf(e) });
    }
  }
  for (const item of await ctx.queue.list()) {
    try {
      for (const s of item.prepared.submissions) {
        const answer = await callRoute(ctx.service, citizenRoutes.deleteCheckIn, {
          body: { entranceId: item.prepared.entranceId, deletionSecret: s.deletionSecret },
        });
        records += answer.deleted;
      }
      deleted++;
    } catch (e) {
      failed.push({ place: item.prepared.venueName, reason: reasonOf(e) });
    }
  }
  return { deleted, records, failed };
}

function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error);
    // Blocked while another tab holds it open: its connection closes on versionchange, and the
    // deletion then completes by itself.
  });
}

/** Every store of this site in this browser. */
export async function wipeDevice(): Promise<void> {
  const known = ["lintel", NOTICE_DATABASE, LANGUAGE_DATABASE];
  const listed =
    typeof indexedDB.databases === "function"
      ? (await indexedDB.databases()).map((d) => d.name).filter((n): n is string => !!n)
      : [];
  for (const name of new Set([...known, ...listed])) await deleteDatabase(name);
  if (typeof caches !== "undefined") {
    for (const name of await caches.keys()) await caches.delete(name);
  }
  try {
    localStorage.clear();
    sessionStorage.clear();
  } catch {
    // storage disabled: nothing kept there
  }
  const registrations = (await navigator.serviceWorker?.getRegistrations()) ?? [];
  for (const r of registrations) {
    for (const n of await r.getNotifications()) n.close();
    // By name too, not only with the registration: an unregistered registration lives on while
    // this page uses it, and nothing may be checked after its data is gone.
    await stopPeriodicCheck(r);
    await r.unregister();
  }
  const nav = navigator as Navigator & { clearAppBadge?: () => Promise<void> };
  await nav.clearAppBadge?.().catch(() => undefined);
}

/** The page after the wipe: nothing of the old state is drawn again (it would recreate stores). */
function showDone(main: HTMLElement, result: ServerDeletion): void {
  replaceChildren(
    main,
    el("h1", { id: "deleted-heading", tabindex: "-1" }, bi("Everything was deleted", "已全部删除")),
    el(
      "p",
      { id: "deleted-summary" },
      bi(
        `The service deleted ${result.deleted} check-in${result.deleted === 1 ? "" : "s"} (${result.records} encrypted record${result.records === 1 ? "" : "s"}). This browser keeps nothing of Lintel any more.`,
        `服务已删除 ${result.deleted} 项登记（${result.records} 条加密记录）。本浏览器已不再保存任何 Lintel 数据。`,
      ),
    ),
    result.failed.length > 0
      ? paragraph(
          `${result.failed.length} check-in${result.failed.length === 1 ? "" : "s"} could not be deleted from the service; the service deletes ${result.failed.length === 1 ? "it" : "them"} at the end of the retention period.`,
          `${result.failed.length} 项登记未能从服务中删除；服务将在保存期结束时删除。`,
          { id: "deleted-failed" },
        )
      : null,
    el("p", {}, el("a", { href: "/" }, bi("Home", "首页"))),
  );
  document.getElementById("deleted-heading")?.focus();
}

/** The button, its confirmation and the report. */
export function deleteEverythingButton(ctx: CitizenContext, region: HTMLElement): HTMLElement {
  const go = button(
    { en: "Delete everything", zh: "全部删除" },
    { id: "delete-everything", class: "danger" },
  );
  go.addEventListener("click", () => {
    void runBusy(go, async () => {
      const sure = await confirmDialog(
        { en: "Delete everything?", zh: "全部删除？" },
        [
          paragraph(
            "Your check-ins are deleted from the service first, as far as this phone can. Then everything this site keeps in this browser is deleted: your visits, check-ins not sent yet, your remembered details, your settings, and any sign-in of a venue, staff or other account on this site in this browser. This cannot be undone.",
            "首先尽本机所能从服务中删除您的登记。然后删除本网站在此浏览器中保存的所有内容：您的到访记录、尚未发送的登记、记住的个人信息、设置，以及本浏览器中本网站的场所、员工或其他账户的登录。此操作无法撤销。",
          ),
        ],
        { en: "Delete everything", zh: "全部删除" },
      );
      if (!sure) return;
      announce({ en: "Deleting…", zh: "正在删除…" }, { progress: true });
      const result = await deleteServerCopies(ctx);
      if (result.failed.length > 0) {
        showFailures(ctx, region, result);
        return;
      }
      await wipeDevice();
      showDone(document.getElementById("main")!, result);
    });
  });
  return go;
}

/** Some copies stay on the service: say which, and let the person delete this phone's anyway. */
function showFailures(ctx: CitizenContext, region: HTMLElement, result: ServerDeletion): void {
  const anyway = button(
    { en: "Delete this phone's data anyway", zh: "仍然删除本机数据" },
    { id: "delete-anyway", class: "danger" },
  );
  anyway.addEventListener("click", () => {
    void runBusy(anyway, async () => {
      await wipeDevice();
      showDone(document.getElementById("main")!, result);
    });
  });
  const retry = button({ en: "Try again", zh: "重试" }, { id: "delete-retry", class: "secondary" });
  retry.addEventListener("click", () => {
    void runBusy(retry, async () => {
      const again = await deleteServerCopies(ctx);
      const total = { ...again, deleted: again.deleted, records: result.records + again.records };
      if (again.failed.length > 0) showFailures(ctx, region, total);
      else {
        await wipeDevice();
        showDone(document.getElementById("main")!, total);
      }
    });
  });
  replaceChildren(
    region,
    el(
      "p",
      { id: "delete-failures" },
      bi(
        `${result.deleted} check-in${result.deleted === 1 ? "" : "s"} deleted from the service; ${result.failed.length} could not be. Nothing was deleted from this phone yet: without its secrets, nobody could delete those before the retention period ends.`,
        `已从服务中删除 ${result.deleted} 项登记；${result.failed.length} 项未能删除。本机数据尚未删除：没有本机的密钥，保存期结束前任何人都无法删除那些登记。`,
      ),
    ),
    el("ul", {}, ...result.failed.map((f) => el("li", {}, `${tr(f.place)}: ${f.reason}`))),
    el("div", { class: "actions" }, retry, anyway),
  );
}
