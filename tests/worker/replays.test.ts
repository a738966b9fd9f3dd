/**
 * Replays and inflation of the check-in API (worker/src/routes/checkins.ts, store.ts):
 *   - a captured submission re-sent under a new idempotency key is refused (duplicate-checkin),
 *     also after its check-in was deleted, and stored once;
 *   - its ciphertexts posted with another entrance's code are refused, whole or one slot of them;
 *   - deleting a whole check-in takes it off its hour's count (an early check-out does not);
 *   - staff proxy and paper check-ins count against the entrance's hourly cap (at twice it);
 *   - a device clock a little fast at an hour boundary is taken; bad-slots tells the service time.
 * (Repeated citizen-card scans are refused on the staff device: client-sdk citizen/proxy.test.ts.)
 */

import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { deletionTokenHash, encodeBase64url, newDeletionSecret } from "@lintel/protocol";
import { beforeEach, describe, expect, it } from "vitest";
import { checkinStoreFor } from "../../worker/src/checkins/shards.ts";
import { loadDeployment } from "../../worker/src/config/deployment.ts";
import { CLOCK_SKEW_SECONDS, checkSlots } from "../../worker/src/routes/checkins.ts";
import { makeAccount, ok, signedJson } from "./account-fixtures.ts";
import {
  approvedVenue,
  body,
  checkIn,
  currentSlot,
  fakeCiphertext,
  fragment,
  HOUR,
} from "./checkin-fixtures.ts";
import { expectProblem, postJson, resetDatabase } from "./helpers.ts";
import { startDeploymentLog } from "./log-fixtures.ts";
import { storedCiphertexts } from "./storage-wrappers.ts";

const freshKey = () => encodeBase64url(crypto.getRandomValues(new Uint8Array(16)));
const cap = () => loadDeployment(env.LINTEL_DEPLOYMENT).ingest.maxPerEntranceHour;

async function stored(entranceId: string, slot = currentSlot()): Promise<number> {
  return (await storedCiphertexts(entranceId, slot)).length;
}

async function counted(entranceId: string, hour = currentSlot()): Promise<number> {
  const [row] = await checkinStoreFor(env, entranceId).counts([entranceId], hour, hour + HOUR);
  return row?.count ?? 0;
}

/** Sets an entrance-hour's count, as if that many check-ins had come. */
async function setCount(entranceId: string, count: number): Promise<void> {
  await runInDurableObject(checkinStoreFor(env, entranceId), (_, state) => {
    state.storage.sql.exec(
      `INSERT INTO counts (entrance, hour, count) VALUES (?, ?, ?)
       ON CONFLICT (entrance, hour) DO UPDATE SET count = excluded.count`,
      entranceId,
      currentSlot(),
      count,
    );
  });
}

beforeEach(async () => {
  await resetDatabase();
  await startDeploymentLog();
});

describe("a captured submission", () => {
  it("re-sent with a new idempotency key is refused and stored once", async () => {
    const { codes } = await approvedVenue();
    const captured = body(fragment(codes[0]!.url));
    await ok(await checkIn(captured), 201);
    await expectProblem(
      await checkIn({ ...captured, idempotencyKey: freshKey() }),
      409,
      "duplicate-checkin",
    );
    // With another deletion hash too (so it could not be deleted by its owner).
    await expectProblem(
      await checkIn({
        ...captured,
        idempotencyKey: freshKey(),
        deletionHash: encodeBase64url(deletionTokenHash(newDeletionSecret())),
      }),
      409,
      "duplicate-checkin",
    );
    // The genuine retry still gets its answer.
    expect((await checkIn(captured)).status).toBe(200);
    expect(await stored(codes[0]!.entranceId)).toBe(1);
    expect(await counted(codes[0]!.entranceId)).toBe(1);
  });

  it("re-sent after its owner deleted it is refused", async () => {
    const { codes } = await approvedVenue();
    const secret = newDeletionSecret();
    const captured = body(fragment(codes[0]!.url), {
      deletionHash: encodeBase64url(deletionTokenHash(secret)),
    });
    await ok(await checkIn(captured), 201);
    await ok(
      await postJson("/api/checkins/delete", {
        entranceId: codes[0]!.entranceId,
        deletionSecret: encodeBase64url(secret),
      }),
    );
    await expectProblem(
      await checkIn({ ...captured, idempotencyKey: freshKey() }),
      409,
      "duplicate-checkin",
    );
    expect(await stored(codes[0]!.entranceId)).toBe(0);
  });

  it("posted with another entrance's code is refused, whole or one slot of it", async () => {
    const { codes } = await approvedVenue();
    const [a, b] = codes;
    const slot = currentSlot();
    const captured = body(fragment(a!.url), {}, [
      { slot, ciphertext: fakeCiphertext() },
      { slot: slot + HOUR, ciphertext: fakeCiphertext() },
    ]);
    await ok(await checkIn(captured), 201);
    // The same body and key at b.
    await expectProblem(
      await checkIn({ ...captured, code: fragment(b!.url) }),
      409,
      "duplicate-checkin",
    );
    // A new key at b.
    await expectProblem(
      await checkIn({ ...captured, code: fragment(b!.url), idempotencyKey: freshKey() }),
      409,
      "duplicate-checkin",
    );
    // Only the second ciphertext, as b's current slot.
    await expectProblem(
      await checkIn({
        ...captured,
        code: fragment(b!.url),
        idempotencyKey: freshKey(),
        slots: [{ slot, ciphertext: captured.slots[1]!.ciphertext }],
      }),
      409,
      "duplicate-checkin",
    );
    expect(await stored(b!.entranceId)).toBe(0);
    expect(await counted(b!.entranceId)).toBe(0);
    expect(await stored(a!.entranceId)).toBe(1);
  });

  it("by staff with another key is refused as well", async () => {
    const { app, codes } = await approvedVenue();
    const staff = await makeAccount("staff", {
      venueId: app.id,
      entrances: [codes[0]!.entranceId],
    });
    const proxy = body(fragment(codes[0]!.url), { recordedBy: "proxy" });
    await ok(await signedJson(staff, "POST", "/api/checkins/staff", proxy), 201);
    await expectProblem(
      await signedJson(staff, "POST", "/api/checkins/staff", {
        ...proxy,
        idempotencyKey: freshKey(),
      }),
      409,
      "duplicate-checkin",
    );
    expect(await stored(codes[0]!.entranceId)).toBe(1);
  });
});

