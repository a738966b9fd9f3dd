/**
 * An exposure query end to end, against a real `npm run dev` (four processes: the main service, the witness
 * and two trustees, each trustee with only its own share): check-ins at two entrances and three
 * hours, really encrypted by the citizen SDK → officer A files a query for one entrance and two
 * hours → officer B approves → both trustees and the log release → the authority SDK decrypts, in
 * two worker threads, exactly the check-ins in scope → lintel-audit verifies the whole log,
 * release entries included → the citizen SDK of a person in scope reports the access (and a
 * warning), and one out of scope reports none.
 *
 * It runs its own dev server in a throw-away LINTEL_HOME: the queries it logs must not show up
 * in other tests' logs.
 */
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import {
  approveQuery,
  buildQuery,
  callRoute,
  checkExposure,
  checkIn,
  createNodeDecryptPool,
  decryptQuery,
  deviceKeyFromSeed,
  fetchAuthorityDeployment,
  fetchDeployment,
  fileQuery,
  listQueries,
  loadEncryptionKeys,
  memoryExposureAuditStore,
  newReleaseKey,
  type OfficerOptions,
  publishWarning,
  readCode,
  type Visit,
} from "@lintel/client-sdk";
import { citizenRoutes } from "@lintel/contract";
import { decodeBase64url } from "@lintel/protocol";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../client-sdk/cli/lintel-audit.ts";
import type { DemoIdentities } from "../../scripts/lib/demo-identities.ts";
import {
  DEV_SERVER_HOOK_MS,
  type DevServer,
  startDevServer,
} from "../../scripts/lib/dev-server.ts";
import { guardedContext, launchChromium, PAGE_WAIT_MS } from "../support/browser.ts";
import { waitForCosignature } from "../support/cosigned.ts";
import { preparedHome } from "../support/home.ts";
import { expectAccessible, screenshots } from "../support/page-checks.ts";

const HOUR = 3600;
const home = preparedHome("exposure");
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

/** A person with a phone browser: checks in on the poster's page, later opens "My visits". */
async function phone(entranceId: string, name: string) {
  const { context, foreignRequests } = await guardedContext(browser);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  const { url } = await callRoute({ baseUrl: server.baseUrl }, citizenRoutes.entranceCode, {
    params: { id: entranceId },
  });
  await page.goto(url);
  await page.locator("#checkin-form").waitFor({ timeout: PAGE_WAIT_MS });
  await page.locator("#contact-name").fill(name);
  await page.locator("#contact-phone").fill("+852 5555 0177");
  await page.locator("#check-in").click();
  await page.locator("#pass").waitFor({ timeout: PAGE_WAIT_MS });
  return { context, page, errors, foreignRequests };
}

const tag = Math.random().toString(36).slice(2, 8);
const slotNow = () => {
  const now = Math.floor(Date.now() / 1000);
  return now - (now % HOUR);
};

async function visitAt(
  entranceId: string,
  name: string,
  arrival: Date,
  stayMinutes: number,
): Promise<Visit> {
  const service = { baseUrl: server.baseUrl };
  const { url } = await callRoute(service, citizenRoutes.entranceCode, {
    params: { id: entranceId },
  });
  const deployment = await fetchDeployment(service);
  const code = readCode(url, {
    registryVerifierKey: deployment.registry.verifierKey,
    deployment: deployment.id,
  });
  const keys = await loadEncryptionKeys(service, deployment);
  return checkIn({
    service,
    deployment,
    keys,
    code,
    contact: { name, phone: "+852 5555 0199" },
    arrival,
    stayMinutes,
  });
}

function officer(id: "officer-a" | "officer-b"): OfficerOptions {
  const o = ids.officers.find((x) => x.id === id)!;
  return {
    baseUrl: server.baseUrl,
    deployment: "demo",
    key: deviceKeyFromSeed(decodeBase64url(o.secretKey, 32)),
  };
}

