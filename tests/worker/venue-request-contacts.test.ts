/**
 * Venue requests granting contacts (PROTOCOL.md §11.7), inside workerd with real keys: a
 * deployment whose policy grants contacts; the venue files with a key made on its device; two
 * officers approve (the first approval is kept until the second signs the same bytes); an officer
 * fetches the trustee's and the log's releases — sealed to the venue's key, so the officer cannot
 * open them — and uploads them; the venue reads them back with its scope's ciphertexts, opens the
 * releases and decrypts its own entrance's check-in, and nothing of another entrance.
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import {
  combinePartialKeys,
  countersignEntry,
  decodeBase64url,
  decodeCheckInRecord,
  decodeEntry,
  decryptWithIdentityKey,
  ed25519PublicKey,
  encodeBase64url,
  encodeCheckInRecord,
  encodeEntry,
  encryptToIdentity,
  epochDay,
  formatVerifierKey,
  generateEd25519KeyPair,
  generateTrusteeKey,
  hpkeKeyPair,
  identityBytes,
  LogPolicy,
  openSealedRelease,
  PreparedMasterKey,
  queryScope,
  type Release,
  releaseHash,
  signEntry,
  verifyEpochStatement,
} from "@lintel/protocol";
import { beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../worker/src/app.ts";
import { loadDeployment } from "../../worker/src/config/deployment.ts";
import type { Env } from "../../worker/src/env.ts";
import { createTrusteeApp } from "../../worker/src/trustee/app.ts";
import { enrolledOfficer, ok, statementFor, type TestDevice } from "./account-fixtures.ts";
import { approvedVenue, body, checkIn, currentSlot, fragment, HOUR } from "./checkin-fixtures.ts";
import { BASE, call, expectProblem, resetDatabase } from "./helpers.ts";
import {
  deploymentLog,
  entry,
  genesis,
  logSecret,
  registrySecret,
  wipeDeploymentLog,
} from "./log-fixtures.ts";
import { testAead } from "./test-aead.ts";

const deployment = loadDeployment(env.LINTEL_DEPLOYMENT);
const now = () => Math.floor(Date.now() / 1000);

/** The same deployment, but its policy grants contacts to an approved venue request. */
const contactsEnv = {
  ...(env as unknown as Env),
  LINTEL_DEPLOYMENT: { ...deployment, venueRequests: { grants: ["warning", "contacts"] } },
} as Env;

const trustee = {
  id: "trustee-a",
  share: generateTrusteeKey(),
  signer: generateEd25519KeyPair(),
};

const trusteeEnv = {
  ...(env as unknown as Env),
  LINTEL_DEPLOYMENT: { ...deployment, role: "trustee" },
  LINTEL_TRUSTEE: JSON.stringify({
    id: trustee.id,
    logUrl: `${BASE}/log`,
    logKey: formatVerifierKey(deployment.logOrigin, ed25519PublicKey(logSecret())),
    witnesses: [],
    registryKey: encodeBase64url(ed25519PublicKey(registrySecret())),
  }),
  TRUSTEE_SHARE_KEY: encodeBase64url(trustee.share.secretShare),
  TRUSTEE_SIGNING_KEY: encodeBase64url(trustee.signer.secretKey),
  LOG_SERVICE: {
    fetch: (input: RequestInfo | URL, init?: RequestInit) =>
      exports.default.fetch(new Request(input, init)),
  } as unknown as Fetcher,
} as Env;

/** The venue's device key for its contacts request: the releases are sealed to it. */
const venueKey = hpkeKeyPair();

type Key = { secretKey: Uint8Array; publicKey: Uint8Array };

