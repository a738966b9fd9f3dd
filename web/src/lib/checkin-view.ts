/**
 * What the check-in page's views share (checkin-scan.ts, checkin-form.ts, checkin-after.ts): the
 * page's two regions, the citizen context, the running camera, the pass on show and the check-in
 * waiting in the offline queue, and the small moves every view makes (clear the view, forget the
 * code in the address bar, focus a heading). With `?bench`, the timings scripts/bench/scan.ts reads.
 */
import type { PassHandle } from "./citizen-pass.ts";
import type { Scanner } from "./citizen-scanner.ts";
import type { CitizenContext } from "./citizen-service.ts";

declare global {
  interface Window {
    __lintelTimings?: Record<string, number>;
  }
}

if (new URL(location.href).searchParams.has("bench")) window.__lintelTimings = {};

/** A performance mark; with ?bench also kept in window.__lintelTimings (first time only). */
export function mark(name: string): void {
  const entry = performance.mark(`lintel:${name}`);
  const timings = window.__lintelTimings;
  if (timings && timings[name] === undefined) timings[name] = entry.startTime;
}

class CheckinView {
  readonly app = document.getElementById("app")!;
  readonly pageError = document.getElementById("page-error")!;
  /** Set by the page's start, before any view is drawn. */
  ctx!: CitizenContext;
  scanner: Scanner | undefined;
  pass: PassHandle | undefined;
  /** The check-in waiting in the offline queue that this page shows, if any. */
  waitingId: string | undefined;
  waitingTimer: number | undefined;
  /** Bumped by every stop, so a camera that finishes starting after a stop is stopped at once. */
  cameraGeneration = 0;
}

export const view = new CheckinView();

export function stopCamera(): void {
  view.cameraGeneration += 1;
  view.scanner?.stop();
  view.scanner = undefined;
}

/** Clears whatever the page showed (camera, pass timers, retry timer). */
export function clearView(): void {
  stopCamera();
  view.pass?.dispose();
  view.pass = undefined;
  if (view.waitingTimer !== undefined) window.clearInterval(view.waitingTimer);
  view.waitingTimer = undefined;
  view.waitingId = undefined;
}

/** Drops the code from the address bar once it has served (a reload then shows the pass). */
export function forgetFragment(): void {
  if (location.hash) history.replaceState(null, "", location.pathname + location.search);
}

export function trust() {
  return { registryVerifierKey: view.ctx.registryVerifierKey, deployment: view.ctx.deployment.id };
}

export function focusHeading(id: string): void {
  const h = document.getElementById(id);
  if (!h) return;
  h.setAttribute("tabindex", "-1");
  h.focus();
}
