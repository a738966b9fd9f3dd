import { rmSync } from "node:fs";
import { callRoute } from "@lintel/client-sdk";
import { citizenRoutes } from "@lintel/contract";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DEV_SERVER_HOOK_MS,
  type DevServer,
  startDevServer,
} from "../../scripts/lib/dev-server.ts";
import { axeViolations } from "../support/axe.ts";
import { guardedContext, launchChromium, PAGE_WAIT_MS } from "../support/browser.ts";
import { preparedHome } from "../support/home.ts";
import { ciphertextRows } from "../support/stored-checkins.ts";

const POLL = { timeout: PAGE_WAIT_MS };
const tag = Math.random().toString(36).slice(2, 8);
const VISITOR = { name: `Chan Mei-ling ${tag}`, phone: "+852 6123 4567" };

let server: DevServer;
let home: string;
let base: string;
let browser: Browser;

/** "entrance deletion-hash" of every ciphertext stored so far: one value per person's check-in. */
function storedEntrances(): string[] {
  return ciphertextRows(home).map((r) => `${r.entrance} ${r.deletion}`);
}

/** A context whose network can be cut completely: `cut(true)` refuses every request it makes. */
async function cuttableContext(): Promise<{
  context: BrowserContext;
  cut: (off: boolean) => Promise<void>;
  refused: string[];
  foreignRequests: string[];
}> {
  const { context, foreignRequests } = await guardedContext(browser);
  let off = false;
  const refused: string[] = [];
  // Registered after the guard, so asked first: while cut, loopback is refused too.
  await context.route("**/*", (route) => {
    if (!off) return route.fallback();
    refused.push(`${route.request().method()} ${new URL(route.request().url()).pathname}`);
    return route.abort("internetdisconnected");
  });
  return {
    context,
    foreignRequests,
    refused,
    cut: async (value) => {
      off = value;
      await context.setOffline(value);
    },
  };
}

/** Waits until the service worker is active and controls `page`. */
async function controlled(page: Page): Promise<void> {
  // Polled, not awaited on `navigator.serviceWorker.ready`, which never settles for a page that
  // registers nothing.
  await expect
    .poll(
      () =>
        page.evaluate(async () => {
          const registration = await navigator.serviceWorker.getRegistration();
          const active = registration?.active?.state === "activated";
          return active && navigator.serviceWorker.controller !== null;
        }),
      POLL,
    )
    .toBe(true);
}

