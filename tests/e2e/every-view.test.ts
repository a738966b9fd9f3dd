/**
 * Every page, and the views behind each sign-in, in both languages at 320 and 1280 px, in
 * Chromium: axe (WCAG 2.2 AA) finds nothing, nothing is wider than a 320 px screen, and nothing of
 * the other language is shown. With LINTEL_E2E_SCREENSHOTS=<dir> (what `npm run screenshots`
 * sets) each view is also kept as `<view>.<lang>.<width>.png` for review.
 *
 * The accounts are made through the API as their owners would (a venue approved by the demo
 * registry reviewer; one-time codes for each browser), then each page is signed in through its
 * own form, so what is checked is what a person in that role sees.
 */
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { callRoute, deviceKeyFromSeed, signedCall } from "@lintel/client-sdk";
import { accountRoutes, amendmentRoutes, citizenRoutes, kioskRoutes } from "@lintel/contract";
import { decodeBase64url } from "@lintel/protocol";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DemoIdentities } from "../../scripts/lib/demo-identities.ts";
import {
  DEV_SERVER_HOOK_MS,
  type DevServer,
  startDevServer,
} from "../../scripts/lib/dev-server.ts";
import { axeViolations } from "../support/axe.ts";
import { guardedContext, launchChromium } from "../support/browser.ts";
import { preparedHome } from "../support/home.ts";
import { otherLanguageText, type ShownLanguage } from "../support/shown-text.ts";
import {
  type ApprovedVenue,
  approvedVenue,
  signerFor,
  staffEnrolmentCode,
  type VenueInput,
} from "../support/venue.ts";

let server: DevServer;
let home: string;
let base: string;
const SCREENSHOTS = process.env.LINTEL_E2E_SCREENSHOTS;
const WIDTHS = [320, 1280] as const;

const VENUE = {
  name: { en: "Harbour Sports Centre", zh: "海港体育中心" },
  address: "8 Harbour Road",
  category: "gym",
  contact: { person: "Centre Manager", phone: "+852 2000 0001" },
  entrances: [
    { label: { en: "Main hall", zh: "主馆" } },
    { label: { en: "Pool gate", zh: "泳池门" } },
  ],
} satisfies VenueInput;

let browser: Browser;
let registry: ReturnType<typeof signerFor>;

beforeAll(async () => {
  // A server of its own: the venues and accounts made here would change what the files that
  // share the seeded demo server expect of it (one venue, say).
  home = preparedHome("views");
  server = await startDevServer(home);
  base = server.baseUrl;
  const deployment = await callRoute({ baseUrl: base }, citizenRoutes.deployment);
  const ids = JSON.parse(
    readFileSync(path.join(home, "identities.json"), "utf8"),
  ) as DemoIdentities;
  registry = signerFor(
    base,
    deployment.id,
    deviceKeyFromSeed(decodeBase64url(ids.registryStaff.deviceSecretKey, 32)),
  );
  browser = await launchChromium();
  if (SCREENSHOTS) mkdirSync(SCREENSHOTS, { recursive: true });
}, DEV_SERVER_HOOK_MS);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

/** One language's venue and the one-time codes its browsers sign in with. */
interface Codes {
  readonly venue: ApprovedVenue;
  readonly posterUrl: string;
  readonly operator: string;
  readonly staff: string;
  readonly kiosk: string;
  readonly registry: string;
  readonly officer: string;
}

/** What the operator types in its own language (shown as typed on the registry's view). */
const TYPED = {
  zh: { address: "港湾道8号", contact: { person: "中心经理", phone: "+852 2000 0001" } },
  en: {},
} as const;

/** What people in each role call their devices: in their own language. */
const LABELS = {
  zh: {
    operator: "体育中心办公室",
    staff: "正门工作人员",
    kiosk: "泳池门自助机",
    registry: "审核员",
    officer: "卫生官员",
  },
  en: {
    operator: "Sports centre office",
    staff: "Door staff",
    kiosk: "Pool screen",
    registry: "Reviewer",
    officer: "Officer",
  },
} as const;

