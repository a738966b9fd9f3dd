import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  type CheckInRecord,
  encodeBase64url,
  extractPartialKey,
  LOG_TRUSTEE_ID,
  queryScope,
  type Release,
  type ScopeIdentity,
} from "@lintel/protocol";
import { sealContactToAuthority } from "@lintel/protocol/seal";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../cli/lintel-authority.ts";
import { memoryExposureAuditStore } from "../audit/log-store.ts";
import { deviceKeyFromSeed } from "../auth/device-key.ts";
import { contactsCsv, csvCell } from "./csv.ts";
import { decryptIdentities, decryptQuery } from "./decrypt.ts";
import { combineIdentityKeys, type IdentityKey } from "./keys.ts";
import { readAuditedLog } from "./log.ts";
import { createNodeDecryptPool } from "./node-pool.ts";
import type { OfficerOptions } from "./officer.ts";
import { inThreadPool } from "./pool.ts";
import { fetchProof } from "./proof.ts";
import {
  type ApproverChecks,
  approveQuery,
  buildQuery,
  fileQuery,
  listQueries,
  newReleaseKey,
  publishWarning,
  reviewQuery,
} from "./query.ts";
import { collectContacts, countFailures } from "./results.ts";
import {
  DAYS,
  DEPLOYMENT,
  ENTRANCES,
  type Fixture,
  ISSUED_AT,
  makeFixture,
  ORIGIN,
  WINDOW_END,
  WINDOW_START,
} from "./testing/fixture.ts";

const H = 3600;
/** Where the CLI's progress and review lines go when a test does not read them. */
const quiet = { write: () => true };
const contact = (name: string, phone = "+86 138 0013 8000") => ({ name, phone, idNumber: "" });

let fx: Fixture;
let scope: ScopeIdentity[];
let records: Record<string, CheckInRecord>;

/** The releases every holder would make, computed from the fixture's secrets. */
function releases(destroyed: ReadonlySet<number> = new Set()): {
  trusteeReleases: Release[];
  logRelease: Release;
} {
  const make = (trusteeId: string, keys: Array<Uint8Array | null>): Release => ({
    trusteeId,
    queryIndex: 9n,
    releaseIndex: 10n,
    partialKeys: keys,
  });
  return {
    trusteeReleases: fx.trustees.map((t) =>
      make(
        t.id,
        scope.map((id) => extractPartialKey(t.key.secretShare, id.idBytes)),
      ),
    ),
    logRelease: make(
      LOG_TRUSTEE_ID,
      scope.map((id) => {
        const day = Math.floor(id.slotStart / 86_400);
        return destroyed.has(day)
          ? null
          : extractPartialKey(fx.epochKeys.get(day)!.secretShare, id.idBytes);
      }),
    ),
  };
}

function keysFor(destroyed?: ReadonlySet<number>): Promise<IdentityKey[]> {
  return combineIdentityKeys({
    trustees: fx.deployment.trustees,
    epochKeys: fx.epochKeys,
    scope,
    ...releases(destroyed),
  });
}

function itemsFor(keys: readonly IdentityKey[]) {
  return keys.flatMap((k) =>
    k.status === "ready"
      ? [
          {
            identity: k.identity,
            identityKey: k.identityKey,
            ciphertexts: fx.stored.get(`${k.identity.entranceId}|${k.identity.slotStart}`) ?? [],
          },
        ]
      : [],
  );
}

