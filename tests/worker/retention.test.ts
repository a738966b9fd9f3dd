/**
 * Invariant 4: expired check-ins are gone for good — ciphertexts deleted and the day's epoch
 * secret destroyed, both recorded in the log by a retention receipt.
 */

import { env } from "cloudflare:workers";
import {
  decodeEntry,
  decodeEntryBundle,
  deletionTokenHash,
  encodeBase64url,
  newDeletionSecret,
} from "@lintel/protocol";
import { beforeEach, describe, expect, it } from "vitest";
import { officerLogLabel } from "../../worker/src/accounts/officer-log.ts";
import { checkinStoreFor } from "../../worker/src/checkins/shards.ts";
import { runRetention } from "../../worker/src/retention/cron.ts";
import { applicationIn, makeAccount, ok, signedJson } from "./account-fixtures.ts";
import { currentSlot, fakeCiphertext } from "./checkin-fixtures.ts";
import { call, resetDatabase } from "./helpers.ts";
import {
  deploymentLog,
  entry,
  genesis,
  registrySecret,
  wipeDeploymentLog,
} from "./log-fixtures.ts";

const DAY = 86_400_000;

beforeEach(async () => {
  await resetDatabase();
  await wipeDeploymentLog();
  const started = await deploymentLog().append([genesis()]);
  if (!started.ok) throw new Error(started.reason);
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
    const store = checkinStoreFor(env, entranceId);

    // Ten days on: everything is still inside the 21-day retention; nothing to log.
    const early = await runRetention({ scheduledTime: Date.now() + 10 * DAY }, env);
    expect(early).toMatchObject({ ciphertextsDeleted: 0, epochDaysDestroyed: [], logged: false });
    expect(await store.slotCiphertexts(entranceId, slot)).toHaveLength(1);
    expect(await deploymentLog().heldEpochDays()).toContain(today);

    // Twenty-three days on: the slot ended more than 21 days ago, and the secrets of yesterday,
    // today and tomorrow are past d + 21 + 1.
    const sizeBefore = BigInt((await deploymentLog().status()).size);
    const late = await runRetention({ scheduledTime: Date.now() + 23 * DAY }, env);
    expect(late.ciphertextsDeleted).toBeGreaterThanOrEqual(1);
    expect(late.epochDaysDestroyed).toEqual([today - 1, today, today + 1]);
    expect(late.logged).toBe(true);
    expect(await store.slotCiphertexts(entranceId, slot)).toHaveLength(0);
    const held = await deploymentLog().heldEpochDays();
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
});