async function freshCodes(lang: ShownLanguage): Promise<Codes> {
  const label = LABELS[lang];
  // Typed by the operator in its own language: shown as typed, in either.
  const venue = await approvedVenue(registry, { ...VENUE, ...TYPED[lang] }, label.operator);
  const [main, pool] = venue.entrances;
  const operator = (await signedCall(venue.operator, accountRoutes.newDeviceCode)).enrolmentCode;
  const staff = await staffEnrolmentCode(venue, label.staff, [main!.entranceId]);
  const kiosk = (
    await signedCall(venue.operator, kioskRoutes.addKiosk, {
      params: { id: venue.venueId },
      body: { label: label.kiosk, entranceId: pool!.entranceId },
    })
  ).enrolmentCode;
  const made = async (role: "registry" | "officer", label: string) =>
    (await signedCall(registry, accountRoutes.createAccount, { body: { role, label } }))
      .enrolmentCode;
  return {
    venue,
    posterUrl: main!.url,
    operator,
    staff,
    kiosk,
    registry: await made("registry", label.registry),
    officer: await made("officer", label.officer),
  };
}

/** A view: how to reach it from the previous one, and what says it is drawn. */
interface View {
  readonly name: string;
  readonly open: (page: Page, codes: Codes) => Promise<void>;
}

async function visit(page: Page, url: string, ready: string): Promise<void> {
  await page.goto(url);
  await page.locator(ready).first().waitFor();
}

async function signIn(page: Page, url: string, code: string, ready: string): Promise<void> {
  await visit(page, url, "#enrolment-code");
  await page.locator("#enrolment-code").fill(code);
  await page.locator("#enrolment-code").press("Enter");
  await page.locator(ready).first().waitFor();
}

const VIEWS: readonly View[] = [
  { name: "home", open: (p) => visit(p, `${base}/`, "main h1") },
  { name: "checkin-scan", open: (p) => visit(p, `${base}/c`, "#start-camera") },
  { name: "checkin-form", open: (p, c) => visit(p, c.posterUrl, "#checkin-form") },
  {
    name: "checkin-pass",
    open: async (p) => {
      await p.locator("#contact-name").fill("Chan Tai-man");
      await p.locator("#contact-phone").fill("+852 6000 0000");
      await p.locator("#check-in").click();
      await p.locator("#pass").waitFor();
      await p.locator("#receipt-qr").waitFor();
    },
  },
  { name: "visits", open: (p) => visit(p, `${base}/visits/`, "#visit-list") },
  { name: "privacy", open: (p) => visit(p, `${base}/privacy/`, "main h1") },
  { name: "guide", open: (p) => visit(p, `${base}/guide/`, "#never-heading") },
  { name: "transparency", open: (p) => visit(p, `${base}/transparency/`, "#figures") },
  { name: "report", open: (p) => visit(p, `${base}/report/`, "main form") },
  { name: "card", open: (p) => visit(p, `${base}/card/`, "main form") },
  { name: "operator-signed-out", open: (p) => visit(p, `${base}/operator/`, "#enrolment-code") },
  {
    name: "operator",
    open: (p, c) => signIn(p, `${base}/operator/`, c.operator, "#applications li"),
  },
  {
    name: "operator-requests",
    open: (p, c) =>
      visit(p, `${base}/operator/?venue=${c.venue.venueId}&view=requests`, "#request-form"),
  },
  {
    // The entrances view, with the form that proposes changes to the entrances.
    name: "operator-entrances",
    open: async (p, c) => {
      await visit(
        p,
        `${base}/operator/?venue=${c.venue.venueId}&view=entrances`,
        "#amendment-details > summary",
      );
      await p.locator("#amendment-details > summary").click();
      await p.locator("#amendment-form").waitFor();
    },
  },
  { name: "staff-signed-out", open: (p) => visit(p, `${base}/staff/`, "#enrolment-code") },
  { name: "staff", open: (p, c) => signIn(p, `${base}/staff/`, c.staff, "#signed-in-as") },
  { name: "kiosk-signed-out", open: (p) => visit(p, `${base}/kiosk/`, "#enrolment-code") },
  { name: "kiosk", open: (p, c) => signIn(p, `${base}/kiosk/`, c.kiosk, "#kiosk-qr svg") },
  { name: "registry-signed-out", open: (p) => visit(p, `${base}/registry/`, "#enrolment-code") },
  {
    // The service's refusal, shown in the chosen language only (its English detail is not).
    name: "registry-refused-code",
    open: (p) => signIn(p, `${base}/registry/`, "2345-6789-ABCD-EFGH", "[data-code]"),
  },
  {
    name: "registry",
    open: (p, c) => signIn(p, `${base}/registry/`, c.registry, "#signed-in-as"),
  },
  {
    name: "registry-compliance",
    open: (p) => visit(p, `${base}/registry/?view=compliance`, "#compliance-table"),
  },
  {
    // An approved venue with a change to its entrances waiting for the registry's decision.
    name: "registry-venue-amendment",
    open: async (p, c) => {
      const [, pool] = c.venue.entrances;
      await signedCall(c.venue.operator, amendmentRoutes.proposeAmendment, {
        params: { id: c.venue.venueId },
        body: {
          add: [{ label: { en: "Side gate", zh: "侧门" } }],
          rename: [],
          retire: [{ entranceId: pool!.entranceId, replacedBy: "added-0" }],
        },
      });
      await visit(
        p,
        `${base}/registry/?application=${c.venue.venueId}`,
        '[data-amendment][data-status="pending"]',
      );
    },
  },
  {
    name: "registry-people",
    open: (p) => visit(p, `${base}/registry/?view=people`, "#person-form"),
  },
  {
    name: "authority-signed-out",
    open: (p) => visit(p, `${base}/authority/`, "#enrolment-code"),
  },
  {
    name: "authority",
    open: (p, c) => signIn(p, `${base}/authority/`, c.officer, "#venue-request-list li"),
  },
  {
    // The amendment approved: the closed entrance's poster names the one to scan instead.
    name: "checkin-entrance-retired",
    open: async (p, c) => {
      const [, pool] = c.venue.entrances;
      const { amendments } = await signedCall(registry, amendmentRoutes.listAmendments, {
        params: { id: c.venue.venueId },
      });
      await signedCall(registry, amendmentRoutes.approveAmendment, {
        params: { id: c.venue.venueId, aid: amendments[0]!.id },
      });
      await visit(p, pool!.url, '#code-problem [data-code="entrance-retired"]');
    },
  },
];

