/**
 * Test helper: a whole deployment held in memory, with real keys made by the protocol's own
 * functions — registry, log, two officers, two trustees (shares and release-signing keys), the
 * epoch keys of two UTC days and the authority's box key — and real check-ins encrypted with
 * encryptCheckIn. `fetch` answers the §11 routes as the spec says: officers' statements are
 * verified, entries go through the log policy before they are appended, proofs are real
 * tlog-proofs, releases are extracted from the shares and logged once, ciphertexts are paged.
 *
 * Knobs: `tamper` (a holder's partial key at one scope position is replaced by a valid key of
 * another identity), `destroyedDays` (the log answers null for them), `pageSize`.
 */

import {
  type CheckInRecord,
  type DecodedEntry,
  decodeBase64url,
  decodeEntry,
  decodeRequestStatement,
  deviceKeyId,
  type Ed25519KeyPair,
  type EpochKey,
  ed25519NoteSigner,
  encodeBase64url,
  encodeCheckInRecord,
  encodeEntry,
  encryptCheckIn,
  epochDay,
  extractPartialKey,
  formatCheckpoint,
  formatTlogProof,
  formatVerifierKey,
  generateEd25519KeyPair,
  generateEpochKey,
  generateTrusteeKey,
  type HpkeKeyPair,
  hpkeKeyPair,
  inclusionProofSync,
  LogPolicy,
  MemoryTree,
  memoryLogReader,
  PreparedMasterKey,
  parseVerifierKey,
  partialKeysHash,
  queryScope,
  type ScopeIdentity,
  sealRelease,
  signDeploymentRecord,
  signEntry,
  signNote,
  type TrusteeKey,
  type UnsignedEntry,
  verifyRequestStatement,
} from "@lintel/protocol";
import {
  type AuthorityBoxKeyPair,
  generateAuthorityBoxKeyPair,
  ready,
  xchacha20poly1305,
} from "@lintel/protocol/seal";
import { deploymentAnswer } from "../../deployment/testing/answer.ts";
import type { FetchLike } from "../../http.ts";
import type { AuthorityDeployment } from "../deployment.ts";
import { TEST_DEPLOYMENT_LIMITS } from "./deployment-limits.ts";

export const ORIGIN = "https://checkin.test";
export const DEPLOYMENT = "demo";
export const LOG_ORIGIN = "checkin.test/demo/log";
/** 2026-11-20T23:00Z: the window crosses midnight, so it spans two UTC days. */
export const WINDOW_START = 1795215600;
export const WINDOW_END = WINDOW_START + 3 * 3600;
export const ENTRANCES = ["hbr-main", "hbr-east"] as const;
/** When the query is issued: the next morning. */
export const ISSUED_AT = WINDOW_END + 6 * 3600;
export const DAYS = [epochDay(WINDOW_START), epochDay(WINDOW_END - 1)] as const;

export interface FixtureTrustee {
  readonly id: string;
  readonly url: string;
  readonly key: TrusteeKey;
  readonly signing: Ed25519KeyPair;
}

export interface Fixture {
  readonly registry: Ed25519KeyPair;
  readonly log: Ed25519KeyPair;
  readonly officers: readonly [Ed25519KeyPair, Ed25519KeyPair];
  readonly trustees: readonly FixtureTrustee[];
  readonly epochKeys: ReadonlyMap<number, EpochKey>;
  readonly box: AuthorityBoxKeyPair;
  /** The release key of the fixture's queries (the filer's, §11.3): releases are sealed to it. */
  readonly releaseKey: HpkeKeyPair;
  readonly deployment: AuthorityDeployment;
  readonly recordBytes: Uint8Array;
  readonly entries: Uint8Array[];
  /** (entrance, slot) → ciphertexts in storage order. */
  readonly stored: Map<string, Uint8Array[]>;
  readonly fetch: FetchLike;
  /** Every request the fake saw: method and URL. */
  readonly requests: Array<{ method: string; url: string }>;
  tamper?: { readonly holder: string; readonly position: number } | undefined;
  /** Marks a draft expired, as the service does past the deployment's draft lifetime. */
  expireDraft(draftId: string, reason: string): void;
  readonly destroyedDays: Set<number>;
  pageSize: number;
  masterKeyForDay(day: number): PreparedMasterKey;
  /** Encrypts a real check-in (one ciphertext per slot of the stay) and stores it. */
  checkIn(entranceId: string, record: CheckInRecord): void;
  /** Appends an entry through the log policy; returns its index. */
  append(entry: Uint8Array): bigint;
  /** The query entry of the default scope, signed by both officers. */
  queryEntry(): UnsignedEntry;
}

