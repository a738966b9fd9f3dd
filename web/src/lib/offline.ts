/**
 * Registers the service worker (web/src/sw.ts) that lets the citizen pages open with no signal.
 * Where it cannot register (a browser without service workers, a private window that refuses
 * them) the page still works online, exactly as before: nothing is shown and nothing fails.
 */
export function registerServiceWorker(): void {
  if (!("serviceWorker" in navigator)) return;
  // "none": the browser asks for /sw.js itself on every check, so a new build is seen at once.
  navigator.serviceWorker
    .register("/sw.js", { scope: "/", updateViaCache: "none" })
    .catch(() => undefined);
}
