import {
  ed25519PublicKey,
  encodeBase32,
  hashCiphertexts,
  type Receipt,
  signReceipt,
} from "@lintel/protocol";
import { describe, expect, it } from "vitest";
import { checkPass, type PassCheckContext } from "./pass-verdict.ts";

const SLOT = 3600;
const serverKey = new Uint8Array(32).fill(7);
const otherKey = new Uint8Array(32).fill(9);
const FRONT = { id: "e-front", label: { en: "Front gate", zh: "正门" } };
const SIDE = { id: "e-side", label: { en: "Side gate", zh: "侧门" } };
const context: PassCheckContext = {
  deployment: "dep-test",
  receiptKey: ed25519PublicKey(serverKey),
  timeZone: "Asia/Shanghai",
  slotSeconds: SLOT,
  entrances: [FRONT, SIDE],
};
/** 2026-05-01 14:20:00 in Shanghai (06:20 UTC). */
const NOW = Date.UTC(2026, 4, 1, 6, 20) / 1000;
const HOUR_START = NOW - (NOW % SLOT);

function receipt(overrides: Partial<Receipt> = {}, key = serverKey): string {
  return encodeBase32(
    signReceipt(
      {
        deployment: "dep-test",
        entranceId: FRONT.id,
        firstSlot: HOUR_START,
        slotCount: 2,
        ciphertextsHash: hashCiphertexts([new Uint8Array(10)]),
        storedAt: NOW - 300,
        ...overrides,
      },
      key,
    ),
  );
}

describe("checkPass", () => {
  it("accepts a receipt of this venue stored today whose slots cover now, naming the entrance", () => {
    expect(checkPass(receipt(), context, NOW)).toEqual({
      ok: true,
      entrance: FRONT,
      storedAt: NOW - 300,
      until: HOUR_START + 2 * SLOT,
    });
    // Any of the venue's entrances, not only the one this staff member works at.
    const side = checkPass(receipt({ entranceId: SIDE.id }), context, NOW);
    expect(side.ok && side.entrance).toEqual(SIDE);
    // Text read by a handheld scanner may come with a line break.
    expect(checkPass(`${receipt()}\n`, context, NOW).ok).toBe(true);
  });

  it("refuses a receipt from another venue's entrance", () => {
    expect(checkPass(receipt({ entranceId: "e-elsewhere" }), context, NOW)).toEqual({
      ok: false,
      reason: "another-venue",
    });
  });

  it("refuses a receipt stored on an earlier day in the deployment's time zone", () => {
    // Yesterday, though its slots (made up) would cover now.
    const yesterday = receipt({ storedAt: NOW - 86_400, firstSlot: HOUR_START, slotCount: 25 });
    expect(checkPass(yesterday, context, NOW)).toMatchObject({
      ok: false,
      reason: "another-day",
      entrance: FRONT,
    });
    // 23:59 Shanghai time the day before, seen at 00:01: the local day decides, not 24 hours.
    const midnight = Date.UTC(2026, 3, 30, 16, 1) / 1000; // 2026-05-01 00:01 in Shanghai
    const lateSlot = midnight - (midnight % SLOT) - SLOT;
    const late = receipt({ storedAt: midnight - 120, firstSlot: lateSlot, slotCount: 3 });
    expect(checkPass(late, context, midnight)).toMatchObject({ reason: "another-day" });
    // The same instants read in UTC are one day (16:xx UTC): the zone is the deployment's.
    expect(checkPass(late, { ...context, timeZone: "UTC" }, midnight).ok).toBe(true);
  });

  it("refuses a receipt whose stay is over, saying when it ended", () => {
    const over = receipt({ firstSlot: HOUR_START - 2 * SLOT, slotCount: 2, storedAt: NOW - 7000 });
    expect(checkPass(over, context, NOW)).toEqual({
      ok: false,
      reason: "stay-over",
      entrance: FRONT,
      storedAt: NOW - 7000,
      until: HOUR_START,
    });
    // The stay's last second still counts; its end does not.
    const until = HOUR_START + 2 * SLOT;
    expect(checkPass(receipt(), context, until - 1).ok).toBe(true);
    expect(checkPass(receipt(), context, until)).toMatchObject({ reason: "stay-over" });
  });

  it("refuses slots that start later than clock skew explains", () => {
    const later = receipt({ firstSlot: HOUR_START + SLOT, slotCount: 1 });
    expect(checkPass(later, context, NOW)).toMatchObject({ reason: "not-started" });
    expect(checkPass(later, context, HOUR_START + SLOT - 60).ok).toBe(true);
  });

  it("refuses a tampered receipt, another key's, another deployment's and text that is no receipt", () => {
    const good = receipt();
    // One character changed in the middle: the signature no longer verifies.
    const i = Math.floor(good.length / 2);
    const tampered = `${good.slice(0, i)}${good[i] === "A" ? "B" : "A"}${good.slice(i + 1)}`;
    for (const text of [
      tampered,
      receipt({}, otherKey),
      receipt({ deployment: "dep-other" }),
      "LINTEL-CARD:ABCDEFGH",
      "https://example.org/c#ABC",
      "",
      "A".repeat(2000),
    ]) {
      expect(checkPass(text, context, NOW), text.slice(0, 30)).toEqual({
        ok: false,
        reason: "not-genuine",
      });
    }
  });
});
