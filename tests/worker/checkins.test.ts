/**
 * Check-in ingest (worker/src/routes/checkins.ts): epoch keys published and logged; a check-in
 * stored as fixed-size ciphertexts with a verifiable receipt; replays, stale kiosk codes,
 * replaced codes, wrong slots and floods refused; staff-only proxy and paper check-ins; deletion
 * with the secret only.
 */

import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { citizenRoutes } from "@lintel/contract";
import {
  decodeBase64url,
  deletionTokenHash,
  ed25519PublicKey,
  encodeBase32,
  encodeBase64url,
  hashCiphertexts,
  kioskSuffix,
  newDeletionSecret,
  signReceipt,
  verifyEpochStatement,
  verifyReceipt,
} from "@lintel/protocol";
import { beforeEach, describe, expect, it } from "vitest";
import { dayWord } from "../../worker/src/checkins/day-word.ts";
import { checkinStoreFor } from "../../worker/src/checkins/shards.ts";
import { deriveSubkey } from "../../worker/src/crypto/at-rest.ts";
import { makeAccount, ok, signedJson } from "./account-fixtures.ts";
import {
  approvedVenue,
  body,
  CIPHERTEXT_BYTES as CT,
  checkIn,
  currentSlot,
  fakeCiphertext,
  fragment,
  HOUR,
} from "./checkin-fixtures.ts";
import { call, expectProblem, postJson, resetDatabase } from "./helpers.ts";
import { deploymentLog, logSecret, startDeploymentLog } from "./log-fixtures.ts";
import { storedCiphertexts } from "./storage-wrappers.ts";

const receiptKey = () => ed25519PublicKey(decodeBase64url(env.RECEIPT_SIGNING_KEY!, 32));

beforeEach(async () => {
  await resetDatabase();
  await startDeploymentLog();
});

describe("epoch keys", () => {
  it("publishes yesterday to a week ahead, log-signed with proofs of possession, and logs them", async () => {
    const res = await call("/api/epoch-keys");
    const { keys } = await ok<{ keys: Array<{ day: number; statement: string }> }>(res);
    const today = Math.floor(Date.now() / 86_400_000);
    expect(keys.map((k) => k.day)).toEqual(Array.from({ length: 9 }, (_, i) => today - 1 + i));
    const logKey = ed25519PublicKey(logSecret());
    for (const k of keys) {
      const s = verifyEpochStatement(decodeBase64url(k.statement), logKey);
      expect(s.day).toBe(k.day);
    }
    // Asking again makes no new keys; the log holds genesis + 9 epoch-key entries.
    const again = await ok<{ keys: Array<{ statement: string }> }>(await call("/api/epoch-keys"));
    expect(again.keys.map((k) => k.statement)).toEqual(keys.map((k) => k.statement));
    expect((await deploymentLog().status()).size).toBe("10");
  });
});

describe("the check-in word", () => {
  it("differs between venues on the same day, so a pass from another venue shows another word", async () => {
    // A word for the whole deployment would give one word per day here; per venue, eight venues
    // share a day's word only by a 1-in-32^7 chance.
    const venues = Array.from({ length: 8 }, (_, i) => `v-word-${i}`);
    for (const day of ["2026-05-01", "2026-05-02", "2026-05-03", "2026-12-31"]) {
      const words = await Promise.all(venues.map((v) => dayWord(env, v, day)));
      expect(new Set(words.map((w) => w.en)).size, day).toBeGreaterThan(1);
    }
    // And from day to day at one venue (a screenshot of yesterday's pass shows another word).
    const days = ["2026-05-01", "2026-05-02", "2026-05-03", "2026-05-04", "2026-05-05"];
    const atOne = await Promise.all(days.map((d) => dayWord(env, venues[0]!, d)));
    expect(new Set(atOne.map((w) => w.en)).size).toBeGreaterThan(1);
    // The day is fixed-length text: anything else is refused rather than hashed ambiguously.
    await expect(dayWord(env, "v", "2026-5-1")).rejects.toThrow();
  });

  it("answers each venue's staff with the word their venue's passes show today", async () => {
    const answers: Array<{ pass: unknown; staff: unknown }> = [];
    for (let i = 0; i < 4; i++) {
      const { app, codes } = await approvedVenue();
      const pass = await ok<{ dayWord: { en: string; zh: string } }>(
        await checkIn(body(fragment(codes[0]!.url))),
        201,
      );
      const staff = await makeAccount("staff", { venueId: app.id, entrances: [] });
      const view = await ok<{ word: { en: string; zh: string } }>(
        await signedJson(staff, "GET", "/api/staff/day-word"),
      );
      answers.push({ pass: pass.dayWord, staff: view.word });
    }
    for (const a of answers) expect(a.staff).toEqual(a.pass);
    // Four venues: one word for all of them would be a 1-in-32^3 chance.
    expect(new Set(answers.map((a) => JSON.stringify(a.pass))).size).toBeGreaterThan(1);
  });
});

