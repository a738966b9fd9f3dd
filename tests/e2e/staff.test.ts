import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import {
  callRoute,
  type DeviceKey,
  deviceKeyFromSeed,
  type SignedServiceOptions,
  signedCall,
} from "@lintel/client-sdk";
import { applicationRoutes, citizenRoutes } from "@lintel/contract";
import {
  cardFromText,
  cardToText,
  decodeBase64url,
  maskName,
  slotsOverlapping,
} from "@lintel/protocol";
import { issueCitizenCard, openSealedContact, ready } from "@lintel/protocol/seal";
import type { Browser, Page } from "playwright-core";
import QRCode from "qrcode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DemoIdentities } from "../../scripts/lib/demo-identities.ts";
import {
  DEV_SERVER_HOOK_MS,
  type DevServer,
  startDevServer,
} from "../../scripts/lib/dev-server.ts";
import { launchChromium, PAGE_WAIT_MS, type WatchedPage, watchedPage } from "../support/browser.ts";
import { preparedHome } from "../support/home.ts";
import { expectAccessible, screenshots } from "../support/page-checks.ts";
import { decodeQrPng } from "../support/qr-reader.ts";
import {
  approvedVenue,
  type EntranceCode,
  signerFor as signerAt,
  staffEnrolmentCode,
  type VenueInput,
} from "../support/venue.ts";
import { wallClock } from "../support/wall-clock.ts";

const _require = createRequire(import.meta.url);
const HOUR = 3600;

/** The person the card is made for: none of this may ever appear on the staff page. */
const HOLDER = { name: "欧阳春晓", phone: "+86 139 2468 1357", idNumber: "110101199003071234" };
/** Someone checked in by typing their details at the door. */
const WALK_IN = { name: "Margaret Oduya", phone: "+852 9876 5432" };
/** Whose card the staff device's (fake) camera sees. */
const CAMERA_HOLDER = { name: "林小红", phone: "+86 135 8642 9753", idNumber: "" };
/** Two rows of the paper list. */
const PAPER = { name: "陈志强", phone: "+86 137 1111 2222" };

// ── helpers ──────────────────────────────────────────────────────────────────────────────────

/** Everything the page holds as text: markup, attribute values and every control's value. */
async function pageText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const values = [...document.querySelectorAll("input, textarea, select")].map(
      (c) => (c as HTMLInputElement).value,
    );
    return `${document.documentElement.outerHTML}\n${values.join("\n")}`;
  });
}

async function expectStatus(page: Page, text: string): Promise<void> {
  await expect.poll(() => page.locator("#status").textContent()).toContain(text);
}

/** Presses Tab until `id` has focus; returns the ids (or tags) focused on the way. */
async function tabTo(page: Page, id: string, max = 40): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press("Tab");
    const now = await page.evaluate(
      () => document.activeElement?.id || document.activeElement?.tagName || "",
    );
    seen.push(now);
    if (now === id) return seen;
  }
  throw new Error(`Tab never reached #${id}: ${seen.join(", ")}`);
}

/**
 * A Y4M video (what Chromium's fake camera plays, looped) of one QR code holding `text`: black
 * modules on white, 4 modules of quiet zone, in a 480 × 480 frame.
 */
function qrVideo(text: string, file: string): void {
  const symbol = QRCode.create([{ data: text, mode: "alphanumeric" }], {
    errorCorrectionLevel: "M",
  });
  const size = 480;
  const n = symbol.modules.size;
  const scale = Math.floor(size / (n + 8));
  const offset = Math.floor((size - n * scale) / 2);
  const luma = new Uint8Array(size * size).fill(235);
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < n; col++) {
      if (!symbol.modules.get(row, col)) continue;
      for (let y = 0; y < scale; y++) {
        const start = (offset + row * scale + y) * size + offset + col * scale;
        luma.fill(16, start, start + scale);
      }
    }
  }
  const chroma = new Uint8Array((size / 2) * (size / 2) * 2).fill(128);
  const frame = Buffer.concat([Buffer.from("FRAME\n"), luma, chroma]);
  const header = Buffer.from(`YUV4MPEG2 W${size} H${size} F10:1 Ip A1:1 C420jpeg\n`);
  writeFileSync(file, Buffer.concat([header, frame, frame]));
}

