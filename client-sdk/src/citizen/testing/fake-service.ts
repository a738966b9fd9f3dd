/**
 * Test helper: the check-in API of worker/src/routes/checkins.ts (and the deployment, epoch-key
 * and manual-code answers it relies on) held in memory, behind a `fetch`. It owns every key a
 * deployment has — registry, log, receipt, trustees, epoch keys — made with the protocol's own
 * functions, and answers as the spec says: it verifies codes, checks slots and sizes, stores
 * ciphertexts under their deletion hash, signs receipts, honours idempotency keys and deletes by
 * deletion secret. Refusals are RFC 9457 problems with the spec's codes.
 *
 * Knobs for tests: `offline` (fetch fails before reaching the service), `loseAnswers` (the next n
 * answers are lost after the service acted), `tamperReceipt` and `tamperStatements`, and `clock`.
 * `nextProblem` answers the next check-in with a problem. `stored`, `posts`, `calls` and `requests` record
 * what happened.
 */

import type { citizenRoutes, RouteReply } from "@lintel/contract";
import {
  type DecodedVenueCode,
  decodeBase32,
  decodeBase64url,
  deletionSecretMatches,
  type Ed25519KeyPair,
  type EpochKey,
  encodeBase32,
  encodeBase64url,
  formatVerifierKey,
  generateEd25519KeyPair,
  generateEpochKey,
  generateTrusteeKey,
  hashCiphertexts,
  isProtocolError,
  manualCodeFor,
  newVenueCode,
  parseVerifierKey,
  type Receipt,
  registryKeyName,
  signDeploymentRecord,
  signEpochStatement,
  signReceipt,
  signVenueCode,
  type TrusteeKey,
  type VenueCode,
  venueCodeUrl,
  verifyKioskSuffix,
  verifyReceipt,
  verifyVenueCode,
} from "@lintel/protocol";
import { type DeploymentAnswer, deploymentAnswer } from "../../deployment/testing/answer.ts";
import type { FetchLike } from "../../http.ts";

export const ORIGIN = "https://checkin.test";
const DAY = 86_400;
const CIPHERTEXT_BYTES = 338;

export interface StoredCheckIn {
  readonly idempotencyKey: string;
  readonly bodyKey: string;
  readonly entranceId: string;
  readonly deletionHash: Uint8Array;
  /** Slot start → ciphertext; deleted slots are removed. */
  readonly slots: Map<number, Uint8Array>;
  readonly receipt: string;
  readonly storedAt: number;
}

export interface IssuedCode {
  readonly code: VenueCode;
  readonly signed: Uint8Array;
  readonly url: string;
  readonly manual: string;
}

class Problem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(code);
  }
}

type CheckInReply = RouteReply<typeof citizenRoutes.checkIn, 201>;

/** The day's check-in word this fake answers every check-in with. */
export const DAY_WORD = { en: "lantern", zh: "灯笼" } as const;

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json" },
  });
}

function problem(p: Problem): Response {
  return new Response(
    JSON.stringify({
      type: `/problems/${p.code}`,
      title: p.code,
      status: p.status,
      code: p.code,
      ...p.extensions,
    }),
    { status: p.status, headers: { "content-type": "application/problem+json" } },
  );
}

function field<T>(body: Record<string, unknown>, name: string, ok: (v: unknown) => v is T): T {
  const v = body[name];
  if (!ok(v)) throw new Problem(422, "invalid-body");
  return v;
}

const isString = (v: unknown): v is string => typeof v === "string";
const isInt = (v: unknown): v is number => Number.isSafeInteger(v);

function bytes(text: string, length?: number): Uint8Array {
  try {
    return decodeBase64url(text, length);
  } catch {
    throw new Problem(422, "invalid-body");
  }
}

export interface FakeServiceOptions {
  readonly deployment?: string;
  readonly trustees?: number;
  /** The service's clock; the device's is the test's own. */
  readonly clock?: () => Date;
  /** Epoch keys are published from yesterday to this many days ahead; 7 by default. */
  readonly aheadDays?: number;
  /** Leave the receipt key out of GET /api/deployment. */
  readonly withoutReceiptKey?: boolean;
}