describe("POST /api/checkins", () => {
  it("stores fixed-size ciphertexts and answers with a receipt for exactly them", async () => {
    const { app, codes } = await approvedVenue();
    const slot = currentSlot();
    const cts = [fakeCiphertext(), fakeCiphertext()];
    const b = body(fragment(codes[0]!.url), {}, [
      { slot, ciphertext: cts[0]! },
      { slot: slot + HOUR, ciphertext: cts[1]! },
    ]);
    const res = await checkIn(b);
    const answer = await ok<{
      receipt: string;
      storedAt: number;
      dayWord: { en: string; zh: string };
    }>(res, 201);
    const receipt = verifyReceipt(decodeBase64url(answer.receipt), receiptKey());
    expect(receipt).toMatchObject({
      entranceId: codes[0]!.entranceId,
      firstSlot: slot,
      slotCount: 2,
    });
    expect(receipt.ciphertextsHash).toEqual(hashCiphertexts(cts));
    // The pass shows the venue's word of the day; the venue's staff see the same one.
    const staff = await makeAccount("staff", { venueId: app.id, entrances: [] });
    const staffView = await ok<{ word: { en: string; zh: string } }>(
      await signedJson(staff, "GET", "/api/staff/day-word"),
    );
    expect(staffView.word).toEqual(answer.dayWord);
    // WebCrypto's Ed25519 and the protocol's signer give the same deterministic bytes.
    expect(decodeBase64url(answer.receipt)).toEqual(
      signReceipt(receipt, decodeBase64url(env.RECEIPT_SIGNING_KEY!, 32)),
    );
    const stored = await storedCiphertexts(codes[0]!.entranceId, slot);
    expect(stored).toEqual([cts[0]]);
  });

  it("stores a replayed submission once and answers with a receipt for the same check-in; refuses a reused key", async () => {
    const { codes } = await approvedVenue();
    const b = body(fragment(codes[0]!.url));
    const first = await ok<{ receipt: string }>(await checkIn(b), 201);
    const again = await checkIn(b);
    expect(again.status).toBe(200);
    const replayed = citizenRoutes.checkIn.responses[200].parse(await again.json());
    // Signed afresh (no receipt is kept): the same entrance, slots and ciphertexts; its own time.
    const { storedAt: _a, ...firstFields } = verifyReceipt(
      decodeBase64url(first.receipt),
      receiptKey(),
    );
    const { storedAt, ...againFields } = verifyReceipt(
      decodeBase64url(replayed.receipt),
      receiptKey(),
    );
    expect(againFields).toEqual(firstFields);
    expect(replayed.storedAt).toBe(storedAt);
    const other = body(fragment(codes[0]!.url), { idempotencyKey: b.idempotencyKey });
    await expectProblem(await checkIn(other), 409, "idempotency-conflict");
    const stored = await storedCiphertexts(codes[0]!.entranceId, currentSlot());
    expect(stored).toHaveLength(1);
  });

  it("refuses a replaced code with code-replaced, and a forged one with invalid-code", async () => {
    const { app, codes, operator } = await approvedVenue();
    await ok(
      await signedJson(
        operator,
        "POST",
        `/api/venues/${app.id}/entrances/${codes[0]!.entranceId}/replace-code`,
        {
          reason: "photographed",
        },
      ),
      201,
    );
    await expectProblem(await checkIn(body(fragment(codes[0]!.url))), 410, "code-replaced");
    const forged = fragment(codes[1]!.url).replace(/.$/, (c) => (c === "A" ? "B" : "A"));
    await expectProblem(await checkIn(body(forged)), 422, "invalid-code");
  });

  it("accepts a fresh kiosk code and refuses one photographed two minutes ago", async () => {
    const { codes } = await approvedVenue();
    const door = codes[0]!;
    const signed = (await import("@lintel/protocol")).decodeBase32(fragment(door.url));
    const secret = await deriveSubkey(env, `lintel kiosk v1|${door.entranceId}|1`);
    const fresh = encodeBase32(kioskSuffix(secret, signed, Date.now()));
    expect((await checkIn(body(fragment(door.url), { kiosk: fresh }))).status).toBe(201);
    const old = encodeBase32(kioskSuffix(secret, signed, Date.now() - 120_000));
    await expectProblem(
      await checkIn(body(fragment(door.url), { kiosk: old })),
      422,
      "kiosk-code-stale",
    );
    const otherSecret = await deriveSubkey(env, `lintel kiosk v1|${codes[1]!.entranceId}|1`);
    const foreign = encodeBase32(kioskSuffix(otherSecret, signed, Date.now()));
    await expectProblem(
      await checkIn(body(fragment(door.url), { kiosk: foreign })),
      422,
      "kiosk-code-stale",
    );
  });

  it("in kiosk mode refuses the bare code (a photo of the screen or of a poster); before and after, takes it", async () => {
    const { app, codes, operator } = await approvedVenue();
    const door = codes[0]!;
    const setMode = async (required: boolean) =>
      ok<{ kioskRequired: boolean }>(
        await signedJson(
          operator,
          "PUT",
          `/api/venues/${app.id}/entrances/${door.entranceId}/kiosk-mode`,
          { required },
        ),
      );
    const modeShown = async () => {
      const list = await ok<{ codes: Array<{ entranceId: string; kioskRequired: boolean }> }>(
        await signedJson(operator, "GET", `/api/venues/${app.id}/codes`),
      );
      const kiosk = await ok<{ kioskRequired: boolean }>(
        await signedJson(
          operator,
          "GET",
          `/api/venues/${app.id}/entrances/${door.entranceId}/kiosk`,
        ),
      );
      return [
        list.codes.find((c) => c.entranceId === door.entranceId)?.kioskRequired,
        kiosk.kioskRequired,
      ];
    };
    // Off (the default): the poster's bare code checks in.
    expect(await modeShown()).toEqual([false, false]);
    expect((await checkIn(body(fragment(door.url)))).status).toBe(201);

    expect((await setMode(true)).kioskRequired).toBe(true);
    expect(await modeShown()).toEqual([true, true]);
    await expectProblem(await checkIn(body(fragment(door.url))), 422, "kiosk-code-required");
    const signed = (await import("@lintel/protocol")).decodeBase32(fragment(door.url));
    const secret = await deriveSubkey(env, `lintel kiosk v1|${door.entranceId}|1`);
    const fresh = encodeBase32(kioskSuffix(secret, signed, Date.now()));
    expect((await checkIn(body(fragment(door.url), { kiosk: fresh }))).status).toBe(201);
    // Staff check people in by hand at a kiosk door: that path needs no screen.
    const staff = await makeAccount("staff", { venueId: app.id, entrances: [door.entranceId] });
    const proxy = body(fragment(door.url), { recordedBy: "proxy" });
    await ok(await signedJson(staff, "POST", "/api/checkins/staff", proxy), 201);
    // The other entrance is not in kiosk mode.
    expect((await checkIn(body(fragment(codes[1]!.url)))).status).toBe(201);

    // Turned off again: the poster works again.
    expect((await setMode(false)).kioskRequired).toBe(false);
    expect(await modeShown()).toEqual([false, false]);
    expect((await checkIn(body(fragment(door.url)))).status).toBe(201);
  });

  it("lets only the venue's operator switch kiosk mode", async () => {
    const { app, codes } = await approvedVenue();
    const other = await makeAccount("operator");
    await expectProblem(
      await signedJson(
        other,
        "PUT",
        `/api/venues/${app.id}/entrances/${codes[0]!.entranceId}/kiosk-mode`,
        { required: true },
      ),
      404,
      "not-found",
    );
    expect((await checkIn(body(fragment(codes[0]!.url)))).status).toBe(201);
  });

  it("refuses slots in the future, in the past, out of order, too many, and wrong-size ciphertexts", async () => {
    const { codes } = await approvedVenue();
    const code = fragment(codes[0]!.url);
    const slot = currentSlot();
    const one = (s: number) => [{ slot: s, ciphertext: fakeCiphertext() }];
    // Two slots ahead: past any clock-skew tolerance whatever the time (skew.test.ts has those).
    await expectProblem(await checkIn(body(code, {}, one(slot + 2 * HOUR))), 422, "bad-slots");
    await expectProblem(await checkIn(body(code, {}, one(slot - 3 * HOUR))), 422, "bad-slots");
    // Sent late from an offline queue: two slots back is still taken.
    expect((await checkIn(body(code, {}, one(slot - 2 * HOUR)))).status).toBe(201);
    await expectProblem(await checkIn(body(code, {}, one(slot + 60))), 422, "bad-slots");
    await expectProblem(
      await checkIn(
        body(code, {}, [
          { slot, ciphertext: fakeCiphertext() },
          { slot: slot + 2 * HOUR, ciphertext: fakeCiphertext() },
        ]),
      ),
      422,
      "bad-slots",
    );
    const many = Array.from({ length: 26 }, (_, i) => ({
      slot: slot + i * HOUR,
      ciphertext: fakeCiphertext(),
    }));
    await expectProblem(await checkIn(body(code, {}, many)), 422, "invalid-body");
    const short = body(code, {}, one(slot));
    short.slots[0]!.ciphertext = encodeBase64url(fakeCiphertext().subarray(0, CT - 1));
    await expectProblem(await checkIn(short), 422, "invalid-body");
    const proxyHere = body(code, { recordedBy: "proxy" });
    await expectProblem(await checkIn(proxyHere), 403, "forbidden");
  });

  it("stops an entrance at its hourly maximum", async () => {
    const { codes } = await approvedVenue();
    const entranceId = codes[0]!.entranceId;
    const store = checkinStoreFor(env, entranceId);
    const request = () => ({
      entranceId,
      keyTag: crypto.getRandomValues(new Uint8Array(16)),
      requestTag: crypto.getRandomValues(new Uint8Array(16)),
      deletionHash: new Uint8Array(32),
      recordedBy: "self" as const,
      slots: [{ slot: currentSlot(), ciphertext: fakeCiphertext() }],
      sweepHour: currentSlot(),
      countHour: currentSlot() + 10 * HOUR,
      cap: 2,
    });
    const outcomes = await Promise.all([0, 1, 2].map(() => store.store(request())));
    expect(outcomes.map((o) => (o.ok ? "ok" : o.reason)).sort()).toEqual([
      "entrance-full",
      "ok",
      "ok",
    ]);
  });
});

