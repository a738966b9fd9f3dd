/**
 * Exposure queries end to end inside workerd (PROTOCOL.md §11): real BLS12-381 keys for two
 * trustees and the day's epoch key, real check-ins stored through the API at two entrances and
 * three hours, officer A files a two-hour query for one entrance, officer B approves, both
 * trustees (the same worker code in the trustee role, its own secrets) and the log release, and
 * the officer decrypts exactly the in-scope check-ins.
 *
 * Then the invariants, each with a test that fails if it breaks: no partial key for a query that
 * is not in the log; no query logged by one officer (not even with two of their devices); the
 * server's database and the log's epoch secrets decrypt nothing; a trustee refuses a proof from a
 * forked log and stops releasing; after retention, every trustee together cannot decrypt.
 */
import {
  createExecutionContext,
  runInDurableObject,
  waitOnExecutionContext,
} from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import {
  auditLog,
  combinePartialKeys,
  cosignCheckpoint,
  countersignEntry,
  decodeBase64url,
  decodeCheckInRecord,
  decodeEntry,
  decryptWithIdentityKey,
  ed25519NoteSigner,
  ed25519PublicKey,
  encodeBase64url,
  encodeCheckInRecord,
  encodeEntry,
  encryptToIdentity,
  epochDay,
  extractPartialKey,
  formatCheckpoint,
  formatCosignatureVerifierKey,
  formatTlogProof,
  formatVerifierKey,
  generateEd25519KeyPair,
  generateTrusteeKey,
  hpkeKeyPair,
  identityBytes,
  inclusionProofSync,
  isProtocolError,
  MemoryTree,
  openSealedRelease,
  PreparedMasterKey,
  parseTlogProof,
  queryScope,
  type Release,
  releaseHash,
  type ScopeIdentity,
  signEntry,
  signNote,
  sourceFromReader,
  toHex,
  verifyEpochStatement,
} from "@lintel/protocol";
import { beforeAll, describe, expect, it } from "vitest";
import { officerLogLabel } from "../../worker/src/accounts/officer-log.ts";
import { loadDeployment } from "../../worker/src/config/deployment.ts";
import type { Env } from "../../worker/src/env.ts";
import { createTrusteeApp } from "../../worker/src/trustee/app.ts";
import { enrolledOfficer, makeAccount, statementFor, type TestDevice } from "./account-fixtures.ts";
import { approvedVenue, body, checkIn, currentSlot, fragment, HOUR } from "./checkin-fixtures.ts";
import { checkAgainstContract } from "./contract-check.ts";
import { BASE, call, expectProblem, resetDatabase } from "./helpers.ts";
import {
  deploymentLog,
  enrolment,
  entry,
  genesis,
  logSecret,
  registrySecret,
  wipeDeploymentLog,
} from "./log-fixtures.ts";
import { heldEpochDays } from "./storage-wrappers.ts";
import { testAead } from "./test-aead.ts";

const deployment = loadDeployment(env.LINTEL_DEPLOYMENT);
const now = () => Math.floor(Date.now() / 1000);

interface Trustee {
  readonly id: string;
  readonly share: ReturnType<typeof generateTrusteeKey>;
  readonly signer: ReturnType<typeof generateEd25519KeyPair>;
}
const trustees: Trustee[] = ["trustee-a", "trustee-b"].map((id) => ({
  id,
  share: generateTrusteeKey(),
  signer: generateEd25519KeyPair(),
}));

function trusteeEnv(t: Trustee, overrides: Partial<Record<string, unknown>> = {}): Env {
  return {
    ...(env as unknown as Env),
    LINTEL_DEPLOYMENT: { ...deployment, role: "trustee" },
    LINTEL_TRUSTEE: JSON.stringify({
      id: t.id,
      logUrl: `${BASE}/log`,
      logKey: formatVerifierKey(deployment.logOrigin, ed25519PublicKey(logSecret())),
      witnesses: [],
      registryKey: encodeBase64url(ed25519PublicKey(registrySecret())),
    }),
    TRUSTEE_SHARE_KEY: encodeBase64url(t.share.secretShare),
    TRUSTEE_SIGNING_KEY: encodeBase64url(t.signer.secretKey),
    // The trustee reads the log and appends its release through the main service, in-process.
    LOG_SERVICE: {
      fetch: (input: RequestInfo | URL, init?: RequestInit) =>
        exports.default.fetch(new Request(input, init)),
    } as unknown as Fetcher,
    ...overrides,
  } as Env;
}

const trusteeApp = createTrusteeApp();

/** The release key of the test's queries: the filing officer's, as the SDK makes it (§11.3). */
const filerReleaseKey = hpkeKeyPair();

/** A holder's sealed answer, opened with the filer's release key. */
function opened(answer: unknown): Promise<Release> {
  return openSealedRelease(answer, {
    deployment: deployment.id,
    releaseSecretKey: filerReleaseKey.secretKey,
  });
}

/** What a statement for trustee `t` names as its audience (the SDK: the id and the URL's origin). */
const audienceOf = (t: Trustee) => ({ id: t.id, origin: new URL(BASE).origin });

/** POST /trustee/release at trustee `t`, signed by `officer` as the SDK does. */
async function askTrustee(
  t: Trustee,
  officer: { secretKey: Uint8Array; publicKey: Uint8Array },
  proof: string,
  envOverrides: Partial<Record<string, unknown>> = {},
  statement?: string,
): Promise<Response> {
  const bytes = new TextEncoder().encode(JSON.stringify({ proof }));
  const ctx = createExecutionContext();
  const res = await trusteeApp.fetch(
    new Request(`${BASE}/trustee/release`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "lintel-statement":
          statement ??
          statementFor(officer, "POST", "/trustee/release", bytes, { audience: audienceOf(t) }),
        "cf-connecting-ip": `203.0.113.${Math.floor(Math.random() * 250) + 1}`,
      },
      body: bytes,
    }),
    trusteeEnv(t, envOverrides),
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return res;
}

