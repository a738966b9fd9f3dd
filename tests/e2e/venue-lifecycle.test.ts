/**
 * A venue's life through the pages, in Debian's Chromium against a real `npm run dev`: an
 * operator signs up and applies (hostile markup and formula text in the names and address, a
 * real PDF and PNG uploaded), the registry signs in with the enrolment code the dev banner
 * prints, rejects with feedback, the operator edits and resubmits, the registry approves, and
 * the operator prints a poster whose QR decodes to the registry-signed code. Along the way:
 * untrusted text stays text, the CSV export neutralises formulas, the public report reaches the
 * registry's inbox, every page passes axe-core at WCAG 2.2 AA, fits 320 px, works by keyboard,
 * logs no console error and requests nothing from any other site.
 *
 * It runs its own `npm run dev` in a throw-away LINTEL_HOME: approving a venue changes the public
 * venue list that other e2e tests pin.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  callRoute,
  deviceKeyFromSeed,
  type SignedServiceOptions,
  signedCall,
} from "@lintel/client-sdk";
import { citizenRoutes, operatorRoutes } from "@lintel/contract";
import {
  decodeBase64url,
  deviceKeyName,
  parseCodeUrl,
  parseVerifierKey,
  verifyVenueCode,
} from "@lintel/protocol";
import jsQR from "jsqr";
import type { Browser, Page } from "playwright-core";
import QRCode from "qrcode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DemoIdentities } from "../../scripts/lib/demo-identities.ts";
import {
  DEV_SERVER_HOOK_MS,
  type DevServer,
  startDevServer,
} from "../../scripts/lib/dev-server.ts";
import { axeViolations } from "../support/axe.ts";
import { launchChromium, type WatchedPage, watchedPage } from "../support/browser.ts";
import { preparedHome } from "../support/home.ts";
import { freshLicenceNumber } from "../support/licence.ts";
import { screenshots } from "../support/page-checks.ts";

const _SCREENSHOTS = process.env.LINTEL_E2E_SCREENSHOTS;

const VENUE = {
  nameEn: '<b>Bold</b> =HYPERLINK("x")',
  nameZh: "海港<i>书店</i>",
  address: "=1+2 Harbour Road, Kowloon",
  licence: freshLicenceNumber(),
  person: "Ann Example",
  phone: "+852 2345 6789",
  entrances: [
    { en: "Main door", zh: "正门" },
    { en: "Side door", zh: "侧门" },
  ],
};
/** Typed on two lines; the service takes one line, so the page sends it joined by a space. */
/** Typed with a line break, which reaches the operator as written. */
const FEEDBACK_TYPED = "The floor plan must show the side door.\n平面图须标出侧门。";
const FEEDBACK = FEEDBACK_TYPED;

/** A minimal valid PDF: one empty page, with a correct cross-reference table. */
function minimalPdf(): Buffer {
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
  ];
  let body = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, "0")} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, "latin1");
}

/** Grey pixels of a binary PGM (what `pdftoppm -gray` writes) as RGBA for jsQR. */
function readPgm(file: string): { width: number; height: number; rgba: Uint8ClampedArray } {
  const bytes = readFileSync(file);
  const fields: string[] = [];
  let pos = 0;
  while (fields.length < 4) {
    while (/\s/.test(String.fromCharCode(bytes[pos]!))) pos++;
    if (bytes[pos] === 0x23) {
      while (bytes[pos] !== 0x0a) pos++;
      continue;
    }
    let token = "";
    while (!/\s/.test(String.fromCharCode(bytes[pos]!)))
      token += String.fromCharCode(bytes[pos++]!);
    fields.push(token);
  }
  pos++; // the single whitespace after the maximum value
  const [magic, w, h] = fields;
  expect(magic).toBe("P5");
  const width = Number(w);
  const height = Number(h);
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const v = bytes[pos + i]!;
    rgba.set([v, v, v, 255], i * 4);
  }
  return { width, height, rgba };
}

