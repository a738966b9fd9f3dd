/**
 * The fast BLS12-381 backend's loader in Chromium, on the check-in page as the service serves it
 * (its Content-Security-Policy included): a bundle made with the pages' build options
 * (scripts/build-web.ts) from fast-curves-entry.ts is served from the page's origin, the page
 * `import()`s it, and mcl-wasm — a chunk of its own, fetched only then — compiles its wasm under
 * the page's `'wasm-unsafe-eval'` and computes what @noble/curves computes. On a same-origin page
 * whose CSP lacks `'wasm-unsafe-eval'`, the same load fails: that source expression is what lets
 * mcl (and libsodium) run, and nothing else in the CSP is loosened for it.
 */
import path from "node:path";
import { build } from "esbuild";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { KnownAnswer } from "../../protocol/src/testing/mcl-known-answers.ts";
import { pageBuildOptions } from "../../scripts/build-web.ts";
import { repoRoot } from "../../scripts/lib/paths.ts";
import { launchChromium, watchedPage } from "../support/browser.ts";

const base = inject("baseUrl");
/** Where the test bundle is served (by the browser context, never written to disk). */
const SERVED = "/assets/e2e-fast-curves/";
const OUTDIR = path.join(repoRoot, "web/public", SERVED);

let browser: Browser;
let files: Map<string, Uint8Array>;

beforeAll(async () => {
  browser = await launchChromium();
  const bundle = await build(
    pageBuildOptions(
      [{ in: path.join(import.meta.dirname, "fast-curves-entry.ts"), out: "fast-curves-entry" }],
      OUTDIR,
    ),
  );
  files = new Map(
    bundle.outputFiles.map((f) => [SERVED + path.relative(OUTDIR, f.path), f.contents]),
  );
});
afterAll(async () => {
  await browser?.close();
});

/** A watched page whose context serves the test bundle from the service's origin. */
async function servingPage() {
  const watched = await watchedPage(browser);
  await watched.context.route(`${base}${SERVED}**`, (route) => {
    const body = files.get(new URL(route.request().url()).pathname);
    return body
      ? route.fulfill({ status: 200, contentType: "text/javascript", body: Buffer.from(body) })
      : route.fulfill({ status: 404 });
  });
  return watched;
}

/**
 * Imports the entry and runs the known answers; a failure comes back as its message. A string,
 * not a function: vitest would rewrite a function's `import()` for Node.
 */
function knownAnswers(page: Page): Promise<KnownAnswer[] | string> {
  const url = JSON.stringify(`${base}${SERVED}fast-curves-entry.js`);
  return page.evaluate(`import(${url}).then(
    (entry) => entry.fastCurvesKnownAnswers(),
  ).catch((error) => String(error))`);
}

describe("the fast-curves loader in Chromium", () => {
  it("loads mcl-wasm lazily on the check-in page, under its CSP, and agrees with @noble/curves", async () => {
    const { context, page, requests, foreignRequests } = await servingPage();
    const response = await page.goto(`${base}/c`);
    const csp = response?.headers()["content-security-policy"] ?? "";
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval';");
    expect(csp).not.toMatch(/unsafe-inline|'unsafe-eval'/);
    await page.locator("main").waitFor();
    expect(requests.filter((r) => r.includes(SERVED))).toEqual([]);

    const answers = await knownAnswers(page);
    expect(Array.isArray(answers), String(answers)).toBe(true);
    expect((answers as KnownAnswer[]).length).toBe(5);
    for (const a of answers as KnownAnswer[]) expect(a.mcl, a.name).toBe(a.noble);
    // The entry, then mcl-wasm's chunk (and the known answers' code) — only now.
    const chunks = requests.filter((r) => r.startsWith(`GET ${SERVED}chunks/`));
    expect(chunks.length).toBeGreaterThan(0);
    expect(foreignRequests).toEqual([]);
    await context.close();
  });

  it("fails to load on a same-origin page whose CSP lacks 'wasm-unsafe-eval'", async () => {
    const { context, page, foreignRequests } = await servingPage();
    await context.route(`${base}/e2e-no-wasm`, (route) =>
      route.fulfill({
        status: 200,
        contentType: "text/html",
        headers: { "content-security-policy": "default-src 'none'; script-src 'self'" },
        body: "<!doctype html><title>no wasm</title><main></main>",
      }),
    );
    await page.goto(`${base}/e2e-no-wasm`);
    const answers = await knownAnswers(page);
    expect(answers).toMatch(/^CompileError: .*Content Security Policy/);
    expect(foreignRequests).toEqual([]);
    await context.close();
  });
});