function signedCall(
  key: { secretKey: Uint8Array; publicKey: Uint8Array },
  method: string,
  path: string,
  json?: unknown,
): Promise<Response> {
  const bytes =
    json === undefined ? new Uint8Array(0) : new TextEncoder().encode(JSON.stringify(json));
  // The log's release, like a trustee's, is asked with a statement that names its receiver.
  const audience = /^\/api\/queries\/[^/]+\/release$/.test(path)
    ? { audience: { id: "log", origin: "" } }
    : {};
  return call(path, {
    method,
    headers: {
      "lintel-statement": statementFor(key, method, path, bytes, audience),
      "cf-connecting-ip": `198.51.100.${Math.floor(Math.random() * 250) + 1}`,
      ...(json === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(json === undefined ? {} : { body: bytes }),
  });
}

async function okJson<T>(res: Response, status = 200): Promise<T> {
  const text = await res.text();
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${text}`);
  return JSON.parse(text) as T;
}

/** The epoch key E_d the log published for `day` (verified under the log key). */
async function epochShare(day: number) {
  const [published] = await deploymentLog().epochKeys(day, day);
  if (!published) throw new Error(`no epoch key for day ${day}`);
  return verifyEpochStatement(published.statement, ed25519PublicKey(logSecret()));
}

async function masterKey(day: number): Promise<PreparedMasterKey> {
  const e = await epochShare(day);
  return PreparedMasterKey.fromShares([
    ...trustees.map((t) => ({
      publicKey: t.share.publicKey,
      proofOfPossession: t.share.proofOfPossession,
    })),
    { publicKey: e.publicKey, proofOfPossession: e.proofOfPossession },
  ]);
}

function encryptVisit(entranceId: string, slotStart: number, name: string, mpk: PreparedMasterKey) {
  const record = encodeCheckInRecord({
    recordedBy: "self",
    companions: 0,
    arrival: slotStart + 60,
    expectedDeparture: slotStart + 1800,
    contactKind: "contact",
    contact: { name, phone: "+852 5555 0101", idNumber: "" },
  });
  const id = identityBytes({ deployment: deployment.id, entranceId, slotStart, slotSeconds: HOUR });
  return encryptToIdentity(testAead, mpk, id, record);
}

function nameIn(plaintext: Uint8Array): string {
  const record = decodeCheckInRecord(plaintext);
  return record.contactKind === "contact" ? record.contact.name : "(card)";
}

function tryDecrypt(
  key: Uint8Array,
  id: ScopeIdentity | Uint8Array,
  ct: Uint8Array,
): string | null {
  try {
    const idBytes = id instanceof Uint8Array ? id : id.idBytes;
    return nameIn(decryptWithIdentityKey(testAead, key, idBytes, ct));
  } catch (e) {
    if (isProtocolError(e) && e.code === "decryption-failed") return null;
    throw e;
  }
}

function queryEntry(
  officer: { secretKey: Uint8Array },
  over: Partial<{
    entrances: string[];
    windowStart: number;
    windowEnd: number;
    caseRef: string;
  }> = {},
): Uint8Array {
  const s = currentSlot();
  return encodeEntry(
    signEntry(
      {
        deployment: deployment.id,
        issuedAt: now(),
        body: {
          kind: "exposure-query",
          caseReferenceHash: new Uint8Array(32).fill(over.caseRef ? over.caseRef.charCodeAt(0) : 7),
          legalBasis: "Prevention and Control of Disease Ordinance s.22",
          legalDocumentHash: new Uint8Array(32).fill(9),
          entrances: over.entrances ?? [world.front],
          windowStart: over.windowStart ?? s - HOUR,
          windowEnd: over.windowEnd ?? s + HOUR,
          reason: "A confirmed case visited in the afternoon.",
          releaseKey: filerReleaseKey.publicKey,
        },
      },
      [officer.secretKey],
    ),
  );
}

/** Files with A, approves with B; returns the query index and its tlog-proof. */
async function logQuery(
  a: TestDevice,
  b: TestDevice,
  over: Parameters<typeof queryEntry>[1] = {},
): Promise<{ queryIndex: string; proof: string }> {
  const filed = queryEntry(a, over);
  const { draftId } = await okJson<{ draftId: string }>(
    await signedCall(a, "POST", "/api/queries", { entry: encodeBase64url(filed) }),
    201,
  );
  const approved = encodeEntry(countersignEntry(decodeEntry(filed).entry, b.secretKey));
  return okJson(
    await signedCall(b, "POST", `/api/queries/${draftId}/approve`, {
      entry: encodeBase64url(approved),
    }),
    201,
  );
}

const world = {
  front: "",
  back: "",
  officerA: undefined as unknown as TestDevice,
  officerB: undefined as unknown as TestDevice,
  /** Every ciphertext stored, by entrance and slot, with the name inside. */
  stored: [] as Array<{
    entranceId: string;
    slotStart: number;
    name: string;
    ciphertext: Uint8Array;
  }>,
};

beforeAll(async () => {
  await resetDatabase();
  await wipeDeploymentLog();
  const setup = await deploymentLog().append([
    genesis(),
    ...trustees.map((t) =>
      entry(
        {
          kind: "trustee-enrolment",
          trusteeId: t.id,
          url: `${BASE}/trustee`,
          shareKey: t.share.publicKey,
          proofOfPossession: t.share.proofOfPossession,
          signingKey: t.signer.publicKey,
        },
        [registrySecret()],
      ),
    ),
  ]);
  expect(setup.ok).toBe(true);
  const today = epochDay(now());
  expect((await deploymentLog().ensureEpochKeys(today - 1, today + 1)).ok).toBe(true);
  world.officerA = await enrolledOfficer("Officer A");
  world.officerB = await enrolledOfficer("Officer B");
  const venue = await approvedVenue();
  const [front, back] = venue.codes;
  world.front = front!.entranceId;
  world.back = back!.entranceId;
  const s = currentSlot();
  // Three hours at the front door, two at the back: the query will name two hours at the front.
  for (const [code, slotStart, name] of [
    [front!, s - 2 * HOUR, "front-early"],
    [front!, s - HOUR, "front-in-1"],
    [front!, s - HOUR, "front-in-2"],
    [front!, s, "front-in-3"],
    [back!, s - HOUR, "back-1"],
    [back!, s, "back-2"],
  ] as const) {
    const ciphertext = encryptVisit(
      code.entranceId,
      slotStart,
      name,
      await masterKey(epochDay(slotStart)),
    );
    const res = await checkIn(body(fragment(code.url), {}, [{ slot: slotStart, ciphertext }]));
    expect(res.status, await res.clone().text()).toBe(201);
    world.stored.push({ entranceId: code.entranceId, slotStart, name, ciphertext });
  }
});

async function releasesFor(
  proof: string,
  officer: TestDevice,
  queryIndex: string,
): Promise<Release[]> {
  const out: Release[] = [];
  for (const t of trustees)
    out.push(await opened(await okJson(await askTrustee(t, officer, proof))));
  out.push(
    await opened(
      await okJson(await signedCall(officer, "POST", `/api/queries/${queryIndex}/release`)),
    ),
  );
  return out;
}

async function fetchCiphertexts(officer: TestDevice, queryIndex: string, id: ScopeIdentity) {
  const all: Uint8Array[] = [];
  let after: string | null = null;
  do {
    const path = `/api/queries/${queryIndex}/ciphertexts?entrance=${id.entranceId}&slot=${id.slotStart}${after ? `&after=${after}` : ""}`;
    const page: { ciphertexts: string[]; next: string | null } = await okJson(
      await signedCall(officer, "GET", path),
    );
    all.push(...page.ciphertexts.map((c) => decodeBase64url(c)));
    after = page.next;
  } while (after);
  return all;
}

describe("an exposure query, end to end", () => {
  it("files, approves, releases and decrypts exactly the check-ins in scope", async () => {
    const { officerA: a, officerB: b } = world;
    const { queryIndex, proof } = await logQuery(a, b);
    const logged = await deploymentLog().loggedQuery(BigInt(queryIndex));
    expect(logged?.entrances).toEqual([world.front]);
    // The draft list now shows the entry as logged, with both officers' signatures.
    const { queries } = await okJson<{ queries: Array<{ entry: string; queryIndex?: string }> }>(
      await signedCall(b, "GET", "/api/queries"),
    );
    const listed = queries.find((q) => q.queryIndex === queryIndex)!;
    expect(listed.entry).toBe(encodeBase64url(logged!.entry));
    expect(decodeEntry(decodeBase64url(listed.entry)).entry.signatures).toHaveLength(2);
    const scope = queryScope(deployment.id, logged!);
    expect(scope).toHaveLength(2);
    const releases = await releasesFor(proof, a, queryIndex);
    expect(releases.map((r) => r.trusteeId)).toEqual(["trustee-a", "trustee-b", "log"]);
    const found: string[] = [];
    for (const [i, id] of scope.entries()) {
      const mpk = await masterKey(epochDay(id.slotStart));
      const key = combinePartialKeys(
        mpk,
        id.idBytes,
        releases.map((r) => r.partialKeys[i]!),
      );
      for (const ct of await fetchCiphertexts(a, queryIndex, id)) {
        const name = tryDecrypt(key, id, ct);
        expect(name).not.toBeNull();
        found.push(name!);
      }
      // What was stored at the other door in the same hour does not open with this key.
      for (const other of world.stored.filter((x) => x.entranceId === world.back)) {
        expect(tryDecrypt(key, id, other.ciphertext)).toBeNull();
      }
    }
    expect(found.sort()).toEqual(["front-in-1", "front-in-2", "front-in-3"]);
    // Short of every holder, nothing opens: not the authority with the log's share alone, not the
    // authority with one trustee, not both trustees without the log.
    const id0 = scope[0]!;
    const e0 = await epochShare(epochDay(id0.slotStart));
    const holders = [
      ...trustees.map((t) => ({
        publicKey: t.share.publicKey,
        proofOfPossession: t.share.proofOfPossession,
      })),
      { publicKey: e0.publicKey, proofOfPossession: e0.proofOfPossession },
    ];
    const inFirstSlot = world.stored.filter(
      (v) => v.entranceId === id0.entranceId && v.slotStart === id0.slotStart,
    );
    for (const subset of [[2], [0, 2], [1, 2], [0, 1], [0], [1]]) {
      const partial = combinePartialKeys(
        PreparedMasterKey.fromShares(subset.map((i) => holders[i]!)),
        id0.idBytes,
        subset.map((i) => releases[i]!.partialKeys[0]!),
      );
      for (const v of inFirstSlot)
        expect(tryDecrypt(partial, id0, v.ciphertext), `holders ${subset}`).toBeNull();
    }
    // The other door and the earlier hour are not even served.
    const s = currentSlot();
    for (const [entrance, slot] of [
      [world.back, s],
      [world.front, s - 2 * HOUR],
    ] as const) {
      await expectProblem(
        await signedCall(
          a,
          "GET",
          `/api/queries/${queryIndex}/ciphertexts?entrance=${entrance}&slot=${slot}`,
        ),
        403,
        "out-of-scope",
      );
    }
    // Asking again is idempotent: the same keys, the same release entries, nothing logged twice.
    const sizeBefore = (await deploymentLog().status()).size;
    const again = await releasesFor(proof, b, queryIndex);
    expect(again.map((r) => r.releaseIndex)).toEqual(releases.map((r) => r.releaseIndex));
    expect(again.map((r) => r.partialKeys.map((k) => k && toHex(k)))).toEqual(
      releases.map((r) => r.partialKeys.map((k) => k && toHex(k))),
    );
    expect((await deploymentLog().status()).size).toBe(sizeBefore);
    // The trustees saved the policy state with the tree they audited: the next release replays
    // only what was appended since.
    const saved = await env.DB.prepare("SELECT state FROM trustee_log_state").all<{
      state: string;
    }>();
    expect(saved.results.length).toBeGreaterThan(0);
    for (const row of saved.results) {
      const state = JSON.parse(row.state) as { size: string; policy?: { size: string } };
      expect(state.policy?.size).toBe(state.size);
    }
    // The whole log, releases included, passes the auditor.
    const audit = await auditLog({
      source: sourceFromReader("in-process", async (path) => {
        const res = await call(`/log/${path}`);
        if (!res.ok) throw new Error(`${path}: ${res.status}`);
        return new Uint8Array(await res.arrayBuffer());
      }),
      logKey: (await import("./log-fixtures.ts")).logVerifierKey(),
      entries: "lintel",
      registryKey: ed25519PublicKey(registrySecret()),
    });
    expect(audit.ok, audit.ok ? "" : audit.reason).toBe(true);
    for (const r of releases)
      expect(audit.ok && audit.lintel?.policy.hasReleased(BigInt(queryIndex), r.trusteeId)).toBe(
        true,
      );
  });
});

describe("no partial key without a logged query", () => {
  it("refuses a proof of an entry that is not a query, and a query that is not in the log", async () => {
    const { officerA: a, officerB: b } = world;
    // Entry 1 is a trustee enrolment: logged, but not a query.
    const enrolmentProof = await (await call("/api/log/entries/1/proof")).text();
    for (const t of trustees)
      await expectProblem(await askTrustee(t, a, enrolmentProof), 404, "query-not-logged");
    await expectProblem(
      await signedCall(a, "POST", "/api/queries/1/release"),
      404,
      "query-not-logged",
    );
    await expectProblem(
      await signedCall(
        a,
        "GET",
        `/api/queries/1/ciphertexts?entrance=${world.front}&slot=${currentSlot()}`,
      ),
      404,
      "query-not-logged",
    );
    // A well-signed query that was never appended, dressed in a real proof of entry 1.
    const unlogged = encodeEntry(
      countersignEntry(decodeEntry(queryEntry(a, { caseRef: "U" })).entry, b.secretKey),
    );
    const real = await (await call("/log/proof/1")).text();
    const forged = real.replace(
      /^c2sp\.org\/tlog-proof@v1\n/,
      `c2sp.org/tlog-proof@v1\nextra ${btoa(String.fromCharCode(...unlogged))}\n`,
    );
    for (const t of trustees) await expectProblem(await askTrustee(t, a, forged), 422, "bad-proof");
  });

  it("answers only officers enrolled in the log", async () => {
    const { queryIndex, proof } = await logQuery(world.officerA, world.officerB, { caseRef: "O" });
    const stranger = generateEd25519KeyPair();
    const refused = await askTrustee(trustees[0]!, stranger, proof);
    // Readable by the authority's console on the main service's origin, refusals included.
    expect(refused.headers.get("access-control-allow-origin")).toBe("*");
    await expectProblem(refused, 403, "not-an-officer");
    const ctx = createExecutionContext();
    const preflight = await trusteeApp.fetch(
      new Request(`${BASE}/trustee/release`, {
        method: "OPTIONS",
        headers: {
          origin: "http://127.0.0.1:8787",
          "access-control-request-method": "POST",
          "access-control-request-headers": "content-type, lintel-statement",
        },
      }),
      trusteeEnv(trustees[0]!),
      ctx,
    );
    expect(preflight.status).toBe(204);
    // A statement made for another request or another time is refused before any audit.
    const bytes = new TextEncoder().encode(JSON.stringify({ proof }));
    for (const [statement, code] of [
      [statementFor(world.officerA, "POST", "/trustee/other", bytes), "bad-statement"],
      [
        statementFor(world.officerA, "POST", "/trustee/release", bytes, {
          now: new Date(Date.now() - 3_600_000),
          audience: audienceOf(trustees[0]!),
        }),
        "statement-expired",
      ],
    ] as const) {
      const ctx2 = createExecutionContext();
      const res = await trusteeApp.fetch(
        new Request(`${BASE}/trustee/release`, {
          method: "POST",
          headers: { "content-type": "application/json", "lintel-statement": statement },
          body: bytes,
        }),
        trusteeEnv(trustees[0]!),
        ctx2,
      );
      await expectProblem(res, 401, code);
    }
    expect(preflight.headers.get("access-control-allow-headers")).toMatch(/lintel-statement/);
    expect(preflight.headers.get("access-control-allow-methods")).toMatch(/POST/);
    // A venue operator of this very service is not an officer either.
    const operator = await makeAccount("operator");
    await expectProblem(
      await signedCall(operator, "POST", `/api/queries/${queryIndex}/release`),
      403,
      "forbidden",
    );
  });
});

describe("a release statement names its receiver", () => {
  it("refuses a statement made for trustee A at trustee B, and one naming no receiver or another at the log", async () => {
    const { officerA: a, officerB: b } = world;
    const { queryIndex, proof } = await logQuery(a, b, { caseRef: "A" });
    const bytes = new TextEncoder().encode(JSON.stringify({ proof }));
    const [ta, tb] = [trustees[0]!, trustees[1]!];
    const forA = statementFor(a, "POST", "/trustee/release", bytes, { audience: audienceOf(ta) });
    // Trustee A's own statement, forwarded by A (or anyone who saw it) to B: same path, body,
    // deployment and time, and a nonce B never saw — refused because it names A.
    await expectProblem(await askTrustee(tb, a, proof, {}, forA), 401, "wrong-audience");
    // The right id at another origin, and a version-1 statement naming nobody: refused too.
    for (const statement of [
      statementFor(a, "POST", "/trustee/release", bytes, {
        audience: { id: tb.id, origin: "https://trustee-a.example" },
      }),
      statementFor(a, "POST", "/trustee/release", bytes),
    ]) {
      await expectProblem(await askTrustee(tb, a, proof, {}, statement), 401, "wrong-audience");
    }
    // A trustee configured with its URL takes its origin from there, not from the request.
    const configured = {
      LINTEL_TRUSTEE: JSON.stringify({
        ...JSON.parse(String(trusteeEnv(tb).LINTEL_TRUSTEE)),
        url: "https://trustee-b.example/lintel",
      }),
    };
    const forB = statementFor(a, "POST", "/trustee/release", bytes, { audience: audienceOf(tb) });
    await expectProblem(await askTrustee(tb, a, proof, configured, forB), 401, "wrong-audience");
    // Nothing was released by B; the statement is still good where it was meant to go.
    const audit = await auditLog({
      source: sourceFromReader("in-process", async (p) => {
        const res = await call(`/log/${p}`);
        if (!res.ok) throw new Error(`${p}: ${res.status}`);
        return new Uint8Array(await res.arrayBuffer());
      }),
      logKey: (await import("./log-fixtures.ts")).logVerifierKey(),
      entries: "lintel",
      registryKey: ed25519PublicKey(registrySecret()),
    });
    expect(audit.ok && audit.lintel?.policy.hasReleased(BigInt(queryIndex), tb.id)).toBe(false);
    expect((await askTrustee(ta, a, proof, {}, forA)).status).toBe(200);
    // The log takes only a statement naming the log.
    const path = `/api/queries/${queryIndex}/release`;
    for (const audience of [{ id: ta.id, origin: new URL(BASE).origin }, undefined]) {
      const res = await call(path, {
        method: "POST",
        headers: {
          "lintel-statement": statementFor(a, "POST", path, new Uint8Array(0), {
            ...(audience ? { audience } : {}),
          }),
          "cf-connecting-ip": "198.51.100.77",
        },
      });
      await expectProblem(res, 401, "wrong-audience");
    }
  });
});

describe("a release answer", () => {
  it("carries keys sealed to the query's release key: a copy seen by anyone else opens to nothing", async () => {
    const { officerA: a, officerB: b } = world;
    const { queryIndex, proof } = await logQuery(a, b, { caseRef: "K" });
    const logged = await deploymentLog().loggedQuery(BigInt(queryIndex));
    const scope = queryScope(deployment.id, logged!);
    const t = trustees[0]!;
    const answers = [
      {
        holder: t.id,
        answer: await okJson<Record<string, unknown>>(await askTrustee(t, a, proof)),
      },
      {
        holder: "log",
        answer: await okJson<Record<string, unknown>>(
          await signedCall(a, "POST", `/api/queries/${queryIndex}/release`),
        ),
      },
    ];
    for (const { holder, answer } of answers) {
      expect(answer.format).toBe("lintel-release/2");
      expect(answer.partialKeys).toBeUndefined();
      // What a forwarding trustee, a proxy or a log reader sees: not one key, in any encoding.
      const sealed = toHex(decodeBase64url(String(answer.sealedKeys)));
      const answerKeys = await opened(answer);
      expect(answerKeys.trusteeId).toBe(holder);
      const keys = answerKeys.partialKeys.filter((k): k is Uint8Array => k !== null);
      expect(keys.length).toBe(scope.length);
      for (const k of keys) {
        expect(sealed).not.toContain(toHex(k));
        expect(JSON.stringify(answer)).not.toContain(encodeBase64url(k));
      }
      if (holder !== "log") {
        expect(answerKeys.partialKeys).toEqual(
          scope.map((id) => extractPartialKey(t.share.secretShare, id.idBytes)),
        );
      }
      // Any other X25519 key, and the filer's own key for another holder or query, opens nothing.
      for (const [answerAs, key] of [
        [answer, hpkeKeyPair().secretKey],
        [{ ...answer, trusteeId: holder === "log" ? t.id : "log" }, filerReleaseKey.secretKey],
        [{ ...answer, queryIndex: "1" }, filerReleaseKey.secretKey],
      ] as const) {
        await expect(
          openSealedRelease(answerAs, { deployment: deployment.id, releaseSecretKey: key }),
        ).rejects.toMatchObject({ code: "decryption-failed" });
      }
    }
  });
});

describe("a trustee's own page and health", () => {
  /** A GET at trustee `t`'s own worker, its answer checked against the API contract. */
  async function atTrustee(t: Trustee, path: string): Promise<Response> {
    const request = new Request(`${BASE}${path}`);
    const res = await trusteeApp.fetch(request.clone(), trusteeEnv(t), createExecutionContext());
    await checkAgainstContract(request, res);
    return res;
  }

  it("says how far the trustee audited the log: nothing before its first release, the query's tree after", async () => {
    const { officerA: a, officerB: b } = world;
    const t = trustees[0]!;
    // A trustee that never audited (its saved view dropped: the next release audits afresh).
    await env.DB.prepare("DELETE FROM trustee_log_state").run();
    expect(await okJson(await atTrustee(t, "/trustee"))).toMatchObject({
      trusteeId: t.id,
      seenSize: "0",
    });
    const { queryIndex, proof } = await logQuery(a, b, { caseRef: "SEEN" });
    expect((await askTrustee(t, a, proof)).status).toBe(200);
    const { seenSize } = await okJson<{ seenSize: string }>(await atTrustee(t, "/trustee"));
    expect(BigInt(seenSize)).toBeGreaterThan(BigInt(queryIndex));
  });

  it("answers its health checks without a log writer of its own", async () => {
    const t = trustees[0]!;
    expect(await okJson(await atTrustee(t, "/healthz"))).toEqual({
      status: "pass",
      deployment: deployment.id,
      role: "trustee",
      checks: { database: "pass" },
    });
    expect(await okJson(await atTrustee(t, "/healthz/live"))).toEqual({ status: "pass" });
  });
});

describe("a trustee's witness quorum", () => {
  it("refuses a query's proof without its witnesses' cosignatures, and releases once cosigned", async () => {
    const { officerA: a, officerB: b } = world;
    const { proof } = await logQuery(a, b, { caseRef: "Y" });
    const witness = { name: "witness.example/w1", secretKey: generateEd25519KeyPair().secretKey };
    const t = trustees[1]!;
    const withWitness = {
      LINTEL_TRUSTEE: JSON.stringify({
        id: t.id,
        logUrl: `${BASE}/log`,
        logKey: formatVerifierKey(deployment.logOrigin, ed25519PublicKey(logSecret())),
        witnesses: [
          formatCosignatureVerifierKey(witness.name, ed25519PublicKey(witness.secretKey)),
        ],
        quorum: 1,
        registryKey: encodeBase64url(ed25519PublicKey(registrySecret())),
      }),
    };
    // Signed by the log alone: a log showing the officer a view no witness saw gets nothing.
    await expectProblem(await askTrustee(t, a, proof, withWitness), 422, "bad-proof");
    const parsed = parseTlogProof(proof);
    const cosigned = formatTlogProof({
      ...(parsed.extra ? { extra: parsed.extra } : {}),
      index: parsed.index,
      proof: parsed.proof,
      signedCheckpoint:
        parsed.signedCheckpoint + cosignCheckpoint(parsed.checkpoint, witness, BigInt(now())),
    });
    expect((await askTrustee(t, a, cosigned, withWitness)).status).toBe(200);
  });
});

describe("two officers, always", () => {
  it("refuses approval by the filer's own account, and a query countersigned by the filer's second device", async () => {
    const { officerA: a } = world;
    const filed = queryEntry(a, { caseRef: "S" });
    const { draftId } = await okJson<{ draftId: string }>(
      await signedCall(a, "POST", "/api/queries", { entry: encodeBase64url(filed) }),
      201,
    );
    // A's second phone: another device of the same account, its key enrolled under A's label.
    const phone = generateEd25519KeyPair();
    const now_ = now();
    await env.DB.prepare(
      "INSERT INTO devices (id, account_id, public_key, key_id, created_at, last_used_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
      .bind(
        "d-second-phone",
        a.accountId,
        encodeBase64url(phone.publicKey),
        toHex((await import("@lintel/protocol")).deviceKeyId(deployment.id, phone.publicKey)),
        now_,
        now_,
        now_ + 86_400,
      )
      .run();
    await deploymentLog().append([
      entry(
        {
          kind: "officer-enrolment",
          publicKey: phone.publicKey,
          label: officerLogLabel("Officer A", a.accountId),
        },
        [registrySecret()],
      ),
    ]);
    const selfApproved = encodeEntry(countersignEntry(decodeEntry(filed).entry, phone.secretKey));
    await expectProblem(
      await signedCall(phone, "POST", `/api/queries/${draftId}/approve`, {
        entry: encodeBase64url(selfApproved),
      }),
      409,
      "same-officer",
    );
    // Straight to the log, around the API: the policy counts one officer.
    const direct = await call("/log/entries", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ entries: [encodeBase64url(selfApproved)] }),
    });
    const problem = await expectProblem(direct, 422, "log-policy-violation");
    expect(problem.detail).toMatch(/distinct officers, has 1/);
    // One signature alone, straight to the log.
    const alone = await call("/log/entries", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ entries: [encodeBase64url(filed)] }),
    });
    await expectProblem(alone, 422, "log-policy-violation");
  });

  it("refuses to file an entry not signed by the filing device, and a window beyond the policy", async () => {
    const { officerA: a, officerB: b } = world;
    await expectProblem(
      await signedCall(a, "POST", "/api/queries", { entry: encodeBase64url(queryEntry(b)) }),
      422,
      "bad-entry",
    );
    const s = currentSlot();
    const tooLong = queryEntry(a, { windowStart: s - 49 * HOUR, windowEnd: s });
    const problem = await expectProblem(
      await signedCall(a, "POST", "/api/queries", { entry: encodeBase64url(tooLong) }),
      422,
      "bad-entry",
    );
    expect(problem.detail).toMatch(/48 hours/);
  });
});

describe("no sweeps", () => {
  const file = (officer: TestDevice, filed: Uint8Array) =>
    signedCall(officer, "POST", "/api/queries", { entry: encodeBase64url(filed) });
  /** Signs a query body with `signers` at `issuedAt`. */
  const signedQuery = (
    body: Partial<Extract<Parameters<typeof signEntry>[0]["body"], { kind: "exposure-query" }>>,
    signers: Uint8Array[],
    issuedAt = now(),
  ) =>
    encodeEntry(
      signEntry(
        {
          deployment: deployment.id,
          issuedAt,
          body: {
            kind: "exposure-query",
            caseReferenceHash: new Uint8Array(32).fill(0x5e),
            legalBasis: "Prevention and Control of Disease Ordinance s.22",
            legalDocumentHash: new Uint8Array(32).fill(9),
            entrances: [world.front],
            windowStart: currentSlot() - 2 * HOUR,
            windowEnd: currentSlot(),
            reason: "A confirmed case visited in the afternoon.",
            releaseKey: filerReleaseKey.publicKey,
            ...body,
          },
        },
        signers,
      ),
    );

  it("refuses the 20-entrance, 48-hour sweep with made-up entrances, at the service and at the log", async () => {
    const a = world.officerA;
    const b = world.officerB;
    const s = currentSlot();
    const sweep = {
      entrances: [world.front, world.back, ...Array.from({ length: 18 }, (_, i) => `made-up-${i}`)],
      windowStart: s - 47 * HOUR,
      windowEnd: s + HOUR,
      legalBasis: "x",
      reason: "sweep",
    };
    await expectProblem(await file(a, signedQuery(sweep, [a.secretKey])), 422, "bad-entry");
    // Each rule alone, with the others satisfied: the log refuses what two officers signed.
    const appendBoth = (body: Parameters<typeof signedQuery>[0]) =>
      deploymentLog().append([signedQuery(body, [a.secretKey, b.secretKey])]);
    for (const [body, reason] of [
      [sweep, /legal basis/],
      [
        { ...sweep, legalBasis: "Disease Ordinance s.22", reason: "A confirmed case." },
        /entrance-hours/,
      ],
      [{ entrances: [world.front, "made-up-1"] }, /made-up-1 was never issued/],
      [{ windowStart: s - 12 * HOUR, windowEnd: s + HOUR }, /needs 3 distinct officers/],
    ] as const) {
      const outcome = await appendBoth(body);
      expect(outcome).toMatchObject({ ok: false, kind: "refused" });
      expect(outcome.ok ? "" : (outcome as { reason: string }).reason).toMatch(reason);
    }
    // The service refuses the made-up entrance at filing, with the reason.
    const madeUp = await expectProblem(
      await file(a, signedQuery({ entrances: [world.front, "made-up-1"] }, [a.secretKey])),
      422,
      "bad-entry",
    );
    expect(JSON.stringify(madeUp)).toMatch(/made-up-1 was never issued/);
  });

  it("takes a query above the budget only with a third officer's approval", async () => {
    const a = world.officerA;
    const b = world.officerB;
    const c = await enrolledOfficer("Officer C");
    const s = currentSlot();
    // Two doors × 7 hours = 14 entrance-hours: above the 12 budget, below the 48 cap.
    const filed = signedQuery(
      {
        caseReferenceHash: new Uint8Array(32).fill(0x3c),
        entrances: [world.front, world.back],
        windowStart: s - 6 * HOUR,
        windowEnd: s + HOUR,
      },
      [a.secretKey],
    );
    const { draftId } = await okJson<{ draftId: string }>(await file(a, filed), 201);
    const byB = countersignEntry(decodeEntry(filed).entry, b.secretKey);
    const first = await okJson<{ status: string; approvals: number; approvalsNeeded: number }>(
      await signedCall(b, "POST", `/api/queries/${draftId}/approve`, {
        entry: encodeBase64url(encodeEntry(byB)),
      }),
      202,
    );
    expect(first).toEqual({ status: "awaiting-approval", approvals: 2, approvalsNeeded: 3 });
    // B cannot count twice.
    await expectProblem(
      await signedCall(b, "POST", `/api/queries/${draftId}/approve`, {
        entry: encodeBase64url(encodeEntry(byB)),
      }),
      409,
      "same-officer",
    );
    const logged = await okJson<{ queryIndex: string }>(
      await signedCall(c, "POST", `/api/queries/${draftId}/approve`, {
        entry: encodeBase64url(encodeEntry(countersignEntry(byB, c.secretKey))),
      }),
      201,
    );
    const query = await deploymentLog().loggedQuery(BigInt(logged.queryIndex));
    expect(query?.entrances).toEqual([world.front, world.back]);
  });

  it("refuses a fifth query for one case at filing", async () => {
    const a = world.officerA;
    const b = world.officerB;
    const s = currentSlot();
    for (let i = 0; i < 4; i++) {
      await logQuery(a, b, {
        caseRef: "Q",
        windowStart: s - (i + 2) * HOUR,
        windowEnd: s - (i + 1) * HOUR,
      });
    }
    const fifth = await expectProblem(
      await file(
        a,
        queryEntry(a, { caseRef: "Q", windowStart: s - 7 * HOUR, windowEnd: s - 6 * HOUR }),
      ),
      422,
      "bad-entry",
    );
    expect(JSON.stringify(fifth)).toMatch(/already has 4 queries/);
  });
});

describe("drafts waiting for approval", () => {
  /** A draft as officer A filed it `ago` seconds ago (its issuedAt and filing time). */
  async function draftFiledAgo(ago: number, caseByte: number): Promise<string> {
    const issuedAt = now() - ago;
    const slot = issuedAt - (issuedAt % HOUR);
    const filed = encodeEntry(
      signEntry(
        {
          deployment: deployment.id,
          issuedAt,
          body: {
            kind: "exposure-query",
            caseReferenceHash: new Uint8Array(32).fill(caseByte),
            legalBasis: "Prevention and Control of Disease Ordinance s.22",
            legalDocumentHash: new Uint8Array(32).fill(9),
            entrances: [world.front],
            windowStart: slot - 2 * HOUR,
            windowEnd: slot,
            reason: "A confirmed case visited in the afternoon.",
            releaseKey: filerReleaseKey.publicKey,
          },
        },
        [world.officerA.secretKey],
      ),
    );
    const id = `q-test-${caseByte}`;
    await env.DB.prepare(
      "INSERT INTO query_drafts (id, entry, filed_by_account, status, created_at) VALUES (?, ?, ?, 'awaiting-approval', ?)",
    )
      .bind(id, filed, world.officerA.accountId, issuedAt)
      .run();
    return id;
  }

  const approveByB = async (draftId: string) => {
    const row = await env.DB.prepare("SELECT entry FROM query_drafts WHERE id = ?")
      .bind(draftId)
      .first<{ entry: ArrayBuffer }>();
    const approved = countersignEntry(
      decodeEntry(new Uint8Array(row!.entry)).entry,
      world.officerB.secretKey,
    );
    return signedCall(world.officerB, "POST", `/api/queries/${draftId}/approve`, {
      entry: encodeBase64url(encodeEntry(approved)),
    });
  };

  it("logs a query approved ten minutes after filing, after other entries were logged", async () => {
    const draftId = await draftFiledAgo(10 * 60, 0xd1);
    // Entries logged since the filing, dated now.
    expect((await deploymentLog().append([enrolment("Later 1"), enrolment("Later 2")])).ok).toBe(
      true,
    );
    const { queryIndex } = await okJson<{ queryIndex: string }>(await approveByB(draftId), 201);
    expect(await deploymentLog().loggedQuery(BigInt(queryIndex))).not.toBeNull();
  });

  it("shows a draft past its lifetime as expired, with the reason, and refuses to approve it", async () => {
    const lifetime = deployment.officerPolicy.draftLifetimeSeconds;
    const draftId = await draftFiledAgo(lifetime + 60, 0xd2);
    const list = await okJson<{
      queries: Array<{ draftId: string; status: string; expiredReason?: string }>;
    }>(await signedCall(world.officerB, "GET", "/api/queries"));
    const listed = list.queries.find((q) => q.draftId === draftId);
    expect(listed).toMatchObject({ status: "expired" });
    expect(listed?.expiredReason).toMatch(/draft lifetime/);
    const fresh = await draftFiledAgo(60, 0xd3);
    expect(list.queries.find((q) => q.draftId === fresh)).toBeUndefined();
    const again = await okJson<{
      queries: Array<{
        draftId: string;
        status: string;
        expiresAt?: number;
        approvalsNeeded?: number;
      }>;
    }>(await signedCall(world.officerB, "GET", "/api/queries"));
    expect(again.queries.find((q) => q.draftId === fresh)).toMatchObject({
      status: "awaiting-approval",
      approvalsNeeded: 2,
    });
    await expectProblem(await approveByB(draftId), 409, "draft-expired");
  });
});

describe("the server operator alone", () => {
  it("cannot decrypt with the database, every stored ciphertext and the log's epoch secrets", async () => {
    const epochSecrets = await runInDurableObject(deploymentLog(), (_i, state) =>
      state.storage.sql
        .exec<{ day: number; secret: ArrayBuffer | null }>("SELECT day, secret FROM epoch_keys")
        .toArray()
        .filter((r) => r.secret)
        .map((r) => ({ day: r.day, secret: new Uint8Array(r.secret!) })),
    );
    expect(epochSecrets.length).toBeGreaterThan(0);
    for (const visit of world.stored) {
      const id = identityBytes({
        deployment: deployment.id,
        entranceId: visit.entranceId,
        slotStart: visit.slotStart,
        slotSeconds: HOUR,
      });
      for (const { secret } of epochSecrets) {
        expect(tryDecrypt(extractPartialKey(secret, id), id, visit.ciphertext)).toBeNull();
      }
    }
    // No trustee share is anywhere in the service's database (in hex or base64url).
    const { results: tables } = await env.DB.prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'",
    ).all<{ name: string }>();
    let dump = "";
    for (const { name } of tables) {
      const { results } = await env.DB.prepare(`SELECT * FROM "${name}"`).all();
      dump += JSON.stringify(results, (_k, v) =>
        v instanceof ArrayBuffer
          ? toHex(new Uint8Array(v))
          : Array.isArray(v) && v.every((x) => typeof x === "number")
            ? toHex(Uint8Array.from(v))
            : v,
      );
    }
    expect(dump.length).toBeGreaterThan(1000);
    for (const t of trustees) {
      expect(dump).not.toContain(toHex(t.share.secretShare));
      expect(dump).not.toContain(encodeBase64url(t.share.secretShare));
    }
  });
});

describe("mangled input", () => {
  it("answers any mangled query, approval, warning or release body with a 4xx and writes nothing", async () => {
    const { officerA: a } = world;
    const good = encodeBase64url(queryEntry(a, { caseRef: "M" }));
    const drafts = async () =>
      (await env.DB.prepare("SELECT COUNT(*) AS n FROM query_drafts").first<{ n: number }>())!.n;
    const size = async () => (await deploymentLog().status()).size;
    const before = { drafts: await drafts(), size: await size() };
    const bodies: unknown[] = [
      "not json",
      [],
      {},
      { entry: 1 },
      { entry: "" },
      { entry: "!!!" },
      { entry: good, extra: true },
      { entry: good.slice(0, -8) },
      { entry: `${good}AAAA` },
      { entry: encodeBase64url(enrolment("x")) },
    ];
    for (let i = 0; i < 40; i++) {
      const bytes = decodeBase64url(good);
      bytes[Math.floor(Math.random() * bytes.length)]! ^= 1 << Math.floor(Math.random() * 8);
      bodies.push({ entry: encodeBase64url(bytes) });
    }
    for (const body of bodies) {
      for (const path of ["/api/queries", "/api/warnings", "/api/queries/q-nope/approve"]) {
        const raw = typeof body === "string" ? body : JSON.stringify(body);
        const bytes = new TextEncoder().encode(raw);
        const res = await call(path, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "lintel-statement": statementFor(a, "POST", path, bytes),
          },
          body: bytes,
        });
        // A flipped bit can leave an entry intact but for its signature, or make another valid
        // query: either way nothing is logged, and the only success is a filed draft.
        if (res.status === 201 && path === "/api/queries") continue;
        expect(res.status, `${path} ${raw.slice(0, 60)}`).toBeGreaterThanOrEqual(400);
        expect(res.status, `${path} ${raw.slice(0, 60)}`).toBeLessThan(500);
      }
    }
    expect(await size()).toBe(before.size);
    for (const proof of [
      "",
      "c2sp.org/tlog-proof@v1\n",
      "x".repeat(100),
      "c2sp.org/tlog-proof@v1\nindex 99999\n\n",
    ]) {
      const res = await askTrustee(trustees[1]!, a, proof);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    }
    expect(await drafts()).toBeGreaterThanOrEqual(before.drafts);
  });
});

/** The log's retention step as of `today`: a receipt, and the secrets it names destroyed. */
async function retireDays(today: number): Promise<void> {
  const retired = await deploymentLog().retireExpired({
    cutoff: Math.floor(Date.now() / 1000),
    ciphertexts: 0,
    today,
    retentionDays: deployment.retentionDays,
    issuedAt: Math.floor(Date.now() / 1000),
  });
  if (!retired.ok) throw new Error(retired.reason);
}

describe("retention", () => {
  it("answers the log's release again after its days' secrets are destroyed: nulls, still the logged release", async () => {
    const { officerA: a, officerB: b } = world;
    const { queryIndex, proof } = await logQuery(a, b, { caseRef: "W" });
    const first = (await releasesFor(proof, a, queryIndex)).at(-1)!;
    expect(first.partialKeys.some((k) => k !== null)).toBe(true);
    const loggedHash = async (index: bigint) => {
      const logged = decodeEntry((await deploymentLog().entryAt(index))!).entry.body;
      if (logged.kind !== "trustee-release") throw new Error("not a release entry");
      return toHex(logged.partialKeysHash);
    };
    expect(toHex(releaseHash(first))).toBe(await loggedHash(first.releaseIndex));
    const days = [...new Set(world.stored.map((v) => epochDay(v.slotStart)))];
    await retireDays(Math.max(...days) + deployment.retentionDays + 1);
    const again = await opened(
      await okJson(await signedCall(a, "POST", `/api/queries/${queryIndex}/release`)),
    );
    expect(again.releaseIndex).toBe(first.releaseIndex);
    expect(again.partialKeys.every((k) => k === null)).toBe(true);
    // Each destroyed key's kept commitment stands in for it: the same logged hash.
    expect(again.withheld?.filter((c) => c !== null).length).toBe(
      first.partialKeys.filter((k) => k !== null).length,
    );
    expect(toHex(releaseHash(again))).toBe(await loggedHash(first.releaseIndex));
  });

  it("leaves every trustee together unable to decrypt a check-in whose epoch secret was destroyed", async () => {
    const { officerA: a, officerB: b } = world;
    const { queryIndex, proof } = await logQuery(a, b, { caseRef: "R" });
    const days = [...new Set(world.stored.map((v) => epochDay(v.slotStart)))];
    // The day after retention ends: the log destroys those days' epoch secrets (retention/cron.ts).
    await retireDays(Math.max(...days) + deployment.retentionDays + 1);
    const held = await heldEpochDays();
    expect(days.filter((d) => held.includes(d))).toEqual([]);
    const releases = await releasesFor(proof, a, queryIndex);
    const logRelease = releases.at(-1)!;
    expect(logRelease.trusteeId).toBe("log");
    expect(logRelease.partialKeys.every((k) => k === null)).toBe(true);
    // Every trustee's partial key, verified and combined: still not a key to these check-ins.
    const trusteesOnly = PreparedMasterKey.fromShares(
      trustees.map((t) => ({
        publicKey: t.share.publicKey,
        proofOfPossession: t.share.proofOfPossession,
      })),
    );
    const scope = queryScope(
      deployment.id,
      (await deploymentLog().loggedQuery(BigInt(queryIndex)))!,
    );
    let tried = 0;
    for (const [i, id] of scope.entries()) {
      const partials = releases.slice(0, -1).map((r) => r.partialKeys[i]!);
      const key = combinePartialKeys(trusteesOnly, id.idBytes, partials);
      for (const v of world.stored.filter(
        (x) => x.entranceId === id.entranceId && x.slotStart === id.slotStart,
      )) {
        expect(tryDecrypt(key, id, v.ciphertext)).toBeNull();
        tried += 1;
      }
    }
    expect(tried).toBe(3);
  });

  it("has every trustee withhold its key for a day past retention by its own clock", async () => {
    const { officerA: a, officerB: b } = world;
    const t = now();
    const day = 86_400;
    const past = deployment.retentionDays + 1;
    // The earliest window the policy admits starts `retentionDays + 1` days back (a minute of
    // slack for this test's own run): on a day already past retention, unless this is the last
    // hour of a UTC day, when the next whole hour is tomorrow's.
    const start = Math.ceil((t + 60 - past * day) / HOUR) * HOUR;
    const { queryIndex, proof } = await logQuery(a, b, {
      caseRef: "P",
      windowStart: start,
      windowEnd: start + 2 * HOUR,
    });
    const releases = await releasesFor(proof, a, queryIndex);
    const scope = queryScope(
      deployment.id,
      (await deploymentLog().loggedQuery(BigInt(queryIndex)))!,
    );
    const expired = (id: ScopeIdentity) => epochDay(t) >= epochDay(id.slotStart) + past;
    // The trustees read their own clock: a UTC midnight between theirs and `t` moves the line.
    if (epochDay(now()) !== epochDay(t)) return;
    for (const r of releases.slice(0, -1)) {
      expect(r.partialKeys.map((k) => k === null)).toEqual(scope.map(expired));
    }
    // Outside the last hour (and the two minutes of slack) of a UTC day, the window's first hour
    // is on a day past retention.
    if (t % day < day - HOUR - 120) expect(expired(scope[0]!)).toBe(true);
  });
});

describe("a forked log", () => {
  it("gets a bad-proof for a proof from another tree, then nothing at all once the log itself forks", async () => {
    const { officerA: a, officerB: b } = world;
    const { proof } = await logQuery(a, b, { caseRef: "F" });
    expect((await askTrustee(trustees[0]!, a, proof)).status).toBe(200);
    // A proof from a tree the log key signed but that is not the tree the trustee verified.
    const forkedEntries = [genesis(), queryEntry(a, { caseRef: "G" })];
    forkedEntries[1] = encodeEntry(
      countersignEntry(decodeEntry(forkedEntries[1]!).entry, b.secretKey),
    );
    const tree = new MemoryTree();
    for (const e of forkedEntries) tree.appendEntry(e);
    const note = signNote(
      formatCheckpoint({ origin: deployment.logOrigin, size: tree.size, rootHash: tree.root() }),
      [ed25519NoteSigner(deployment.logOrigin, logSecret())],
    );
    const forkedProof = formatTlogProof({
      extra: forkedEntries[1],
      index: 1n,
      proof: inclusionProofSync(tree, 1n, tree.size),
      signedCheckpoint: note,
    });
    await expectProblem(await askTrustee(trustees[0]!, a, forkedProof), 422, "bad-proof");
    // Now the log itself shows another history, longer than the one the trustee saw: a fork.
    const seen = Number((await deploymentLog().status()).size);
    await wipeDeploymentLog();
    const other = [genesis(), ...Array.from({ length: seen }, (_, i) => enrolment(`Other ${i}`))];
    expect((await deploymentLog().append(other)).ok).toBe(true);
    const fork = await askTrustee(trustees[0]!, a, proof);
    const problem = (await expectProblem(fork, 409, "log-inconsistent")) as {
      evidence?: { kind?: string; checkpoints?: string[] };
    };
    expect(problem.evidence?.kind).toBe("fork");
    expect(problem.evidence?.checkpoints).toHaveLength(2);
    // Halted: even a valid request gets nothing, at every trustee of this database, until an
    // operator intervenes.
    await expectProblem(await askTrustee(trustees[1]!, a, proof), 409, "log-inconsistent");
    // The operator clears the halt; the log, shrunk below what the trustee saw, is a rollback.
    await env.DB.prepare("UPDATE trustee_log_state SET halted = NULL").run();
    await wipeDeploymentLog();
    expect((await deploymentLog().append([genesis()])).ok).toBe(true);
    const rollback = (await expectProblem(
      await askTrustee(trustees[0]!, a, proof),
      409,
      "log-inconsistent",
    )) as { evidence?: { kind?: string } };
    expect(rollback.evidence?.kind).toBe("rollback");
  });
});