/** Each page of a PDF, rasterised by poppler at `dpi`, as the QR text jsQR reads on it. */
function qrTextsOfPdf(pdf: string, dpi = 100): Array<string | null> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "lintel-poster-"));
  try {
    execFileSync("pdftoppm", ["-r", String(dpi), "-gray", pdf, path.join(dir, "page")]);
    return readdirSync(dir)
      .filter((f) => f.endsWith(".pgm"))
      .sort()
      .map((f) => {
        const { width, height, rgba } = readPgm(path.join(dir, f));
        return jsQR(rgba, width, height)?.data ?? null;
      });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

async function expectStatus(page: Page, text: string): Promise<void> {
  await expect.poll(() => page.locator("#status").textContent()).toContain(text);
}

async function download(page: Page, trigger: () => Promise<void>) {
  const [file] = await Promise.all([page.waitForEvent("download"), trigger()]);
  const at = await file.path();
  return { name: file.suggestedFilename(), path: at, bytes: readFileSync(at) };
}

/**
 * What a hostile venue name must look like in a page: its literal text, no elements. The pages
 * are in English here, and a page shows the name in its one language.
 */
async function expectLiteralNames(page: Page): Promise<void> {
  const names = page.locator(".venue-name");
  expect(await names.count()).toBeGreaterThan(0);
  for (const text of await names.allTextContents()) {
    // In the page's language only (English in this test), as typed: markup stays text.
    expect(text).toContain(VENUE.nameEn);
    expect(text).not.toContain(VENUE.nameZh);
  }
  expect(await page.locator(".venue-name b, .venue-name i").count()).toBe(0);
  expect(await page.locator("main b, main i").count()).toBe(0);
}

let server: DevServer;
let home: string;
let base: string;
let browser: Browser;
let operator: WatchedPage;
let registry: WatchedPage;
let registryOptions: SignedServiceOptions;
let venueId: string;
let licencePdf: Buffer;
const tmp = mkdtempSync(path.join(os.tmpdir(), "lintel-lifecycle-"));

beforeAll(async () => {
  home = preparedHome("venues");
  [server, browser] = await Promise.all([startDevServer(home), launchChromium()]);
  base = server.baseUrl;
  const deployment = await callRoute({ baseUrl: base }, citizenRoutes.deployment);
  const ids = JSON.parse(
    readFileSync(path.join(home, "identities.json"), "utf8"),
  ) as DemoIdentities;
  registryOptions = {
    baseUrl: base,
    deployment: deployment.id,
    keyName: deviceKeyName(deployment.id),
    key: deviceKeyFromSeed(decodeBase64url(ids.registryStaff.deviceSecretKey, 32)),
  };
  operator = await watchedPage(browser);
  registry = await watchedPage(browser);
  licencePdf = minimalPdf();
}, DEV_SERVER_HOOK_MS);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(home, { recursive: true, force: true });
  rmSync(tmp, { recursive: true, force: true });
});