// ── the check-in shards' SQLite files, read without a SQLite library ─────────────────────────

interface StoredRow {
  readonly entrance: string;
  readonly slot: number;
  readonly recordedBy: number;
  readonly ciphertextBytes: number;
}

function varint(bytes: Uint8Array, at: number): [value: number, next: number] {
  let value = 0;
  for (let i = 0; i < 9; i++) {
    const b = bytes[at + i]!;
    if (i === 8) return [value * 256 + b, at + 9];
    value = value * 128 + (b & 0x7f);
    if ((b & 0x80) === 0) return [value, at + i + 1];
  }
  return [value, at + 9];
}

function intOf(bytes: Uint8Array, at: number, length: number): number {
  let v = 0;
  for (let i = 0; i < length; i++) v = v * 256 + bytes[at + i]!;
  // Two's complement for the sizes used here (1–6 bytes).
  return length > 0 && bytes[at]! & 0x80 ? v - 2 ** (8 * length) : v;
}

/**
 * Rows of `ciphertexts(id, entrance, slot, ciphertext, deletion, recorded_by)` on one b-tree
 * page: table leaf pages only (type 13), every cell whose record has that shape.
 */
function rowsOnPage(page: Uint8Array, headerAt: number): StoredRow[] {
  if (page[headerAt] !== 0x0d) return [];
  const cells = (page[headerAt + 3]! << 8) | page[headerAt + 4]!;
  const rows: StoredRow[] = [];
  for (let c = 0; c < cells; c++) {
    const pointer = (page[headerAt + 8 + 2 * c]! << 8) | page[headerAt + 9 + 2 * c]!;
    if (pointer === 0 || pointer >= page.length) continue;
    let [, at] = varint(page, pointer); // payload size
    [, at] = varint(page, at); // rowid
    const [headerSize, afterSize] = varint(page, at);
    const types: number[] = [];
    let h = afterSize;
    while (h < at + headerSize && types.length < 10) {
      const [t, next] = varint(page, h);
      types.push(t);
      h = next;
    }
    if (types.length !== 6 || types[0] !== 0) continue;
    const size = (t: number) =>
      t >= 12 ? Math.floor((t - (t % 2 ? 13 : 12)) / 2) : ([0, 1, 2, 3, 4, 6, 8, 8, 0, 0][t] ?? 0);
    const [, entranceType, slotType, ctType, delType, byType] = types as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    if (entranceType < 13 || entranceType % 2 !== 1) continue;
    if (ctType < 12 || ctType % 2 !== 0 || delType !== 12 + 2 * 32) continue;
    if (slotType < 1 || slotType > 6 || byType > 9 || (byType > 6 && byType < 8)) continue;
    let v = at + headerSize;
    const entrance = new TextDecoder().decode(page.subarray(v, v + size(entranceType)));
    v += size(entranceType);
    const slot = intOf(page, v, size(slotType));
    v += size(slotType);
    const ciphertextBytes = size(ctType);
    v += ciphertextBytes + size(delType);
    const recordedBy = byType === 8 ? 0 : byType === 9 ? 1 : intOf(page, v, size(byType));
    rows.push({ entrance, slot, recordedBy, ciphertextBytes });
  }
  return rows;
}

/**
 * Every ciphertext row in the check-in shards' SQLite files under `home` — the database pages
 * and the write-ahead log's frames alike (a recent commit may be only in the WAL).
 */
