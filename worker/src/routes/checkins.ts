/**
 * Check-in ingest. Everything a person's device sends is ciphertext; the service
 * checks the code, the slots and the sizes, stores, and signs a receipt.
 *
 *   GET  /api/epoch-keys
 *        → 200 { "keys": [ { "day": <UTC day number>, "statement": "<base64url signed epoch
 *          statement, PROTOCOL.md §4.6>" } … ] } for every day from yesterday to
 *          today + epochKeysAheadDays. Devices verify each statement under the log key they
 *          pinned (GET /api/deployment → log.verifierKey) including the proof of possession, and
 *          build mpk_d = Σ trustee keys + E_d (§4.3). Publication is also in the log.
 *
 *   POST /api/checkins
 *        The body (`checkinRequest`) and the answer (`checkinAnswer`) are declared in
 *        contract/src/routes/citizen.ts: the signed venue code (base32), a kiosk suffix for kiosk
 *        codes, a fresh idempotency key, the deletion hash (§5.5), recordedBy, and one 338-byte
 *        Lintel v1 ciphertext per slot (checked by the protocol's own decoder).
 *        The slots are consecutive slot starts (deployment slotMinutes), 1–25 of them. For
 *        "self" the first slot is the current one or one of the two before it (a device that
 *        scanned offline submits late from its queue; also clock skew at a boundary), or the
 *        next one when the service's clock is at most CLOCK_SKEW_SECONDS (120) before it (a
 *        device clock a little fast at the boundary). A refusal for the slots is bad-slots with
 *        `serviceTime` (the service's Unix seconds), from which devices correct their clock.
 *        Companions' records are separate submissions, each "self". "proxy" and
 *        "paper" need a Lintel-Statement of a staff device bound to the entrance; "paper" may
 *        start up to 24 hours back and is stored as backdated.
 *        → 201 { "receipt": "<base64url signed receipt, §6.2>", "storedAt": <Unix seconds>,
 *                "dayWord": { "en": "…", "zh": "…" } }  (the venue's check-in word of the day,
 *                for the pass; the venue's door staff see it on GET /api/staff/day-word)
 *        The same idempotencyKey again with the same body (a retry after a lost answer) → 200
 *        with a receipt for the same entrance, slots and ciphertexts, signed afresh (so its
 *        storedAt is the retry's time: no receipt is kept, PROTOCOL.md §6.2) and nothing stored
 *        twice; with another body → 409 idempotency-conflict. The same ciphertext under another
 *        idempotency key or another entrance's code → 409 duplicate-checkin: every ciphertext
 *        is claimed once per deployment (store.ts, claims). Each hour of an entrance takes at
 *        most ingest.maxPerEntranceHour check-ins counted by first slot, staff ones included;
 *        staff are refused only at twice that, so a flood of self check-ins cannot lock out the
 *        people staff check in. Refusals: invalid-code 422, code-expired 410, unknown-code
 *        404, code-replaced 410, venue-closed 409, kiosk-code-stale 422, bad-slots 422,
 *        invalid-body 422, rate-limited 429, forbidden 403 (proxy/paper without a staff device of
 *        this entrance), entrance-full 429, duplicate-checkin 409.
 *
 *   POST /api/checkins/delete
 *        { "entranceId": "…", "deletionSecret": "<base64url, 32 bytes>", "fromSlot": <Unix s>? }
 *        Deletes the check-in's ciphertexts whose slot ≥ fromSlot (all when absent): early
 *        check-out, or "delete my check-ins". → 200 { "deleted": <count> }. A secret that matches
 *        nothing answers 200 with 0 (nothing to learn from trying). Deleting the whole check-in
 *        (its first slot included) takes it off its hour's count.
 *
 * No IP address, user agent, arrival time or receipt is stored with a check-in: the slot is
 * enough. Idempotency keys and ciphertext claims are kept only as keyed hashes (HMAC-SHA-256
 * under subkeys of DATA_KEY, truncated to 16 bytes), so a leaked shard cannot match them to
 * anything a device or an eavesdropper holds.
 *
 * Repeated citizen-card scans are refused on the staff device (client-sdk citizen/proxy.ts): the
 * service never sees a card, and keeping any value derived from one would link its visits.
 */

import { citizenRoutes, type RouteBody } from "@lintel/contract";
import {
  decodeBase32,
  deletionTokenHash,
  encodeBase64url,
  epochDay,
  hashCiphertexts,
  isProtocolError,
  verifyKioskSuffix,
} from "@lintel/protocol";
import { type Context, Hono } from "hono";
import { staffEntranceIds } from "../accounts/store.ts";
import { claimAll } from "../checkins/claims.ts";
import { dayWord } from "../checkins/day-word.ts";
import { signReceiptFast } from "../checkins/receipts.ts";
import { checkinStoreFor } from "../checkins/shards.ts";
import type { IngestRecordedBy } from "../checkins/store.ts";
import { claimsFor, idempotencyTags } from "../checkins/tags.ts";
import { loadDeployment } from "../config/deployment.ts";
import type { AppBindings } from "../env.ts";
import { logWriterStub } from "../log/writer.ts";
import { principalOf, signedBy } from "../middleware/auth/index.ts";
import { reply, validated } from "../middleware/contract/index.ts";
import { ProblemError } from "../problems/problem.ts";
import { enforceLimit, LIMITS } from "../rate-limit/limiter.ts";
import { currentCode } from "../venues/code-status.ts";
import { kioskSecret } from "../venues/kiosk-secret.ts";
import { localDate } from "../venues/local-day.ts";