beforeAll(async () => {
  fx = await makeFixture();
  scope = queryScope(DEPLOYMENT, {
    entrances: [...ENTRANCES],
    windowStart: WINDOW_START,
    windowEnd: WINDOW_END,
  });
  const at = (minutes: number) => WINDOW_START + minutes * 60;
  records = {
    // 23:20–01:40: three slots of the window, on two UTC days.
    long: {
      recordedBy: "self",
      companions: 2,
      arrival: at(20),
      expectedDeparture: at(160),
      contactKind: "contact",
      contact: contact("王小明"),
    },
    companion: {
      recordedBy: "companion",
      companions: 0,
      arrival: at(20),
      expectedDeparture: at(160),
      contactKind: "contact",
      contact: contact("王小红"),
    },
    paper: {
      recordedBy: "paper",
      companions: 0,
      arrival: at(70),
      expectedDeparture: at(110),
      contactKind: "contact",
      contact: contact('=HYPERLINK("http://evil","x")', "123"),
    },
    card: {
      recordedBy: "proxy",
      companions: 0,
      arrival: at(125),
      expectedDeparture: at(150),
      contactKind: "sealed-card",
      sealedCard: sealContactToAuthority(contact("Li Lei", "555 0100"), fx.box.publicKey),
    },
    // 02:10–02:40: after the window.
    after: {
      recordedBy: "self",
      companions: 0,
      arrival: at(190),
      expectedDeparture: at(220),
      contactKind: "contact",
      contact: contact("Outside Window"),
    },
  };
  fx.checkIn("hbr-main", records.long!);
  fx.checkIn("hbr-main", records.companion!);
  fx.checkIn("hbr-east", records.paper!);
  fx.checkIn("hbr-east", records.card!);
  fx.checkIn("hbr-main", records.after!);
  // Another entrance of the same venue, inside the window but not named by the query.
  fx.checkIn("hbr-side", {
    recordedBy: "self",
    companions: 0,
    arrival: at(20),
    expectedDeparture: at(160),
    contactKind: "contact",
    contact: contact("Side Door"),
  });
});

