import { createHash, createHmac } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ProtocolError } from "../errors.ts";
import { generateEd25519KeyPair } from "../keys/ed25519.ts";
import { formatVerifierKey, parseVerifierKey } from "../keys/verifier-key.ts";
import { codeOf } from "../testing/code-of.ts";
import {
  KIOSK_MAC_BYTES,
  KIOSK_SECRET_BYTES,
  KIOSK_STEP_SECONDS,
  kioskCodeUrl,
  kioskMac,
  kioskStep,
  kioskSuffix,
  verifyKioskSuffix,
} from "./kiosk-code.ts";
import { parseCodeUrl, signVenueCode, type VenueCode, venueCodeUrl } from "./venue-code.ts";

const STEP_MS = KIOSK_STEP_SECONDS * 1000;
const registry = generateEd25519KeyPair(new Uint8Array(32).fill(1));
const registryKey = parseVerifierKey(formatVerifierKey("registry.example", registry.publicKey));

function signed(entranceId: string): Uint8Array {
  const code: VenueCode = {
    deployment: "demo",
    venueId: "harbour-library",
    entranceId,
    codeVersion: 1,
    venueName: { zh: "海港公共图书馆", en: "Harbour Public Library" },
    entranceName: { zh: "正门", en: "Main entrance" },
    category: "library",
    defaultStayMinutes: 60,
    contactFields: { name: true, phone: true, idNumber: false },
    validFromDay: 20_000,
    validUntilDay: 21_000,
    registryKeyId: registryKey.keyId,
  };
  return signVenueCode(code, registry.secretKey);
}

const code = signed("harbour-library-main");
const otherCode = signed("harbour-library-east");
const secret = Uint8Array.from({ length: 32 }, (_, i) => i + 100);
const otherSecret = Uint8Array.from({ length: 32 }, (_, i) => i + 101);
// 2026-07-01T12:00:10Z: 10 s into a step.
const now = Date.UTC(2026, 6, 1, 12, 0, 10);

/** The MAC recomputed with node:crypto from the module header's definition. */
function nodeMac(key: Uint8Array, signedCode: Uint8Array, step: number): Uint8Array {
  const stepBytes = Buffer.alloc(4);
  stepBytes.writeUInt32BE(step);
  const mac = createHmac("sha256", key)
    .update("LINTEL-V1 kiosk")
    .update(Buffer.from([0]))
    .update(createHash("sha256").update(signedCode).digest())
    .update(stepBytes)
    .digest();
  return new Uint8Array(mac.subarray(0, 16));
}