/** Everything wrong with the view as it is now, at each width (empty when all is well). */
async function faults(page: Page, view: string, lang: ShownLanguage): Promise<string[]> {
  await page.waitForLoadState("networkidle");
  const found: string[] = [];
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 800 });
    const at = `${view} ${lang} ${width}px`;
    for (const v of await axeViolations(page)) found.push(`${at}: axe ${v.id} ${v.nodes[0]}`);
    if (width === 320) {
      const over = await page.evaluate(
        () => document.documentElement.scrollWidth - window.innerWidth,
      );
      if (over > 0) found.push(`${at}: ${over} px wider than the screen`);
    }
    if (SCREENSHOTS) {
      await page.screenshot({
        path: path.join(SCREENSHOTS, `${view}.${lang}.${width}.png`),
        fullPage: true,
      });
    }
  }
  for (const text of await otherLanguageText(page, lang)) found.push(`${view} ${lang}: ${text}`);
  return found;
}

describe("every view, in both languages at 320 and 1280 px", () => {
  for (const lang of ["zh", "en"] as const) {
    it(`is accessible, fits and is all in ${lang === "zh" ? "Chinese" : "English"}`, async () => {
      const codes = await freshCodes(lang);
      const { context, foreignRequests } = await guardedContext(browser, { language: lang });
      const page = await context.newPage();
      const problems: string[] = [];
      page.on("pageerror", (e) => problems.push(e.message));
      const found: string[] = [];
      for (const view of VIEWS) {
        await view.open(page, codes);
        expect(await page.evaluate(() => document.documentElement.lang), view.name).toBe(
          lang === "zh" ? "zh-CN" : "en",
        );
        found.push(...(await faults(page, view.name, lang)));
      }
      expect(found).toEqual([]);
      expect(problems).toEqual([]);
      expect(foreignRequests).toEqual([]);
      await context.close();
    });
  }
});