/**
 * A person's check-in may start up to this many slots back: a phone that scanned while offline
 * submits from its queue when the network returns (the slot is when they arrived). Older than
 * that is refused: it would let a device claim presence after the fact.
 */
const OFFLINE_GRACE_SLOTS = 2;
/** How far ahead of the service's clock a device's first slot may start (a fast device clock). */
export const CLOCK_SKEW_SECONDS = 120;
/** Staff check-ins are refused at this multiple of the hourly cap (see the header). */
const STAFF_CAP_FACTOR = 2;
const PAPER_BACKDATE_SECONDS = 24 * 3600;

type CheckinBody = RouteBody<typeof citizenRoutes.checkIn>;

function decodeCodePart(text: string): Uint8Array {
  try {
    return decodeBase32(text);
  } catch (e) {
    if (isProtocolError(e)) throw new ProblemError("invalid-code", "The code is not base32 text.");
    throw e;
  }
}

/** The slot rules of the spec above; `now` in Unix seconds. */
export function checkSlots(
  slots: readonly number[],
  slotSeconds: number,
  recordedBy: IngestRecordedBy,
  now: number,
): void {
  const bad = (why: string): never => {
    throw new ProblemError("bad-slots", why, { serviceTime: now });
  };
  slots.forEach((slot, i) => {
    if (slot % slotSeconds !== 0) bad("Every slot must start on a slot boundary.");
    if (i > 0 && slot !== slots[i - 1]! + slotSeconds) bad("The slots must be consecutive.");
  });
  const current = now - (now % slotSeconds);
  const first = slots[0]!;
  // A device clock a little fast at a slot boundary starts in the next slot: taken.
  const ahead = first > current && first - now <= CLOCK_SKEW_SECONDS;
  if (recordedBy === "paper") {
    if ((first > current && !ahead) || first < current - PAPER_BACKDATE_SECONDS) {
      bad("A paper-list check-in starts within the last 24 hours.");
    }
    return;
  }
  if ((first > current && !ahead) || first < current - OFFLINE_GRACE_SLOTS * slotSeconds) {
    bad("A check-in starts in the current slot (or, sent late from an offline queue, two before).");
  }
}

async function ingest(c: Context<AppBindings>, body: CheckinBody, staffEntrances?: Set<string>) {
  const env = c.env;
  const deployment = loadDeployment(env.LINTEL_DEPLOYMENT);
  const signed = decodeCodePart(body.code);
  const code = await currentCode(env, signed);
  if (staffEntrances && !staffEntrances.has(code.entranceId)) {
    throw new ProblemError("forbidden", "This staff device is not bound to this entrance.");
  }
  const nowMs = Date.now();
  if (code.kioskRequired && body.kiosk === undefined && !staffEntrances) {
    throw new ProblemError(
      "kiosk-code-required",
      "This entrance takes the rotating code on its kiosk screen: scan the screen, not a photo.",
    );
  }
  if (body.kiosk !== undefined) {
    const secret = await kioskSecret(env, code.entranceId, code.version);
    try {
      verifyKioskSuffix(secret, signed, decodeCodePart(body.kiosk), nowMs);
    } catch (e) {
      if (!isProtocolError(e)) throw e;
      throw new ProblemError(
        "kiosk-code-stale",
        "This kiosk code is old or not genuine: scan the code on the screen again.",
      );
    }
  }
  const slotSeconds = deployment.slotMinutes * 60;
  const now = Math.floor(nowMs / 1000);
  checkSlots(
    body.slots.map((s) => s.slot),
    slotSeconds,
    body.recordedBy,
    now,
  );
  const ciphertexts = body.slots.map((s) => s.ciphertext);
  const ciphertextsHash = hashCiphertexts(ciphertexts);
  const hour = now - (now % 3600);
  const firstSlot = body.slots[0]!.slot;
  // Each ciphertext is claimed before the entrance's shard stores it, so the same ciphertext is
  // never stored twice, here or at another entrance. A claim left by a request that then failed
  // binds only that request (entrance and key): its retry passes.
  const claims = await claimsFor(env, code.entranceId, body.idempotencyKey, ciphertexts);
  const claimed = await claimAll(env, deployment.ingest.shards, claims, hour);
  if (claimed === "failed") throw new ProblemError("storage-unavailable");
  if (claimed === "taken") {
    throw new ProblemError(
      "duplicate-checkin",
      "This check-in was already stored (with another key or at another entrance).",
    );
  }
  const cap = deployment.ingest.maxPerEntranceHour;
  const outcome = await checkinStoreFor(env, code.entranceId).store({
    entranceId: code.entranceId,
    ...(await idempotencyTags(
      env,
      body.idempotencyKey,
      requestHash(code.entranceId, body, ciphertextsHash),
    )),
    deletionHash: body.deletionHash,
    recordedBy: body.recordedBy,
    slots: body.slots,
    sweepHour: hour,
    countHour: firstSlot - (firstSlot % 3600),
    cap: body.recordedBy === "self" ? cap : cap * STAFF_CAP_FACTOR,
  });
  if (!outcome.ok) {
    if (outcome.reason === "entrance-full") {
      throw new ProblemError(
        "entrance-full",
        "This entrance took its hourly maximum of check-ins.",
      );
    }
    if (outcome.reason === "conflict") {
      throw new ProblemError(
        "idempotency-conflict",
        "This idempotency key was used for another check-in.",
      );
    }
    throw new ProblemError("storage-unavailable");
  }
  // Signed now, also for a retry: no receipt is kept (it would link companions by its time).
  const receipt = await signReceiptFast(env, {
    deployment: deployment.id,
    entranceId: code.entranceId,
    firstSlot,
    slotCount: body.slots.length,
    ciphertextsHash,
    storedAt: now,
  });
  c.header("cache-control", "no-store");
  // The word of the venue whose entrance this is: a pass from another venue shows another word.
  const word = await dayWord(
    env,
    code.venueId,
    localDate(deployment.timezone, new Date(now * 1000)),
  );
  return reply(c, citizenRoutes.checkIn, outcome.replayed ? 200 : 201, {
    receipt: encodeBase64url(receipt),
    storedAt: now,
    dayWord: word,
  });
}