describe("combining and decrypting", () => {
  it("decrypts exactly the records of the scope, one contact per stay with all its slots", async () => {
    const keys = await keysFor();
    expect(keys.every((k) => k.status === "ready")).toBe(true);
    const outcomes = await decryptIdentities(inThreadPool(), itemsFor(keys));
    expect(countFailures(outcomes)).toEqual({});
    const contacts = await collectContacts(outcomes);
    const names = contacts.map((c) =>
      c.details.kind === "contact" ? c.details.contact.name : c.details.kind,
    );
    expect(names.sort()).toEqual(
      ["王小明", "王小红", '=HYPERLINK("http://evil","x")', "sealed-card"].sort(),
    );
    const long = contacts.find(
      (c) => c.details.kind === "contact" && c.details.contact.name === "王小明",
    )!;
    expect(long).toMatchObject({
      entranceId: "hbr-main",
      recordedBy: "self",
      companions: 2,
      arrival: records.long!.arrival,
      expectedDeparture: records.long!.expectedDeparture,
      slots: [WINDOW_START, WINDOW_START + H, WINDOW_START + 2 * H],
    });
    expect(contacts.find((c) => c.recordedBy === "paper")!.entranceId).toBe("hbr-east");
  });

  it("opens citizen cards only with the authority's box key", async () => {
    const keys = (await keysFor()).filter(
      (k) => k.identity.entranceId === "hbr-east" && k.identity.slotStart === WINDOW_START + 2 * H,
    );
    const outcomes = await decryptIdentities(inThreadPool(), itemsFor(keys));
    const sealed = await collectContacts(outcomes);
    expect(sealed[0]!.details).toEqual({ kind: "sealed-card" });
    const opened = await collectContacts(outcomes, fx.box);
    expect(opened[0]!.details).toEqual({ kind: "card", contact: contact("Li Lei", "555 0100") });
    expect(opened[0]!.recordedBy).toBe("proxy");
  });

  it("an identity key opens nothing outside its own slot", async () => {
    const key = (await keysFor()).find(
      (k) => k.identity.entranceId === "hbr-main" && k.identity.slotStart === WINDOW_END - H,
    )!;
    if (key.status !== "ready") throw new Error("expected a key");
    // The stay after the window was encrypted to slot 02:00 of hbr-main, outside the scope.
    const outside = fx.stored.get(`hbr-main|${WINDOW_END}`)!;
    const side = fx.stored.get(`hbr-side|${WINDOW_END - H}`)!;
    const outcomes = await decryptIdentities(inThreadPool(), [
      { identity: key.identity, identityKey: key.identityKey, ciphertexts: [...outside, ...side] },
    ]);
    expect(countFailures(outcomes)).toEqual({ "decryption-failed": outside.length + side.length });
  });

  it("names the holder of a partial key that does not verify", async () => {
    const good = releases();
    const swap = (r: Release, position: number): Release => ({
      ...r,
      partialKeys: r.partialKeys.map((k, i) =>
        i === position ? good.trusteeReleases[0]!.partialKeys[i]! : k,
      ),
    });
    await expect(
      combineIdentityKeys({
        trustees: fx.deployment.trustees,
        epochKeys: fx.epochKeys,
        scope,
        trusteeReleases: [good.trusteeReleases[0]!, swap(good.trusteeReleases[1]!, 4)],
        logRelease: good.logRelease,
      }),
    ).rejects.toThrow(/trustee trustee-b for hbr-east 2026-11-21T00:00Z does not verify/);
    await expect(
      combineIdentityKeys({
        trustees: fx.deployment.trustees,
        epochKeys: fx.epochKeys,
        scope,
        trusteeReleases: good.trusteeReleases,
        logRelease: swap(good.logRelease, 3),
      }),
    ).rejects.toThrow(/the log \(epoch key\) for hbr-east 2026-11-20T23:00Z does not verify/);
  });

  it("combines in worker threads exactly as in this thread, and names a bad holder there too", async () => {
    const pool = await createNodeDecryptPool({ threads: 2 });
    try {
      const good = releases();
      const input = { trustees: fx.deployment.trustees, epochKeys: fx.epochKeys, scope, ...good };
      const threaded = await combineIdentityKeys(input, pool);
      expect(threaded).toEqual(await combineIdentityKeys(input));
      expect(threaded.filter((k) => k.status === "ready").length).toBe(scope.length);
      const bad = good.trusteeReleases[0]!;
      await expect(
        combineIdentityKeys(
          {
            ...input,
            trusteeReleases: [
              {
                ...bad,
                partialKeys: bad.partialKeys.map((k, i) => (i === 5 ? bad.partialKeys[4]! : k)),
              },
              good.trusteeReleases[1]!,
            ],
          },
          pool,
        ),
      ).rejects.toThrow(/trustee trustee-a for .* does not verify/);
      // A day whose epoch key carries another key's proof of possession: refused in the thread,
      // with the protocol's code kept.
      const [day, epoch] = [...fx.epochKeys][0]!;
      const other = [...fx.epochKeys][1]![1];
      const forged = new Map(fx.epochKeys).set(day, {
        ...epoch,
        proofOfPossession: other.proofOfPossession,
      });
      await expect(
        combineIdentityKeys({ ...input, epochKeys: forged }, pool),
      ).rejects.toMatchObject({
        code: "bad-proof-of-possession",
        message: expect.stringMatching(new RegExp(`UTC day ${day} is not usable`)),
      });
    } finally {
      await pool.close();
    }
  });

  it("reports an identity a trustee withholds (past retention by its clock) as expired, naming it", async () => {
    const good = releases();
    const [a, b] = good.trusteeReleases;
    const withheld = {
      trustees: fx.deployment.trustees,
      epochKeys: fx.epochKeys,
      scope,
      trusteeReleases: [
        { ...a!, partialKeys: a!.partialKeys.map((k, i) => (i === 0 ? null : k)) },
        b!,
      ],
      logRelease: good.logRelease,
    };
    const keys = await combineIdentityKeys(withheld);
    expect(keys[0]).toMatchObject({ status: "expired", withheldBy: ["trustee-a"] });
    expect(keys.slice(1).every((k) => k.status === "ready")).toBe(true);
    // By this device's clock the day is still inside retention: a refusal, naming the trustee.
    await expect(
      combineIdentityKeys({ ...withheld, retention: { days: 21, now: WINDOW_END + 86_400 } }),
    ).rejects.toThrow(/trustee trustee-a withheld the key for .* still inside retention/);
    const later = await combineIdentityKeys({
      ...withheld,
      retention: { days: 21, now: WINDOW_END + 21 * 86_400 },
    });
    expect(later[0]!.status).toBe("expired");
  });

  it("reports a day the log never published an epoch key for as such, not as a key withheld inside retention", async () => {
    const good = releases(new Set([DAYS[0]]));
    const unpublished = new Map(fx.epochKeys);
    unpublished.delete(DAYS[0]!);
    const keys = await combineIdentityKeys({
      trustees: fx.deployment.trustees,
      epochKeys: unpublished,
      scope,
      ...good,
      // Well inside retention by this device's clock: were the day's key published, the log's
      // null would be a refusal naming it.
      retention: { days: 21, now: WINDOW_END },
    });
    const none = keys.filter((k) => k.status === "expired");
    expect(none.length).toBeGreaterThan(0);
    expect(none.every((k) => k.status === "expired" && k.reason === "no-epoch-key")).toBe(true);
    expect(keys.filter((k) => k.status === "ready").length).toBe(scope.length - none.length);
    // The same nulls with the day's key published: the log hides a key inside retention.
    await expect(
      combineIdentityKeys({
        trustees: fx.deployment.trustees,
        epochKeys: fx.epochKeys,
        scope,
        ...good,
        retention: { days: 21, now: WINDOW_END },
      }),
    ).rejects.toThrow(/the log \(epoch key\) withheld the key for .* still inside retention/);
  }, 120_000);

  it("reports the identities of a destroyed day as expired and decrypts the rest", async () => {
    const keys = await keysFor(new Set([DAYS[0]]));
    const expired = keys.filter((k) => k.status === "expired").map((k) => k.identity);
    expect(
      keys.flatMap((k) => (k.status === "expired" ? k.withheldBy : [])).every((h) => h === "log"),
    ).toBe(true);
    expect(expired.map((i) => [i.entranceId, i.slotStart])).toEqual([
      ["hbr-main", WINDOW_START],
      ["hbr-east", WINDOW_START],
    ]);
    const contacts = await collectContacts(await decryptIdentities(inThreadPool(), itemsFor(keys)));
    const long = contacts.find((c) => c.companions === 2)!;
    expect(long.slots).toEqual([WINDOW_START + H, WINDOW_START + 2 * H]);
  });

  it("gives the same outcomes in two worker threads as in this thread", async () => {
    const items = itemsFor(await keysFor()).filter((i) => i.ciphertexts.length > 0);
    const pool = await createNodeDecryptPool({ threads: 2 });
    try {
      const threaded = await decryptIdentities(pool, items, 1);
      const local = await decryptIdentities(inThreadPool(), items, 1);
      expect(threaded).toEqual(local);
      expect(threaded.flatMap((o) => o.outcomes).length).toBeGreaterThan(4);
    } finally {
      await pool.close();
    }
  });
});