describe("kiosk codes", () => {
  it("count 30-second steps of Unix time", () => {
    expect(KIOSK_STEP_SECONDS).toBe(30);
    expect(kioskStep(0)).toBe(0);
    expect(kioskStep(29_999)).toBe(0);
    expect(kioskStep(30_000)).toBe(1);
    expect(kioskStep(now)).toBe(Math.floor(now / 30_000));
  });

  it("compute the MAC exactly as specified (independent HMAC)", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ maxLength: 300 }),
        fc.integer({ min: 0, max: 0xffffffff }),
        (key, signedCode, step) => {
          expect(kioskMac(key, signedCode, step)).toEqual(nodeMac(key, signedCode, step));
        },
      ),
      { numRuns: 200 },
    );
  });

  it("lay the suffix out as u32 step ‖ 16-byte MAC", () => {
    const suffix = kioskSuffix(secret, code, now);
    expect(suffix).toHaveLength(4 + KIOSK_MAC_BYTES);
    const step = Math.floor(now / STEP_MS);
    expect(Buffer.from(suffix.subarray(0, 4)).readUInt32BE()).toBe(step);
    expect(suffix.subarray(4)).toEqual(nodeMac(secret, code, step));
  });

  it("verify at the same step and at one step either side, by step boundaries", () => {
    const suffix = kioskSuffix(secret, code, now);
    const stepStart = Math.floor(now / STEP_MS) * STEP_MS;
    for (const t of [
      now,
      stepStart,
      stepStart + STEP_MS - 1,
      now - STEP_MS,
      now + STEP_MS,
      stepStart - STEP_MS, // first ms of step − 1
      stepStart + 2 * STEP_MS - 1, // last ms of step + 1
    ]) {
      expect(codeOf(() => verifyKioskSuffix(secret, code, suffix, t))).toBe("no error");
    }
  });

  it("refuse a suffix two or more steps away as expired", () => {
    const suffix = kioskSuffix(secret, code, now);
    const stepStart = Math.floor(now / STEP_MS) * STEP_MS;
    for (const t of [
      stepStart - STEP_MS - 1, // last ms of step − 2
      stepStart + 2 * STEP_MS, // first ms of step + 2
      now + 2 * STEP_MS,
      now - 2 * STEP_MS,
      now + 3600_000,
      now - 86_400_000,
    ]) {
      expect(codeOf(() => verifyKioskSuffix(secret, code, suffix, t))).toBe("expired");
    }
  });

  it("accept exactly the steps within ±1 (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 5 * STEP_MS, max: 4_000_000_000_000 }),
        fc.integer({ min: -5 * STEP_MS, max: 5 * STEP_MS }),
        (made, delta) => {
          const suffix = kioskSuffix(secret, code, made);
          const within = Math.abs(kioskStep(made + delta) - kioskStep(made)) <= 1;
          expect(codeOf(() => verifyKioskSuffix(secret, code, suffix, made + delta))).toBe(
            within ? "no error" : "expired",
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it("refuse a flipped byte anywhere in the suffix as bad-mac, before looking at the time", () => {
    const suffix = kioskSuffix(secret, code, now);
    for (let at = 0; at < suffix.length; at++) {
      for (const mask of [0x01, 0x80, 0xff]) {
        const bad = suffix.slice();
        bad[at]! ^= mask;
        // Flipping a step byte moves the step, which the MAC binds: still bad-mac, not expired.
        expect(codeOf(() => verifyKioskSuffix(secret, code, bad, now))).toBe("bad-mac");
      }
    }
  });

  it("refuse a MAC made for another signed code or with another secret", () => {
    expect(
      codeOf(() => verifyKioskSuffix(secret, code, kioskSuffix(secret, otherCode, now), now)),
    ).toBe("bad-mac");
    expect(
      codeOf(() => verifyKioskSuffix(secret, code, kioskSuffix(otherSecret, code, now), now)),
    ).toBe("bad-mac");
    expect(
      codeOf(() => verifyKioskSuffix(otherSecret, code, kioskSuffix(secret, code, now), now)),
    ).toBe("bad-mac");
    // A truncated signed code is another code as far as the MAC is concerned.
    expect(
      codeOf(() =>
        verifyKioskSuffix(secret, code.subarray(1), kioskSuffix(secret, code, now), now),
      ),
    ).toBe("bad-mac");
  });

  it("refuse a random suffix as bad-mac (property)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 20, maxLength: 20 }), (suffix) => {
        expect(codeOf(() => verifyKioskSuffix(secret, code, suffix, now))).toBe("bad-mac");
      }),
      { numRuns: 300 },
    );
  });

  it("refuse secrets and suffixes of the wrong length", () => {
    const suffix = kioskSuffix(secret, code, now);
    for (const n of [0, 16, 31, 33, 64]) {
      const key = new Uint8Array(n).fill(1);
      expect(codeOf(() => kioskMac(key, code, 1))).toBe("bad-length");
      expect(codeOf(() => kioskSuffix(key, code, now))).toBe("bad-length");
      expect(codeOf(() => kioskCodeUrl("https://x.example", key, code, now))).toBe("bad-length");
      expect(codeOf(() => verifyKioskSuffix(key, code, suffix, now))).toBe("bad-length");
    }
    expect(KIOSK_SECRET_BYTES).toBe(32);
    for (const n of [0, 4, 19, 21, 36]) {
      const bad = new Uint8Array(n);
      bad.set(suffix.subarray(0, Math.min(n, suffix.length)));
      expect(codeOf(() => verifyKioskSuffix(secret, code, bad, now))).toBe("bad-length");
    }
  });

  it("read the step correctly from a suffix that is a view into a larger buffer", () => {
    const suffix = kioskSuffix(secret, code, now);
    const backing = new Uint8Array(64).fill(0xee);
    backing.set(suffix, 7);
    const view = backing.subarray(7, 27);
    expect(codeOf(() => verifyKioskSuffix(secret, code, view, now))).toBe("no error");
  });

  it("refuse a clock that is not a time instead of passing every window", () => {
    const suffix = kioskSuffix(secret, code, now);
    expect(codeOf(() => verifyKioskSuffix(secret, code, suffix, Number.NaN))).toBe("bad-value");
    expect(codeOf(() => kioskSuffix(secret, code, Number.NaN))).toBe("bad-value");
    expect(codeOf(() => kioskSuffix(secret, code, Number.POSITIVE_INFINITY))).toBe("bad-value");
    expect(codeOf(() => kioskStep(-1))).toBe("bad-value");
    // A suffix made at step 0 must not verify now (NaN once turned into step 0).
    const stepZero = kioskSuffix(secret, code, 0);
    expect(codeOf(() => verifyKioskSuffix(secret, code, stepZero, now))).toBe("expired");
  });
});

describe("kiosk code URLs", () => {
  it("carry base32(code) '.' base32(suffix) and parse back into both parts", () => {
    const url = kioskCodeUrl("https://checkin.example.org/", secret, code, now);
    expect(url.startsWith(`${venueCodeUrl("https://checkin.example.org", code)}.`)).toBe(true);
    expect(url.slice(url.indexOf("#") + 1)).toMatch(/^[A-Z2-7]+\.[A-Z2-7]{32}$/);
    const parsed = parseCodeUrl(url);
    expect(parsed.code).toEqual(code);
    expect(parsed.kiosk).toHaveLength(20);
    expect(parsed.kiosk).toEqual(kioskSuffix(secret, code, now));
    expect(codeOf(() => verifyKioskSuffix(secret, parsed.code, parsed.kiosk!, now + 20_000))).toBe(
      "no error",
    );
    // The bare fragment, as a scanner may hand it over, works too.
    expect(parseCodeUrl(url.slice(url.indexOf("#") + 1)).kiosk).toEqual(parsed.kiosk);
  });
});

describe("verifyKioskSuffix fuzzing", () => {
  it("raises nothing but ProtocolError, and never accepts a forged suffix", () => {
    const genuine = kioskSuffix(secret, code, now);
    const suffix = fc.oneof(
      fc.uint8Array({ maxLength: 40 }),
      fc.tuple(fc.nat(19), fc.integer({ min: 1, max: 255 })).map(([at, mask]) => {
        const s = genuine.slice();
        s[at]! ^= mask;
        return s;
      }),
    );
    const key = fc.oneof(fc.constant(secret), fc.uint8Array({ minLength: 30, maxLength: 34 }));
    const clock = fc.oneof(
      fc.integer({ min: now - 10 * STEP_MS, max: now + 10 * STEP_MS }),
      fc.double(),
    );
    fc.assert(
      fc.property(key, suffix, clock, (k, s, t) => {
        expect(() => verifyKioskSuffix(k, code, s, t)).toThrow(ProtocolError);
      }),
      { numRuns: 2000 },
    );
  });
});
