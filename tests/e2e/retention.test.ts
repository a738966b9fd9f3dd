import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import {
  approveQuery,
  buildQuery,
  callRoute,
  checkIn,
  createNodeDecryptPool,
  decryptQuery,
  deviceKeyFromSeed,
  fetchAuthorityDeployment,
  fetchCiphertexts,
  fetchDeployment,
  fileQuery,
  listQueries,
  loadEncryptionKeys,
  newReleaseKey,
  type OfficerOptions,
  readCode,
} from "@lintel/client-sdk";
import { citizenRoutes } from "@lintel/contract";
import {
  decodeBase64url,
  decodeEntry,
  decodeEntryBundle,
  type EntryBody,
  epochDay,
} from "@lintel/protocol";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../../client-sdk/cli/lintel-audit.ts";
import type { DemoIdentities } from "../../scripts/lib/demo-identities.ts";
import {
  DEV_SERVER_START_MS,
  type DevServer,
  startDevServer,
} from "../../scripts/lib/dev-server.ts";
import { repoRoot } from "../../scripts/lib/paths.ts";
import { type Captured, runCaptured } from "../../scripts/lib/run-captured.ts";
import { preparedHome } from "../support/home.ts";

const HOUR = 3600;
const DAY = 86_400;
const home = preparedHome("retention");
let server: DevServer | undefined;
afterAll(async () => {
  await server?.stop();
  rmSync(home, { recursive: true, force: true });
});

/** `npm run retention -- --now …` for this home, as a developer would run it. */
function runRetention(now: Date): Promise<Captured> {
  return runCaptured(
    path.join(repoRoot, "node_modules/.bin/tsx"),
    ["scripts/retention.ts", "--now", now.toISOString()],
    { cwd: repoRoot, env: { ...process.env, LINTEL_HOME: home } },
  );
}

/** Every retention receipt in the public log (C2SP tlog-tiles), oldest first. */
async function loggedReceipts(
  base: string,
): Promise<Array<Extract<EntryBody, { kind: "retention-receipt" }>>> {
  const checkpoint = await (await fetch(`${base}/log/checkpoint`)).text();
  const size = BigInt(checkpoint.split("\n")[1]!);
  const found: Array<Extract<EntryBody, { kind: "retention-receipt" }>> = [];
  for (let tile = 0n; tile * 256n < size; tile++) {
    const width = Number(size - tile * 256n > 256n ? 256n : size - tile * 256n);
    const name = String(tile).padStart(3, "0");
    const res = await fetch(`${base}/log/tile/entries/${name}${width < 256 ? `.p/${width}` : ""}`);
    expect(res.status).toBe(200);
    for (const e of decodeEntryBundle(new Uint8Array(await res.arrayBuffer()), width)) {
      const body = decodeEntry(e).entry.body;
      if (body.kind === "retention-receipt") found.push(body);
    }
  }
  return found;
}