describe("the authority's log audit kept in a store", () => {
  it("starts later reads from it, with the policy state, and catches a fork since", async () => {
    const store = memoryExposureAuditStore();
    const read = () => readAuditedLog(fx.deployment, { baseUrl: ORIGIN, fetch: fx.fetch, store });
    const first = await read();
    const saved = (await store.list()).find((r) => r.kind === "state");
    if (saved?.kind !== "state") throw new Error("no audit state kept");
    expect(saved.state.policy?.size).toBe(saved.state.size);
    expect((await read()).entries).toEqual(first.entries);
    // The same log with its history rewritten (two entries swapped): signed by the log key, but
    // not an extension of the tree this device saw.
    const [one, two] = [fx.entries[1]!, fx.entries[2]!];
    fx.entries[1] = two;
    fx.entries[2] = one;
    try {
      await expect(read()).rejects.toThrow(/forked/);
    } finally {
      fx.entries[1] = one;
      fx.entries[2] = two;
    }
  });
});

describe("CSV", () => {
  it("cannot inject formulas", () => {
    for (const start of ["=", "+", "-", "@", "\t", "\r"]) {
      expect(csvCell(`${start}SUM(A1)`)).toBe(`"'${start}SUM(A1)"`);
    }
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell(3)).toBe('"3"');
    const doc = contactsCsv([
      {
        entranceId: "hbr-main",
        recordedBy: "paper",
        arrival: WINDOW_START,
        expectedDeparture: WINDOW_START + 600,
        companions: 0,
        details: { kind: "contact", contact: contact('=HYPERLINK("http://evil","x")', "+1 555") },
        slots: [WINDOW_START],
      },
      {
        entranceId: "hbr-east",
        recordedBy: "proxy",
        arrival: WINDOW_START,
        expectedDeparture: WINDOW_START + 600,
        companions: 0,
        details: { kind: "sealed-card" },
        slots: [WINDOW_START],
      },
    ]);
    expect(doc.startsWith("\uFEFF")).toBe(true);
    const lines = doc.slice(1).split("\r\n");
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe("");
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://evil"",""x"")"`);
    expect(lines[1]).toContain(`"'+1 555"`);
    expect(lines[2]).toContain('"sealed card, needs the authority key"');
    // No cell of the document starts with a formula character once unquoted.
    for (const line of lines.filter(Boolean)) {
      for (const cell of line.match(/"(?:[^"]|"")*"/g)!) expect(cell).not.toMatch(/^"[=+\-@\t\r]/);
    }
  });
});