describe("staff check-ins", () => {
  it("takes proxy and backdated paper check-ins only from staff bound to the entrance", async () => {
    const { app, codes } = await approvedVenue();
    const [front, back] = codes;
    const staff = await makeAccount("staff", { venueId: app.id, entrances: [front!.entranceId] });
    const proxy = body(fragment(front!.url), { recordedBy: "proxy" });
    await ok(await signedJson(staff, "POST", "/api/checkins/staff", proxy), 201);
    const elsewhere = body(fragment(back!.url), { recordedBy: "proxy" });
    await expectProblem(
      await signedJson(staff, "POST", "/api/checkins/staff", elsewhere),
      403,
      "forbidden",
    );
    const operator = await makeAccount("operator");
    await expectProblem(
      await signedJson(operator, "POST", "/api/checkins/staff", proxy),
      403,
      "forbidden",
    );

    const paper = body(fragment(front!.url), { recordedBy: "paper" }, [
      { slot: currentSlot() - 20 * HOUR, ciphertext: fakeCiphertext() },
    ]);
    await ok(await signedJson(staff, "POST", "/api/checkins/staff", paper), 201);
    const marks = await runInDurableObject(checkinStoreFor(env, front!.entranceId), (_, state) =>
      state.storage.sql
        .exec<{ slot: number; recorded_by: number }>(
          "SELECT slot, recorded_by FROM ciphertexts WHERE entrance = ? ORDER BY slot",
          front!.entranceId,
        )
        .toArray(),
    );
    expect(marks).toEqual([
      { slot: currentSlot() - 20 * HOUR, recorded_by: 2 },
      { slot: currentSlot(), recorded_by: 1 },
    ]);
    const tooOld = body(fragment(front!.url), { recordedBy: "paper" }, [
      { slot: currentSlot() - 25 * HOUR, ciphertext: fakeCiphertext() },
    ]);
    await expectProblem(
      await signedJson(staff, "POST", "/api/checkins/staff", tooOld),
      422,
      "bad-slots",
    );
  });
});

