import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  callRoute,
  deviceKeyFromSeed,
  type SignedServiceOptions,
  signedCall,
} from "@lintel/client-sdk";
import {
  accountRoutes,
  applicationRoutes,
  citizenRoutes,
  operatorRoutes,
  type RouteAnswer,
  registryRoutes,
} from "@lintel/contract";
import {
  decodeBase32,
  decodeBase64url,
  deviceKeyName,
  encodeBase64url,
  parseVerifierKey,
  verifyReceipt,
} from "@lintel/protocol";
import jsQR from "jsqr";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { qrCameraVideo } from "../../scripts/bench/scan.ts";
import type { DemoIdentities } from "../../scripts/lib/demo-identities.ts";
import {
  DEV_SERVER_HOOK_MS,
  type DevServer,
  startDevServer,
} from "../../scripts/lib/dev-server.ts";
import { axeViolations } from "../support/axe.ts";
import {
  killPage,
  launchChromiumWithFakeCamera,
  PAGE_WAIT_MS,
  type WatchedPage,
  watchedPage,
  within,
} from "../support/browser.ts";
import { preparedHome } from "../support/home.ts";
import { freshLicenceNumber } from "../support/licence.ts";
import { ciphertextRows } from "../support/stored-checkins.ts";

/** Phones here may use the (fake) camera without a prompt. */
const WITH_CAMERA = { permissions: ["camera"] };
const SCREENSHOTS = process.env.LINTEL_E2E_SCREENSHOTS;
const CIPHERTEXT_BYTES = 338;
/** expect.poll waits 1 s by default; a loaded 2-core machine needs longer for network work. */
const POLL = { timeout: PAGE_WAIT_MS };

/** What people type: unique per run, so that finding one anywhere can only be a leak. */
const tag = Math.random().toString(36).slice(2, 8);
const digits = () => String(Math.floor(10_000_000 + Math.random() * 89_999_999));
const VISITOR = { name: `Wong Siu-ming ${tag}`, phone: `+852 ${digits()}` };
const COMPANION = { name: `Wong Tai ${tag}` };
const GUEST = {
  name: `周晓青${tag}`,
  phone: `+86 139 ${digits()}`,
  idNumber: `44010619900307${digits().slice(0, 4)}`,
};
const OFFLINE_VISITOR = { name: `Lee Ka-yan ${tag}`, phone: `+852 ${digits()}` };

