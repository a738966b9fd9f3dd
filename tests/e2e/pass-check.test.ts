/**
 * Door staff check a person's pass, in Debian's Chromium against a real `npm run dev`: a citizen
 * checks in at venue A through the check-in page; the staff page of venue A reads the pass's
 * receipt QR with its (fake) camera and decides on the device: accepted, with the entrance and the
 * times. A pass from venue B, a receipt signed by the deployment's receipt key but stored
 * yesterday, and tampered or forged receipts are refused, each with its reason. The staff page's
 * word of the day is the word on venue A's pass. The pass's liveness cue (a large clock and a
 * band whose colours step every second) keeps changing under prefers-reduced-motion.
 *
 * The staff device's camera is a .y4m file; Chromium opens it each time the camera starts, so
 * each scan shows the pass put in that file just before.
 *
 * It runs its own `npm run dev` in a throw-away LINTEL_HOME: it approves venues other e2e tests
 * must not see, and it reads the dev deployment's receipt key from identities.json.
 */
import { mkdtempSync, readFileSync, renameSync, rmSync } from "node:fs";
import path from "node:path";
import { callRoute, deviceKeyFromSeed, type SignedServiceOptions } from "@lintel/client-sdk";
import { citizenRoutes } from "@lintel/contract";
import {
  decodeBase32,
  decodeBase64url,
  encodeBase32,
  hashCiphertexts,
  signReceipt,
} from "@lintel/protocol";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { qrCameraVideo } from "../../scripts/bench/scan.ts";
import type { DemoIdentities } from "../../scripts/lib/demo-identities.ts";
import {
  DEV_SERVER_HOOK_MS,
  type DevServer,
  startDevServer,
} from "../../scripts/lib/dev-server.ts";
import {
  launchChromium,
  launchChromiumWithFakeCamera,
  PAGE_WAIT_MS,
  type WatchedPage,
  watchedPage,
} from "../support/browser.ts";
import { preparedHome } from "../support/home.ts";
import { expectAccessible, screenshots } from "../support/page-checks.ts";
import { decodeQrPng } from "../support/qr-reader.ts";
import {
  type ApprovedVenue,
  approvedVenue,
  signerFor,
  staffEnrolmentCode,
  type VenueInput,
} from "../support/venue.ts";

const POLL = { timeout: PAGE_WAIT_MS };

const VENUE_A = {
  name: { en: "Kowloon Bay Library", zh: "九龙湾图书馆" },
  address: "8 Sheung Yuet Road, Kowloon Bay",
  category: "library",
  contact: { person: "Ada Lam", phone: "+852 2345 1111" },
  entrances: [
    { label: { en: "North door", zh: "北门" } },
    { label: { en: "South door", zh: "南门" } },
  ],
} satisfies VenueInput;
const VENUE_B = {
  name: { en: "Tsuen Wan Sports Centre", zh: "荃湾体育馆" },
  address: "1 Tai Ho Road, Tsuen Wan",
  category: "gym",
  contact: { person: "Ben Ho", phone: "+852 2345 2222" },
  entrances: [{ label: { en: "Main hall", zh: "主馆" } }],
} satisfies VenueInput;

let server: DevServer;
let home: string;
let base: string;
let citizenBrowser: Browser;
let staffBrowser: Browser;
let staff: WatchedPage;
let camera: string;
let deploymentId: string;
let slotSeconds: number;
let receiptSecret: Uint8Array;
let venueA: ApprovedVenue;
let venueB: ApprovedVenue;
let staffCode: string;
const watched: WatchedPage[] = [];
/** The receipt QR texts read off the passes. */
const passes: { a?: string; b?: string; aWord?: string } = {};

/** Puts `text` in front of the staff device's camera (read when the camera next starts). */
async function showToCamera(text: string): Promise<void> {
  const dir = mkdtempSync(path.join(home, "camera-"));
  // A new file renamed over the old: a camera still reading the old one is not disturbed.
  renameSync(await qrCameraVideo(text, dir), camera);
}

/** Checks in at `url` through the check-in page; the pass's receipt QR text and word. */
async function checkInThroughPage(
  url: string,
  name: string,
): Promise<{ qr: string; word: string }> {
  const phone = await watchedPage(citizenBrowser);
  watched.push(phone);
  const { page } = phone;
  await page.goto(url);
  await page.locator("#checkin-form").waitFor({ timeout: PAGE_WAIT_MS });
  await page.locator("#contact-name").fill(name);
  await page.locator("#contact-phone").fill("+852 9123 4567");
  await page.locator("#check-in").click();
  await page.locator("#pass").waitFor({ timeout: PAGE_WAIT_MS });
  await page.locator("#receipt-qr").waitFor({ timeout: PAGE_WAIT_MS });
  const qr = await decodeQrPng(phone.context, await page.locator("#receipt-qr").screenshot());
  expect(qr).toMatch(/^[A-Z2-7]+$/);
  return { qr: qr!, word: (await page.locator("#day-word").textContent()) ?? "" };
}

