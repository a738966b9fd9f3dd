/**
 * The public statistics, against a real `npm run dev` of its own (the query and warning logged
 * here must not show up in other tests' logs): the registry enrols a new officer's device, the
 * demo's officers file and approve a query, the trustees and the log release their keys, an
 * officer publishes a warning, and `lintel-audit report` counts exactly that much more. Then the
 * tool and the /transparency/ page, each verifying the log on its own, show identical figures —
 * the page's table and its CSV download against the tool's JSON and CSV. A log that fails
 * verification in the browser shows why and no figure at all.
 */
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import {
  approveQuery,
  buildQuery,
  decryptQuery,
  deviceKeyFromSeed,
  fetchAuthorityDeployment,
  fileQuery,
  inThreadPool,
  listQueries,
  newReleaseKey,
  type OfficerOptions,
  publishWarning,
  REPORT_COUNTERS,
  signedCall,
  type TransparencyReportJson,
} from "@lintel/client-sdk";
import { accountRoutes } from "@lintel/contract";
import { decodeBase64url, encodeBase64url } from "@lintel/protocol";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../client-sdk/cli/lintel-audit.ts";
import type { DemoIdentities } from "../../scripts/lib/demo-identities.ts";
import {
  DEV_SERVER_HOOK_MS,
  type DevServer,
  startDevServer,
} from "../../scripts/lib/dev-server.ts";
import { guardedContext, launchChromium, PAGE_WAIT_MS } from "../support/browser.ts";
import { preparedHome } from "../support/home.ts";
import { expectAccessible, screenshots } from "../support/page-checks.ts";
import { signerFor } from "../support/venue.ts";

const HOUR = 3600;
const home = preparedHome("transparency");
let server: DevServer;
let ids: DemoIdentities;
let browser: Browser;

beforeAll(async () => {
  server = await startDevServer(home);
  ids = JSON.parse(readFileSync(path.join(home, "identities.json"), "utf8")) as DemoIdentities;
  browser = await launchChromium();
}, DEV_SERVER_HOOK_MS);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(home, { recursive: true, force: true });
});

function officer(id: "officer-a" | "officer-b"): OfficerOptions {
  const o = ids.officers.find((x) => x.id === id)!;
  return {
    baseUrl: server.baseUrl,
    deployment: "demo",
    key: deviceKeyFromSeed(decodeBase64url(o.secretKey, 32)),
  };
}

/**
 * A new officer's device enrolled (the registry makes the account, the device enrols with its
 * one-time code), a query of one entrance × two hours approved and released by every holder, and
 * a warning.
 */
async function logActivity(): Promise<void> {
  const registry = signerFor(
    server.baseUrl,
    "demo",
    deviceKeyFromSeed(decodeBase64url(ids.registryStaff.deviceSecretKey, 32)),
  );
  const { enrolmentCode } = await signedCall(registry, accountRoutes.createAccount, {
    body: { role: "officer", label: "Officer C (statistics)" },
  });
  const device = deviceKeyFromSeed(new Uint8Array(32).fill(0x5c));
  await signedCall(signerFor(server.baseUrl, "demo", device), accountRoutes.enrol, {
    body: { code: enrolmentCode, publicKey: encodeBase64url(device.publicKey) },
  });

  const now = Math.floor(Date.now() / 1000);
  const slot = now - (now % HOUR);
  const a = officer("officer-a");
  const b = officer("officer-b");
  const releaseKey = newReleaseKey();
  const legalDocument = new TextEncoder().encode("the signed order");
  const entry = await buildQuery({
    deployment: "demo",
    releaseKey: releaseKey.publicKey,
    caseReference: "CASE-STATISTICS",
    legalBasis: "Prevention and Control of Disease Ordinance (Cap. 599) s.22",
    legalDocument,
    entrances: ["hbr-main"],
    windowStart: slot - HOUR,
    windowEnd: slot + HOUR,
    reason: "A confirmed case was at the main entrance.",
    issuedAt: now,
  });
  const { draftId } = await fileQuery(a, entry);
  const draft = (await listQueries(b)).find((d) => d.draftId === draftId)!;
  const approved = await approveQuery(b, draft, {
    caseReference: "CASE-STATISTICS",
    legalDocument,
  });
  if (approved.status !== "logged") throw new Error("the query was not logged");
  const queryIndex = BigInt(approved.queryIndex);
  // No check-ins in scope: what matters is that each holder releases, and that is logged.
  const result = await decryptQuery({
    officer: a,
    deployment: await fetchAuthorityDeployment({ baseUrl: server.baseUrl }),
    queryIndex,
    pool: inThreadPool(),
    releaseSecretKey: releaseKey.secretKey,
  });
  expect(result.releases).toHaveLength(3);
  await publishWarning(a, {
    queryIndex,
    entranceId: "hbr-main",
    windowStart: slot - HOUR,
    windowEnd: slot,
  });
}