export class FakeService {
  readonly deployment: string;
  readonly registry: Ed25519KeyPair = generateEd25519KeyPair();
  readonly log: Ed25519KeyPair = generateEd25519KeyPair();
  readonly receiptKey: Ed25519KeyPair = generateEd25519KeyPair();
  readonly trustees: TrusteeKey[];
  readonly epochKeys = new Map<number, EpochKey>();
  readonly checkins: StoredCheckIn[] = [];
  readonly slotSeconds = 3600;
  /** Current code version per entrance. */
  readonly currentVersion = new Map<string, number>();
  readonly kioskSecrets = new Map<string, Uint8Array>();
  readonly codesByManual = new Map<string, IssuedCode>();
  clock: () => Date;
  offline = false;
  loseAnswers = 0;
  posts = 0;
  /** Every request received, as "METHOD /path". */
  readonly calls: string[] = [];
  /** Every request body received, as text. */
  readonly requests: string[] = [];
  /** Answers the next POST /api/checkins with this problem, without acting on it. */
  nextProblem: { readonly status: number; readonly code: string } | undefined;
  tamperReceipt: ((r: Receipt) => Receipt) | undefined;
  tamperStatements: ((entries: Array<{ day: number; statement: string }>) => unknown) | undefined;
  private readonly withoutReceiptKey: boolean;

  constructor(options: FakeServiceOptions = {}) {
    this.deployment = options.deployment ?? "demo";
    this.trustees = Array.from({ length: options.trustees ?? 2 }, () => generateTrusteeKey());
    this.clock = options.clock ?? (() => new Date());
    this.withoutReceiptKey = options.withoutReceiptKey ?? false;
    const today = Math.floor(this.clock().getTime() / 86_400_000);
    for (let day = today - 1; day <= today + (options.aheadDays ?? 7); day++)
      this.publishEpochKey(day);
  }

  get registryVerifierKey(): string {
    return formatVerifierKey(registryKeyName(this.deployment), this.registry.publicKey);
  }

  get logVerifierKey(): string {
    return formatVerifierKey(`${ORIGIN}/log`, this.log.publicKey);
  }

  /** Check-ins stored (each once, however often it was sent). */
  get stored(): number {
    return this.checkins.length;
  }

  publishEpochKey(day: number): EpochKey {
    const key = generateEpochKey(day);
    this.epochKeys.set(day, key);
    return key;
  }

  /** Issues (or replaces) the code of an entrance; `overrides` changes what is signed. */
  issueCode(
    entranceId = "hbr-main",
    overrides: Partial<VenueCode> = {},
    signingKey: Uint8Array = this.registry.secretKey,
  ): IssuedCode {
    const version = (this.currentVersion.get(entranceId) ?? 0) + 1;
    const code: VenueCode = {
      ...newVenueCode({
        deployment: this.deployment,
        venueId: "hbr",
        entranceId,
        version,
        venueName: { zh: "海港公共图书馆", en: "Harbour Library" },
        entranceName: { zh: "正门", en: "Main" },
        category: "library",
        askIdNumber: false,
        registryPublicKey: this.registry.publicKey,
        now: this.clock(),
      }),
      ...overrides,
    };
    const signed = signVenueCode(code, signingKey);
    const issued = {
      code,
      signed,
      url: venueCodeUrl(ORIGIN, signed),
      manual: manualCodeFor(signed),
    };
    if (signingKey === this.registry.secretKey && code.deployment === this.deployment) {
      this.currentVersion.set(entranceId, code.codeVersion);
      this.codesByManual.set(issued.manual, issued);
    }
    return issued;
  }

  readonly fetch: FetchLike = async (input, init) => {
    if (this.offline) throw new TypeError("fetch failed");
    const url = new URL(input);
    const method = init?.method ?? "GET";
    this.calls.push(`${method} ${url.pathname}`);
    if (typeof init?.body === "string") this.requests.push(init.body);
    let res: Response;
    try {
      res = await this.route(method, url.pathname, typeof init?.body === "string" ? init.body : "");
    } catch (e) {
      if (e instanceof Problem) res = problem(e);
      else throw e;
    }
    if (this.loseAnswers > 0) {
      this.loseAnswers--;
      throw new TypeError("the connection dropped before the answer arrived");
    }
    return res;
  };