/** A signed call to the main service, under the default deployment or the contacts one. */
async function signedCall(
  key: Key,
  method: string,
  path: string,
  json?: unknown,
  under: Env | null = contactsEnv,
): Promise<Response> {
  const bytes =
    json === undefined ? new Uint8Array(0) : new TextEncoder().encode(JSON.stringify(json));
  const audience = /^\/api\/queries\/[^/]+\/release$/.test(path)
    ? { audience: { id: "log", origin: "" } }
    : {};
  const init: RequestInit = {
    method,
    headers: {
      "lintel-statement": statementFor(key, method, path, bytes, audience),
      "cf-connecting-ip": `198.51.100.${Math.floor(Math.random() * 250) + 1}`,
      ...(json === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(json === undefined ? {} : { body: bytes }),
  };
  if (under === null) return call(path, init);
  const ctx = createExecutionContext();
  const res = await createApp().fetch(new Request(`${BASE}${path}`, init), under, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

async function askTrustee(officer: Key, proof: string): Promise<Response> {
  const bytes = new TextEncoder().encode(JSON.stringify({ proof }));
  const ctx = createExecutionContext();
  const res = await createTrusteeApp().fetch(
    new Request(`${BASE}/trustee/release`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "lintel-statement": statementFor(officer, "POST", "/trustee/release", bytes, {
          audience: { id: trustee.id, origin: new URL(BASE).origin },
        }),
        "cf-connecting-ip": `203.0.113.${Math.floor(Math.random() * 250) + 1}`,
      },
      body: bytes,
    }),
    trusteeEnv,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return res;
}

async function masterKey(day: number): Promise<PreparedMasterKey> {
  const [published] = await deploymentLog().epochKeys(day, day);
  const e = verifyEpochStatement(published!.statement, ed25519PublicKey(logSecret()));
  return PreparedMasterKey.fromShares([
    { publicKey: trustee.share.publicKey, proofOfPossession: trustee.share.proofOfPossession },
    { publicKey: e.publicKey, proofOfPossession: e.proofOfPossession },
  ]);
}

function visitCiphertext(
  entranceId: string,
  slotStart: number,
  name: string,
  mpk: PreparedMasterKey,
) {
  const record = encodeCheckInRecord({
    recordedBy: "self",
    companions: 0,
    arrival: slotStart + 60,
    expectedDeparture: slotStart + 1800,
    contactKind: "contact",
    contact: { name, phone: "+852 5555 0199", idNumber: "" },
  });
  const id = identityBytes({ deployment: deployment.id, entranceId, slotStart, slotSeconds: HOUR });
  return encryptToIdentity(testAead, mpk, id, record);
}

interface RequestView {
  id: string;
  venueId: string;
  entrances: { id: string }[];
  windowStart: number;
  windowEnd: number;
  reason: "guest-case";
  grants: ("warning" | "counts" | "contacts")[];
  state: string;
  logIndex: string | null;
  releaseKey: string | null;
  approvals: number;
  approvalsNeeded: number;
  approvalEntry: string | null;
  releases: string[];
}

/** The request's approval entry, signed by `signer` alone, as the officers' page makes it. */
function approvalOf(r: RequestView, signer: Key, releaseKey = r.releaseKey): Uint8Array {
  return encodeEntry(
    signEntry(
      {
        deployment: deployment.id,
        issuedAt: now(),
        body: {
          kind: "venue-request",
          venueId: r.venueId,
          entrances: r.entrances.map((e) => e.id),
          windowStart: r.windowStart,
          windowEnd: r.windowEnd,
          reason: r.reason,
          grants: r.grants,
          releaseKey: decodeBase64url(releaseKey!, 32),
        },
      },
      [signer.secretKey],
    ),
  );
}

const world = {
  officerA: undefined as unknown as TestDevice,
  officerB: undefined as unknown as TestDevice,
  venue: undefined as unknown as Awaited<ReturnType<typeof approvedVenue>>,
  front: "",
  back: "",
  slot: 0,
};

beforeAll(async () => {
  await resetDatabase();
  await wipeDeploymentLog();
  const setup = await deploymentLog().append([
    genesis(),
    entry(
      {
        kind: "trustee-enrolment",
        trusteeId: trustee.id,
        url: `${BASE}/trustee`,
        shareKey: trustee.share.publicKey,
        proofOfPossession: trustee.share.proofOfPossession,
        signingKey: trustee.signer.publicKey,
      },
      [registrySecret()],
    ),
  ]);
  expect(setup.ok).toBe(true);
  const today = epochDay(now());
  expect((await deploymentLog().ensureEpochKeys(today - 1, today + 1)).ok).toBe(true);
  world.officerA = await enrolledOfficer("Officer A");
  world.officerB = await enrolledOfficer("Officer B");
  world.venue = await approvedVenue();
  const [front, back] = world.venue.codes;
  world.front = front!.entranceId;
  world.back = back!.entranceId;
  world.slot = currentSlot() - HOUR;
  for (const [code, name] of [
    [front!, "Front Guest"],
    [back!, "Back Guest"],
  ] as const) {
    const ciphertext = visitCiphertext(
      code.entranceId,
      world.slot,
      name,
      await masterKey(epochDay(world.slot)),
    );
    const res = await checkIn(body(fragment(code.url), {}, [{ slot: world.slot, ciphertext }]));
    expect(res.status, await res.clone().text()).toBe(201);
  }
});

const fileRequest = (over: Record<string, unknown> = {}, under: Env | null = contactsEnv) =>
  signedCall(
    world.venue.operator,
    "POST",
    `/api/venues/${world.venue.app.id}/requests`,
    {
      entrances: [world.front],
      windowStart: world.slot,
      windowEnd: world.slot + HOUR,
      reason: "guest-case",
      ...over,
    },
    under,
  );

const rowCount = async () =>
  (await env.DB.prepare("SELECT COUNT(*) AS n FROM venue_requests").first<{ n: number }>())!.n;

describe("a venue request granting contacts", () => {
  it("carries the venue's release key exactly when the policy grants contacts", async () => {
    const before = await rowCount();
    const key = encodeBase64url(venueKey.publicKey);
    // The default deployment grants no contacts: a key is refused there.
    await expectProblem(await fileRequest({ releaseKey: key }, null), 422, "bad-release-key");
    await expectProblem(await fileRequest(), 422, "bad-release-key");
    await expectProblem(
      await fileRequest({ releaseKey: encodeBase64url(new Uint8Array(32)) }),
      422,
      "bad-release-key",
    );
    expect(await rowCount()).toBe(before);
  });

  it("needs two officers and the venue's key, then the venue opens its own scope alone", async () => {
    const { officerA: a, officerB: b, venue } = world;
    const filed = await ok<RequestView>(
      await fileRequest({ releaseKey: encodeBase64url(venueKey.publicKey) }),
      201,
    );
    expect(filed).toMatchObject({
      grants: ["warning", "contacts"],
      releaseKey: encodeBase64url(venueKey.publicKey),
      approvals: 0,
      approvalsNeeded: 2,
      approvalEntry: null,
    });
    const approve = (by: Key, bytes: Uint8Array) =>
      signedCall(by, "POST", `/api/venue-requests/${filed.id}/approve`, {
        entry: encodeBase64url(bytes),
      });
    // Another key than the venue's is not the request.
    await expectProblem(
      await approve(a, approvalOf(filed, a, encodeBase64url(hpkeKeyPair().publicKey))),
      422,
      "entry-mismatch",
    );
    const sizeBefore = (await deploymentLog().status()).size;
    const first = approvalOf(filed, a);
    const kept = await ok<RequestView>(await approve(a, first), 202);
    expect(kept).toMatchObject({ state: "pending", approvals: 1, approvalsNeeded: 2 });
    expect(kept.approvalEntry).toBe(encodeBase64url(first));
    expect((await deploymentLog().status()).size).toBe(sizeBefore);
    // The same officer cannot be the second; the second signs the kept bytes, not new ones.
    await expectProblem(await approve(a, first), 409, "same-officer");
    await expectProblem(await approve(b, approvalOf(filed, b)), 422, "entry-mismatch");
    const both = encodeEntry(countersignEntry(decodeEntry(first).entry, b.secretKey));
    const approved = await ok<RequestView>(await approve(b, both), 201);
    expect(approved).toMatchObject({ state: "approved", approvalEntry: null, releases: [] });
    const logIndex = approved.logIndex!;
    const logged = decodeEntry((await deploymentLog().entryAt(BigInt(logIndex)))!).entry;
    expect(logged.signatures).toHaveLength(2);

    // An officer asks the trustee and the log; the answers are sealed to the venue's key.
    const proof = await (await call(`/api/log/entries/${logIndex}/proof`)).text();
    const sealed = [
      await ok<Record<string, unknown>>(await askTrustee(a, proof)),
      await ok<Record<string, unknown>>(
        await signedCall(a, "POST", `/api/queries/${logIndex}/release`, undefined, null),
      ),
    ];
    await expect(
      openSealedRelease(sealed[0], {
        deployment: deployment.id,
        releaseSecretKey: hpkeKeyPair().secretKey,
      }),
    ).rejects.toThrow();
    const upload = (releases: unknown[], id = filed.id) =>
      signedCall(a, "POST", `/api/venue-requests/${id}/releases`, { releases });
    await expectProblem(
      await upload([{ ...sealed[0], releaseIndex: logIndex }]),
      422,
      "bad-release",
    );
    await expectProblem(
      await upload([{ ...sealed[1], trusteeId: trustee.id }]),
      422,
      "bad-release",
    );
    expect((await ok<RequestView>(await upload(sealed))).releases).toEqual(["log", trustee.id]);

    // The venue: its releases, opened with its own key, are the logged ones.
    const operator = venue.operator;
    const base = `/api/venues/${venue.app.id}/requests/${filed.id}`;
    const { releases } = await ok<{ releases: unknown[] }>(
      await signedCall(operator, "GET", `${base}/releases`),
    );
    const scope = queryScope(deployment.id, {
      entrances: [world.front],
      windowStart: world.slot,
      windowEnd: world.slot + HOUR,
    });
    const opened: Release[] = [];
    for (const r of releases)
      opened.push(
        await openSealedRelease(r, {
          deployment: deployment.id,
          releaseSecretKey: venueKey.secretKey,
          expectedCount: scope.length,
        }),
      );
    const byHolder = new Map(opened.map((r) => [r.trusteeId, r]));
    for (const r of opened) {
      const body = decodeEntry((await deploymentLog().entryAt(r.releaseIndex))!).entry.body;
      expect(body.kind === "trustee-release" && body.queryIndex).toBe(BigInt(logIndex));
      expect(body.kind === "trustee-release" && encodeBase64url(body.partialKeysHash)).toBe(
        encodeBase64url(releaseHash(r)),
      );
    }
    const id = scope[0]!;
    const key = combinePartialKeys(await masterKey(epochDay(id.slotStart)), id.idBytes, [
      byHolder.get(trustee.id)!.partialKeys[0]!,
      byHolder.get("log")!.partialKeys[0]!,
    ]);
    const page = await ok<{ ciphertexts: string[]; next: string | null }>(
      await signedCall(
        operator,
        "GET",
        `${base}/ciphertexts?entrance=${world.front}&slot=${id.slotStart}`,
      ),
    );
    const names = page.ciphertexts.map((c) => {
      const record = decodeCheckInRecord(
        decryptWithIdentityKey(testAead, key, id.idBytes, decodeBase64url(c)),
      );
      return record.contactKind === "contact" ? record.contact.name : "(card)";
    });
    expect(names).toEqual(["Front Guest"]);
    // Another entrance, another hour, another venue's operator: refused.
    for (const [entrance, slot] of [
      [world.back, world.slot],
      [world.front, world.slot - HOUR],
    ] as const) {
      await expectProblem(
        await signedCall(operator, "GET", `${base}/ciphertexts?entrance=${entrance}&slot=${slot}`),
        403,
        "out-of-scope",
      );
    }
    const stranger = await approvedVenue();
    await expectProblem(
      await signedCall(stranger.operator, "GET", `${base}/releases`),
      404,
      "not-found",
    );
    await expectProblem(
      await signedCall(
        stranger.operator,
        "GET",
        `/api/venues/${stranger.app.id}/requests/${filed.id}/ciphertexts?entrance=${world.front}&slot=${world.slot}`,
      ),
      404,
      "not-found",
    );
    // The log's policy agrees with all of it.
    const { size } = await deploymentLog().status();
    const policy = new LogPolicy();
    for (let i = 0n; i < BigInt(size); i++) policy.apply((await deploymentLog().entryAt(i))!);
    expect(policy.hasReleased(BigInt(logIndex), trustee.id)).toBe(true);
  });

  it("without contacts releases nothing: no trustee, no log, no upload, no ciphertext", async () => {
    const { officerA: a, venue } = world;
    const plain = await ok<RequestView>(await fileRequest({}, null), 201);
    expect(plain).toMatchObject({ releaseKey: null, approvalsNeeded: 1 });
    const noKey = encodeEntry(
      signEntry(
        {
          deployment: deployment.id,
          issuedAt: now(),
          body: {
            kind: "venue-request",
            venueId: plain.venueId,
            entrances: [world.front],
            windowStart: plain.windowStart,
            windowEnd: plain.windowEnd,
            reason: "guest-case",
            grants: plain.grants,
            releaseKey: new Uint8Array(32),
          },
        },
        [a.secretKey],
      ),
    );
    const approved = await ok<RequestView>(
      await signedCall(
        a,
        "POST",
        `/api/venue-requests/${plain.id}/approve`,
        { entry: encodeBase64url(noKey) },
        null,
      ),
      201,
    );
    const logIndex = approved.logIndex!;
    const proof = await (await call(`/api/log/entries/${logIndex}/proof`)).text();
    await expectProblem(await askTrustee(a, proof), 404, "query-not-logged");
    await expectProblem(
      await signedCall(a, "POST", `/api/queries/${logIndex}/release`, undefined, null),
      404,
      "query-not-logged",
    );
    await expectProblem(
      await signedCall(a, "POST", `/api/venue-requests/${plain.id}/releases`, {
        releases: [
          {
            format: "lintel-release/2",
            trusteeId: "log",
            queryIndex: logIndex,
            releaseIndex: logIndex,
            sealedKeys: "AAAA",
          },
        ],
      }),
      409,
      "wrong-state",
    );
    await expectProblem(
      await signedCall(
        venue.operator,
        "GET",
        `/api/venues/${venue.app.id}/requests/${plain.id}/ciphertexts?entrance=${world.front}&slot=${world.slot}`,
      ),
      403,
      "out-of-scope",
    );
  });
});
