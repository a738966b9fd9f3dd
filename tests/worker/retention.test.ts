/**
 * Invariant 4: expired check-ins are gone for good — ciphertexts deleted and the day's epoch
 * secret destroyed, both recorded in the log by a retention receipt.
 */

import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import {
  decodeEntry,
  decodeEntryBundle,
  deletionTokenHash,
  type EntryBody,
  encodeBase64url,
  epochDay,
  newDeletionSecret,
} from "@lintel/protocol";
import { beforeEach, describe, expect, it } from "vitest";
import { officerLogLabel } from "../../worker/src/accounts/officer-log.ts";
import { checkinStoreFor } from "../../worker/src/checkins/shards.ts";
import { loadDeployment } from "../../worker/src/config/deployment.ts";
import { runRetention } from "../../worker/src/retention/cron.ts";
import { applicationIn, makeAccount, ok, signedJson } from "./account-fixtures.ts";
import { currentSlot, fakeCiphertext } from "./checkin-fixtures.ts";
import { call, resetDatabase } from "./helpers.ts";
import { deploymentLog, entry, registrySecret, startDeploymentLog } from "./log-fixtures.ts";
import { breakLogStorage, heldEpochDays, storedCiphertexts } from "./storage-wrappers.ts";

const DAY = 86_400_000;
const retentionDays = loadDeployment(env.LINTEL_DEPLOYMENT).retentionDays;

/** Checks one fake ciphertext into the current slot of a new venue's first entrance. */
async function storedCheckin(): Promise<{ entranceId: string; slot: number }> {
  const operator = await makeAccount("operator");
  const app = await applicationIn("approved", operator);
  const { codes } = await ok<{ codes: Array<{ entranceId: string; url: string }> }>(
    await signedJson(operator, "GET", `/api/venues/${app.id}/codes`),
  );
  const slot = currentSlot();
  const res = await call("/api/checkins", {
    method: "POST",
    headers: { "content-type": "application/json", "cf-connecting-ip": "192.0.2.45" },
    body: JSON.stringify({
      code: codes[0]!.url.slice(codes[0]!.url.indexOf("#") + 1),
      idempotencyKey: encodeBase64url(crypto.getRandomValues(new Uint8Array(16))),
      deletionHash: encodeBase64url(deletionTokenHash(newDeletionSecret())),
      slots: [{ slot, ciphertext: encodeBase64url(fakeCiphertext()) }],
    }),
  });
  expect(res.status).toBe(201);
  // Publishes the epoch keys of yesterday to a week ahead.
  await ok(await call("/api/epoch-keys"));
  return { entranceId: codes[0]!.entranceId, slot };
}

const held = (entranceId: string, slot: number) => storedCiphertexts(entranceId, slot);

/** Every retention receipt in the deployment's log, oldest first. */
async function receipts(): Promise<Array<Extract<EntryBody, { kind: "retention-receipt" }>>> {
  const size = BigInt((await deploymentLog().status()).size);
  const found: Array<Extract<EntryBody, { kind: "retention-receipt" }>> = [];
  for (let i = 0n; i < size; i++) {
    const body = decodeEntry((await deploymentLog().entryAt(i))!).entry.body;
    if (body.kind === "retention-receipt") found.push(body);
  }
  return found;
}

beforeEach(async () => {
  await resetDatabase();
  await startDeploymentLog();
});

