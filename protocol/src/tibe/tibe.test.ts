/**
 * Threshold IBE end to end: random records under random trustee sets decrypt only with every
 * share's verified partial key; anything missing, wrong or modified fails with a typed error.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { xchacha20poly1305 as aead, ready } from "../seal/index.ts";
import { codeOf } from "../testing/code-of.ts";
import { curves } from "./backend.ts";
import { decryptWithIdentityKey, encryptToIdentity } from "./ibe.ts";
import { identityBytes, MAX_SLOTS_PER_VISIT, slotsOverlapping } from "./identity.ts";
import { type KeyShare, PreparedMasterKey } from "./master-key.ts";
import { combinePartialKeys, extractPartialKey, verifyPartialKey } from "./partial-key.ts";
import { generateTrusteeKey, type TrusteeKey } from "./trustee-key.ts";

await ready();

const pool: TrusteeKey[] = Array.from({ length: 5 }, () => generateTrusteeKey());
const share = (k: TrusteeKey): KeyShare => ({
  publicKey: k.publicKey,
  proofOfPossession: k.proofOfPossession,
});

const id = (entranceId: string, slotStart: number) =>
  identityBytes({ deployment: "demo", entranceId, slotStart, slotSeconds: 3600 });

describe("threshold IBE", () => {
  it("decrypts random records under random trustee sets only with every verified partial key", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 240, maxLength: 240 }),
        fc.subarray([0, 1, 2, 3, 4], { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 480_000, max: 500_000 }),
        (record, members, hour) => {
          const keys = members.map((i) => pool[i]!);
          const mpk = PreparedMasterKey.fromShares(keys.map(share));
          const ident = id("door-1", hour * 3600);
          const ct = encryptToIdentity(aead, mpk, ident, record);
          expect(ct.length).toBe(2 + 48 + 32 + 240 + 16);

          const partials = keys.map((k) => extractPartialKey(k.secretShare, ident));
          for (const [i, p] of partials.entries()) {
            expect(verifyPartialKey(keys[i]!.publicKey, ident, p)).toBe(true);
          }
          const key = combinePartialKeys(mpk, ident, partials);
          expect(decryptWithIdentityKey(aead, key, ident, ct)).toEqual(record);

          if (keys.length > 1) {
            // One partial key short: refused before combining, and a sum of the rest fails too.
            expect(codeOf(() => combinePartialKeys(mpk, ident, partials.slice(1)))).toBe(
              "bad-value",
            );
            const c = curves();
            const partialSum = c.g2ToBytes(
              partials
                .slice(1)
                .map((p) => c.g2FromBytes(p, "partial"))
                .reduce((acc, p) => c.g2Add(acc, p)),
            );
            expect(codeOf(() => decryptWithIdentityKey(aead, partialSum, ident, ct))).toBe(
              "decryption-failed",
            );
          }
        },
      ),
      { numRuns: 6 },
    );
  });

  const keys = [pool[0]!, pool[1]!, pool[2]!];
  const mpk = PreparedMasterKey.fromShares(keys.map(share));
  const ident = id("door-1", 490_000 * 3600);
  const record = new TextEncoder().encode("x".repeat(240));
  const ct = encryptToIdentity(aead, mpk, ident, record);
  const partials = keys.map((k) => extractPartialKey(k.secretShare, ident));
  const key = combinePartialKeys(mpk, ident, partials);

  it("refuses a partial key for another identity, from another trustee, or in the wrong order", () => {
    const other = id("door-1", 490_001 * 3600);
    const wrongSlot = [extractPartialKey(keys[0]!.secretShare, other), partials[1]!, partials[2]!];
    expect(codeOf(() => combinePartialKeys(mpk, ident, wrongSlot))).toBe("bad-signature");
    const wrongTrustee = [
      extractPartialKey(pool[4]!.secretShare, ident),
      partials[1]!,
      partials[2]!,
    ];
    expect(codeOf(() => combinePartialKeys(mpk, ident, wrongTrustee))).toBe("bad-signature");
    expect(
      codeOf(() => combinePartialKeys(mpk, ident, [partials[1]!, partials[0]!, partials[2]!])),
    ).toBe("bad-signature");
    expect(verifyPartialKey(keys[0]!.publicKey, ident, new Uint8Array(96))).toBe(false);
  });

  it("opens only the identity it was made for (invariant 3)", () => {
    for (const other of [id("door-2", 490_000 * 3600), id("door-1", 490_001 * 3600)]) {
      const otherKey = combinePartialKeys(
        mpk,
        other,
        keys.map((k) => extractPartialKey(k.secretShare, other)),
      );
      expect(codeOf(() => decryptWithIdentityKey(aead, otherKey, other, ct))).toBe(
        "decryption-failed",
      );
      expect(codeOf(() => decryptWithIdentityKey(aead, key, other, ct))).toBe("decryption-failed");
    }
  });

  it("fails with a typed error for a flipped byte anywhere in the ciphertext", () => {
    const positions = [0, 1, 2, 25, 49, 50, 70, 81, 82, 200, ct.length - 17, ct.length - 1];
    for (const pos of positions) {
      const bad = ct.slice();
      bad[pos]! ^= 0x01;
      expect(
        codeOf(() => decryptWithIdentityKey(aead, key, ident, bad)),
        `byte ${pos}`,
      ).not.toBe("no error");
    }
    expect(codeOf(() => decryptWithIdentityKey(aead, key, ident, ct.subarray(0, 97)))).toBe(
      "truncated",
    );
  });

  it("fails for a flipped byte in the identity or the key", () => {
    const badId = ident.slice();
    badId[badId.length - 1]! ^= 1;
    expect(codeOf(() => decryptWithIdentityKey(aead, key, badId, ct))).toBe("decryption-failed");
    const badKey = key.slice();
    badKey[95]! ^= 1;
    expect(["bad-point", "decryption-failed"]).toContain(
      codeOf(() => decryptWithIdentityKey(aead, badKey, ident, ct)),
    );
  });

  it("gives the same ciphertext with or without the precomputed e(Q, mpk)", () => {
    const sigma = new Uint8Array(32).fill(9);
    const cold = PreparedMasterKey.fromShares(keys.map(share));
    const warm = PreparedMasterKey.fromShares(keys.map(share));
    warm.precomputeIdentity(ident);
    expect(encryptToIdentity(aead, warm, ident, record, { sigma })).toEqual(
      encryptToIdentity(aead, cold, ident, record, { sigma }),
    );
  });

  it("refuses a master key with a rogue, duplicated or unproven share (invariant 1)", () => {
    const rogue = { publicKey: pool[3]!.publicKey, proofOfPossession: pool[4]!.proofOfPossession };
    expect(codeOf(() => PreparedMasterKey.fromShares([share(pool[0]!), rogue]))).toBe(
      "bad-proof-of-possession",
    );
    expect(codeOf(() => PreparedMasterKey.fromShares([share(pool[0]!), share(pool[0]!)]))).toBe(
      "bad-value",
    );
    expect(codeOf(() => PreparedMasterKey.fromShares([]))).toBe("bad-value");
  });

  it("combines only against a PreparedMasterKey, never a bare share list", () => {
    // A bare list would skip fromShares' proof-of-possession, duplicate and infinity checks.
    const bare = keys.map(share) as unknown as PreparedMasterKey;
    expect(codeOf(() => combinePartialKeys(bare, ident, partials))).toBe("bad-value");
  });

  it("keeps its own copy of the checked shares", () => {
    const list = keys.map(share);
    const prepared = PreparedMasterKey.fromShares(list);
    // Swapping a share in the caller's list afterwards changes nothing.
    list[0] = share(pool[4]!);
    expect(combinePartialKeys(prepared, ident, partials)).toEqual(key);
  });

  it("refuses a malformed secret share with bad-scalar", () => {
    const r = 0x73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001n;
    const be32 = (n: bigint) =>
      Uint8Array.from({ length: 32 }, (_, i) => Number((n >> BigInt(8 * (31 - i))) & 0xffn));
    for (const [what, bad] of [
      ["31 bytes", keys[0]!.secretShare.subarray(1)],
      ["33 bytes", new Uint8Array([0, ...keys[0]!.secretShare])],
      ["zero", new Uint8Array(32)],
      ["r", be32(r)],
      ["r + 1", be32(r + 1n)],
      ["2²⁵⁶ − 1", new Uint8Array(32).fill(0xff)],
    ] as const) {
      expect(
        codeOf(() => extractPartialKey(bad, ident)),
        what,
      ).toBe("bad-scalar");
    }
    expect(verifyPartialKey(keys[0]!.publicKey, ident, extractPartialKey(be32(1n), ident))).toBe(
      false,
    );
    expect(extractPartialKey(be32(r - 1n), ident)).toHaveLength(96);
  });

  it("no single share holder decrypts alone (invariant 1)", () => {
    for (const k of keys) {
      const alone = extractPartialKey(k.secretShare, ident);
      expect(codeOf(() => decryptWithIdentityKey(aead, alone, ident, ct))).toBe(
        "decryption-failed",
      );
    }
  });
});

describe("slots", () => {
  it("lists every hour a stay overlaps", () => {
    expect(slotsOverlapping(3600 * 10 + 1800, 3600 * 12 + 1)).toEqual([36000, 39600, 43200]);
    expect(slotsOverlapping(3600 * 10, 3600 * 11)).toEqual([36000]);
    expect(codeOf(() => slotsOverlapping(100, 100))).toBe("bad-value");
    expect(codeOf(() => slotsOverlapping(0, 3600 * 30))).toBe("bad-value");
  });

  it("allows the 25 slots of a 24-hour stay that starts mid-slot, and no more", () => {
    const arrival = 3600 * 10 + 1200;
    const slots = slotsOverlapping(arrival, arrival + 86_400);
    expect(slots).toHaveLength(MAX_SLOTS_PER_VISIT);
    expect(MAX_SLOTS_PER_VISIT).toBe(25);
    expect(slots[0]).toBe(36_000);
    expect(slots[24]).toBe(36_000 + 24 * 3600);
    expect(slotsOverlapping(36_000, 36_000 + 86_400)).toHaveLength(24);
    expect(codeOf(() => slotsOverlapping(36_000, 36_000 + 25 * 3600 + 1))).toBe("bad-value");
  });

  it("refuses a slot length or times that are not integers in range, never returning []", () => {
    for (const slotSeconds of [Number.NaN, 0, 59, 86_401, 3600.5, Number.POSITIVE_INFINITY]) {
      expect(
        codeOf(() => slotsOverlapping(36_000, 39_600, slotSeconds)),
        `${slotSeconds}`,
      ).toBe("bad-value");
    }
    expect(slotsOverlapping(36_000, 36_060, 60)).toEqual([36_000]);
    expect(slotsOverlapping(0, 86_400, 86_400)).toEqual([0]);
    for (const [arrival, departure] of [
      [Number.NaN, 39_600],
      [36_000, Number.NaN],
      [-1, 39_600],
      [36_000.5, 39_600],
      [36_000, 39_600.5],
      [36_000, Number.MAX_SAFE_INTEGER + 2],
    ] as const) {
      expect(
        codeOf(() => slotsOverlapping(arrival, departure)),
        `${arrival}–${departure}`,
      ).toBe("bad-value");
    }
  });

  it("refuses identities for unaligned slots", () => {
    expect(
      codeOf(() =>
        identityBytes({ deployment: "demo", entranceId: "a", slotStart: 1800, slotSeconds: 3600 }),
      ),
    ).toBe("bad-value");
  });
});