/** Scans the pass now in front of the camera; the verdict as the page shows it. */
async function scanPass(page: Page): Promise<{ verdict: string; reason: string; text: string }> {
  const result = page.locator("#pass-result");
  await page.locator("#scan-pass").click();
  await expect.poll(() => result.getAttribute("data-verdict"), POLL).not.toBeNull();
  // The camera stops once a code is read.
  expect(await page.locator("#pass-camera").isHidden()).toBe(true);
  expect(await page.locator("#scan-pass").getAttribute("aria-expanded")).toBe("false");
  const verdict = {
    verdict: (await result.getAttribute("data-verdict")) ?? "",
    reason: (await result.getAttribute("data-reason")) ?? "",
    text: (await result.textContent()) ?? "",
  };
  // Cleared before the next scan, so a stale verdict is never read as the next one's.
  await page.evaluate(() => {
    const r = document.getElementById("pass-result")!;
    r.replaceChildren();
    delete r.dataset.verdict;
    delete r.dataset.reason;
  });
  return verdict;
}

beforeAll(async () => {
  home = preparedHome("pass");
  server = await startDevServer(home);
  base = server.baseUrl;
  const deployment = await callRoute({ baseUrl: base }, citizenRoutes.deployment);
  deploymentId = deployment.id;
  slotSeconds = deployment.slotMinutes * 60;
  const ids = JSON.parse(
    readFileSync(path.join(home, "identities.json"), "utf8"),
  ) as DemoIdentities;
  receiptSecret = decodeBase64url(ids.receipt.secretKey, 32);
  const registry: SignedServiceOptions = signerFor(
    base,
    deploymentId,
    deviceKeyFromSeed(decodeBase64url(ids.registryStaff.deviceSecretKey, 32)),
  );
  venueA = await approvedVenue(registry, VENUE_A, "Library office");
  venueB = await approvedVenue(registry, VENUE_B, "Sports centre office");
  // Staff of venue A's north door only: a pass from the south door is still this venue's.
  staffCode = await staffEnrolmentCode(venueA, "North door staff", [
    venueA.entrances[0]!.entranceId,
  ]);
  camera = path.join(home, "camera.y4m");
  await showToCamera("NOTHING YET");
  citizenBrowser = await launchChromium();
  staffBrowser = await launchChromiumWithFakeCamera(camera);
  staff = await watchedPage(staffBrowser, { permissions: ["camera"] });
  watched.push(staff);
}, DEV_SERVER_HOOK_MS);