describe("a venue from application to poster, in Chromium", () => {
  it("lets an operator sign up and fill in the application by keyboard", async () => {
    const { page } = operator;
    await page.goto(`${base}/operator/`);
    await page.locator("#sign-up-form").waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 320, height: 640 });
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await page.setViewportSize({ width: 1280, height: 720 });
    await screenshots(page, "operator-signed-out");

    await page.locator("#account-label").fill("Harbour Books office");
    await page.locator("#account-label").press("Enter");
    await expect
      .poll(() => page.locator("#signed-in-as").textContent())
      .toContain("Harbour Books office");

    await page.locator("#new-application").click();
    await page.locator("#application-form").waitFor();
    // A second entrance row, added from the keyboard.
    await page.locator("#add-entrance").focus();
    await page.keyboard.press("Space");
    await expect.poll(() => page.locator("#entrance-rows > li").count()).toBe(2);

    // Tab visits every control of the form in order, and each is filled from the keyboard.
    const controls = await page
      .locator("#application-form")
      .evaluate((form) =>
        [...form.querySelectorAll<HTMLElement>("input, select, textarea, button")].map(
          (c) => c.id || c.textContent || "",
        ),
      );
    expect(controls.slice(0, 8)).toEqual([
      "name-en",
      "name-zh",
      "address",
      "licence-number",
      "category",
      "district",
      "contact-person",
      "contact-phone",
    ]);
    expect(controls.slice(-4)).toEqual([
      "licence-file",
      "floor-plan-file",
      "save-application",
      "submit-application",
    ]);
    const entranceInputs = await page
      .locator("#entrance-rows input")
      .evaluateAll((inputs) => inputs.map((i) => i.id));
    const typed: Record<string, string> = {
      "name-en": VENUE.nameEn,
      "name-zh": VENUE.nameZh,
      address: VENUE.address,
      // Typed as licences print it, in groups; the form sends it in one spelling.
      "licence-number": `${VENUE.licence.slice(0, 8)} ${VENUE.licence.slice(8).toLowerCase()}`,
      "contact-person": VENUE.person,
      "contact-phone": VENUE.phone,
      [entranceInputs[0]!]: VENUE.entrances[0]!.en,
      [entranceInputs[1]!]: VENUE.entrances[0]!.zh,
      [entranceInputs[2]!]: VENUE.entrances[1]!.en,
      [entranceInputs[3]!]: VENUE.entrances[1]!.zh,
    };
    await page.locator("#name-en").focus();
    const visited: string[] = [];
    for (let i = 0; i < controls.length; i++) {
      const id = await page.evaluate(
        () => document.activeElement?.id || document.activeElement?.textContent || "",
      );
      visited.push(id);
      const text = typed[id];
      if (text !== undefined) await page.keyboard.insertText(text);
      if (id === "category") {
        // other → restaurant → shop, without opening the list.
        await page.keyboard.press("ArrowDown");
        await page.keyboard.press("ArrowDown");
      }
      // "Choose the district" → the first district.
      if (id === "district") await page.keyboard.press("ArrowDown");
      if (id === "submit-application") break;
      await page.keyboard.press("Tab");
    }
    expect(visited).toEqual(controls);
    expect(await page.locator("#category").inputValue()).toBe("shop");
    expect(await page.locator("#district").inputValue()).toBe("central");

    // Files cannot be chosen without the system's file dialog: set them directly.
    await page.locator("#licence-file").setInputFiles({
      name: "licence.pdf",
      mimeType: "application/pdf",
      buffer: licencePdf,
    });
    await page.locator("#floor-plan-file").setInputFiles({
      name: "floor-plan.png",
      mimeType: "image/png",
      buffer: await QRCode.toBuffer("floor plan", { type: "png" }),
    });
    await page.locator("#save-application").focus();
    await page.keyboard.press("Enter");
    await expectStatus(page, "Saved");
    venueId = new URL(page.url()).searchParams.get("venue") ?? "";
    expect(venueId).toMatch(/^v-/);
    // Each file field now says what was uploaded.
    await expect
      .poll(() => page.locator("#floor-plan-file-hint").textContent())
      .toContain("Uploaded: PNG");
    expect(await page.locator("#licence-file-hint").textContent()).toContain("Uploaded: PDF");
    await expectLiteralNames(page);
    expect(await page.locator("#address").inputValue()).toBe(VENUE.address);
    expect(await page.locator("#licence-number").inputValue()).toBe(VENUE.licence);

    expect(await axeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 320, height: 640 });
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await page.setViewportSize({ width: 1280, height: 720 });
    await screenshots(page, "operator-draft");

    await page.locator("#submit-application").focus();
    await page.keyboard.press("Space");
    await page.locator("#waiting-note").waitFor();
    expect(await page.locator("#application .badge").first().getAttribute("data-status")).toBe(
      "submitted",
    );
  });

  it("lets the registry sign in with the banner's code, review, and send it back", async () => {
    const { page } = registry;
    const banner = /with this one-time code\n\(valid 3 days[^)]*\):\s+([0-9A-Z-]+)/.exec(
      server.output(),
    );
    expect(banner?.[1]).toBeTruthy();
    await page.goto(`${base}/registry/`);
    await page.locator("#enrol-form").waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshots(page, "registry-signed-out");
    await page.locator("#enrolment-code").fill(banner![1]!);
    await page.locator("#enrolment-code").press("Enter");
    await expect.poll(() => page.locator("#signed-in-as").textContent()).toContain("Demo reviewer");

    const item = page.locator(`#queue-list [data-application="${venueId}"]`);
    await item.waitFor();
    await expectLiteralNames(page);
    expect(await axeViolations(page)).toEqual([]);
    await screenshots(page, "registry-queue");

    await item.locator("[data-review]").click();
    await page.locator("#detail-heading").waitFor();
    await expect
      .poll(() => page.locator("#detail .venue-address").textContent())
      .toBe(VENUE.address);
    expect(await page.locator("#detail").textContent()).toContain(VENUE.person);
    await expectLiteralNames(page);
    expect(await axeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 320, height: 640 });
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await page.setViewportSize({ width: 1280, height: 720 });
    await screenshots(page, "registry-detail");

    const licence = await download(page, () =>
      page.locator('#detail [data-download="licence"]').click(),
    );
    expect(licence.name).toBe(`${venueId}-licence.pdf`);
    expect(licence.bytes.equals(licencePdf)).toBe(true);

    // Rejecting needs feedback.
    await page.locator("#reject").click();
    await expect
      .poll(() => page.locator("#reject-error").textContent())
      .toContain("Feedback is required");
    expect(await page.locator("#reject-feedback").getAttribute("aria-invalid")).toBe("true");
    await page.locator("#reject-feedback").fill(FEEDBACK_TYPED);
    await page.locator("#reject").click();
    await expectStatus(page, "Sent back");
    await expect
      .poll(() => page.locator("#detail .badge").first().getAttribute("data-status"))
      .toBe("rejected");
  });

  it("shows the operator the feedback, and takes the edited application again", async () => {
    const { page } = operator;
    await page.reload();
    await page.locator("#registry-feedback").waitFor();
    expect(await page.locator("#registry-feedback .feedback-text").textContent()).toBe(FEEDBACK);
    // The list of venues, a view of its own, says so too; Back returns to the application.
    await page.locator('#account-nav a[data-view="?"]').click();
    await page.locator(`[data-application="${venueId}"] .feedback-text`).waitFor();
    expect(await page.locator(`[data-application="${venueId}"] .feedback-text`).textContent()).toBe(
      FEEDBACK,
    );
    await page.goBack();
    await page.locator("#registry-feedback").waitFor();
    expect(await page.locator('#application [data-action="rejected"]').textContent()).toContain(
      "Demo reviewer",
    );
    await page.locator("#floor-plan-file").setInputFiles({
      name: "floor-plan-2.png",
      mimeType: "image/png",
      buffer: await QRCode.toBuffer("floor plan with the side door", { type: "png" }),
    });
    await page.locator("#submit-application").click();
    await page.locator("#waiting-note").waitFor();
    expect(await page.locator('#application [data-action="uploaded-floor-plan"]').count()).toBe(2);
  });

  it("lets the registry approve it", async () => {
    const { page } = registry;
    // The queue is a view of its own (loaded afresh when opened), and the application another.
    await page.locator('#registry-nav a[data-view="?"]').click();
    await page.locator(`#queue-list [data-application="${venueId}"] [data-review]`).click();
    await page.locator("#approve").waitFor();
    expect(new URL(page.url()).search).toBe(`?application=${venueId}`);
    await page.locator("#approve").click();
    await expectStatus(page, "Approved");
    await expect
      .poll(() => page.locator("#detail .badge").first().getAttribute("data-status"))
      .toBe("approved");
    await page.goBack();
    await page.locator("#queue-count").waitFor();
    expect(await page.locator(`#queue-list [data-application="${venueId}"]`).count()).toBe(0);
  });

  it("gives the operator posters whose QR is the registry-signed code", async () => {
    const { page } = operator;
    await page.goto(`${base}/operator/?venue=${venueId}&view=entrances`);
    await page.locator("#code-list").waitFor();
    await expectLiteralNames(page);
    const { codes } = await signedCall(registryOptions, operatorRoutes.venueCodes, {
      params: { id: venueId },
    });
    expect(codes).toHaveLength(2);
    const first = codes[0]!;
    expect(
      await page.locator(`[data-entrance="${first.entranceId}"] .manual-code`).textContent(),
    ).toBe(first.manualCode);

    const poster = await download(page, () =>
      page.locator(`[data-poster="${first.entranceId}"]`).click(),
    );
    expect(poster.name).toBe("poster-main-door.pdf");
    expect(poster.bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const [decoded] = qrTextsOfPdf(poster.path);
    expect(decoded).toBe(first.url);

    const deployment = await callRoute({ baseUrl: base }, citizenRoutes.deployment);
    const verified = verifyVenueCode(parseCodeUrl(decoded!).code, {
      registry: parseVerifierKey(deployment.registry!.verifierKey),
      now: new Date(),
      deployment: deployment.id,
    });
    expect(verified.code.venueId).toBe(venueId);
    expect(verified.code.entranceId).toBe(first.entranceId);
    expect(verified.code.venueName).toEqual({ zh: VENUE.nameZh, en: VENUE.nameEn });

    const all = await download(page, () => page.locator("#download-all-posters").click());
    const allPath = path.join(tmp, "all.pdf");
    writeFileSync(allPath, all.bytes);
    expect(qrTextsOfPdf(allPath)).toEqual(codes.map((c) => c.url));

    // No check-in yet: every entrance is flagged.
    await page.locator('#venue-nav a[data-view$="view=today"]').click();
    await page.locator("#dashboard-list").waitFor();
    expect(await page.locator("#dashboard [data-possibly-damaged]").count()).toBe(2);
    expect(
      await page.locator("#dashboard [data-possibly-damaged]").first().textContent(),
    ).toContain("is the poster damaged?");
  });

  it("lets the operator replace a code, add staff and add a kiosk screen (never a secret)", async () => {
    const { page } = operator;
    const { codes } = await signedCall(registryOptions, operatorRoutes.venueCodes, {
      params: { id: venueId },
    });
    const side = codes[1]!;
    await page.locator('#venue-nav a[data-view$="view=entrances"]').click();
    const card = page.locator(`#code-list [data-entrance="${side.entranceId}"]`);
    await card.locator("select").selectOption("damaged");
    await card.locator(".replace-code button").click();
    const dialog = page.locator("dialog.confirm");
    await dialog.waitFor();
    // The dialog opens on "Cancel"; Escape closes it and nothing changes.
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });
    await card.locator(".replace-code button").click();
    await dialog.locator("[data-confirm]").click();
    await expectStatus(page, "version 2");
    await expect
      .poll(() =>
        page
          .locator(`#code-list [data-entrance="${side.entranceId}"] [data-version]`)
          .textContent(),
      )
      .toBe("2");
    const replaced = await fetch(`${base}/api/codes/check`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ code: side.url.split("#")[1] }),
    });
    expect(replaced.status).toBe(410);

    await page.locator('#venue-nav a[data-view$="view=staff"]').click();
    await page.locator("#staff-label").fill("Front desk 1");
    await page.locator("#add-staff").click();
    await page.locator("#staff-enrolment-code").waitFor();
    expect(await page.locator("#staff-enrolment-code").textContent()).toMatch(
      /^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/,
    );
    const staff = page.locator("#staff-list [data-staff]");
    expect(await staff.textContent()).toContain("Front desk 1");
    await staff.locator("[data-disable]").click();
    await page.locator("dialog.confirm [data-confirm]").click();
    await expectStatus(page, "Staff account disabled");
    await expect.poll(() => staff.textContent()).toContain("Disabled");
    expect(await staff.locator("[data-disable]").count()).toBe(0);

    // A kiosk screen is added with a one-time enrolment code; the entrance's kiosk secret is
    // never shown on the operator page (the kiosk device fetches it itself).
    const entranceId = codes[0]!.entranceId;
    const kiosk = page.locator(`[data-kiosk="${entranceId}"]`);
    await kiosk.locator("button[aria-expanded]").click();
    await page.locator(`#kiosk-label-${entranceId}`).fill("Lobby screen");
    await page.locator(`#add-kiosk-${entranceId}`).click();
    await expect
      .poll(() => page.locator(`[data-kiosk-code="${entranceId}"]`).textContent())
      .toMatch(/[A-Z0-9]{4}-/);
    expect(await page.locator("[data-secret], [data-reveal]").count()).toBe(0);

    expect(await axeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 320, height: 640 });
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await page.setViewportSize({ width: 1280, height: 720 });
    await screenshots(page, "operator-approved");
  });

  it("takes a public report that reaches the registry's inbox", async () => {
    const visitor = await watchedPage(browser);
    const { page } = visitor;
    await page.goto(`${base}/report/?venue=${venueId}`);
    await page.locator("#report-form").waitFor();
    await expect.poll(() => page.locator("#report-entrance option").count()).toBe(3);
    expect(await axeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 320, height: 640 });
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await page.setViewportSize({ width: 1280, height: 720 });
    await screenshots(page, "report");
    // The privacy page the posters link to.
    await page.goto(`${base}/privacy`);
    await page.locator("#retention-heading").waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 320, height: 640 });
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await page.setViewportSize({ width: 1280, height: 720 });
    await screenshots(page, "privacy");
    await page.goBack();
    await page.locator("#report-form").waitFor();

    await page.locator("#kind-code-damaged").check();
    await page.locator("#report-submit").click();
    await page.locator("#report-done").waitFor();
    expect(visitor.problems).toEqual([]);
    expect(visitor.foreignRequests).toEqual([]);
    await visitor.context.close();

    const reg = registry.page;
    // The reports are a view of their own, loaded afresh when opened.
    await reg.locator('#registry-nav a[data-view="?view=reports"]').click();
    const report = reg.locator("#report-list [data-report]");
    await expect.poll(() => report.count()).toBe(1);
    expect(await report.textContent()).toContain(VENUE.nameEn);
    await report.locator("select").selectOption("in-review");
    await report.locator("button").click();
    await expectStatus(reg, "in review");
    await expect.poll(() => reg.locator("#report-list [data-report]").count()).toBe(0);
  });

  it("explains the rate limit on the report page", async () => {
    const { context, page } = await watchedPage(browser);
    await context.route("**/api/reports", (route) =>
      route.fulfill({
        status: 429,
        headers: { "content-type": "application/problem+json", "retry-after": "1800" },
        body: JSON.stringify({
          type: "/problems/rate-limited",
          title: "Too many requests",
          status: 429,
          code: "rate-limited",
          detail: "Too many reports from this network.",
        }),
      }),
    );
    await page.goto(`${base}/report/?venue=${venueId}`);
    await page.locator("#report-form").waitFor();
    await page.locator("#kind-no-code-posted").check();
    await page.locator("#report-submit").click();
    await expect
      .poll(() => page.locator("#report-error").textContent())
      .toContain("about 30 minutes");
    expect(await page.locator("#report-error").getAttribute("role")).toBe("alert");
    await context.close();
  });

  it("exports venues as CSV with formula-like cells as text", async () => {
    const { page } = registry;
    await page.locator('#registry-nav a[data-view="?view=export"]').click();
    const csv = await download(page, () => page.locator("#export-csv").click());
    expect(csv.name).toBe("venues.csv");
    const text = csv.bytes.toString("utf8");
    const row = text.split("\r\n").find((line) => line.startsWith(`"${venueId}"`));
    expect(row).toBeDefined();
    expect(row).toContain(`"<b>Bold</b> =HYPERLINK(""x"")"`);
    expect(row).toContain(`"'${VENUE.address}"`);
  });

  it("signs the operator out and forgets the device key", async () => {
    const { page } = operator;
    const storedKey = () =>
      page.evaluate(
        () =>
          new Promise<boolean>((resolve, reject) => {
            const open = indexedDB.open("lintel");
            open.onerror = () => reject(open.error);
            open.onsuccess = () => {
              const get = open.result
                .transaction("device-keys")
                .objectStore("device-keys")
                .get("operator");
              get.onsuccess = () => {
                open.result.close();
                resolve(get.result !== undefined);
              };
            };
          }),
      );
    expect(await storedKey()).toBe(true);
    await page.locator("#sign-out").click();
    await page.locator("#sign-up-form").waitFor();
    await expectStatus(page, "Signed out");
    expect(await storedKey()).toBe(false);
    await page.reload();
    await page.locator("#sign-up-form").waitFor();
    expect(await page.locator("#signed-in-as").count()).toBe(0);
  });

  it("logged no console errors and requested nothing from other sites", async () => {
    for (const w of [operator, registry]) {
      expect(w.problems).toEqual([]);
      expect(w.foreignRequests).toEqual([]);
    }
  });
});
