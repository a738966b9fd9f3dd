/**
 * After a check-in: the pass (citizen-pass.ts), the check-in waiting on the phone when the service
 * could not be reached, and sending what the offline queue holds — the pass of the check-in the
 * page was waiting for shows once it is stored; a refusal is shown and the refused item dropped.
 */
import type { Visit } from "@lintel/client-sdk";
import { showScan } from "./checkin-scan.ts";
import { clearView, focusHeading, forgetFragment, mark, view } from "./checkin-view.ts";
import { renderPass } from "./citizen-pass.ts";
import { checkOutVisit, openVisits } from "./citizen-service.ts";
import { showCitizenProblem } from "./citizen-text.ts";
import { el, replaceChildren } from "./dom.ts";
import { type Bi, bi, biBlock, tr } from "./i18n.ts";
import { announce, button, errorRegion, heading } from "./ui.ts";

/** Only one visit is open at a time: a new check-in checks the others out (best effort). */
export async function afterStored(visit: Visit): Promise<void> {
  forgetFragment();
  for (const other of await openVisits(view.ctx)) {
    if (other.id === visit.id) continue;
    await checkOutVisit(view.ctx, other).catch(() => undefined);
  }
}

export function showPass(visit: Visit, note?: Bi): void {
  clearView();
  view.pass = renderPass(view.ctx, visit, note ? { note } : {});
  replaceChildren(
    view.app,
    view.pass.element,
    el(
      "div",
      { class: "actions" },
      (() => {
        const again = button(
          { en: "Check in somewhere else", zh: "在其他场所登记" },
          { id: "new-check-in", class: "secondary" },
        );
        again.addEventListener("click", () => {
          showScan();
          focusHeading("scan-heading");
        });
        return again;
      })(),
    ),
  );
  focusHeading("pass-heading");
  announce(
    visit.checkedOutAt === undefined
      ? {
          en: "Checked in. Show this pass if staff ask.",
          zh: "登记成功。如工作人员要求，请出示此凭证。",
        }
      : { en: "This visit is over.", zh: "本次到访已结束。" },
  );
  requestAnimationFrame(() => mark("pass-shown"));
}

/** A check-in kept on the phone because the service could not be reached. */
export function showWaiting(id: string, place: { venueName: Bi; entranceName: Bi }): void {
  clearView();
  view.waitingId = id;
  const retry = button({ en: "Try sending now", zh: "立即发送" }, { id: "send-now" });
  const error = errorRegion("waiting-error");
  retry.addEventListener("click", () => {
    void flushQueue(error);
  });
  replaceChildren(
    view.app,
    el(
      "section",
      { "aria-labelledby": "waiting-heading", id: "waiting", "data-queued": id },
      heading(2, { en: "Saved on this phone", zh: "已保存在本机" }, { id: "waiting-heading" }),
      el("p", { class: "waiting-badge", id: "waiting-status" }, bi("Waiting to send", "等待发送")),
      el(
        "p",
        { class: "status-box", id: "waiting-message" },
        biBlock(
          "No connection: your check-in is saved, encrypted, on this phone, and will be sent when you are back online. Keep this page open or open it again later.",
          "没有网络：您的登记已加密保存在本机，联网后将自动发送。请保持此页面打开，或稍后再次打开。",
        ),
      ),
      el("p", { class: "venue-name", id: "waiting-venue" }, tr(place.venueName)),
      el("p", { class: "entrance-name", id: "waiting-entrance" }, tr(place.entranceName)),
      error,
      el("div", { class: "actions" }, retry),
    ),
  );
  announce({
    en: "No connection: saved on this phone, will be sent when you are online.",
    zh: "没有网络：已保存在本机，联网后将发送。",
  });
  focusHeading("waiting-heading");
  view.waitingTimer = window.setInterval(() => {
    if (navigator.onLine) void flushQueue();
  }, 15_000);
}

/** Drops check-ins the service refused for good, once the person has been told. */
export async function discardRefused(): Promise<void> {
  for (const item of await view.ctx.queue.list()) {
    if (item.submissions[0]?.state === "refused") await view.ctx.queue.discard(item.id);
  }
}

let flushing: Promise<void> | undefined;

/**
 * Sends what the queue holds; shows the pass of the check-in this page was waiting for (or, with
 * `showAny`, of any check-in it sent).
 */
export function flushQueue(region: HTMLElement = view.pageError, showAny = false): Promise<void> {
  flushing ??= (async () => {
    try {
      const result = await view.ctx.queue.flush();
      for (const visit of result.stored) {
        await afterStored(visit);
        if (visit.id === view.waitingId || showAny) {
          showPass(visit, {
            en: "Your check-in saved on this phone has been sent.",
            zh: "保存在本机的登记已发送。",
          });
        } else {
          announce({
            en: "A check-in saved on this phone has been sent.",
            zh: "保存在本机的登记已发送。",
          });
        }
      }
      if (result.refused.length > 0) {
        const refusal = result.refused[0]!;
        showCitizenProblem(region, refusal.error);
        await discardRefused();
        if (refusal.id === view.waitingId) {
          showScan({ problem: refusal.error });
        }
      }
      if (result.error && region !== view.pageError) showCitizenProblem(region, result.error);
    } finally {
      flushing = undefined;
    }
  })();
  return flushing;
}