afterAll(async () => {
  await citizenBrowser?.close();
  await staffBrowser?.close();
  await server?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe("a pass checked at the door", () => {
  it("citizens check in at venue A and at venue B through the check-in page", async () => {
    const a = await checkInThroughPage(venueA.entrances[1]!.url, "Chan Tai-man");
    passes.a = a.qr;
    passes.aWord = a.word;
    passes.b = (await checkInThroughPage(venueB.entrances[0]!.url, "Lee Siu-ling")).qr;
  });

  it("shows staff of venue A the word on venue A's passes", async () => {
    const { page } = staff;
    await page.goto(`${base}/staff/`);
    await page.locator("#enrolment-code").fill(staffCode);
    await page.locator("#enrolment-code").press("Enter");
    await expect.poll(() => page.locator("#where-now").textContent(), POLL).toContain("North door");
    await page.locator("#check-pass").waitFor();
    await expect.poll(() => page.locator("#day-word").textContent(), POLL).toContain(passes.aWord!);
  });

  it("accepts venue A's pass read by the camera, naming the entrance and the times", async () => {
    const { page } = staff;
    const before = staff.requests.length;
    await showToCamera(passes.a!);
    const seen = await scanPass(page);
    expect(seen.verdict).toBe("accepted");
    expect(seen.text).toContain("Accepted");
    expect(seen.text).toMatch(
      /Entrance: South door\. Checked in at \d\d:\d\d, stay until \d\d:\d\d\./,
    );
    // Decided on the device: the scan sent nothing.
    expect(staff.requests.slice(before).filter((r) => r.includes("/api/"))).toEqual([]);
  });

  it("refuses venue B's pass: another venue", async () => {
    await showToCamera(passes.b!);
    const seen = await scanPass(staff.page);
    expect(seen).toMatchObject({ verdict: "refused", reason: "another-venue" });
    expect(seen.text).toContain("from another venue");
  });

  it("refuses a receipt signed by the deployment's receipt key but stored yesterday", async () => {
    const now = Math.floor(Date.now() / 1000);
    const current = now - (now % slotSeconds);
    // Its slots even cover now: only the day it was stored gives it away.
    const yesterday = signReceipt(
      {
        deployment: deploymentId,
        entranceId: venueA.entrances[0]!.entranceId,
        firstSlot: current - 20 * slotSeconds,
        slotCount: 25,
        ciphertextsHash: hashCiphertexts([new Uint8Array(338)]),
        storedAt: now - 86_400,
      },
      receiptSecret,
    );
    await showToCamera(encodeBase32(yesterday));
    const seen = await scanPass(staff.page);
    expect(seen).toMatchObject({ verdict: "refused", reason: "another-day" });
    expect(seen.text).toContain("from an earlier day");
    expect(seen.text).toContain("North door");
  });

  it("refuses a tampered receipt and one signed by another key: not genuine", async () => {
    // Venue A's genuine receipt with its stay made one slot longer, not signed again.
    const bytes = decodeBase32(passes.a!);
    const slotCountAt = 2 + 1 + bytes[2]! + 1 + bytes[3 + bytes[2]!]! + 8;
    bytes[slotCountAt] = bytes[slotCountAt]! < 25 ? bytes[slotCountAt]! + 1 : 24;
    await showToCamera(encodeBase32(bytes));
    const tampered = await scanPass(staff.page);
    expect(tampered).toMatchObject({ verdict: "refused", reason: "not-genuine" });
    expect(tampered.text).toContain("Not a Lintel receipt");

    // A receipt anyone could make: right deployment, entrance and times, another key.
    const now = Math.floor(Date.now() / 1000);
    const forged = signReceipt(
      {
        deployment: deploymentId,
        entranceId: venueA.entrances[0]!.entranceId,
        firstSlot: now - (now % slotSeconds),
        slotCount: 2,
        ciphertextsHash: hashCiphertexts([new Uint8Array(338)]),
        storedAt: now - 60,
      },
      crypto.getRandomValues(new Uint8Array(32)),
    );
    await showToCamera(encodeBase32(forged));
    expect(await scanPass(staff.page)).toMatchObject({ verdict: "refused", reason: "not-genuine" });
  });

  it("takes the receipt text from a handheld scanner too, and is accessible", async () => {
    const { page } = staff;
    await page.locator("#pass-text").fill(passes.a!);
    await page.locator("#pass-text").press("Enter");
    await expect
      .poll(() => page.locator("#pass-result").getAttribute("data-verdict"), POLL)
      .toBe("accepted");
    await expectAccessible(page);
    await screenshots(page, "staff-pass-accepted");
  });
});

describe("the verdict in the page's language", () => {
  it("says it in Chinese on a device set to Chinese, with the entrance's Chinese name", async () => {
    const { page } = staff;
    await page.evaluate(() => localStorage.setItem("lintel.language.v1", "zh"));
    await page.reload();
    await page.locator("#check-pass").waitFor({ timeout: PAGE_WAIT_MS });
    const check = async (text: string) => {
      await page.locator("#pass-text").fill(text);
      await page.locator("#pass-text").press("Enter");
      await expect
        .poll(() => page.locator("#pass-result").getAttribute("data-verdict"), POLL)
        .not.toBeNull();
      const shown = (await page.locator("#pass-result").textContent()) ?? "";
      await page.evaluate(() => {
        const r = document.getElementById("pass-result")!;
        r.replaceChildren();
        delete r.dataset.verdict;
      });
      return shown;
    };
    const accepted = await check(passes.a!);
    expect(accepted).toContain("通过");
    expect(accepted).toContain("入口：南门");
    expect(accepted).not.toMatch(/Accepted|Entrance|South/);
    const refused = await check(passes.b!);
    expect(refused).toContain("不通过");
    expect(refused).toContain("此凭证来自其他场所");
    expect(refused).not.toMatch(/[A-Za-z]{3,}/);
    await page.evaluate(() => localStorage.setItem("lintel.language.v1", "en"));
  });
});

describe("the pass's liveness cue", () => {
  it("keeps changing every second under prefers-reduced-motion", async () => {
    const phone = await watchedPage(citizenBrowser);
    watched.push(phone);
    const { page } = phone;
    await page.emulateMedia({ reducedMotion: "reduce" });
    await page.goto(venueA.entrances[0]!.url);
    await page.locator("#checkin-form").waitFor({ timeout: PAGE_WAIT_MS });
    await page.locator("#contact-name").fill("Ho Ka-wai");
    await page.locator("#contact-phone").fill("+852 9234 5678");
    await page.locator("#check-in").click();
    await page.locator("#pass").waitFor({ timeout: PAGE_WAIT_MS });
    const band = () =>
      page.evaluate(() => {
        const style = getComputedStyle(document.getElementById("pass-band")!);
        return { image: style.backgroundImage, animation: style.animationName };
      });
    const first = { clock: await page.locator("#pass-clock").textContent(), band: await band() };
    // No motion: the band does not slide.
    expect(first.band.animation).toBe("none");
    expect(first.clock).toMatch(/^\d\d:\d\d:\d\d$/);
    await page.waitForTimeout(2500);
    const second = { clock: await page.locator("#pass-clock").textContent(), band: await band() };
    // A picture of the pass would show neither change.
    expect(second.clock).not.toBe(first.clock);
    expect(second.band.image).not.toBe(first.band.image);
    // The clock is large: what staff read at a glance.
    const size = await page.evaluate(() =>
      Number.parseFloat(getComputedStyle(document.getElementById("pass-clock")!).fontSize),
    );
    expect(size).toBeGreaterThanOrEqual(32);
    await expectAccessible(page);
  });
});

describe("all along", () => {
  it("logged no console errors and requested nothing from other sites", () => {
    for (const w of watched) {
      expect(w.problems).toEqual([]);
      expect(w.foreignRequests).toEqual([]);
    }
  });
});