/** month → figure → value, as the page's table shows them ("total" for the totals row). */
async function pageFigures(page: Page): Promise<Record<string, Record<string, string>>> {
  return page.locator("#figures td[data-figure]").evaluateAll((cells) => {
    const out: Record<string, Record<string, string>> = {};
    for (const td of cells as HTMLElement[]) {
      const month = td.dataset.month!;
      out[month] ??= {};
      out[month][td.dataset.figure!] = td.textContent ?? "";
    }
    return out;
  });
}

function jsonFigures(report: TransparencyReportJson): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const { month, ...counts } of report.months) out[month] = counts;
  out.total = { ...report.totals };
  return out;
}

describe("public statistics", () => {
  it("shows on /transparency/ exactly the figures lintel-audit report prints", async () => {
    const report = async () => {
      const cli = await runCli(["report", "--service", server.baseUrl]);
      expect(cli.code, cli.output).toBe(0);
      return JSON.parse(cli.stdout) as TransparencyReportJson & { ok: true };
    };
    const before = await report();
    await logActivity();
    const after = await report();
    // Exactly what was just logged: one officer device, one query of 2 entrance-hours, three
    // releases (two trustees and the log), one warning; nothing else moved.
    const added = Object.fromEntries(
      REPORT_COUNTERS.map((c) => [c, Number(after.totals[c]) - Number(before.totals[c])]),
    );
    expect(added).toEqual({
      ...Object.fromEntries(REPORT_COUNTERS.map((c) => [c, 0])),
      queries: 1,
      entranceHours: 2,
      releases: 3,
      warnings: 1,
      officerEnrolments: 1,
    });

    const { context, foreignRequests } = await guardedContext(browser, {
      language: "en",
      acceptDownloads: true,
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    await page.goto(`${server.baseUrl}/transparency/`);
    await page.locator("#figures").waitFor({ timeout: PAGE_WAIT_MS });
    expect(await pageFigures(page)).toEqual(jsonFigures(after));
    expect(Object.keys((await pageFigures(page)).total!)).toEqual([...REPORT_COUNTERS]);
    expect(await page.locator("#transparency-verified").getAttribute("data-log-size")).toBe(
      after.logSize,
    );

    // The CSV made on the page is the tool's CSV, byte for byte.
    const csv = await runCli(["report", "--service", server.baseUrl, "--format", "csv"]);
    expect(csv.code, csv.output).toBe(0);
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.locator("#transparency-csv").click(),
    ]);
    expect(readFileSync((await download.path())!, "utf8")).toBe(csv.stdout);

    // Again, from what this browser kept: the same figures.
    await page.reload();
    await page.locator("#figures").waitFor({ timeout: PAGE_WAIT_MS });
    expect(await pageFigures(page)).toEqual(jsonFigures(after));

    await expectAccessible(page);
    await screenshots(page, "transparency");
    expect(errors).toEqual([]);
    expect(foreignRequests).toEqual([]);
    await context.close();
  });

  it("shows no figure when the log does not verify, and says why", async () => {
    const { context } = await guardedContext(browser, { language: "en" });
    const page = await context.newPage();
    // The checkpoint's root hash altered on the way: its signature no longer verifies.
    await page.route("**/log/checkpoint", async (route) => {
      const real = await route.fetch();
      const lines = (await real.text()).split("\n");
      lines[2] = `${lines[2]!.startsWith("A") ? "B" : "A"}${lines[2]!.slice(1)}`;
      await route.fulfill({ response: real, body: lines.join("\n") });
    });
    await page.goto(`${server.baseUrl}/transparency/`);
    const error = page.locator('#transparency-error[data-verification="failed"]');
    await error.waitFor({ timeout: PAGE_WAIT_MS });
    expect(await error.textContent()).toMatch(/did not verify, so no figures are shown/);
    expect(await page.locator("#figures, #transparency-verified, #transparency-csv").count()).toBe(
      0,
    );
    await expectAccessible(page);
    await context.close();
  });
});