function storedRows(home: string): StoredRow[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (full.includes("-CheckinStore") && /\.sqlite(-wal)?$/.test(name)) files.push(full);
    }
  };
  walk(home);
  const rows = new Map<string, StoredRow>();
  for (const file of files) {
    const bytes = new Uint8Array(readFileSync(file));
    if (file.endsWith("-wal")) {
      if (bytes.length < 32) continue;
      const pageSize = new DataView(bytes.buffer, bytes.byteOffset).getUint32(8);
      for (let at = 32; at + 24 + pageSize <= bytes.length; at += 24 + pageSize) {
        const pageNumber = new DataView(bytes.buffer, bytes.byteOffset + at).getUint32(0);
        const page = bytes.subarray(at + 24, at + 24 + pageSize);
        for (const r of rowsOnPage(page, pageNumber === 1 ? 100 : 0)) {
          rows.set(`${r.entrance}|${r.slot}|${r.recordedBy}`, r);
        }
      }
      continue;
    }
    if (bytes.length < 100) continue;
    const raw = (bytes[16]! << 8) | bytes[17]!;
    const pageSize = raw === 1 ? 65_536 : raw;
    for (let n = 0; (n + 1) * pageSize <= bytes.length; n++) {
      const page = bytes.subarray(n * pageSize, (n + 1) * pageSize);
      for (const r of rowsOnPage(page, n === 0 ? 100 : 0)) {
        rows.set(`${r.entrance}|${r.slot}|${r.recordedBy}`, r);
      }
    }
  }
  return [...rows.values()];
}

// ── the deployment, an operator, an approved venue, a staff member ───────────────────────────

let server: DevServer;
let home: string;
let base: string;
let browser: Browser;
let deploymentId: string;
let timezone: string;
let authority: { publicKey: Uint8Array; secretKey: Uint8Array };
let registry: SignedServiceOptions;
let entrances: readonly EntranceCode[];
let staffCode: string;
let cardText: string;
let staff: WatchedPage;
const watched: WatchedPage[] = [];

const VENUE_INPUT = {
  name: { en: "Harbour Swimming Pool", zh: "海港游泳池" },
  address: "1 Pier Road, Kowloon",
  category: "gym",
  contact: { person: "Wing Chan", phone: "+852 2345 6780" },
  entrances: [
    { label: { en: "Front gate", zh: "正门" } },
    { label: { en: "Side gate", zh: "侧门" } },
  ],
} satisfies VenueInput;

function signerFor(key: DeviceKey): SignedServiceOptions {
  return signerAt(base, deploymentId, key);
}

beforeAll(async () => {
  home = preparedHome("staff");
  server = await startDevServer(home);
  base = server.baseUrl;
  const deployment = await callRoute({ baseUrl: base }, citizenRoutes.deployment);
  deploymentId = deployment.id;
  timezone = deployment.timezone;
  const ids = JSON.parse(
    readFileSync(path.join(home, "identities.json"), "utf8"),
  ) as DemoIdentities;
  authority = {
    publicKey: decodeBase64url(ids.authorityBox.publicKey, 32),
    secretKey: decodeBase64url(ids.authorityBox.secretKey, 32),
  };
  // The staff device's camera: Chromium's fake camera, showing a citizen card made elsewhere.
  await ready();
  const video = path.join(home, "card.y4m");
  qrVideo(cardToText(issueCitizenCard(deploymentId, CAMERA_HOLDER, authority.publicKey)), video);
  browser = await launchChromium([
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
    `--use-file-for-fake-video-capture=${video}`,
  ]);
  registry = signerFor(deviceKeyFromSeed(decodeBase64url(ids.registryStaff.deviceSecretKey, 32)));

  // An operator account whose device key lives here (a seed), with one approved venue.
  const venue = await approvedVenue(registry, VENUE_INPUT, "Pool office");
  ({ entrances } = venue);
  expect(entrances).toHaveLength(2);

  // A staff member for the front gate only.
  staffCode = await staffEnrolmentCode(venue, "Front gate staff", [entrances[0]!.entranceId]);
  staff = await watchedPage(browser);
  watched.push(staff);
}, DEV_SERVER_HOOK_MS);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