describe("retention", () => {
  it("deletes ciphertexts and destroys epoch secrets only after retention, and logs both", async () => {
    const operator = await makeAccount("operator");
    const app = await applicationIn("approved", operator);
    const { codes } = await ok<{ codes: Array<{ entranceId: string; url: string }> }>(
      await signedJson(operator, "GET", `/api/venues/${app.id}/codes`),
    );
    const entranceId = codes[0]!.entranceId;
    const slot = currentSlot();
    const ct = fakeCiphertext();
    const res = await call("/api/checkins", {
      method: "POST",
      headers: { "content-type": "application/json", "cf-connecting-ip": "192.0.2.44" },
      body: JSON.stringify({
        code: codes[0]!.url.slice(codes[0]!.url.indexOf("#") + 1),
        idempotencyKey: encodeBase64url(crypto.getRandomValues(new Uint8Array(16))),
        deletionHash: encodeBase64url(deletionTokenHash(newDeletionSecret())),
        slots: [{ slot, ciphertext: encodeBase64url(ct) }],
      }),
    });
    expect(res.status).toBe(201);
    await ok(await call("/api/epoch-keys"));
    const today = Math.floor(Date.now() / DAY);

    // Ten days on: everything is still inside the 21-day retention; nothing to log.
    const early = await runRetention({ scheduledTime: Date.now() + 10 * DAY }, env);
    expect(early).toMatchObject({ ciphertextsDeleted: 0, epochDaysDestroyed: [], logged: false });
    expect(await storedCiphertexts(entranceId, slot)).toHaveLength(1);
    expect(await heldEpochDays()).toContain(today);

    // Twenty-three days on: the slot ended more than 21 days ago, and the secrets of yesterday,
    // today and tomorrow are past d + 21 + 1.
    const sizeBefore = BigInt((await deploymentLog().status()).size);
    const late = await runRetention({ scheduledTime: Date.now() + 23 * DAY }, env);
    expect(late.ciphertextsDeleted).toBeGreaterThanOrEqual(1);
    expect(late.epochDaysDestroyed).toEqual([today - 1, today, today + 1]);
    expect(late.logged).toBe(true);
    expect(await storedCiphertexts(entranceId, slot)).toHaveLength(0);
    const held = await heldEpochDays();
    expect(held).not.toContain(today);
    expect(held).toContain(today + 2);

    // The receipt is the log's newest entry, signed by the log key, naming what went.
    const size = BigInt((await deploymentLog().status()).size);
    expect(size).toBeGreaterThan(sizeBefore);
    const last = size - 1n;
    const tile = last / 256n;
    const width = Number(size - tile * 256n);
    const path = `/log/tile/entries/${String(tile).padStart(3, "0")}${width < 256 ? `.p/${width}` : ""}`;
    const bundle = await call(path);
    const entries = decodeEntryBundle(new Uint8Array(await bundle.arrayBuffer()), width);
    const receipts = entries
      .map((e) => decodeEntry(e).entry.body)
      .filter((b) => b.kind === "retention-receipt");
    expect(receipts.at(-1)).toMatchObject({
      kind: "retention-receipt",
      ciphertextsDeleted: BigInt(late.ciphertextsDeleted),
      epochDaysDestroyed: [today - 1, today, today + 1],
    });
  });

  it("takes the keys of lapsed officer devices out of the log's officer set", async () => {
    const current = await makeAccount("officer");
    const lapsed = await makeAccount("officer");
    for (const o of [current, lapsed]) {
      const outcome = await deploymentLog().append([
        entry(
          {
            kind: "officer-enrolment",
            publicKey: o.publicKey,
            label: officerLogLabel("Officer", o.accountId),
          },
          [registrySecret()],
        ),
      ]);
      expect(outcome.ok).toBe(true);
    }
    // The second device's lifetime ended an hour ago (makeAccount gives a day).
    await env.DB.prepare("UPDATE devices SET expires_at = ? WHERE id = ?")
      .bind(Math.floor(Date.now() / 1000) - 3600, lapsed.deviceId)
      .run();
    expect((await deploymentLog().officerKeys()).sort()).toEqual(
      [current, lapsed].map((o) => encodeBase64url(o.publicKey)).sort(),
    );
    await runRetention({ scheduledTime: Date.now() }, env);
    expect(await deploymentLog().officerKeys()).toEqual([encodeBase64url(current.publicKey)]);
  });

  it("deletes a slot exactly when it has been over for retentionDays, not a second before", async () => {
    const { entranceId, slot } = await storedCheckin();
    // The slot [slot, slot + 1 h) ended at slot + 3600; it is kept retentionDays after that.
    const boundary = (slot + 3600 + retentionDays * 86_400) * 1000;
    await runRetention({ scheduledTime: boundary - 1000 }, env);
    expect(await held(entranceId, slot)).toHaveLength(1);
    const run = await runRetention({ scheduledTime: boundary }, env);
    expect(run.ciphertextsDeleted).toBeGreaterThanOrEqual(1);
    expect(await held(entranceId, slot)).toHaveLength(0);
    expect((await receipts()).at(-1)).toMatchObject({ cutoff: slot + 3600 });
  });

  it("destroys a day's epoch secret exactly when day d + retentionDays + 1 begins", async () => {
    await storedCheckin();
    const d = epochDay(Math.floor(Date.now() / 1000));
    const start = (d + retentionDays + 1) * DAY;
    await runRetention({ scheduledTime: start - 1000 }, env);
    expect(await heldEpochDays()).toContain(d);
    expect((await receipts()).at(-1)?.epochDaysDestroyed).toEqual([d - 1]);
    const run = await runRetention({ scheduledTime: start }, env);
    expect(run.epochDaysDestroyed).toEqual([d]);
    expect(await heldEpochDays()).not.toContain(d);
    expect((await receipts()).at(-1)?.epochDaysDestroyed).toEqual([d]);
  });

  it("deletes and destroys nothing when the receipt cannot be logged, and finishes on the next run", async () => {
    const { entranceId, slot } = await storedCheckin();
    const heldDays = await heldEpochDays();
    const sizeBefore = (await deploymentLog().status()).size;
    const later = Date.now() + 23 * DAY;
    // The log's batch transaction fails: the receipt is not appended.
    const broken = await breakLogStorage(deploymentLog(), "after-leaves");
    try {
      await expect(runRetention({ scheduledTime: later }, env)).rejects.toThrow(/not logged/);
    } finally {
      await broken.heal();
    }
    expect((await deploymentLog().status()).size).toBe(sizeBefore);
    expect(await held(entranceId, slot)).toHaveLength(1);
    expect(await heldEpochDays()).toEqual(heldDays);

    const run = await runRetention({ scheduledTime: later }, env);
    expect(run.logged).toBe(true);
    expect(await held(entranceId, slot)).toHaveLength(0);
    const today = epochDay(Math.floor(Date.now() / 1000));
    expect(await heldEpochDays()).not.toContain(today);
    expect((await receipts()).at(-1)?.epochDaysDestroyed).toContain(today);
  });

  it("logs before it deletes: a deletion that fails after the receipt is completed by the next run", async () => {
    const { entranceId, slot } = await storedCheckin();
    const store = checkinStoreFor(env, entranceId);
    const later = Date.now() + 23 * DAY;
    const today = epochDay(Math.floor(Date.now() / 1000));
    // The shard's delete transaction fails (its idempotency table is gone for the moment).
    await runInDurableObject(store, (_o, state) => {
      state.storage.sql.exec("ALTER TABLE idempotency RENAME TO idempotency_away");
    });
    try {
      await expect(runRetention({ scheduledTime: later }, env)).rejects.toThrow();
    } finally {
      await runInDurableObject(store, (_o, state) => {
        state.storage.sql.exec("ALTER TABLE idempotency_away RENAME TO idempotency");
      });
    }
    // The receipt came first: it is logged, and the secrets it names are gone with it.
    const first = (await receipts()).at(-1);
    expect(first?.ciphertextsDeleted).toBeGreaterThanOrEqual(1n);
    expect(first?.epochDaysDestroyed).toContain(today);
    expect(await heldEpochDays()).not.toContain(today);
    expect(await held(entranceId, slot)).toHaveLength(1);

    // The next run counts what is still held, logs it again and deletes it.
    const count = (await receipts()).length;
    const run = await runRetention({ scheduledTime: later }, env);
    expect(run.logged).toBe(true);
    expect(await held(entranceId, slot)).toHaveLength(0);
    const all = await receipts();
    expect(all).toHaveLength(count + 1);
    expect(all.at(-1)?.ciphertextsDeleted).toBeGreaterThanOrEqual(1n);
    expect(all.at(-1)?.epochDaysDestroyed).toEqual([]);
  });
});
