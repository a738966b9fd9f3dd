/**
 * Starts the background check of the public log (exposure-watch.ts) on a citizen page, once the
 * page has loaded. Imported by address, so the bundler leaves it out of the page's own files.
 */
const WATCH_SCRIPT = "/assets/gen/exposure-watch.js";

export function loadExposureWatch(): void {
  if (document.readyState !== "complete") {
    addEventListener("load", loadExposureWatch, { once: true });
    return;
  }
  // The script is not kept for offline use, and the log cannot be read offline anyway.
  if (!navigator.onLine) {
    addEventListener("online", loadExposureWatch, { once: true });
    return;
  }
  void import(/* @vite-ignore */ WATCH_SCRIPT).catch(() => undefined);
}