// ── the tests ────────────────────────────────────────────────────────────────────────────────

describe("a citizen card, made in the browser", () => {
  it("is made by keyboard alone, sealed for the authority, with nothing sent", async () => {
    const maker = await watchedPage(browser);
    watched.push(maker);
    const { page } = maker;
    await page.goto(`${base}/card/`);
    await page.locator("#card-form").waitFor();
    await expectAccessible(page);
    await screenshots(page, "card-form");

    // Tab from the top of the page reaches the form; each field is typed from the keyboard.
    await tabTo(page, "card-name");
    await page.keyboard.insertText(HOLDER.name);
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("card-phone");
    await page.keyboard.insertText(HOLDER.phone);
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("card-id");
    await page.keyboard.insertText(HOLDER.idNumber);
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("make-card");
    await page.keyboard.press("Enter");
    await page.locator("#card").waitFor();
    await expectStatus(page, "Card made");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("card-heading");

    // Only the masked name is shown; the details are gone from the page and its fields.
    expect(await page.locator("#card-masked-name").textContent()).toBe("欧***");
    const text = await pageText(page);
    for (const secret of [HOLDER.name, HOLDER.phone, HOLDER.idNumber, "2468"]) {
      expect(text).not.toContain(secret);
    }

    // The card text, under a disclosure reached by keyboard.
    await tabTo(page, "print-card");
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("new-card");
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe("SUMMARY");
    await page.keyboard.press("Enter");
    cardText = (await page.locator("#card-text").textContent()) ?? "";
    expect(cardText).toMatch(/^LINTEL-CARD:[A-Z2-7]+$/);

    // The printed QR code is that text; the authority's key (and only it) opens the card.
    const qr = await decodeQrPng(maker.context, await page.locator("#card svg.qr").screenshot());
    expect(qr).toBe(cardText);
    const card = cardFromText(cardText);
    expect(card.deployment).toBe(deploymentId);
    expect(card.maskedName).toBe("欧***");
    await ready();
    expect(openSealedContact(card.sealedContact, authority.publicKey, authority.secretKey)).toEqual(
      HOLDER,
    );

    // Nothing was sent: the page asked only for the deployment's public facts (and its files).
    const calls = maker.requests.filter((r) => r.includes(" /api/") || !r.startsWith("GET "));
    expect(calls).toEqual(["GET /api/deployment"]);

    await expectAccessible(page);
    await screenshots(page, "card-made");
    // Printing shows the card alone.
    await page.emulateMedia({ media: "print" });
    expect(await page.locator("#card").isVisible()).toBe(true);
    for (const hidden of ["header.site", "h1", ".explain", "#card-form", "#print-card"]) {
      expect(await page.locator(hidden).isVisible(), hidden).toBe(false);
    }
    await page.emulateMedia({ media: "screen" });
  });
});