/** axe clean at 1280 px, and no horizontal scrolling at 320 px (screenshots of both if asked). */
async function checkView(page: Page, name: string): Promise<void> {
  expect(await axeViolations(page)).toEqual([]);
  await page.setViewportSize({ width: 320, height: 640 });
  expect(
    await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
  ).toBeLessThanOrEqual(0);
  if (SCREENSHOTS) {
    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-320.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  if (SCREENSHOTS) {
    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-1280.png`), fullPage: true });
  }
}

async function activeId(page: Page): Promise<string> {
  return page.evaluate(() => document.activeElement?.id ?? "");
}

// ── the server's local state ───────────────────────────────────────────────────────────────

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

const rowsOf = (entrance: string) => ciphertextRows(home).filter((r) => r.entrance === entrance);

/** Where any of `needles` occurs in the bytes of any state file (UTF-8 or UTF-16LE). */
function findInState(needles: readonly string[]): string[] {
  const found: string[] = [];
  const files = filesUnder(path.join(home, "state"));
  expect(files.some((f) => f.includes("/d1/"))).toBe(true);
  expect(files.some((f) => f.includes("lintel-CheckinStore"))).toBe(true);
  for (const file of files) {
    const bytes = readFileSync(file);
    for (const needle of needles) {
      for (const encoding of ["utf8", "utf16le"] as const) {
        if (bytes.includes(Buffer.from(needle, encoding))) {
          found.push(`${needle} (${encoding}) in ${path.relative(home, file)}`);
        }
      }
    }
  }
  return found;
}

// ── set-up ─────────────────────────────────────────────────────────────────────────────────

let server: DevServer;
let home: string;
let base: string;
let browser: Browser;
let phone: WatchedPage;
let registryOptions: SignedServiceOptions;
let ids: DemoIdentities;
let receiptKey: Uint8Array;
let mainCode: { url: string; manualCode: string };
let eastCode: { url: string; manualCode: string };
let hotelUrl: string;
let outputBefore = 0;
const tmp = mkdtempSync(path.join(os.tmpdir(), "lintel-checkin-"));

/** An entrance's current code, as a poster shows it. */
function entranceCode(id: string): Promise<RouteAnswer<typeof citizenRoutes.entranceCode>> {
  return callRoute({ baseUrl: base }, citizenRoutes.entranceCode, { params: { id } });
}

/** A hotel (its codes ask for an ID number), applied for and approved through the API. */
async function approvedHotel(deployment: string): Promise<string> {
  const key = deviceKeyFromSeed(crypto.getRandomValues(new Uint8Array(32)));
  const operator: SignedServiceOptions = {
    baseUrl: base,
    deployment,
    keyName: deviceKeyName(deployment),
    key,
  };
  await signedCall(operator, accountRoutes.signUpOperator, {
    body: { label: "Harbour Hotel office", publicKey: encodeBase64url(key.publicKey) },
  });
  const app = await signedCall(operator, applicationRoutes.createApplication, {
    body: {
      name: { en: "Harbour Hotel", zh: "海港酒店" },
      address: "2 Harbour Road",
      licenceNumber: freshLicenceNumber(),
      category: "hotel",
      contact: { person: "Hotel Manager", phone: "+852 2000 0000" },
      entrances: [{ label: { en: "Lobby", zh: "大堂" } }],
    },
  });
  const pdf = new TextEncoder().encode("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");
  const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
  await signedCall(operator, applicationRoutes.uploadDocument, {
    params: { id: app.id, kind: "licence" },
    bytes: pdf,
    contentType: "application/pdf",
  });
  await signedCall(operator, applicationRoutes.uploadDocument, {
    params: { id: app.id, kind: "floor-plan" },
    bytes: png,
    contentType: "image/png",
  });
  await signedCall(operator, applicationRoutes.submitApplication, { params: { id: app.id } });
  const approved = await signedCall(registryOptions, registryRoutes.approveApplication, {
    params: { id: app.id },
  });
  return (await entranceCode(approved.entrances[0]!.id)).url;
}

beforeAll(async () => {
  home = preparedHome("checkin");
  server = await startDevServer(home);
  base = server.baseUrl;
  const deployment = await callRoute({ baseUrl: base }, citizenRoutes.deployment);
  receiptKey = parseVerifierKey(deployment.receipt.verifierKey!).publicKey;
  ids = JSON.parse(readFileSync(path.join(home, "identities.json"), "utf8")) as DemoIdentities;
  registryOptions = {
    baseUrl: base,
    deployment: deployment.id,
    keyName: deviceKeyName(deployment.id),
    key: deviceKeyFromSeed(decodeBase64url(ids.registryStaff.deviceSecretKey, 32)),
  };
  mainCode = await entranceCode("hbr-main");
  eastCode = await entranceCode("hbr-east");
  hotelUrl = await approvedHotel(deployment.id);
  const video = await qrCameraVideo(mainCode.url, tmp);
  browser = await launchChromiumWithFakeCamera(video);
  phone = await watchedPage(browser, WITH_CAMERA);
  outputBefore = server.output().length;
}, DEV_SERVER_HOOK_MS);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
  rmSync(tmp, { recursive: true, force: true });
});

// ── the tests ──────────────────────────────────────────────────────────────────────────────

describe("a citizen's check-in through the page, in Chromium", () => {
  it("serves the poster URL /c directly, with WebAssembly allowed and nothing else loosened", async () => {
    const page = await fetch(`${base}/c`, { redirect: "manual" });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("/assets/gen/checkin.js");
    const csp = page.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval';");
    expect(csp).not.toMatch(/unsafe-inline|'unsafe-eval'/);
    expect(page.headers.get("permissions-policy")).toContain("camera=(self)");
    const slash = await fetch(`${base}/c/`, { redirect: "manual" });
    expect(slash.status).toBe(307);
    expect(slash.headers.get("location")).toBe("/c");
    expect(mainCode.url).toMatch(new RegExp(`^${base}/c#[A-Z2-7]+$`));
  });

  it("scans the poster with the camera and checks in by keyboard alone", async () => {
    const { page } = phone;
    await page.goto(`${base}/c`);
    await page.locator("#start-camera").waitFor();
    await checkView(page, "checkin-scan");

    await page.locator("#start-camera").focus();
    await page.keyboard.press("Enter");
    await page.locator("#checkin-form").waitFor({ timeout: PAGE_WAIT_MS });
    // The camera is off once the code was read.
    expect(
      await page.evaluate(
        () => (document.getElementById("camera") as HTMLVideoElement | null)?.srcObject ?? null,
      ),
    ).toBeNull();
    // The names the code carries, in the page's language only.
    expect(await page.locator("#venue-name").textContent()).toBe("Harbour Public Library");
    expect(await page.locator("#entrance-name").textContent()).toBe("Main entrance");
    expect(await page.locator("#usual-stay").textContent()).toContain("1 h 30 min");
    expect(await page.locator("#contact-id").count()).toBe(0); // this code asks for no ID number
    expect(await page.locator("#stay").inputValue()).toBe("90");
    await checkView(page, "checkin-form");

    // Focus is on the venue heading; everything from here is Tab, typing, Enter.
    expect(await activeId(page)).toBe("venue-heading");
    const step = async (expected: string, action?: () => Promise<void>) => {
      await page.keyboard.press("Tab");
      expect(await activeId(page)).toBe(expected);
      await action?.();
    };
    await step("contact-name", () => page.keyboard.insertText(VISITOR.name));
    await step("contact-phone", () => page.keyboard.insertText(VISITOR.phone));
    await step("add-companion", () => page.keyboard.press("Enter"));
    expect(await activeId(page)).toBe("companion-1-name");
    await page.keyboard.insertText(COMPANION.name);
    await step("companion-1-phone"); // left empty: the companion uses the visitor's number
    await step("companion-1-remove");
    await step("add-companion");
    await step("stay");
    await step("remember");
    await step("check-in", () => page.keyboard.press("Enter"));

    await page.locator("#pass").waitFor({ timeout: PAGE_WAIT_MS });
    expect(await page.evaluate(() => location.hash)).toBe(""); // the code left the address bar
  });

  it("shows a live pass: venue, ticking clock, day word, head count, a receipt that verifies", async () => {
    const { page } = phone;
    expect(await page.locator("#pass-venue").textContent()).toBe("Harbour Public Library");
    expect(await page.locator("#pass-entrance").textContent()).toBe("Main entrance");
    expect(await page.locator("#pass-head-count").textContent()).toContain("2 people");
    const word = await page.locator("#day-word").textContent();
    expect(word?.length ?? 0).toBeGreaterThan(1);
    expect(await page.locator("#pass-stored-at").textContent()).toMatch(
      /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/,
    );
    const clock = await page.locator("#pass-clock").textContent();
    const elapsed = await page.locator("#pass-elapsed").textContent();
    await page.waitForTimeout(2200);
    expect(await page.locator("#pass-clock").textContent()).not.toBe(clock);
    expect(await page.locator("#pass-elapsed").textContent()).not.toBe(elapsed);

    // The moving band stops under prefers-reduced-motion.
    const animation = () =>
      page.evaluate(() => getComputedStyle(document.querySelector(".pass-band")!).animationName);
    expect(await animation()).toBe("pass-band");
    await page.emulateMedia({ reducedMotion: "reduce" });
    expect(await animation()).toBe("none");
    await page.emulateMedia({ reducedMotion: "no-preference" });

    // The receipt QR (its encoder loads with the first pass), rasterised in the page and read
    // back: signed by the receipt key.
    await page.locator("#receipt-qr").waitFor({ timeout: PAGE_WAIT_MS });
    const raster = await page.evaluate(async () => {
      const svg = document.getElementById("receipt-qr")!;
      const xml = new XMLSerializer().serializeToString(svg);
      const url = URL.createObjectURL(new Blob([xml], { type: "image/svg+xml" }));
      const img = new Image();
      img.src = url;
      await img.decode();
      const canvas = document.createElement("canvas");
      canvas.width = 480;
      canvas.height = 480;
      const context = canvas.getContext("2d")!;
      context.drawImage(img, 0, 0, 480, 480);
      URL.revokeObjectURL(url);
      return Array.from(context.getImageData(0, 0, 480, 480).data);
    });
    const text = jsQR(Uint8ClampedArray.from(raster), 480, 480)?.data;
    expect(text).toMatch(/^[A-Z2-7]+$/);
    const receipt = verifyReceipt(decodeBase32(text!), receiptKey);
    expect(receipt.entranceId).toBe("hbr-main");
    expect(receipt.deployment).toBe("demo");

    await checkView(page, "checkin-pass");
  });

  it("says beside the button why a check-in was refused, and the status line stops saying it is sending", async () => {
    const refused = await watchedPage(browser);
    const { page } = refused;
    // The service refuses this one check-in for good (a real problem document, as it answers
    // when the registry closed the entrance between the code check and the check-in).
    await page.route("**/api/checkins", (route) =>
      route.request().method() === "POST"
        ? route.fulfill({
            status: 409,
            contentType: "application/problem+json",
            body: JSON.stringify({
              type: "/problems/venue-closed",
              title: "Entrance not taking check-ins",
              status: 409,
              code: "venue-closed",
              detail: "The entrance was closed or the venue suspended by the registry.",
            }),
          })
        : route.fallback(),
    );
    await page.goto(eastCode.url);
    await page.locator("#checkin-form").waitFor({ timeout: PAGE_WAIT_MS });
    await page.locator("#contact-name").fill(VISITOR.name);
    await page.locator("#contact-phone").fill(VISITOR.phone);
    await page.locator("#check-in").click();
    const error = page.locator('#checkin-error [data-code="venue-closed"]');
    await error.waitFor({ timeout: PAGE_WAIT_MS });
    // Beside the button that failed, not somewhere up the page.
    const [errorBox, buttonBox] = await Promise.all([
      error.boundingBox(),
      page.locator("#check-in").boundingBox(),
    ]);
    expect(Math.abs((buttonBox?.y ?? 0) - (errorBox?.y ?? 0))).toBeLessThan(200);
    await expect.poll(() => page.locator("#status").textContent(), POLL).not.toContain("sending");
    expect(await page.locator("#pass").count()).toBe(0);
    await refused.context.close();
  });

  it("asks for an ID number only where the code does, and requires it", async () => {
    const guest = await watchedPage(browser, WITH_CAMERA);
    const { page } = guest;
    await page.goto(hotelUrl); // opened from the poster link: /c#<code>
    await page.locator("#checkin-form").waitFor({ timeout: PAGE_WAIT_MS });
    expect(await page.locator("#venue-name").textContent()).toBe("Harbour Hotel");
    await page.locator("#contact-name").fill(GUEST.name);
    await page.locator("#contact-phone").fill(GUEST.phone);
    await page.locator("#check-in").click();
    await expect
      .poll(() => page.locator("#contact-id").getAttribute("aria-invalid"), POLL)
      .toBe("true");
    expect(await page.locator("#contact-id-error").textContent()).toContain("ID number");
    expect(await activeId(page)).toBe("contact-id");
    await page.locator("#contact-id").fill(GUEST.idNumber);
    await page.locator("#check-in").click();
    await page.locator("#pass").waitFor({ timeout: PAGE_WAIT_MS });
    expect(await page.locator("#pass-venue").textContent()).toBe("Harbour Hotel");
    expect(guest.problems).toEqual([]);
    expect(guest.foreignRequests).toEqual([]);
    await guest.context.close();
  });

  it("checks out, deleting the hours still ahead", async () => {
    const { page } = phone;
    const before = rowsOf("hbr-main");
    // Two people, one ciphertext each per hour of a 90-minute stay (2 or 3 hours).
    expect(new Set(before.map((r) => r.deletion)).size).toBe(2);
    const now = Date.now() / 1000;
    expect(before.some((r) => r.slot > now)).toBe(true);
    await page.locator("#check-out").click();
    await expect
      .poll(() => page.locator(".pass-card").getAttribute("data-state"), POLL)
      .toBe("over");
    const after = rowsOf("hbr-main");
    expect(after.some((r) => r.slot > Date.now() / 1000)).toBe(false);
    expect(after).toEqual(before.filter((r) => r.slot <= now));
    expect(after.length).toBeGreaterThanOrEqual(2); // at least the current hour, for each of the two
  });

  it("left nothing readable on the server: only 338-byte ciphertexts", async () => {
    const typed = [
      VISITOR.name,
      VISITOR.phone,
      VISITOR.phone.replace(/\D/g, ""),
      COMPANION.name,
      GUEST.name,
      GUEST.phone,
      GUEST.phone.replace(/\D/g, ""),
      GUEST.idNumber,
    ];
    // The search itself works: what the service does keep in plain text, it finds.
    expect(findInState(["Harbour Hotel"]).length).toBeGreaterThan(0);
    expect(findInState(typed)).toEqual([]);
    const rows = ciphertextRows(home);
    expect(rows.length).toBeGreaterThan(2);
    expect(rows.every((r) => r.bytes === CIPHERTEXT_BYTES)).toBe(true);
    // The server's own log (wrangler's request lines) holds neither the details nor the code.
    const log = server.output().slice(outputBefore);
    expect(log).toContain("POST /api/checkins");
    for (const needle of [...typed, mainCode.url.split("#")[1]!]) {
      expect(log).not.toContain(needle);
    }
  });

  it("lists my visits, says what the phone keeps, and deletes my check-ins", async () => {
    const { page } = phone;
    await page.goto(`${base}/visits/`);
    await page.locator("#visit-list").waitFor();
    expect(await page.locator("#visit-list > li").count()).toBe(1);
    expect(await page.locator("#visit-list > li [data-state]").getAttribute("data-state")).toBe(
      "over",
    );
    expect(await page.locator("#keeps").textContent()).toContain("21 days");
    expect(await page.locator("main").textContent()).not.toContain(VISITOR.phone);
    await checkView(page, "visits");

    await page.locator("#delete-all").click();
    await page.locator("dialog [data-confirm]").click();
    await page.locator("#no-visits").waitFor();
    expect(rowsOf("hbr-main")).toEqual([]);
    await page.locator("#forget-details").click();
    await page.locator("#no-details").waitFor();
  });

  it("keeps a check-in made offline and stores it exactly once when back online", async () => {
    const offline = await watchedPage(browser, WITH_CAMERA);
    const { page, context } = offline;
    await page.goto(`${base}/c`);
    await page.locator("#start-camera").click();
    await page.locator("#checkin-form").waitFor({ timeout: PAGE_WAIT_MS });
    await page.locator("#contact-name").fill(OFFLINE_VISITOR.name);
    await page.locator("#contact-phone").fill(OFFLINE_VISITOR.phone);
    await context.setOffline(true);
    await page.locator("#check-in").click();
    await page.locator("#waiting").waitFor({ timeout: PAGE_WAIT_MS });
    expect(await page.locator("#waiting-message").textContent()).toContain(
      "will be sent when you are back online",
    );
    expect(rowsOf("hbr-main")).toEqual([]);

    await context.setOffline(false);
    await page.locator("#pass").waitFor({ timeout: PAGE_WAIT_MS });
    expect(await page.locator("#pass-note").textContent()).toContain("has been sent");
    const rows = rowsOf("hbr-main");
    expect(new Set(rows.map((r) => r.deletion)).size).toBe(1);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    // A reload flushes again: nothing left to send, nothing stored twice.
    await page.reload();
    await page.locator("#pass").waitFor();
    await page.waitForTimeout(1000);
    expect(rowsOf("hbr-main")).toEqual(rows);
    await page.goto(`${base}/visits/`);
    await page.locator("#visit-list").waitFor();
    expect(await page.locator("[data-queued]").count()).toBe(0);
    expect(await page.locator("[data-visit]").count()).toBe(1);

    // Only the failed loads while offline reached the console.
    expect(offline.problems.filter((p) => !p.includes("ERR_INTERNET_DISCONNECTED"))).toEqual([]);
    expect(offline.foreignRequests).toEqual([]);
    await context.close();
  });

  it("refuses a replaced poster's code with a clear message and stores nothing", async () => {
    await signedCall(registryOptions, operatorRoutes.replaceCode, {
      params: { id: ids.venue.id, eid: "hbr-east" },
      body: { reason: "damaged" },
    });
    const visitor = await watchedPage(browser, WITH_CAMERA);
    const { page } = visitor;
    await page.goto(eastCode.url); // the old poster
    await page.locator("#code-replaced").waitFor({ timeout: PAGE_WAIT_MS });
    const text = await page.locator("#code-replaced").textContent();
    expect(text).toContain("This poster's code was replaced — scan the new poster at the entrance");
    expect(text).not.toContain("此海报的场所码已更换"); // one language: English in this test
    expect(await page.locator("#checkin-form").count()).toBe(0);
    expect(await page.evaluate(() => location.hash)).toBe("");
    await checkView(page, "checkin-replaced");
    expect(rowsOf("hbr-east")).toEqual([]);
    await page.goto(`${base}/visits/`);
    await page.locator("#no-visits").waitFor();
    // The refusal's 410 is the only console error.
    expect(visitor.problems.filter((p) => !p.includes("410"))).toEqual([]);
    expect(visitor.foreignRequests).toEqual([]);
    await visitor.context.close();
  });

  it("takes a typed manual code instead of a scan, and catches a typo", async () => {
    const current = await entranceCode("hbr-east");
    expect(current.manualCode).not.toBe(eastCode.manualCode);
    const { page } = phone;
    await page.goto(`${base}/c`);
    await page.locator("#manual-code").waitFor();
    const typo = current.manualCode.replace(/^./, (c) => (c === "A" ? "B" : "A"));
    await page.locator("#manual-code").fill(typo);
    await page.locator("#manual-code").press("Enter");
    await page.locator("#manual-error p").waitFor();
    await page.locator("#manual-code").fill(current.manualCode.toLowerCase());
    await page.locator("#manual-code").press("Enter");
    await page.locator("#checkin-form").waitFor({ timeout: PAGE_WAIT_MS });
    expect(await page.locator("#entrance-name").textContent()).toBe("East entrance");
  });

  it("sends a check-in saved offline when the page is next opened", async () => {
    const current = await entranceCode("hbr-east");
    // No service worker in this context: the one the page registers lives in the renderer the
    // test crashes, and Playwright's network emulation then waits for that dead worker for ever
    // when the context goes back online. The queue under test is the page's own (IndexedDB); the
    // service worker's offline start has its own test (offline-start.test.ts).
    const later = await watchedPage(browser, { ...WITH_CAMERA, serviceWorkers: "block" });
    const { context } = later;
    const first = later.page;
    await first.goto(current.url);
    await first.locator("#checkin-form").waitFor({ timeout: PAGE_WAIT_MS });
    await first.locator("#contact-name").fill(OFFLINE_VISITOR.name);
    await first.locator("#contact-phone").fill(OFFLINE_VISITOR.phone);
    await context.setOffline(true);
    await first.locator("#check-in").click();
    await first.locator("#waiting").waitFor({ timeout: PAGE_WAIT_MS });
    // The page is gone before the network is back. Killed, not closed: Playwright's close lifts
    // the offline emulation while the page still runs, and its "online" handler then sends the
    // check-in (support/browser.ts, killPage).
    await killPage(first);
    await within(PAGE_WAIT_MS, context.setOffline(false), "going back online");
    expect(rowsOf("hbr-east")).toEqual([]);

    const next = await within(PAGE_WAIT_MS, context.newPage(), "opening the page again");
    next.on("console", (m) => {
      if (m.type() === "error") later.problems.push(m.text());
    });
    const checkInAnswers: number[] = [];
    next.on("response", (r) => {
      if (r.request().method() === "POST" && new URL(r.url()).pathname === "/api/checkins") {
        checkInAnswers.push(r.status());
      }
    });
    await next.goto(`${base}/c`);
    await next.locator("#pass").waitFor({ timeout: PAGE_WAIT_MS });
    expect(await next.locator("#pass-entrance").textContent()).toContain("East entrance");
    expect(await next.locator("#pass-note").textContent()).toContain("has been sent");
    // Stored by this page's send (201), not found already stored (200) by it.
    await expect.poll(() => checkInAnswers, POLL).toEqual([201]);
    const rows = rowsOf("hbr-east");
    expect(new Set(rows.map((r) => r.deletion)).size).toBe(1);
    expect(later.problems.filter((p) => !p.includes("ERR_INTERNET_DISCONNECTED"))).toEqual([]);
    expect(later.foreignRequests).toEqual([]);
    await within(PAGE_WAIT_MS, context.close(), "closing the context");
  });

  it("logged no console error and requested nothing from any other site", () => {
    expect(phone.problems).toEqual([]);
    expect(phone.foreignRequests).toEqual([]);
  });
});
