/**
 * The citizen pages' background check of the public log: when a page that keeps the diary opens,
 * and again when it comes back into view (at most every ten minutes), this device audits the log
 * exactly as "My visits" does (the SDK's checkExposure: only the checkpoint and tiles every
 * auditor reads) and matches it against the diary here. Something new that concerns one of the
 * visits — a warning for its entrance and hours, a query that covers it — is notified once
 * (where the person allowed notifications, on "My visits") and shown as a notice on the page
 * with a link to "My visits" until seen there. Nothing about the diary leaves the device.
 *
 * The check itself is exposure-check.ts, shared with the service worker, which runs it while no
 * page is open where the browser allows periodic checks (periodic-check.ts); a page open then
 * shows the worker's findings too.
 *
 * The check-in page loads this module with import(), after its first load.
 */
import type { ExposureReport } from "@lintel/client-sdk";
import type { CitizenContext } from "./citizen-service.ts";
import { el, replaceChildren } from "./dom.ts";
import {
  checkAndRemember,
  exposureNotification,
  isPeriodicCheckMessage,
  setBadge,
} from "./exposure-check.ts";
import { type NoticeState, recordConcerns } from "./exposure-memory.ts";
import { bi } from "./i18n.ts";
import { language } from "./language.ts";
import { syncPeriodicCheck } from "./periodic-check.ts";

const RECHECK_MS = 10 * 60 * 1000;

export function notificationsAllowed(): boolean {
  return typeof Notification !== "undefined" && Notification.permission === "granted";
}

/**
 * Shown by the service worker where there is one (the only way on Android), else by the page.
 */
async function notify(fresh: readonly NoticeState[]): Promise<void> {
  const shown = exposureNotification(fresh, language());
  if (!shown) return;
  const registration = await navigator.serviceWorker?.getRegistration("/").catch(() => undefined);
  if (registration?.active) await registration.showNotification(shown.title, shown.options);
  else new Notification(shown.title, shown.options);
}

/** The page's notice of unseen findings, at the top of <main>; removed when there are none. */
function showNotice(unseen: readonly NoticeState[]): void {
  const existing = document.getElementById("exposure-notice");
  if (unseen.length === 0) {
    existing?.remove();
    return;
  }
  const notice = existing ?? el("div", { id: "exposure-notice", class: "warning", role: "status" });
  const warned = unseen.some((s) => s.kind === "warning");
  replaceChildren(
    notice,
    el(
      "p",
      {},
      warned
        ? bi("An exposure warning concerns one of your visits.", "有一项暴露提醒涉及您的一次到访。")
        : bi("The health authority looked at one of your visits.", "卫生部门查阅了您的一次到访。"),
      " ",
      el("a", { href: "/visits/#exposure-heading" }, bi("See My visits", "查看我的登记")),
    ),
  );
  if (!existing) document.getElementById("main")?.prepend(notice);
}

/** One check: nothing is fetched when the diary is empty. */
export async function checkInBackground(ctx: CitizenContext): Promise<void> {
  const findings = await checkAndRemember({
    service: ctx.service,
    deployment: ctx.deployment,
    visits: ctx.visits,
    notify: notificationsAllowed(),
  });
  if (findings) {
    await notify(findings.fresh);
    showNotice(findings.unseen);
    setBadge(findings.unseen.length);
  }
  document.body.dataset.exposureChecked = String(Date.now());
}

/** Checks now and whenever the page comes back into view, at most every ten minutes. */
export function watchExposure(ctx: CitizenContext): void {
  let last = 0;
  let running = false;
  const run = () => {
    if (running || Date.now() - last < RECHECK_MS) return;
    running = true;
    last = Date.now();
    checkInBackground(ctx)
      .catch(() => undefined) // offline or the log unreachable: the next look tries again
      .finally(() => {
        running = false;
      });
  };
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") run();
  });
  // The service worker's periodic check (sw.ts) found something while this page was open.
  navigator.serviceWorker?.addEventListener("message", (event) => {
    if (isPeriodicCheckMessage(event.data)) showNotice(event.data.unseen);
  });
  run();
}

/**
 * "My visits" shows every finding in full: they count as seen (and never notified later), and the
 * notice and badge go.
 */
export async function markSeen(report: ExposureReport): Promise<void> {
  await recordConcerns(report, { seen: true, notify: false });
  setBadge(0);
}

/** Whether the service worker also checks while no page is open (periodic-check.ts). */
function periodicState(on: boolean): HTMLElement {
  return el(
    "p",
    { id: "periodic-state", "data-periodic": on ? "on" : "off" },
    on
      ? bi(
          "It also checks from time to time while Lintel is closed, as often as this browser allows.",
          "Lintel 关闭时，本机也会按浏览器允许的频率不时检查。",
        )
      : bi(
          "This browser does not let Lintel check while it is closed: the check runs whenever you open a Lintel page. Some browsers allow it once Lintel is installed as an app.",
          "此浏览器不允许在 Lintel 关闭时检查：每次打开 Lintel 页面时才会检查。有些浏览器在将 Lintel 安装为应用后允许定期检查。",
        ),
  );
}

/**
 * The button that asks for permission to notify: the browser's prompt comes only after this
 * press, never on load. Where notifications are already allowed, refused or absent, a sentence
 * says so instead.
 */
export function notificationControl(): HTMLElement {
  const box = el("div", { id: "notify-control" });
  const say = (en: string, zh: string) =>
    replaceChildren(box, el("p", { id: "notify-state" }, bi(en, zh)));
  if (typeof Notification === "undefined") {
    say(
      "This browser cannot show notifications: open this page from time to time to check.",
      "此浏览器无法显示通知：请不时打开本页查看。",
    );
  } else if (Notification.permission === "granted") {
    say(
      "This device tells you when something new in the public log concerns your visits.",
      "公开记录中有涉及您到访的新内容时，本机会通知您。",
    );
    void syncPeriodicCheck().then((on) => box.append(periodicState(on)));
  } else if (Notification.permission === "denied") {
    say(
      "Notifications are blocked for this site in the browser's settings.",
      "浏览器设置已阻止本网站的通知。",
    );
  } else {
    const ask = el(
      "button",
      { type: "button", id: "notify-ask", class: "secondary" },
      bi("Notify me when something concerns my visits", "有涉及我到访的内容时通知我"),
    );
    ask.addEventListener("click", () => {
      void Notification.requestPermission().then(() => {
        box.replaceWith(notificationControl());
        document.getElementById("notify-state")?.focus();
      });
    });
    replaceChildren(
      box,
      el(
        "p",
        {},
        bi(
          "The check runs on this device whenever you open a Lintel page; nothing about your visits is sent.",
          "每次打开 Lintel 页面时，本机都会进行检查；不会发送任何关于您到访的信息。",
        ),
      ),
      el("div", { class: "actions" }, ask),
    );
  }
  return box;
}