beforeAll(async () => {
  home = preparedHome("offline");
  server = await startDevServer(home);
  base = server.baseUrl;
  browser = await launchChromium();
}, DEV_SERVER_HOOK_MS);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe("the pages installed and opened offline, in Chromium", () => {
  it("serves a manifest and a service worker that Chromium takes: installable, no manifest error", async () => {
    const manifest = await fetch(`${base}/manifest.webmanifest`);
    expect(manifest.status).toBe(200);
    expect(manifest.headers.get("content-type")).toContain("application/manifest+json");
    const sw = await fetch(`${base}/sw.js`);
    expect(sw.status).toBe(200);
    expect(sw.headers.get("content-type")).toMatch(/javascript/);
    const csp = sw.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("worker-src 'self'");
    expect(csp).toContain("manifest-src 'self'");
    for (const file of ["index.html", "c", "visits/"]) {
      const html = await (await fetch(`${base}/${file === "index.html" ? "" : file}`)).text();
      expect(html).toContain('<link rel="manifest" href="/manifest.webmanifest">');
    }

    const { context } = await guardedContext(browser);
    const page = await context.newPage();
    await page.goto(`${base}/c`);
    await page.locator("#start-camera").waitFor();
    const cdp = await context.newCDPSession(page);
    const parsed = (await cdp.send("Page.getAppManifest")) as {
      url: string;
      errors: unknown[];
      data?: string;
    };
    expect(parsed.url).toBe(`${base}/manifest.webmanifest`);
    expect(parsed.errors).toEqual([]);
    const data = JSON.parse(parsed.data ?? "{}") as Record<string, unknown>;
    expect(data).toMatchObject({ start_url: "/c", scope: "/", display: "standalone" });
    const installable = (await cdp.send("Page.getInstallabilityErrors")) as {
      installabilityErrors: Array<{ errorId: string }>;
    };
    // A test's browser context is incognito, where Chromium installs nothing; that aside, none.
    expect(
      installable.installabilityErrors.map((e) => e.errorId).filter((id) => id !== "in-incognito"),
    ).toEqual([]);
    await context.close();
  });

  it("opens a poster link with no signal, queues the check-in as waiting, and sends it once when the signal returns", async () => {
    const poster = await callRoute({ baseUrl: base }, citizenRoutes.entranceCode, {
      params: { id: "hbr-main" },
    });
    const { context, cut, refused, foreignRequests } = await cuttableContext();
    const problems: string[] = [];
    const watch = (page: Page) => {
      page.on("console", (m) => {
        if (m.type() === "error") problems.push(m.text());
      });
      page.on("pageerror", (e) => problems.push(e.message));
    };

    // One earlier visit online installs the service worker.
    const first = await context.newPage();
    watch(first);
    await first.goto(`${base}/c`);
    await first.locator("#start-camera").waitFor();
    await controlled(first);
    await first.close();

    // No signal: the service worker itself cannot reach the service either.
    await cut(true);
    const [worker] = context.serviceWorkers();
    expect(worker).toBeDefined();
    const reach = await worker!.evaluate(() =>
      fetch("/healthz", { cache: "no-store" }).then(
        (r) => `reached ${r.status}`,
        () => "unreachable",
      ),
    );
    expect(reach).toBe("unreachable");

    // The poster link, opened in a fresh tab.
    const page = await context.newPage();
    watch(page);
    await page.goto(poster.url);
    await page.locator("#checkin-form").waitFor({ timeout: PAGE_WAIT_MS });
    expect(await page.locator("#venue-name").textContent()).toBe("Harbour Public Library");
    expect(await page.locator("#entrance-name").textContent()).toBe("Main entrance");
    await page.locator("#unchecked-note").waitFor();
    await page.locator("#contact-name").fill(VISITOR.name);
    await page.locator("#contact-phone").fill(VISITOR.phone);
    await page.locator("#check-in").click();
    await page.locator("#waiting").waitFor({ timeout: PAGE_WAIT_MS });
    expect(await page.locator("#waiting-status").textContent()).toBe("Waiting to send");
    expect(await page.locator("#waiting-entrance").textContent()).toBe("Main entrance");
    expect(await axeViolations(page)).toEqual([]);
    expect(refused.length).toBeGreaterThan(0); // it did try, and nothing got through
    expect(storedEntrances()).toEqual([]);

    // Opened again, still offline and in Chinese: the same check-in, still waiting.
    await page.evaluate(() => localStorage.setItem("lintel.language.v1", "zh"));
    await page.goto(`${base}/c`);
    await page.locator("#waiting").waitFor({ timeout: PAGE_WAIT_MS });
    expect(await page.locator("#waiting-status").textContent()).toBe("等待发送");
    expect(await page.locator("#waiting-venue").textContent()).toBe("海港公共图书馆");
    expect(await page.locator("#waiting-entrance").textContent()).toBe("正门");
    expect(storedEntrances()).toEqual([]);

    // The signal returns: sent once, and the pass replaces the waiting view.
    const checkInAnswers: number[] = [];
    page.on("response", (r) => {
      if (r.request().method() === "POST" && new URL(r.url()).pathname === "/api/checkins") {
        checkInAnswers.push(r.status());
      }
    });
    await cut(false);
    await page.locator("#pass").waitFor({ timeout: PAGE_WAIT_MS });
    expect(await page.locator("#pass-note").textContent()).toContain("保存在本机的登记已发送");
    await expect.poll(() => checkInAnswers, POLL).toEqual([201]);
    const rows = storedEntrances();
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows)).toEqual(new Set([rows[0]])); // one person's rows at hbr-main
    expect(rows[0]).toMatch(/^hbr-main /);

    // Only failed loads while the signal was cut reached the console.
    expect(problems.filter((p) => !/ERR_INTERNET_DISCONNECTED|ERR_FAILED/.test(p))).toEqual([]);
    expect(foreignRequests).toEqual([]);
    await context.close();
  });
});