describe("deletion with the secret", () => {
  it("check-out removes the remaining slots; a wrong secret removes nothing", async () => {
    const { codes } = await approvedVenue();
    const entranceId = codes[0]!.entranceId;
    const secret = newDeletionSecret();
    const slot = currentSlot();
    const b = body(
      fragment(codes[0]!.url),
      { deletionHash: encodeBase64url(deletionTokenHash(secret)) },
      [
        { slot, ciphertext: fakeCiphertext() },
        { slot: slot + HOUR, ciphertext: fakeCiphertext() },
        { slot: slot + 2 * HOUR, ciphertext: fakeCiphertext() },
      ],
    );
    await ok(await checkIn(b), 201);
    const wrong = await ok<{ deleted: number }>(
      await postJson("/api/checkins/delete", {
        entranceId,
        deletionSecret: encodeBase64url(newDeletionSecret()),
      }),
    );
    expect(wrong.deleted).toBe(0);
    const out = await ok<{ deleted: number }>(
      await postJson("/api/checkins/delete", {
        entranceId,
        deletionSecret: encodeBase64url(secret),
        fromSlot: slot + HOUR,
      }),
    );
    expect(out.deleted).toBe(2);
    expect(await storedCiphertexts(entranceId, slot)).toHaveLength(1);
    expect(await storedCiphertexts(entranceId, slot + HOUR)).toHaveLength(0);
  });
});

describe("the operator's counts", () => {
  it("counts check-ins per entrance per hour and flags doors with none today", async () => {
    const { app, codes, operator } = await approvedVenue();
    await ok(await checkIn(body(fragment(codes[0]!.url))), 201);
    await ok(await checkIn(body(fragment(codes[0]!.url))), 201);
    const dash = await ok<{
      entrances: Array<{ id: string; today: number; possiblyDamaged: boolean }>;
    }>(await signedJson(operator, "GET", `/api/venues/${app.id}/dashboard`));
    expect(dash.entrances).toEqual([
      expect.objectContaining({ id: codes[0]!.entranceId, today: 2, possiblyDamaged: false }),
      expect.objectContaining({ id: codes[1]!.entranceId, today: 0, possiblyDamaged: true }),
    ]);
  });
});
