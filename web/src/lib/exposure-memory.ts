/**
 * What this device already told its person about the public log: for each warning (an officer's,
 * or a venue's approved request) or query that concerns one of the diary's visits, whether a notification was shown and whether the person has
 * seen it on "My visits". Kept in its own IndexedDB database (readable by the pages and by the
 * service worker alike), so nothing is notified twice and the pages' notice goes away once seen.
 * The keys name only log indexes and the diary's own visit ids; nothing here leaves the device.
 */
import type { ExposureReport } from "@lintel/client-sdk";

export const NOTICE_DATABASE = "lintel-exposure-notices";
const STORE = "items";

export interface NoticeState {
  readonly key: string;
  readonly kind: "warning" | "covered";
  readonly notified: boolean;
  readonly seen: boolean;
}

/** One key per (log entry, visit): a new visit covered by an old query is news too. */
export function concernsOf(report: ExposureReport): { key: string; kind: NoticeState["kind"] }[] {
  return [
    ...report.warnings.map((w) => ({
      key: `warning:${w.warningIndex}:${w.visitId}`,
      kind: "warning" as const,
    })),
    ...report.covered.map((c) => ({
      key: `covered:${c.queryIndex}:${c.visitId}`,
      kind: "covered" as const,
    })),
    // A venue's approved request warns the visits present in its hours: a warning like any other.
    ...report.venueRequests
      .filter((r) => r.warned)
      .map((r) => ({
        key: `venue-warning:${r.requestIndex}:${r.visitId}`,
        kind: "warning" as const,
      })),
    // A venue's approved request granting contacts opens the visits present in its hours, as a
    // query does: news of the same kind.
    ...report.venueRequests
      .filter((r) => r.contacts)
      .map((r) => ({
        key: `venue-contacts:${r.requestIndex}:${r.visitId}`,
        kind: "covered" as const,
      })),
  ];
}

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(NOTICE_DATABASE, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "key" });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function isState(value: unknown): value is NoticeState {
  const v = value as Partial<NoticeState> | null;
  return (
    typeof v?.key === "string" &&
    (v.kind === "warning" || v.kind === "covered") &&
    typeof v.notified === "boolean" &&
    typeof v.seen === "boolean"
  );
}

/** Every remembered item. */
export async function loadNotices(): Promise<Map<string, NoticeState>> {
  const db = await open();
  try {
    const all = await new Promise<unknown[]>((resolve, reject) => {
      const request = db.transaction(STORE, "readonly").objectStore(STORE).getAll();
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    return new Map(all.filter(isState).map((s) => [s.key, s]));
  } finally {
    db.close();
  }
}

export async function saveNotices(states: readonly NoticeState[]): Promise<void> {
  if (states.length === 0) return;
  const db = await open();
  try {
    await new Promise<void>((resolve, reject) => {
      const tx = db.transaction(STORE, "readwrite");
      for (const s of states) tx.objectStore(STORE).put(s);
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

/**
 * Merges a check's findings into the memory. `seen`: the person is looking at them now (on
 * "My visits"), so they count as notified too. Returns what is new to notify and what is unseen.
 */
export async function recordConcerns(
  report: ExposureReport,
  options: { readonly seen: boolean; readonly notify: boolean },
): Promise<{ fresh: NoticeState[]; unseen: NoticeState[] }> {
  const known = await loadNotices();
  const fresh: NoticeState[] = [];
  const unseen: NoticeState[] = [];
  const changed: NoticeState[] = [];
  for (const { key, kind } of concernsOf(report)) {
    const before = known.get(key);
    const seen = options.seen || (before?.seen ?? false);
    const wasNotified = before?.notified ?? false;
    const notified = wasNotified || seen || options.notify;
    const state: NoticeState = { key, kind, notified, seen };
    if (!wasNotified && !seen && options.notify) fresh.push(state);
    if (!seen) unseen.push(state);
    if (before?.notified !== notified || before?.seen !== seen) changed.push(state);
  }
  await saveNotices(changed);
  return { fresh, unseen };
}
