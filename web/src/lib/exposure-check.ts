/**
 * The background check of the public log, as the pages (exposure-watch.ts) and the service worker
 * (sw.ts, on a periodic background sync) both run it: audit the log with the SDK's checkExposure
 * against the diary, remember what concerns a visit (exposure-memory.ts), and say what is new to
 * notify, with the notification's text in the person's language. No DOM and no localStorage
 * here: a service worker has neither, only IndexedDB, where the diary, the audit state and the
 * memory all are. Nothing about the diary leaves the device.
 */
import {
  type CitizenDeployment,
  checkExposure,
  indexedDbExposureAuditStore,
  listVisits,
  type ServiceOptions,
  type VisitStore,
} from "@lintel/client-sdk";
import { type NoticeState, recordConcerns } from "./exposure-memory.ts";
import type { Bi } from "./i18n.ts";
import type { Language } from "./language.ts";

/** The periodic background sync's tag (registered by periodic-check.ts, handled in sw.ts). */
export const PERIODIC_CHECK_TAG = "lintel-exposure-check";

/** What the service worker posts to the open pages after each periodic check. */
export interface PeriodicCheckMessage {
  readonly type: "lintel-exposure-checked";
  /** The findings not yet seen on "My visits" (none when the check could not run). */
  readonly unseen: readonly NoticeState[];
}

export function isPeriodicCheckMessage(value: unknown): value is PeriodicCheckMessage {
  const v = value as Partial<PeriodicCheckMessage> | null;
  return v?.type === "lintel-exposure-checked" && Array.isArray(v.unseen);
}

export interface CheckFindings {
  /** New since the last check, to notify now (only when notifying was asked for). */
  readonly fresh: readonly NoticeState[];
  /** Everything not yet seen on "My visits". */
  readonly unseen: readonly NoticeState[];
}

/**
 * One check. Undefined when the diary is empty (then nothing is fetched at all) or the log does
 * not verify: that is "My visits"' to explain, and a notification would guess.
 */
export async function checkAndRemember(options: {
  readonly service: ServiceOptions;
  /** Already fetched and verified by the page; fetched and verified here otherwise. */
  readonly deployment?: CitizenDeployment;
  readonly visits: VisitStore;
  readonly notify: boolean;
}): Promise<CheckFindings | undefined> {
  const visits = await listVisits(options.visits);
  if (visits.length === 0) return undefined;
  const outcome = await checkExposure({
    service: options.service,
    ...(options.deployment ? { deployment: options.deployment } : {}),
    visits,
    store: indexedDbExposureAuditStore(),
  });
  if (!outcome.ok) return undefined;
  return recordConcerns(outcome.report, { seen: false, notify: options.notify });
}

const TITLE: Record<NoticeState["kind"], Bi> = {
  warning: {
    en: "Exposure warning for one of your visits",
    zh: "您的一次到访收到暴露提醒",
  },
  covered: {
    en: "The health authority looked at one of your visits",
    zh: "卫生部门查阅了您的一次到访",
  },
};

const BODY: Bi = {
  en: "Open “My visits” on this device to see which visit and what to do.",
  zh: "请在本机打开“我的登记”，查看是哪次到访以及应当怎么做。",
};

/**
 * The one notification for what a check found new, titled by the gravest finding; undefined
 * when nothing is new. One tag for the pages' and the worker's, so a newer one replaces the older.
 */
export function exposureNotification(
  fresh: readonly NoticeState[],
  lang: Language,
): { readonly title: string; readonly options: NotificationOptions } | undefined {
  if (fresh.length === 0) return undefined;
  const kind = fresh.some((s) => s.kind === "warning") ? "warning" : "covered";
  return {
    title: TITLE[kind][lang],
    options: { body: BODY[lang], tag: "lintel-exposure", icon: "/assets/gen/icons/icon-192.png" },
  };
}

/** The app icon's badge: the count of unseen findings (pages and worker alike). */
export function setBadge(count: number): void {
  const nav = navigator as Navigator & {
    setAppBadge?: (n: number) => Promise<void>;
    clearAppBadge?: () => Promise<void>;
  };
  if (count > 0) void nav.setAppBadge?.(count).catch(() => undefined);
  else void nav.clearAppBadge?.().catch(() => undefined);
}