const encoder = new TextEncoder();

/** What an idempotency key is bound to: the entrance, slots, ciphertexts and deletion hash. */
function requestHash(
  entranceId: string,
  body: CheckinBody,
  ciphertextsHash: Uint8Array,
): Uint8Array {
  const slots = body.slots.map((s) => s.slot).join(",");
  // The text first, then two fixed 32-byte parts: the concatenation is unambiguous.
  return hashCiphertexts([
    encoder.encode(`${entranceId}|${body.recordedBy}|${slots}`),
    body.deletionHash,
    ciphertextsHash,
  ]);
}

export const checkinRoutes = new Hono<AppBindings>()
  .post("/", validated(citizenRoutes.checkIn), async (c) => {
    const body = c.req.valid("json");
    if (body.recordedBy !== "self") {
      throw new ProblemError("forbidden", "Proxy and paper check-ins go to /api/checkins/staff.");
    }
    await enforceLimit(c.env, c.req.raw, LIMITS.checkins);
    return ingest(c, body);
  })
  .post(
    "/staff",
    signedBy(["staff"], { maxBodyBytes: citizenRoutes.staffCheckIn.maxBodyBytes }),
    validated(citizenRoutes.staffCheckIn),
    async (c) => {
      const p = principalOf(c);
      const body = c.req.valid("json");
      if (body.recordedBy === "self") {
        throw new ProblemError("invalid-body", "Staff check-ins are recorded as proxy or paper.", {
          errors: [{ pointer: "/recordedBy", reason: "proxy or paper" }],
        });
      }
      return ingest(c, body, new Set(await staffEntranceIds(c.env.DB, p.accountId)));
    },
  )
  .post("/delete", validated(citizenRoutes.deleteCheckIn), async (c) => {
    const body = c.req.valid("json");
    const deleted = await checkinStoreFor(c.env, body.entranceId).remove(
      body.entranceId,
      deletionTokenHash(body.deletionSecret),
      body.fromSlot ?? 0,
    );
    return reply(c, citizenRoutes.deleteCheckIn, 200, { deleted });
  });

export const epochKeyRoutes = new Hono<AppBindings>().get("/", async (c) => {
  const deployment = loadDeployment(c.env.LINTEL_DEPLOYMENT);
  const today = epochDay(Math.floor(Date.now() / 1000));
  const from = today - 1;
  const to = today + deployment.epochKeysAheadDays;
  const log = logWriterStub(c.env, deployment.id);
  const ensured = await log.ensureEpochKeys(from, to);
  if (!ensured.ok) {
    console.error("epoch keys not published");
    throw new ProblemError("log-unavailable", "The day's encryption keys could not be published.");
  }
  const keys = await log.epochKeys(from, to);
  c.header("cache-control", "public, max-age=300");
  return reply(c, citizenRoutes.epochKeys, 200, {
    keys: keys.map((k) => ({ day: k.day, statement: encodeBase64url(k.statement) })),
  });
});