  private async route(method: string, path: string, text: string): Promise<Response> {
    if (method === "GET" && path === "/api/deployment") return json(this.deploymentAnswer());
    if (method === "GET" && path === "/api/epoch-keys") return json(this.epochKeysAnswer());
    // As the real service: a typed code is never looked up from a URL.
    if (method === "GET" && path.startsWith("/api/codes/")) {
      throw new Problem(405, "method-not-allowed");
    }
    let body: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error();
      body = parsed as Record<string, unknown>;
    } catch {
      throw new Problem(422, "invalid-body");
    }
    if (method === "POST" && path === "/api/checkins") {
      this.posts++;
      const refusal = this.nextProblem;
      this.nextProblem = undefined;
      if (refusal) throw new Problem(refusal.status, refusal.code);
      return this.checkIn(body, text);
    }
    if (method === "POST" && path === "/api/checkins/delete") return this.delete(body);
    if (method === "POST" && path === "/api/codes/manual") {
      const issued = typeof body.code === "string" ? this.codesByManual.get(body.code) : undefined;
      if (!issued) throw new Problem(404, "unknown-code");
      return json({
        entranceId: issued.code.entranceId,
        version: issued.code.codeVersion,
        code: encodeBase32(issued.signed),
      });
    }
    throw new Problem(404, "not-found");
  }

  deploymentAnswer(): DeploymentAnswer {
    return deploymentAnswer({
      id: this.deployment,
      role: "main",
      name: { en: "Test", zh: "测试" },
      timezone: "Asia/Shanghai",
      retentionDays: 21,
      slotMinutes: this.slotSeconds / 60,
      logOrigin: `${ORIGIN}/log`,
      log: { origin: `${ORIGIN}/log`, verifierKey: this.logVerifierKey, witnesses: [] },
      registry: {
        id: "registry",
        publicKey: encodeBase64url(this.registry.publicKey),
        verifierKey: this.registryVerifierKey,
      },
      authority: null,
      // As worker/src/routes/deployment.ts serves it: the verifier key only.
      receipt: {
        verifierKey: this.withoutReceiptKey
          ? null
          : formatVerifierKey(`${this.deployment}/receipts`, this.receiptKey.publicKey),
      },
      record: encodeBase64url(
        signDeploymentRecord(
          {
            deployment: this.deployment,
            issuedAt: Math.floor(this.clock().getTime() / 1000),
            logKey: this.log.publicKey,
            receiptKey: this.receiptKey.publicKey,
            authorityBoxKey: new Uint8Array(32).fill(5),
            trustees: this.trustees.map((t, i) => ({
              id: `trustee-${i}`,
              publicKey: t.publicKey,
              proofOfPossession: t.proofOfPossession,
            })),
          },
          this.registry.secretKey,
        ),
      ),
      trustees: this.trustees.map((t, i) => ({
        id: `trustee-${i}`,
        name: `Trustee ${i}`,
        url: `https://trustee-${i}.test`,
        publicKey: encodeBase64url(t.publicKey),
        proofOfPossession: encodeBase64url(t.proofOfPossession),
      })),
      officers: [],
      auditors: [],
    });
  }

  // unknown: a test may tamper with the answer until it breaks the contract.
  private epochKeysAnswer(): unknown {
    const entries = [...this.epochKeys.values()]
      .sort((a, b) => a.day - b.day)
      .map((k) => ({
        day: k.day,
        statement: encodeBase64url(
          signEpochStatement(
            {
              deployment: this.deployment,
              day: k.day,
              publicKey: k.publicKey,
              proofOfPossession: k.proofOfPossession,
            },
            this.log.secretKey,
          ),
        ),
      }));
    return { keys: this.tamperStatements ? this.tamperStatements(entries) : entries };
  }

  private verifyCode(text: string, now: Date): DecodedVenueCode {
    let decoded: DecodedVenueCode;
    try {
      decoded = verifyVenueCode(decodeBase32(text), {
        registry: parseVerifierKey(this.registryVerifierKey),
        deployment: this.deployment,
        now,
      });
    } catch (e) {
      if (!isProtocolError(e)) throw e;
      if (e.code === "expired" || e.code === "not-yet-valid")
        throw new Problem(410, "code-expired");
      throw new Problem(422, "invalid-code");
    }
    const current = this.currentVersion.get(decoded.code.entranceId);
    if (current === undefined) throw new Problem(404, "unknown-code");
    if (decoded.code.codeVersion < current) throw new Problem(410, "code-replaced");
    return decoded;
  }

  private checkIn(body: Record<string, unknown>, text: string): Response {
    const now = this.clock();
    const idempotencyKey = field(body, "idempotencyKey", isString);
    bytes(idempotencyKey, 16);
    const seen = this.checkins.find((c) => c.idempotencyKey === idempotencyKey);
    if (seen) {
      // A retry: nothing stored twice, and a receipt for the same check-in signed afresh (the
      // service keeps no receipt, so its storedAt is now). Another body under the key is refused.
      if (seen.bodyKey !== text) throw new Problem(409, "idempotency-conflict");
      const storedAt = Math.floor(now.getTime() / 1000);
      const receipt = verifyReceipt(decodeBase64url(seen.receipt), this.receiptKey.publicKey);
      const again = encodeBase64url(
        signReceipt({ ...receipt, storedAt }, this.receiptKey.secretKey),
      );
      return json({ receipt: again, storedAt, dayWord: DAY_WORD } satisfies CheckInReply, 200);
    }
    const recordedBy = body.recordedBy ?? "self";
    if (recordedBy !== "self") throw new Problem(403, "forbidden");
    const code = this.verifyCode(field(body, "code", isString), now);
    if (body.kiosk !== undefined) {
      const secret = this.kioskSecrets.get(code.code.entranceId);
      try {
        if (!secret) throw new Error();
        verifyKioskSuffix(
          secret,
          code.bytes,
          decodeBase32(field(body, "kiosk", isString)),
          now.getTime(),
        );
      } catch {
        throw new Problem(422, "kiosk-code-stale");
      }
    }
    const deletionHash = bytes(field(body, "deletionHash", isString), 32);
    const slots = field(body, "slots", Array.isArray);
    if (slots.length < 1 || slots.length > 25) throw new Problem(422, "bad-slots");
    const parsed = slots.map((s: unknown) => {
      if (typeof s !== "object" || s === null) throw new Problem(422, "invalid-body");
      const slot = field(s as Record<string, unknown>, "slot", isInt);
      const ciphertext = bytes(field(s as Record<string, unknown>, "ciphertext", isString));
      if (ciphertext.length !== CIPHERTEXT_BYTES) throw new Problem(422, "bad-slots");
      return { slot, ciphertext };
    });
    const L = this.slotSeconds;
    const nowSeconds = Math.floor(now.getTime() / 1000);
    const current = Math.floor(nowSeconds / L) * L;
    const first = parsed[0]!.slot;
    // As the service: the current slot or one of the two before it (late from an offline queue),
    // or the next one when it starts within two minutes (a fast device clock at the boundary).
    const ahead = first > current && first - nowSeconds <= 120;
    const firstOk = (first <= current || ahead) && first >= current - 2 * L;
    if (!firstOk) throw new Problem(422, "bad-slots", { serviceTime: nowSeconds });
    parsed.forEach((s, i) => {
      if (s.slot !== first + i * L) throw new Problem(422, "bad-slots");
    });
    const storedAt = nowSeconds;
    const receipt: Receipt = {
      deployment: this.deployment,
      entranceId: code.code.entranceId,
      firstSlot: first,
      slotCount: parsed.length,
      ciphertextsHash: hashCiphertexts(parsed.map((s) => s.ciphertext)),
      storedAt,
    };
    const signed = encodeBase64url(
      signReceipt(
        this.tamperReceipt ? this.tamperReceipt(receipt) : receipt,
        this.receiptKey.secretKey,
      ),
    );
    this.checkins.push({
      idempotencyKey,
      bodyKey: text,
      entranceId: code.code.entranceId,
      deletionHash,
      slots: new Map(parsed.map((s) => [s.slot, s.ciphertext])),
      receipt: signed,
      storedAt,
    });
    return json({ receipt: signed, storedAt, dayWord: DAY_WORD } satisfies CheckInReply, 201);
  }

  private delete(body: Record<string, unknown>): Response {
    const entranceId = field(body, "entranceId", isString);
    const secret = bytes(field(body, "deletionSecret", isString), 32);
    const fromSlot = body.fromSlot === undefined ? 0 : field(body, "fromSlot", isInt);
    let deleted = 0;
    for (const c of this.checkins) {
      if (c.entranceId !== entranceId || !deletionSecretMatches(secret, c.deletionHash)) continue;
      for (const slot of [...c.slots.keys()]) {
        if (slot >= fromSlot) {
          c.slots.delete(slot);
          deleted++;
        }
      }
    }
    return json({ deleted });
  }

  /** The stored ciphertexts that are left, over every check-in. */
  ciphertextCount(): number {
    return this.checkins.reduce((n, c) => n + c.slots.size, 0);
  }

  /** The epoch key of the UTC day a slot starts on. */
  epochKeyForSlot(slotStart: number): EpochKey {
    const key = this.epochKeys.get(Math.floor(slotStart / DAY));
    if (!key) throw new Error(`no epoch key for slot ${slotStart}`);
    return key;
  }
}