describe("an exposure query across the real processes", () => {
  const people = {
    inScopeEarlier: `In-scope earlier ${tag}`,
    inScopeNow: `In-scope now ${tag}`,
    otherDoor: `Other door ${tag}`,
    otherHour: `Other hour ${tag}`,
  };
  const visits: Record<keyof typeof people, Visit> = {} as Record<keyof typeof people, Visit>;
  let queryIndex = 0n;
  const phones = {} as Record<"inScope" | "otherDoor", Awaited<ReturnType<typeof phone>>>;

  it("decrypts exactly the check-ins of the queried entrance and hours", async () => {
    const s = slotNow();
    // Ten minutes into each hour, a short stay: one slot each.
    const at = (slot: number) => new Date((slot + 600) * 1000);
    visits.inScopeEarlier = await visitAt("hbr-main", people.inScopeEarlier, at(s - HOUR), 20);
    visits.inScopeNow = await visitAt("hbr-main", people.inScopeNow, new Date(), 5);
    visits.otherDoor = await visitAt("hbr-east", people.otherDoor, at(s - HOUR), 20);
    visits.otherHour = await visitAt("hbr-main", people.otherHour, at(s - 2 * HOUR), 20);
    phones.inScope = await phone("hbr-main", `Phone in scope ${tag}`);
    phones.otherDoor = await phone("hbr-east", `Phone other door ${tag}`);

    const a = officer("officer-a");
    const b = officer("officer-b");
    const deployment = await fetchAuthorityDeployment({ baseUrl: server.baseUrl });
    // Officer A's release key: the holders seal their keys to it, and only A opens them.
    const releaseKey = newReleaseKey();
    const entry = await buildQuery({
      deployment: "demo",
      releaseKey: releaseKey.publicKey,
      caseReference: `CASE-${tag}`,
      legalBasis: "Prevention and Control of Disease Ordinance (Cap. 599) s.22",
      legalDocument: new TextEncoder().encode("the signed order"),
      entrances: ["hbr-main"],
      windowStart: s - HOUR,
      windowEnd: s + HOUR,
      reason: "A confirmed case was at the main entrance.",
      issuedAt: Math.floor(Date.now() / 1000),
    });
    const { draftId } = await fileQuery(a, entry);
    const drafts = await listQueries(b);
    const draft = drafts.find((d) => d.draftId === draftId)!;
    const approved = await approveQuery(b, draft, {
      caseReference: `CASE-${tag}`,
      legalDocument: new TextEncoder().encode("the signed order"),
    });
    if (approved.status !== "logged") throw new Error("the query was not logged");
    queryIndex = BigInt(approved.queryIndex);

    const pool = await createNodeDecryptPool({ threads: 2 });
    try {
      const result = await decryptQuery({
        officer: a,
        deployment,
        queryIndex,
        pool,
        releaseSecretKey: releaseKey.secretKey,
      });
      const names = result.contacts.map((c) =>
        c.details.kind === "contact" ? c.details.contact.name : "(card)",
      );
      expect(names.sort()).toEqual(
        [people.inScopeEarlier, people.inScopeNow, `Phone in scope ${tag}`].sort(),
      );
      expect(result.expired).toEqual([]);
      expect(Object.values(result.failures).reduce((x, y) => x + y, 0)).toBe(0);
      expect(result.releases.map((r) => r.trusteeId).sort()).toEqual([
        "log",
        "trustee-a",
        "trustee-b",
      ]);
    } finally {
      await pool.close();
    }
  });

  it("passes lintel-audit over the whole log, the releases included", async () => {
    const d = await callRoute({ baseUrl: server.baseUrl }, citizenRoutes.deployment);
    // The releases were just appended: their checkpoint is cosigned a moment later.
    await waitForCosignature(server.baseUrl, d.log.witnesses[0]!.name);
    const { code, output } = await runCli([
      "verify",
      "--log",
      `${server.baseUrl}/log`,
      "--key",
      d.log.verifierKey!,
      "--witness",
      d.log.witnesses[0]!.verifierKey,
      "--quorum",
      "1",
      "--registry-key",
      ids.registry.publicKey,
      "--state",
      path.join(home, "audit-state.json"),
    ]);
    expect(output).toMatch(/^OK .*every entry's signatures and policy checked/m);
    expect(code).toBe(0);
    // The query and its three releases are in the verified tree.
    const state = JSON.parse(readFileSync(path.join(home, "audit-state.json"), "utf8")) as {
      size: string;
    };
    expect(BigInt(state.size)).toBeGreaterThan(queryIndex + 3n);
  });

  it("tells the person in scope that their visit was covered and warned, and the others nothing", async () => {
    const s = slotNow();
    await publishWarning(officer("officer-a"), {
      queryIndex,
      entranceId: "hbr-main",
      windowStart: s - HOUR,
      windowEnd: s,
    });
    const service = { baseUrl: server.baseUrl };
    const check = async (visit: Visit) => {
      const outcome = await checkExposure({
        service,
        visits: [visit],
        store: memoryExposureAuditStore(),
      });
      if (!outcome.ok) throw new Error(outcome.reason);
      return outcome.report;
    };
    const covered = await check(visits.inScopeEarlier);
    expect(covered.covered).toHaveLength(1);
    expect(covered.covered[0]).toMatchObject({ queryIndex, fullyReleased: true });
    expect(covered.covered[0]!.signedBy.map((o) => o.label).sort()).toEqual([
      "Officer A (files queries)",
      "Officer B (approves queries)",
    ]);
    expect(covered.warnings).toHaveLength(1);
    // Covered by the query, but the warning named only the earlier hour.
    const now = await check(visits.inScopeNow);
    expect(now.covered).toHaveLength(1);
    expect(now.warnings).toHaveLength(0);
    for (const other of [visits.otherDoor, visits.otherHour]) {
      const report = await check(other);
      expect(report.covered).toEqual([]);
      expect(report.warnings).toEqual([]);
    }
  });

  it("shows it on the phone's own 'My visits' page, and nothing on the other phone", async () => {
    const inScope = phones.inScope.page;
    await inScope.goto(`${server.baseUrl}/visits/`);
    const covered = inScope.locator('[data-exposure="covered"]');
    await covered.waitFor({ timeout: PAGE_WAIT_MS });
    expect(await covered.textContent()).toContain(`Query ${queryIndex}`);
    expect(await covered.textContent()).toContain("Officer A (files queries)");
    // The warning named only the earlier hour; this phone came in this hour.
    expect(await inScope.locator('[data-exposure="warning"]').count()).toBe(0);
    await expectAccessible(inScope);
    await screenshots(inScope, "visits-exposure");
    const other = phones.otherDoor.page;
    await other.goto(`${server.baseUrl}/visits/`);
    await other.locator("#exposure-none").waitFor({ timeout: PAGE_WAIT_MS });
    for (const p of Object.values(phones)) {
      expect(p.errors).toEqual([]);
      expect(p.foreignRequests).toEqual([]);
      await p.context.close();
    }
  });
});