describe("over HTTP (fake service)", () => {
  const officer = (i: 0 | 1): OfficerOptions => ({
    baseUrl: ORIGIN,
    fetch: fx.fetch,
    deployment: DEPLOYMENT,
    key: deviceKeyFromSeed(fx.officers[i].secretKey),
  });

  it("files, approves, decrypts and warns", async () => {
    // The filer's release key (the fixture keeps it: later tests decrypt this same query).
    const releaseKey = fx.releaseKey;
    const unsigned = await buildQuery({
      deployment: DEPLOYMENT,
      caseReference: "CASE-2026-0042",
      legalBasis: "Public Health Act s. 12",
      legalDocument: new TextEncoder().encode("%PDF order"),
      entrances: [...ENTRANCES],
      windowStart: WINDOW_START,
      windowEnd: WINDOW_END,
      reason: "Cluster at the library",
      releaseKey: releaseKey.publicKey,
      issuedAt: ISSUED_AT,
    });
    const filed = await fileQuery(officer(0), unsigned);
    const [draft] = await listQueries(officer(1));
    expect(draft!.draftId).toBe(filed.draftId);
    const review = reviewQuery(draft!.entry);
    expect(review).toMatchObject({ entrances: [...ENTRANCES], identityCount: 6 });
    const expected = await crypto.subtle.digest(
      "SHA-256",
      new TextEncoder().encode("CASE-2026-0042"),
    );
    expect(review.caseReferenceHash).toBe(
      Array.from(new Uint8Array(expected), (b) => b.toString(16).padStart(2, "0")).join(""),
    );
    // Both of the approver's checks are required and must match; nothing is sent otherwise.
    const sent = fx.requests.length;
    const order = new TextEncoder().encode("%PDF order");
    const refusals = [
      [undefined, "checks-required"],
      [{ caseReference: "CASE-2026-0042" }, "checks-required"],
      [{ caseReference: " ", legalDocument: order }, "checks-required"],
      [{ caseReference: "CASE-2026-0043", legalDocument: order }, "check-mismatch"],
      [
        { caseReference: "CASE-2026-0042", legalDocument: new TextEncoder().encode("%PDF other") },
        "check-mismatch",
      ],
    ] as const;
    for (const [checks, code] of refusals) {
      await expect(
        approveQuery(officer(1), draft!, checks as unknown as ApproverChecks),
      ).rejects.toMatchObject({ code });
    }
    expect(fx.requests.length).toBe(sent);
    const approved = await approveQuery(officer(1), draft!, {
      caseReference: "CASE-2026-0042",
      legalDocument: order,
    });
    if (approved.status !== "logged") throw new Error("expected the query logged");
    expect(approved.queryIndex).toBe(BigInt(fx.entries.length - 1));

    // Any other device's release key opens nothing: refused before a release is asked for.
    const asked = fx.requests.length;
    await expect(
      decryptQuery({
        officer: officer(1),
        deployment: fx.deployment,
        queryIndex: approved.queryIndex,
        releaseSecretKey: newReleaseKey().secretKey,
      }),
    ).rejects.toMatchObject({ code: "no-release-key" });
    expect(fx.requests.slice(asked).some((r) => r.url.includes("release"))).toBe(false);

    fx.pageSize = 1;
    const result = await decryptQuery({
      officer: officer(0),
      deployment: fx.deployment,
      queryIndex: approved.queryIndex,
      releaseSecretKey: releaseKey.secretKey,
      authorityBoxSecretKey: fx.box.secretKey,
    });
    expect(result.expired).toEqual([]);
    expect(result.failures).toEqual({});
    expect(result.contacts).toHaveLength(4);
    expect(result.contacts.find((c) => c.recordedBy === "proxy")!.details).toMatchObject({
      kind: "card",
    });
    expect(result.releases.map((r) => r.trusteeId)).toEqual(["trustee-a", "trustee-b", "log"]);
    // Releases went to each trustee's own URL; nothing outside the scope was asked for.
    const urls = fx.requests.map((r) => r.url);
    expect(urls).toContain("https://trustee-a.test/lintel/release");
    expect(urls.some((u) => u.includes("hbr-side") || u.includes(`slot=${WINDOW_END}`))).toBe(
      false,
    );

    const warning = await publishWarning(officer(1), {
      queryIndex: approved.queryIndex,
      entranceId: "hbr-main",
      windowStart: WINDOW_START + 1200,
      windowEnd: WINDOW_START + 9600,
      issuedAt: ISSUED_AT + 120,
    });
    expect(warning.index).toBe(BigInt(fx.entries.length - 1));
  }, 180_000);

  it("waits a bounded number of times for witness cosignatures", async () => {
    const queryIndex = BigInt(fx.entries.findIndex((e) => e[2] === 9));
    const pauses: number[] = [];
    await expect(
      fetchProof(
        { baseUrl: ORIGIN, fetch: fx.fetch },
        queryIndex,
        { deployment: DEPLOYMENT, logKey: fx.deployment.logKey },
        { cosignatures: 1, attempts: 3, sleep: async (ms) => void pauses.push(ms) },
      ),
    ).rejects.toMatchObject({ code: "no-quorum" });
    expect(pauses).toEqual([250, 500]);
    const proof = await fetchProof({ baseUrl: ORIGIN, fetch: fx.fetch }, queryIndex, {
      deployment: DEPLOYMENT,
      logKey: fx.deployment.logKey,
    });
    expect(proof.query.entrances).toEqual([...ENTRANCES]);
  });

  it("the command line decrypts to a local CSV file and maps refusals to exit codes", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "lintel-authority-"));
    try {
      const keyFile = path.join(dir, "identities.json");
      writeFileSync(
        keyFile,
        JSON.stringify({
          officers: [{ id: "officer-a", secretKey: encodeBase64url(fx.officers[0].secretKey) }],
          authorityBox: { secretKey: encodeBase64url(fx.box.secretKey) },
        }),
      );
      // The filer's release key, where `file` keeps it: next to the key file.
      writeFileSync(
        path.join(dir, "release-keys.json"),
        JSON.stringify({
          keys: {
            [encodeBase64url(fx.releaseKey.publicKey)]: encodeBase64url(fx.releaseKey.secretKey),
          },
        }),
      );
      const common = ["--service", ORIGIN, "--key-file", keyFile, "--officer", "officer-a"];
      const queryIndex = String(fx.entries.findIndex((e) => e[2] === 9));
      const csv = path.join(dir, "out.csv");
      const run = (...args: string[]) =>
        runCli([...args, ...common], { fetch: fx.fetch, stderr: quiet });
      const ok = await run(
        "decrypt",
        queryIndex,
        "--threads",
        "0",
        "--csv",
        csv,
        "--authority-box-key-file",
        keyFile,
      );
      expect(ok.code).toBe(0);
      expect(ok.output).toContain("4 distinct check-ins");
      const text = readFileSync(csv, "utf8");
      expect(text).toContain('"Li Lei"');
      expect(text).toContain(`"'=HYPERLINK(""http://evil"",""x"")"`);
      expect(statSync(csv).mode & 0o777).toBe(0o600);
      // --json: the result alone on stdout; --progress: counted steps on stderr.
      const progress: string[] = [];
      const json = await runCli(
        ["decrypt", queryIndex, "--threads", "0", "--json", "--progress", ...common],
        {
          fetch: fx.fetch,
          stderr: { write: (text: string) => progress.push(text) },
        },
      );
      expect(json.code).toBe(0);
      expect(JSON.parse(json.stdout)).toMatchObject({
        ok: true,
        command: "decrypt",
        contactCount: 4,
      });
      expect(progress.join("")).toMatch(
        /^decrypting: (\d+)\/\1 ciphertexts \(100%\), took \d+ s$/m,
      );
      expect((await run("decrypt", queryIndex, "--csv", csv)).code).toBe(2); // would overwrite
      expect((await run("decrypt", "1")).code).toBe(1); // not a query: bad-proof
      expect((await run("frobnicate")).code).toBe(2);
      const help = await runCli(["--help"]);
      expect(help).toMatchObject({ code: 0 });
      expect(help.output).toMatch(/^usage: lintel-authority/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);

  it("the command line approves only with the approver's own case reference and legal document", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "lintel-authority-"));
    try {
      const order = new TextEncoder().encode("%PDF order for the CLI");
      /** Officer A files a query of this case over the fixture's scope. */
      const fileCase = async (caseReference: string) =>
        fileQuery(
          officer(0),
          await buildQuery({
            deployment: DEPLOYMENT,
            caseReference,
            legalBasis: "Public Health Act s. 12",
            legalDocument: order,
            entrances: [...ENTRANCES],
            windowStart: WINDOW_START,
            windowEnd: WINDOW_END,
            releaseKey: fx.releaseKey.publicKey,
            reason: "Cluster at the library",
            issuedAt: ISSUED_AT,
          }),
        );
      const filed = await fileCase("CASE-2026-0077");
      const keyFile = path.join(dir, "identities.json");
      writeFileSync(
        keyFile,
        JSON.stringify({
          officers: [{ id: "officer-b", secretKey: encodeBase64url(fx.officers[1].secretKey) }],
        }),
      );
      const orderFile = path.join(dir, "order.pdf");
      writeFileSync(orderFile, order);
      const otherFile = path.join(dir, "other.pdf");
      writeFileSync(otherFile, "%PDF another order");
      const common = ["--service", ORIGIN, "--key-file", keyFile, "--officer", "officer-b"];
      const run = (...args: string[]) =>
        runCli(["approve", filed.draftId, "--yes", ...args, ...common], {
          fetch: fx.fetch,
          stderr: quiet,
        });
      const approvals = () => fx.requests.filter((r) => r.url.endsWith("/approve")).length;
      const before = approvals();
      expect((await run()).code).toBe(2);
      expect((await run("--case", "CASE-2026-0077")).code).toBe(2);
      expect((await run("--legal-document", orderFile)).code).toBe(2);
      const wrongCase = await run("--case", "CASE-2026-0078", "--legal-document", orderFile);
      expect(wrongCase).toMatchObject({ code: 1 });
      expect(wrongCase.output).toMatch(/check-mismatch/);
      const wrongOrder = await run("--case", "CASE-2026-0077", "--legal-document", otherFile);
      expect(wrongOrder.output).toMatch(/check-mismatch/);
      expect(approvals()).toBe(before);
      const ok = await run("--case", "CASE-2026-0077", "--legal-document", orderFile);
      expect(ok).toMatchObject({ code: 0 });
      expect(ok.output).toMatch(/approved: the query is log entry \d+/);
      expect(approvals()).toBe(before + 1);

      // A draft past its lifetime: `list` shows it expired with the service's reason, the SDK
      // reports it, and `approve` refuses it without sending anything.
      const stale = await fileCase("CASE-2026-0078");
      fx.expireDraft(stale.draftId, "Not approved within the draft lifetime of 24 hours.");
      const listed = (await listQueries(officer(1))).find((q) => q.draftId === stale.draftId);
      expect(listed).toMatchObject({
        status: "expired",
        expiredReason: "Not approved within the draft lifetime of 24 hours.",
      });
      const list = await runCli(["list", ...common], { fetch: fx.fetch, stderr: quiet });
      expect(list.output).toMatch(
        new RegExp(
          `${stale.draftId}  expired .*Not approved within the draft lifetime of 24 hours`,
        ),
      );
      const refused = await runCli(
        [
          "approve",
          stale.draftId,
          "--yes",
          "--case",
          "CASE-2026-0078",
          "--legal-document",
          orderFile,
          ...common,
        ],
        { fetch: fx.fetch, stderr: quiet },
      );
      expect(refused).toMatchObject({ code: 1 });
      expect(refused.output).toMatch(/draft-expired: Not approved within the draft lifetime/);
      expect(approvals()).toBe(before + 1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);

  it("refuses a query whose release names a bad partial key", async () => {
    const queryIndex = BigInt(fx.entries.findIndex((e) => e[2] === 9));
    fx.tamper = { holder: "trustee-a", position: 2 };
    try {
      await expect(
        decryptQuery({
          officer: officer(0),
          deployment: fx.deployment,
          queryIndex,
          releaseSecretKey: fx.releaseKey.secretKey,
        }),
      ).rejects.toThrow(/Trustee trustee-a's release differs from the one logged/);
    } finally {
      fx.tamper = undefined;
    }
  }, 180_000);
});