describe("counts follow deletions", () => {
  it("deleting a whole check-in lowers its hour's count; an early check-out does not", async () => {
    const { codes } = await approvedVenue();
    const entranceId = codes[0]!.entranceId;
    const slot = currentSlot();
    const secrets = [newDeletionSecret(), newDeletionSecret()];
    for (const secret of secrets) {
      await ok(
        await checkIn(
          body(
            fragment(codes[0]!.url),
            { deletionHash: encodeBase64url(deletionTokenHash(secret)) },
            [
              { slot, ciphertext: fakeCiphertext() },
              { slot: slot + HOUR, ciphertext: fakeCiphertext() },
            ],
          ),
        ),
        201,
      );
    }
    expect(await counted(entranceId)).toBe(2);
    const del = (secret: Uint8Array, fromSlot?: number) =>
      postJson("/api/checkins/delete", {
        entranceId,
        deletionSecret: encodeBase64url(secret),
        ...(fromSlot === undefined ? {} : { fromSlot }),
      });
    // Early check-out of the first: the person came, the count stays.
    expect(await ok<{ deleted: number }>(await del(secrets[0]!, slot + HOUR))).toEqual({
      deleted: 1,
    });
    expect(await counted(entranceId)).toBe(2);
    // "Delete my check-ins": off the count, once.
    expect(await ok<{ deleted: number }>(await del(secrets[0]!))).toEqual({ deleted: 1 });
    expect(await counted(entranceId)).toBe(1);
    expect(await ok<{ deleted: number }>(await del(secrets[0]!))).toEqual({ deleted: 0 });
    expect(await counted(entranceId)).toBe(1);
    expect(await ok<{ deleted: number }>(await del(secrets[1]!))).toEqual({ deleted: 2 });
    expect(await counted(entranceId)).toBe(0);
  });
});

describe("the hourly cap", () => {
  it("holds for staff proxy and paper check-ins too, at twice the cap", async () => {
    const { app, codes } = await approvedVenue();
    const entranceId = codes[0]!.entranceId;
    const staff = await makeAccount("staff", { venueId: app.id, entrances: [entranceId] });
    const code = fragment(codes[0]!.url);
    await setCount(entranceId, cap());
    // Self check-ins stop at the cap; staff still check people in…
    await expectProblem(await checkIn(body(code)), 429, "entrance-full");
    await setCount(entranceId, 2 * cap() - 1);
    await ok(
      await signedJson(staff, "POST", "/api/checkins/staff", body(code, { recordedBy: "proxy" })),
      201,
    );
    // …up to twice the cap, proxy and paper alike.
    await expectProblem(
      await signedJson(staff, "POST", "/api/checkins/staff", body(code, { recordedBy: "proxy" })),
      429,
      "entrance-full",
    );
    await expectProblem(
      await signedJson(
        staff,
        "POST",
        "/api/checkins/staff",
        body(code, { recordedBy: "paper" }, [
          { slot: currentSlot(), ciphertext: fakeCiphertext() },
        ]),
      ),
      429,
      "entrance-full",
    );
    expect(await counted(entranceId)).toBe(2 * cap());
  });
});

describe("clock skew", () => {
  const boundary = 1_796_529_600; // an hour start
  it("takes a first slot that starts at most CLOCK_SKEW_SECONDS after the service's now", () => {
    for (const kind of ["self", "proxy", "paper"] as const) {
      // 30 s before the boundary, a fast phone already says the next hour.
      expect(() => checkSlots([boundary], HOUR, kind, boundary - 30)).not.toThrow();
      expect(() =>
        checkSlots([boundary, boundary + HOUR], HOUR, kind, boundary - CLOCK_SKEW_SECONDS),
      ).not.toThrow();
      expect(() => checkSlots([boundary], HOUR, kind, boundary - CLOCK_SKEW_SECONDS - 1)).toThrow(
        expect.objectContaining({ code: "bad-slots", extensions: { serviceTime: boundary - 121 } }),
      );
      expect(() => checkSlots([boundary + HOUR], HOUR, kind, boundary - 30)).toThrow(
        expect.objectContaining({ code: "bad-slots" }),
      );
    }
    expect(CLOCK_SKEW_SECONDS).toBe(120);
  });

  it("answers bad-slots with the service's time, so a device can correct its clock", async () => {
    const { codes } = await approvedVenue();
    const before = Math.floor(Date.now() / 1000);
    const problem = await expectProblem(
      await checkIn(
        body(fragment(codes[0]!.url), {}, [
          { slot: currentSlot() + 3 * HOUR, ciphertext: fakeCiphertext() },
        ]),
      ),
      422,
      "bad-slots",
    );
    const serviceTime = (problem as unknown as { serviceTime: number }).serviceTime;
    expect(serviceTime).toBeGreaterThanOrEqual(before);
    expect(serviceTime).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
  });
});
