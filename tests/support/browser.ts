/**
 * Debian's Chromium driven by playwright-core (never a downloaded browser). Every request the page
 * makes to anything but loopback is blocked and recorded, so a test can assert that a page makes
 * no third-party requests at all. A page of an offline context is ended with {@link killPage},
 * never `page.close()`, when nothing may reach the server after it.
 */
import { existsSync } from "node:fs";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";

export const CHROMIUM_PATH = process.env.LINTEL_CHROMIUM ?? "/usr/bin/chromium";

export async function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}: run npm test (it installs Debian's chromium) or set LINTEL_CHROMIUM`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      ...extraArgs,
    ],
  });
}

/**
 * Chromium whose camera is a file: a .y4m video (e.g. a QR code made with ffmpeg), delivered as
 * the only camera, with camera permission granted without a prompt.
 */
export function launchChromiumWithFakeCamera(
  y4mFile: string,
  extraArgs: readonly string[] = [],
): Promise<Browser> {
  return launchChromium([
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
    `--use-file-for-fake-video-capture=${y4mFile}`,
    ...extraArgs,
  ]);
}

export interface GuardedContext {
  readonly context: BrowserContext;
  /** URLs the page tried to reach outside loopback (blocked). */
  readonly foreignRequests: string[];
}

/**
 * How long a page action or wait may take. The pages sign and encrypt in the browser, which on a
 * busy machine takes many times longer than on a quiet one: the limit catches a hang, not slowness.
 */
export const PAGE_WAIT_MS = 180_000;

/**
 * The pages' language in a test's browser: "en" unless a test asks otherwise (most tests read
 * English text); "default" leaves the deployment's default (Chinese) as a new visitor sees it.
 * Set before the first page runs, and only while the page has no choice of its own, so the
 * header's switch still works in a test.
 */
export type TestLanguage = "en" | "zh" | "default";

export async function guardedContext(
  browser: Browser,
  options: Parameters<Browser["newContext"]>[0] & { language?: TestLanguage } = {},
): Promise<GuardedContext> {
  const { language = "en", ...contextOptions } = options;
  const context = await browser.newContext(contextOptions);
  if (language !== "default") {
    await context.addInitScript((lang) => {
      try {
        if (localStorage.getItem("lintel.language.v1") === null) {
          localStorage.setItem("lintel.language.v1", lang);
        }
      } catch {
        // an opaque origin (about:blank) has no storage
      }
    }, language);
  }
  context.setDefaultTimeout(PAGE_WAIT_MS);
  const foreignRequests: string[] = [];
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    const loopback =
      url.hostname === "127.0.0.1" || url.hostname === "localhost" || url.hostname === "[::1]";
    if (loopback || url.protocol === "data:" || url.protocol === "blob:") return route.continue();
    foreignRequests.push(url.href);
    return route.abort("blockedbyclient");
  });
  return { context, foreignRequests };
}

/** A page in a guarded context, with what a test checks afterwards recorded as it happens. */
export interface WatchedPage extends GuardedContext {
  readonly page: Page;
  /** Console errors and uncaught page errors: a clean page leaves this empty. */
  readonly problems: string[];
  /** "METHOD path" of every request the page made. */
  readonly requests: string[];
  /** Every request body the page sent (to search for what must never leave it). */
  readonly bodies: string[];
}

export async function watchedPage(
  browser: Browser,
  options: Parameters<Browser["newContext"]>[0] & { language?: TestLanguage } = {},
): Promise<WatchedPage> {
  const { context, foreignRequests } = await guardedContext(browser, options);
  const page = await context.newPage();
  const problems: string[] = [];
  const requests: string[] = [];
  const bodies: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(m.text());
  });
  page.on("pageerror", (e) => problems.push(e.message));
  page.on("request", (r) => {
    requests.push(`${r.method()} ${new URL(r.url()).pathname}`);
    const body = r.postData();
    if (body) bodies.push(body);
  });
  return { context, foreignRequests, page, problems, requests, bodies };
}

/**
 * Ends a page at once, as a phone's browser kills a tab: its renderer is crashed (DevTools
 * `Page.crash`), so no script of the page runs again, and then the page is closed.
 *
 * For a page of an offline context (`context.setOffline(true)`) a plain `page.close()` is not
 * that. Closing detaches Playwright's DevTools session from the page before its scripts stop, and
 * that lifts Chromium's offline emulation from it: the page still fires `pagehide`, then an
 * `online` event with `navigator.onLine` true, and a request it sends from there is neither failed
 * by the emulation nor seen by the context's route — it reaches the server while the test holds
 * the context offline. Freezing the page first, navigating it to about:blank or closing it with
 * `runBeforeUnload` lets the same `online` event through; a crashed renderer runs nothing.
 */
export async function killPage(page: Page): Promise<void> {
  const crashed = page.waitForEvent("crash");
  const session = await within(
    PAGE_WAIT_MS,
    page.context().newCDPSession(page),
    "a DevTools session",
  );
  // Never answered: the renderer that would answer is gone.
  void session.send("Page.crash").catch(() => undefined);
  await crashed;
  // Playwright's close has no time limit of its own. The renderer is gone already, so nothing of
  // the page can run: a close that does not finish is left behind rather than waited for.
  await Promise.race([page.close(), new Promise((r) => setTimeout(r, 30_000))]);
}

/**
 * `promise`, or a failure naming `what` after `ms`: for the browser steps Playwright gives no time
 * limit (opening or closing a page or context), so a hang fails at its step, not at the test's end.
 */
export async function within<T>(ms: number, promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A new English page of its own browser context, signed in at `url` with a one-time enrolment
 * code, as a person types it on the page's sign-in form.
 */
export async function signedInPage(browser: Browser, url: string, code: string): Promise<Page> {
  const { page } = await watchedPage(browser, { language: "en" });
  await page.goto(url);
  await page.locator("#enrolment-code").fill(code);
  await page.locator("#enrolment-code").press("Enter");
  await page.locator("#signed-in-as").waitFor();
  return page;
}