// Two starts of npm run dev and a retention run between them.
describe("npm run retention", { timeout: 2 * DEV_SERVER_START_MS + 300_000 }, () => {
  it("shreds a day with the real scheduled handler: receipt logged, nothing released", async () => {
    server = await startDevServer(home, 240_000);
    const ids = JSON.parse(
      readFileSync(path.join(home, "identities.json"), "utf8"),
    ) as DemoIdentities;
    const service = { baseUrl: server.baseUrl };
    const deployment = await fetchDeployment(service);
    const { url } = await callRoute(service, citizenRoutes.entranceCode, {
      params: { id: "hbr-main" },
    });
    const checkinSlot = Math.floor(Date.now() / 1000 / HOUR) * HOUR;
    await checkIn({
      service,
      deployment,
      keys: await loadEncryptionKeys(service, deployment),
      code: readCode(url, {
        registryVerifierKey: deployment.registry.verifierKey,
        deployment: deployment.id,
      }),
      contact: { name: "Shredded visitor", phone: "+852 5555 0123" },
      arrival: new Date(),
      stayMinutes: 5,
    });
    const today = epochDay(Math.floor(Date.now() / 1000));
    const retentionDays = 21; // the demo deployment's (wrangler.toml)
    expect(
      (await loggedReceipts(server.baseUrl)).flatMap((r) => r.epochDaysDestroyed),
    ).not.toContain(today);

    // Refused while the deployment runs: two runtimes must not share one state.
    const busy = await runRetention(new Date());
    expect(busy.code).not.toBe(0);
    expect(busy.output).toMatch(/npm run dev is running/);
    await server.stop();
    server = undefined;

    // Half an hour into day today + retention + 1: today has left retention.
    const later = new Date(((today + retentionDays + 1) * DAY + HOUR / 2) * 1000);
    const run = await runRetention(later);
    expect(run.output).toMatch(/the scheduled handler ran \(outcome ok\)/);
    expect(run.code).toBe(0);

    server = await startDevServer(home, 240_000);
    const base = server.baseUrl;
    const receipt = (await loggedReceipts(base)).at(-1);
    expect(receipt?.epochDaysDestroyed).toContain(today);
    expect(receipt?.cutoff).toBe(later.getTime() / 1000 - retentionDays * DAY);
    expect(receipt?.ciphertextsDeleted).toBeGreaterThanOrEqual(1n);

    // The whole log, the receipt included, passes the auditor.
    const d = await callRoute({ baseUrl: base }, citizenRoutes.deployment);
    const audit = await runCli([
      "verify",
      "--log",
      `${base}/log`,
      "--key",
      d.log.verifierKey!,
      "--registry-key",
      ids.registry.publicKey,
      "--state",
      path.join(home, "audit-state.json"),
    ]);
    expect(audit.output).toMatch(/^OK /m);
    expect(audit.code).toBe(0);

    // A query over the shredded hour, logged and approved, opens nothing.
    const officer = (id: "officer-a" | "officer-b"): OfficerOptions => ({
      baseUrl: base,
      deployment: "demo",
      key: deviceKeyFromSeed(decodeBase64url(ids.officers.find((o) => o.id === id)!.secretKey, 32)),
    });
    const now = Math.floor(Date.now() / 1000);
    const slot = now - (now % HOUR);
    const releaseKey = newReleaseKey();
    const entry = await buildQuery({
      deployment: "demo",
      caseReference: `CASE-RETENTION-${slot}`,
      legalBasis: "Prevention and Control of Disease Ordinance (Cap. 599) s.22",
      legalDocument: new TextEncoder().encode("the signed order"),
      entrances: ["hbr-main"],
      windowStart: slot - HOUR,
      windowEnd: slot + HOUR,
      reason: "A confirmed case was at the main entrance.",
      issuedAt: now,
      releaseKey: releaseKey.publicKey,
    });
    const { draftId } = await fileQuery(officer("officer-a"), entry);
    const draft = (await listQueries(officer("officer-b"))).find((q) => q.draftId === draftId)!;
    const approved = await approveQuery(officer("officer-b"), draft, {
      caseReference: `CASE-RETENTION-${slot}`,
      legalDocument: new TextEncoder().encode("the signed order"),
    });
    if (approved.status !== "logged") throw new Error("the query was not logged");
    const queryIndex = BigInt(approved.queryIndex);
    // The ciphertexts of the check-in's hour are gone…
    expect(
      await fetchCiphertexts(officer("officer-a"), queryIndex, {
        entranceId: "hbr-main",
        slotStart: checkinSlot,
      }),
    ).toEqual([]);
    // …and the log withholds the day's epoch share: no key opens that day. (By the authority's
    // own clock the day is still in retention, so it reports the withholding as an error.)
    const pool = await createNodeDecryptPool({ threads: 1 });
    try {
      await expect(
        decryptQuery({
          officer: officer("officer-a"),
          deployment: await fetchAuthorityDeployment({ baseUrl: base }),
          queryIndex,
          pool,
          releaseSecretKey: releaseKey.secretKey,
        }),
      ).rejects.toThrow(/the log \(epoch key\) withheld the key/);
    } finally {
      await pool.close();
    }
  });
});