describe("the staff page", () => {
  it("signs a staff member in with the operator's one-time code", async () => {
    const { page } = staff;
    await page.goto(`${base}/staff/`);
    await page.locator("#enrol-form").waitFor();
    await expectAccessible(page);
    await screenshots(page, "staff-signed-out");
    await page.locator("#enrolment-code").fill(staffCode);
    await page.locator("#enrolment-code").press("Enter");
    await expect
      .poll(() => page.locator("#signed-in-as").textContent())
      .toContain("Front gate staff");
    // Bound to one entrance: it is chosen, with its registry-signed code verified.
    // (The first check-in key download of a fresh deployment has the week's keys made: slow.)
    await expect
      .poll(() => page.locator("#where-now").textContent(), { timeout: PAGE_WAIT_MS })
      .toContain("Front gate");
    await page.locator("#card-form").waitFor();
    // Today's word, large (or, if it failed, the reason in the test's output).
    await expect
      .poll(
        async () =>
          `${await page.locator("#day-word").textContent()}${await page.locator("#day-word-error").textContent()}`,
        { timeout: PAGE_WAIT_MS },
      )
      .toMatch(/^\S[^·]* · \S+$/);
    await expectAccessible(page);
  });

  it("checks a card's holder in, showing only the masked name and the time", async () => {
    const { page } = staff;
    const before = staff.requests.length;
    const from = wallClock(Math.floor(Date.now() / 1000), timezone).time;
    await page.locator("#card-text").fill(cardText);
    await page.locator("#card-submit").click();
    await expect.poll(() => page.locator("#proxy-result").textContent()).toContain("Checked in");
    const to = wallClock(Math.floor(Date.now() / 1000), timezone).time;
    expect(await page.locator("#proxy-result [data-masked-name]").textContent()).toBe("欧***");
    const shown = /at (\d\d:\d\d)/.exec((await page.locator("#proxy-result").textContent()) ?? "");
    expect([from, to]).toContain(shown?.[1]);
    expect(await page.locator("#card-text").inputValue()).toBe("");
    await expectStatus(page, "Checked in: 欧***");
    // Write-only: one signed POST, nothing read back.
    const sent = staff.requests.slice(before).filter((r) => r.includes("/api/"));
    expect(sent).toEqual(["POST /api/checkins/staff"]);

    // Someone without a card: their typed details are encrypted, sent and cleared.
    await page.locator("#typed-name").fill(WALK_IN.name);
    await page.locator("#typed-phone").fill(WALK_IN.phone);
    await page.locator("#typed-submit").click();
    await expect
      .poll(() => page.locator("#proxy-result [data-masked-name]").textContent())
      .toBe(maskName(WALK_IN.name));
    expect(await page.locator("#typed-name").inputValue()).toBe("");
    expect(await page.locator("#typed-phone").inputValue()).toBe("");

    // A card held up to the camera: read on the device, checked in at once.
    await page.locator("#scan-card").click();
    await expect
      .poll(() => page.locator("#proxy-result [data-masked-name]").textContent(), {
        timeout: PAGE_WAIT_MS,
      })
      .toBe("林**");
    expect(await page.locator("#camera").isHidden()).toBe(true);
    expect(await page.locator("#scan-card").getAttribute("aria-expanded")).toBe("false");
    expect(await page.locator("#card-text").inputValue()).toBe("");

    // A venue code is not a card: refused before anything is sent.
    const count = staff.requests.length;
    await page.locator("#card-text").fill(entrances[0]!.url);
    await page.locator("#card-submit").click();
    await expect
      .poll(() => page.locator("#card-error").textContent())
      .toContain("This is not a citizen card");
    expect(staff.requests.slice(count).filter((r) => r.startsWith("POST"))).toEqual([]);
    await page.locator("#card-text").fill("");

    await expectAccessible(page);
    await screenshots(page, "staff-signed-in");
    const text = await pageText(page);
    for (const secret of [
      HOLDER.name,
      HOLDER.phone,
      HOLDER.idNumber,
      WALK_IN.name,
      WALK_IN.phone,
      CAMERA_HOLDER.name,
      CAMERA_HOLDER.phone,
    ]) {
      expect(text).not.toContain(secret);
    }
  });

  it("takes a paper-list row from 20 hours ago and refuses one from 25 hours ago", async () => {
    const { page } = staff;
    const now = Math.floor(Date.now() / 1000);
    const fill = async (at: number) => {
      const wall = wallClock(at, timezone);
      await page.locator("#paper-name").fill(PAPER.name);
      await page.locator("#paper-phone").fill(PAPER.phone);
      await page.locator("#paper-day").fill(wall.date);
      await page.locator("#paper-time").fill(wall.time);
      await page.locator("#paper-submit").click();
    };
    // Typed on the 24-hour clock, whatever the browser's locale (this browser's is en-US, whose
    // own time picker shows "PM").
    for (const id of ["#paper-day", "#paper-time"]) {
      expect(await page.locator(id).getAttribute("type")).toBe("text");
    }
    expect(await page.locator("#paper-time-hint").textContent()).toContain("24-hour clock");
    await fill(now - 20 * HOUR);
    await expect.poll(() => page.locator("#paper-count").textContent()).toContain("Rows sent: 1");
    expect(await page.locator("#paper-count").textContent()).not.toContain("已发送"); // English only
    expect(await page.locator("#paper-name").inputValue()).toBe("");

    const before = staff.requests.length;
    await fill(now - 25 * HOUR);
    await expect
      .poll(() => page.locator("#paper-error").textContent())
      .toContain("a paper-list row must be from the last 24 hours");
    expect(await page.locator("#paper-error").textContent()).not.toContain("纸质登记表");
    expect(await page.locator("#paper-time").getAttribute("aria-invalid")).toBe("true");
    expect(await page.locator("#paper-count").textContent()).toContain("Rows sent: 1");
    expect(staff.requests.slice(before).filter((r) => r.startsWith("POST"))).toEqual([]);
    await expectAccessible(page);
    await screenshots(page, "staff-paper");
    // The refused row is dropped from the form, unsent.
    await page.locator("#paper-clear").click();
    expect(await page.locator("#paper-name").inputValue()).toBe("");
    expect(await page.locator("#paper-error").textContent()).toBe("");

    // What the shard stored: the paper row from its arrival hour, marked paper (2); the two
    // check-ins at the door in the current hour, marked proxy (1). Nothing but ciphertext.
    const front = entrances[0]!.entranceId;
    const paperSlot = now - 20 * HOUR - ((now - 20 * HOUR) % HOUR);
    const current = now - (now % HOUR);
    await expect
      .poll(() => storedRows(home).filter((r) => r.entrance === front && r.slot === paperSlot))
      .toEqual([{ entrance: front, slot: paperSlot, recordedBy: 2, ciphertextBytes: 338 }]);
    const atDoor = storedRows(home).filter((r) => r.entrance === front && r.slot === current);
    expect(atDoor.map((r) => r.recordedBy)).toEqual([1]);
  });

  it("never showed anyone's details", async () => {
    const text = await pageText(staff.page);
    for (const secret of [
      HOLDER.name,
      HOLDER.phone,
      HOLDER.idNumber,
      WALK_IN.name,
      WALK_IN.phone,
      PAPER.name,
      PAPER.phone,
      CAMERA_HOLDER.name,
      CAMERA_HOLDER.phone,
    ]) {
      expect(text).not.toContain(secret);
    }
    const calls = staff.requests.filter((r) => r.includes("/api/"));
    // Reads: the account, its entrances, the day's word, public codes and keys — never check-ins.
    for (const call of calls) {
      expect(call).toMatch(
        /^(GET \/api\/(auth\/me|staff\/entrances|staff\/day-word|deployment|epoch-keys|entrances\/[^/]+\/code)|POST \/api\/(auth\/enrol|checkins\/staff))$/,
      );
    }
  });
});

