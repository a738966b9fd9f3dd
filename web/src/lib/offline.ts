/**
 * Registers the service worker (web/src/sw.ts) that lets the citizen pages open with no signal.
 * Where it cannot register (a browser without service workers, a private window that refuses
 * them) the page still works online, exactly as before: nothing is shown and nothing fails.
 *
 * It registers once the page has loaded: installing fetches every page's files, which must not
 * compete with the first check-in's own requests on a slow connection.
 */
export function registerServiceWorker(): void {
  if (!("serviceWorker" in navigator)) return;
  const register = () => {
    // "none": the browser asks the service for /sw.js on every check, so a new build is seen.
    navigator.serviceWorker
      .register("/sw.js", { scope: "/", updateViaCache: "none" })
      .catch(() => undefined);
  };
  if (document.readyState === "complete") register();
  else addEventListener("load", register, { once: true });
}