const storeKey = (entrance: string, slot: number) => `${entrance}|${slot}`;

function problem(status: number, code: string): Response {
  return new Response(JSON.stringify({ type: `/problems/${code}`, code, title: code }), {
    status,
    headers: { "content-type": "application/problem+json" },
  });
}

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json" },
  });
}

export async function makeFixture(): Promise<Fixture> {
  await ready();
  const registry = generateEd25519KeyPair();
  const log = generateEd25519KeyPair();
  const officers = [generateEd25519KeyPair(), generateEd25519KeyPair()] as const;
  const releaseKey = hpkeKeyPair();
  const trustees: FixtureTrustee[] = ["trustee-a", "trustee-b"].map((id) => ({
    id,
    url: `https://${id}.test/lintel`,
    key: generateTrusteeKey(),
    signing: generateEd25519KeyPair(),
  }));
  const epochKeys = new Map(DAYS.map((d) => [d, generateEpochKey(d)]));
  const box = generateAuthorityBoxKeyPair();
  const record = {
    deployment: DEPLOYMENT,
    issuedAt: ISSUED_AT - 86_400 * 10,
    logKey: log.publicKey,
    receiptKey: generateEd25519KeyPair().publicKey,
    authorityBoxKey: box.publicKey,
    trustees: trustees.map((t) => ({
      id: t.id,
      publicKey: t.key.publicKey,
      proofOfPossession: t.key.proofOfPossession,
    })),
  };
  const recordBytes = signDeploymentRecord(record, registry.secretKey);
  const logKey = parseVerifierKey(formatVerifierKey(LOG_ORIGIN, log.publicKey));
  const deployment: AuthorityDeployment = {
    id: DEPLOYMENT,
    registryKey: registry.publicKey,
    logKey,
    witnesses: [],
    authorityBoxKey: box.publicKey,
    trustees: trustees.map((t) => ({
      id: t.id,
      url: t.url,
      publicKey: t.key.publicKey,
      proofOfPossession: t.key.proofOfPossession,
    })),
    record,
  };

  const policy = new LogPolicy(registry.publicKey);
  const entries: Uint8Array[] = [];
  const tree = new MemoryTree();
  const append = (bytes: Uint8Array): bigint => {
    policy.apply(bytes);
    entries.push(bytes);
    return tree.appendEntry(bytes);
  };
  const issue = (issuedAt: number, body: UnsignedEntry["body"], keys: Uint8Array[]) =>
    append(encodeEntry(signEntry({ deployment: DEPLOYMENT, issuedAt, body }, keys)));
  const setup = ISSUED_AT - 86_400 * 10;
  issue(
    setup,
    {
      kind: "deployment",
      registryKey: registry.publicKey,
      logKey: log.publicKey,
      ...TEST_DEPLOYMENT_LIMITS,
    },
    [registry.secretKey],
  );
  for (const [i, o] of officers.entries()) {
    issue(setup, { kind: "officer-enrolment", publicKey: o.publicKey, label: `Officer ${i}` }, [
      registry.secretKey,
    ]);
  }
  for (const t of trustees) {
    issue(
      setup,
      {
        kind: "trustee-enrolment",
        trusteeId: t.id,
        url: t.url,
        shareKey: t.key.publicKey,
        proofOfPossession: t.key.proofOfPossession,
        signingKey: t.signing.publicKey,
      },
      [registry.secretKey],
    );
  }
  for (const entranceId of ENTRANCES) {
    issue(setup, { kind: "entrance-issued", venueId: "hbr", entranceId }, [registry.secretKey]);
  }
  for (const e of epochKeys.values()) {
    issue(
      setup,
      {
        kind: "epoch-key",
        day: e.day,
        publicKey: e.publicKey,
        proofOfPossession: e.proofOfPossession,
      },
      [log.secretKey],
    );
  }

  const masterKeys = new Map<number, PreparedMasterKey>();
  const masterKeyForDay = (day: number) => {
    let mpk = masterKeys.get(day);
    if (!mpk) {
      const e = epochKeys.get(day);
      if (!e) throw new Error(`no epoch key for day ${day}`);
      mpk = PreparedMasterKey.fromShares([...trustees.map((t) => t.key), e]);
      masterKeys.set(day, mpk);
    }
    return mpk;
  };
  const stored = new Map<string, Uint8Array[]>();
  const requests: Array<{ method: string; url: string }> = [];
  const drafts = new Map<
    string,
    { entry: Uint8Array; status: string; queryIndex?: bigint; expiredReason?: string }
  >();
  const releases = new Map<string, { releaseIndex: bigint; keys: Array<Uint8Array | null> }>();

  const signedNow = () => {
    const note = signNote(
      formatCheckpoint({ origin: LOG_ORIGIN, size: tree.size, rootHash: tree.root() }),
      [ed25519NoteSigner(LOG_ORIGIN, log.secretKey)],
    );
    return note;
  };
  const proofOf = (index: bigint) =>
    formatTlogProof({
      extra: entries[Number(index)]!,
      index,
      proof: inclusionProofSync(tree, index, tree.size),
      signedCheckpoint: signedNow(),
    });

  const officerOf = (
    req: { headers: Headers; method: string; url: URL; body: Uint8Array },
    audience?: { id: string; origin: string },
  ) => {
    const header = req.headers.get("Lintel-Statement");
    if (!header) return undefined;
    const signed = decodeRequestStatement(decodeBase64url(header));
    const officer = officers.find((o) => {
      const id = deviceKeyId(DEPLOYMENT, o.publicKey);
      return id.every((b, i) => b === signed.statement.keyId[i]);
    });
    if (!officer) return undefined;
    verifyRequestStatement(signed, {
      deployment: DEPLOYMENT,
      method: req.method,
      path: req.url.pathname + req.url.search,
      body: req.body,
      now: new Date(),
      publicKey: officer.publicKey,
      ...(audience ? { audience } : {}),
    });
    return officer;
  };

  const queryAt = (
    index: bigint,
  ): { scope: ScopeIdentity[]; releaseKey: Uint8Array } | undefined => {
    const bytes = entries[Number(index)];
    if (!bytes) return undefined;
    const body = decodeEntry(bytes).entry.body;
    if (body.kind !== "exposure-query") return undefined;
    return { scope: queryScope(DEPLOYMENT, body), releaseKey: body.releaseKey };
  };

  const release = (holder: string, queryIndex: bigint) => {
    const key = `${holder}|${queryIndex}`;
    let r = releases.get(key);
    if (!r) {
      const q = queryAt(queryIndex)!;
      const keys = q.scope.map((id) => {
        if (holder === "log") {
          const day = epochDay(id.slotStart);
          const e = epochKeys.get(day);
          return !e || fixture.destroyedDays.has(day)
            ? null
            : extractPartialKey(e.secretShare, id.idBytes);
        }
        return extractPartialKey(
          trustees.find((t) => t.id === holder)!.key.secretShare,
          id.idBytes,
        );
      });
      const signer =
        holder === "log" ? log.secretKey : trustees.find((t) => t.id === holder)!.signing.secretKey;
      const releaseIndex = issue(
        ISSUED_AT + 60,
        {
          kind: "trustee-release",
          queryIndex,
          trusteeId: holder,
          identityCount: q.scope.length,
          partialKeysHash: partialKeysHash(keys),
        },
        [signer],
      );
      r = { releaseIndex, keys };
      releases.set(key, r);
    }
    const t = fixture.tamper;
    const keys = r.keys.map((k, i) => {
      if (!t || t.holder !== holder || t.position !== i || !k) return k;
      const other = queryAt(queryIndex)!.scope[(i + 1) % r!.keys.length]!;
      const secret =
        holder === "log"
          ? epochKeys.get(epochDay(other.slotStart))!.secretShare
          : trustees.find((x) => x.id === holder)!.key.secretShare;
      return extractPartialKey(secret, other.idBytes);
    });
    // Sealed to the query's release key, as the trustees and the log answer.
    return sealRelease(
      { trusteeId: holder, queryIndex, releaseIndex: r.releaseIndex, partialKeys: keys },
      DEPLOYMENT,
      queryAt(queryIndex)!.releaseKey,
    );
  };

  async function handle(url: URL, init: RequestInit): Promise<Response> {
    const method = init.method ?? "GET";
    const body = init.body instanceof Uint8Array ? init.body : new Uint8Array();
    const headers = new Headers(init.headers);
    const path = url.pathname;
    if (url.origin !== ORIGIN) {
      const trustee = trustees.find((t) => url.href === `${t.url}/release`);
      if (!trustee || method !== "POST") return problem(404, "not-found");
      const audience = { id: trustee.id, origin: url.origin };
      if (!officerOf({ headers, method, url, body }, audience)) {
        return problem(403, "not-an-officer");
      }
      const { proof } = JSON.parse(new TextDecoder().decode(body)) as { proof: string };
      const index = BigInt(/\nindex (\d+)\n/.exec(proof)![1]!);
      if (!queryAt(index)) return problem(404, "query-not-logged");
      return json(await release(trustee.id, index));
    }
    if (path === "/api/deployment") {
      return json(
        deploymentAnswer({
          id: DEPLOYMENT,
          record: encodeBase64url(recordBytes),
          registry: {
            id: "registry",
            publicKey: encodeBase64url(registry.publicKey),
            verifierKey: formatVerifierKey(`${DEPLOYMENT}/registry`, registry.publicKey),
          },
          log: {
            origin: LOG_ORIGIN,
            verifierKey: formatVerifierKey(LOG_ORIGIN, log.publicKey),
            witnesses: [],
          },
          trustees: trustees.map((t) => ({
            id: t.id,
            name: t.id,
            url: t.url,
            publicKey: null,
            proofOfPossession: null,
          })),
        }),
      );
    }
    if (path.startsWith("/log/")) {
      try {
        const bytes = await memoryLogReader(entries, LOG_ORIGIN, log.secretKey)(path.slice(5));
        return new Response(new Uint8Array(bytes));
      } catch {
        return problem(404, "not-found");
      }
    }
    let m = /^\/api\/log\/entries\/(\d+)\/proof$/.exec(path);
    if (m) {
      const index = BigInt(m[1]!);
      if (index >= tree.size) return problem(404, "not-found");
      return new Response(proofOf(index), { headers: { "content-type": "text/plain" } });
    }
    // Releases name their receiver (§6.1 v2): here the log.
    const releasePath = /^\/api\/queries\/\d+\/release$/.test(path);
    const officer = officerOf(
      { headers, method, url, body },
      releasePath ? { id: "log", origin: "" } : undefined,
    );
    if (!officer) return problem(401, "unauthenticated");
    const input = body.length
      ? (JSON.parse(new TextDecoder().decode(body)) as { entry: string })
      : undefined;
    if (path === "/api/queries" && method === "POST") {
      const draftId = `d${drafts.size + 1}`;
      drafts.set(draftId, { entry: decodeBase64url(input!.entry), status: "awaiting-approval" });
      return json({ draftId, status: "awaiting-approval" }, 201);
    }
    if (path === "/api/queries" && method === "GET") {
      return json({
        queries: [...drafts].reverse().map(([draftId, d]) => ({
          draftId,
          status: d.status,
          entry: encodeBase64url(d.entry),
          filedBy: { accountId: "a-1", label: "Officer 0" },
          filedAt: ISSUED_AT,
          ...(d.queryIndex !== undefined ? { queryIndex: String(d.queryIndex) } : {}),
          ...(d.expiredReason !== undefined ? { expiredReason: d.expiredReason } : {}),
        })),
      });
    }
    m = /^\/api\/queries\/([^/]+)\/approve$/.exec(path);
    if (m && method === "POST") {
      const draft = drafts.get(m[1]!);
      if (draft?.status === "expired") return problem(409, "draft-expired");
      if (draft?.status !== "awaiting-approval") return problem(409, "draft-not-pending");
      const approved: DecodedEntry = decodeEntry(decodeBase64url(input!.entry));
      const filed = decodeEntry(draft!.entry);
      if (encodeBase64url(approved.signedPart) !== encodeBase64url(filed.signedPart)) {
        return problem(422, "entry-mismatch");
      }
      const bytes = decodeBase64url(input!.entry);
      let queryIndex: bigint;
      try {
        queryIndex = append(bytes);
      } catch {
        return problem(422, "log-policy-violation");
      }
      draft!.status = "logged";
      draft!.queryIndex = queryIndex;
      return json({ queryIndex: String(queryIndex), proof: proofOf(queryIndex) }, 201);
    }
    m = /^\/api\/queries\/(\d+)\/release$/.exec(path);
    if (m && method === "POST") {
      const index = BigInt(m[1]!);
      if (!queryAt(index)) return problem(404, "query-not-logged");
      return json(await release("log", index));
    }
    m = /^\/api\/queries\/(\d+)\/ciphertexts$/.exec(path);
    if (m && method === "GET") {
      const q = queryAt(BigInt(m[1]!));
      if (!q) return problem(404, "query-not-logged");
      const entrance = url.searchParams.get("entrance") ?? "";
      const slot = Number(url.searchParams.get("slot"));
      if (!q.scope.some((id) => id.entranceId === entrance && id.slotStart === slot)) {
        return problem(403, "out-of-scope");
      }
      const all = stored.get(storeKey(entrance, slot)) ?? [];
      const from = Number(url.searchParams.get("after") ?? "0");
      const page = all.slice(from, from + fixture.pageSize);
      const next = from + fixture.pageSize < all.length ? String(from + fixture.pageSize) : null;
      return json({ ciphertexts: page.map(encodeBase64url), next });
    }
    if (path === "/api/warnings" && method === "POST") {
      try {
        return json({ index: String(append(decodeBase64url(input!.entry))) }, 201);
      } catch {
        return problem(422, "log-policy-violation");
      }
    }
    return problem(404, "not-found");
  }

  const fixture: Fixture = {
    registry,
    log,
    officers,
    trustees,
    epochKeys,
    box,
    releaseKey,
    deployment,
    recordBytes,
    entries,
    stored,
    requests,
    expireDraft: (draftId, reason) => {
      const d = drafts.get(draftId);
      if (d) drafts.set(draftId, { ...d, status: "expired", expiredReason: reason });
    },
    destroyedDays: new Set(),
    pageSize: 2,
    masterKeyForDay,
    fetch: async (input, init = {}) => {
      const url = new URL(input);
      requests.push({ method: init.method ?? "GET", url: url.href });
      return handle(url, init);
    },
    checkIn(entranceId, rec) {
      const slots = encryptCheckIn(xchacha20poly1305, {
        deployment: DEPLOYMENT,
        entranceId,
        slotSeconds: 3600,
        arrival: rec.arrival,
        departure: rec.expectedDeparture,
        record: encodeCheckInRecord(rec),
        masterKeyForDay,
      });
      for (const s of slots) {
        const k = storeKey(entranceId, s.slotStart);
        stored.set(k, [...(stored.get(k) ?? []), s.ciphertext]);
      }
    },
    append,
    queryEntry: () => ({
      deployment: DEPLOYMENT,
      issuedAt: ISSUED_AT,
      body: {
        kind: "exposure-query",
        caseReferenceHash: new Uint8Array(32).fill(7),
        legalBasis: "Public Health Act s. 12",
        legalDocumentHash: new Uint8Array(32).fill(9),
        entrances: [...ENTRANCES],
        windowStart: WINDOW_START,
        windowEnd: WINDOW_END,
        reason: "Case cluster 42",
        releaseKey: releaseKey.publicKey,
      },
    }),
  };
  return fixture;
}