describe("the door picker", () => {
  /** The doors as the operator lists them: neither the ids' order nor the names'. */
  const DOORS = [
    { en: "Side gate", zh: "侧门" },
    { en: "Back lane", zh: "后巷门" },
    { en: "Main entrance", zh: "正门" },
  ];
  const PIER = {
    ...VENUE_INPUT,
    name: { en: "Harbour Ferry Pier", zh: "海港码头" },
    entrances: DOORS.map((label) => ({ label })),
  } satisfies VenueInput;
  const CARD_HOLDER = { name: "司徒美玲", phone: "+86 136 5555 0101", idNumber: "" };
  const TYPED = { name: "Ahmad Rahimi", phone: "+852 6123 4567" };
  let doors: readonly EntranceCode[];
  let guard: WatchedPage;

  /** The door each view at the door names, and the picker's choice. */
  async function doorsShown(page: Page) {
    const lines = page.locator(".door-line");
    await expect.poll(() => lines.count()).toBe(3);
    const ids = await lines.evaluateAll((ls) => ls.map((l) => l.getAttribute("data-door")));
    return { picked: await page.locator("#entrance").inputValue(), lines: ids };
  }

  /** The hour-slots stored at `entrance` (recorded by staff at the door), in order. */
  const slotsAt = (entrance: string) =>
    storedRows(home)
      .filter((r) => r.entrance === entrance)
      .map((r) => {
        expect(r.recordedBy).toBe(1);
        return r.slot;
      })
      .sort((a, b) => a - b);

  /** What a 3-hour stay arriving between `from` and `to` (Unix seconds) can cover. */
  const threeHoursFrom = (from: number, to: number) =>
    [from, to].map((t) => slotsOverlapping(t, t + 3 * HOUR, HOUR));

  it("lists a staff member's doors in the operator's order and opens at the first", async () => {
    const venue = await approvedVenue(registry, PIER, "Pier office", async (operator, id) => {
      // The operator reorders the doors so that their ids run backwards.
      const draft = await signedCall(operator, applicationRoutes.getApplication, {
        params: { id },
      });
      const ids = draft.entrances.map((e) => e.id).sort((a, b) => b.localeCompare(a));
      await signedCall(operator, applicationRoutes.updateApplication, {
        params: { id },
        body: {
          ...PIER,
          // The licence number approvedVenue applied with, kept through the edit.
          ...(draft.licenceNumber === null ? {} : { licenceNumber: draft.licenceNumber }),
          entrances: ids.map((eid, i) => ({ id: eid, label: DOORS[i]! })),
        },
      });
    });
    doors = venue.entrances;
    expect(doors.map((d) => d.label.en)).toEqual(DOORS.map((d) => d.en));
    const code = await staffEnrolmentCode(
      venue,
      "Pier staff",
      [...doors].reverse().map((d) => d.entranceId),
    );
    guard = await watchedPage(browser);
    watched.push(guard);
    const { page } = guard;
    await page.goto(`${base}/staff/`);
    await page.locator("#enrolment-code").fill(code);
    await page.locator("#enrolment-code").press("Enter");
    await page.locator("#entrance").waitFor();
    const options = await page
      .locator("#entrance option")
      .evaluateAll((os) => os.map((o) => [(o as HTMLOptionElement).value, o.textContent]));
    expect(options.map(([value]) => value)).toEqual(doors.map((d) => d.entranceId));
    DOORS.forEach((d, i) => {
      expect(options[i]![1]).toContain(d.en);
    });
    await expect
      .poll(() => page.locator("#where-now").textContent(), { timeout: PAGE_WAIT_MS })
      .toContain("Side gate");
    const first = doors[0]!.entranceId;
    expect(await doorsShown(page)).toEqual({ picked: first, lines: [first, first, first] });
    expect(await page.locator("#where-note").count()).toBe(0);
    await expectAccessible(page);
    await screenshots(page, "staff-door-picker");
  });

  it("remembers the door chosen across a reload, and names it at the top of every view", async () => {
    const { page } = guard;
    const second = doors[1]!.entranceId;
    await page.locator("#entrance").selectOption(second);
    await expect
      .poll(() => page.locator("#card-form .door-line").getAttribute("data-door"))
      .toBe(second);
    await page.reload();
    await expect
      .poll(() => page.locator("#where-now").textContent(), { timeout: PAGE_WAIT_MS })
      .toContain("Back lane");
    expect(await doorsShown(page)).toEqual({ picked: second, lines: [second, second, second] });
    for (const view of ["#card-form", "#typed-form", "#paper-form"]) {
      expect(await page.locator(`${view} .door-line`).textContent()).toContain("Back lane");
    }
    expect(await page.locator("#where-note").count()).toBe(0);
  });

  it("checks a card in at the chosen door, for the stay chosen", async () => {
    const { page } = guard;
    const card = cardToText(issueCitizenCard(deploymentId, CARD_HOLDER, authority.publicKey));
    const second = doors[1]!.entranceId;
    await page.locator("#card-text").fill(card);
    // Three hours (the venue's usual stay is another).
    expect(await page.locator("#card-stay").inputValue()).not.toBe("180");
    await page.locator("#card-stay").selectOption("180");
    const from = Math.floor(Date.now() / 1000);
    await page.locator("#card-submit").click();
    await expect.poll(() => page.locator("#proxy-result").textContent()).toContain("Checked in");
    const to = Math.floor(Date.now() / 1000);
    expect(await page.locator("#proxy-result [data-result-door]").textContent()).toContain(
      "Back lane",
    );
    expect(await page.locator("#proxy-result").textContent()).toMatch(/until \d\d:\d\d/);
    // The form is ready for the next person: no card text, the usual stay again.
    expect(await page.locator("#card-text").inputValue()).toBe("");
    expect(await page.locator("#card-stay").inputValue()).not.toBe("180");
    // Stored at the chosen door only, one ciphertext in every hour the three hours touch.
    await expect.poll(() => slotsAt(second).length).toBeGreaterThan(2);
    expect(threeHoursFrom(from, to)).toContainEqual(slotsAt(second));
    expect(slotsAt(doors[0]!.entranceId)).toEqual([]);
    expect(slotsAt(doors[2]!.entranceId)).toEqual([]);
  });

  it("changes door from a view, and checks typed details in there for a 3-hour stay", async () => {
    const { page } = guard;
    const third = doors[2]!.entranceId;
    await page.locator("#typed-form .change-door").click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("entrance");
    await page.locator("#entrance").selectOption(third);
    await expect
      .poll(() => page.locator("#typed-form .door-line").getAttribute("data-door"))
      .toBe(third);
    await page.locator("#typed-name").fill(TYPED.name);
    await page.locator("#typed-phone").fill(TYPED.phone);
    await page.locator("#typed-stay").selectOption("180");
    const from = Math.floor(Date.now() / 1000);
    await page.locator("#typed-submit").click();
    await expect
      .poll(() => page.locator("#proxy-result [data-masked-name]").textContent())
      .toBe(maskName(TYPED.name));
    const to = Math.floor(Date.now() / 1000);
    expect(await page.locator("#proxy-result [data-result-door]").textContent()).toContain(
      "Main entrance",
    );
    await expect.poll(() => slotsAt(third).length).toBeGreaterThan(2);
    expect(threeHoursFrom(from, to)).toContainEqual(slotsAt(third));
    expect(slotsAt(doors[0]!.entranceId)).toEqual([]);
  });

  it("falls back to the first door, and says so, when the remembered one is gone", async () => {
    const { page } = guard;
    // As if the door this device worked at had been retired: its id is no longer in the list.
    const kept = await page.evaluate(() => {
      const key = Object.keys(localStorage).find((k) => k.startsWith("lintel.staff-door.v1:"));
      if (key) localStorage.setItem(key, "e-retired");
      return key;
    });
    expect(kept).toBeDefined();
    await page.reload();
    await expect
      .poll(() => page.locator("#where-now").textContent(), { timeout: PAGE_WAIT_MS })
      .toContain("Side gate");
    expect(await page.locator("#where-note").textContent()).toContain("no longer");
    const first = doors[0]!.entranceId;
    expect(await doorsShown(page)).toEqual({ picked: first, lines: [first, first, first] });
    await expectAccessible(page);
    const text = await pageText(page);
    for (const secret of [CARD_HOLDER.name, CARD_HOLDER.phone, TYPED.name, TYPED.phone]) {
      expect(text).not.toContain(secret);
    }
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
