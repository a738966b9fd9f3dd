import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encodeBase32 } from "../encoding/base32.ts";
import { ProtocolError, type ProtocolErrorCode } from "../errors.ts";
import {
  AUTHORITY_KEY_ID_BYTES,
  authorityKeyId,
  type CitizenCard,
  cardFromText,
  cardToText,
  decodeCitizenCard,
  encodeCitizenCard,
  maskName,
  SEALED_CONTACT_MAX_BYTES,
  SEALED_CONTACT_MIN_BYTES,
} from "./citizen-card.ts";

const enc = new TextEncoder();

function codeOf(f: () => unknown): ProtocolErrorCode | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof ProtocolError) return e.code;
    throw e;
  }
  return undefined;
}

const firstChar = fc.oneof(
  fc.constantFrom("A", "z", "7", "É", "Ж", "*"),
  fc.integer({ min: 0x4e00, max: 0x9fff }).map((c) => String.fromCodePoint(c)),
  fc.integer({ min: 0x20000, max: 0x2a6df }).map((c) => String.fromCodePoint(c)),
);
const maskedArb = fc
  .tuple(firstChar, fc.integer({ min: 0, max: 28 }))
  .map(([c, n]) => c + "*".repeat(n));
const deploymentArb = fc
  .tuple(
    fc.constantFrom(..."abcxyz0189"),
    fc.string({ unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789-"), maxLength: 31 }),
  )
  .map(([a, b]) => a + b);
const cardArb: fc.Arbitrary<CitizenCard> = fc.record({
  deployment: deploymentArb,
  maskedName: maskedArb,
  authorityKeyId: fc.uint8Array({ minLength: 8, maxLength: 8 }),
  sealedContact: fc.uint8Array({
    minLength: SEALED_CONTACT_MIN_BYTES,
    maxLength: SEALED_CONTACT_MAX_BYTES,
  }),
});

const sample: CitizenCard = {
  deployment: "demo",
  maskedName: "张**",
  authorityKeyId: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]),
  sealedContact: new Uint8Array(60).fill(0xab),
};

describe("maskName", () => {
  it.each([
    ["张三丰", "张**"],
    ["Alice", "A****"],
    ["A", "A"],
    ["Mary Ann", "M*******"],
    ["  Bob ", "B**"],
    ["𠀀𠀁x", "𠀀**"], // by code point, not UTF-16 unit
    ["Émile", "É****"],
    ["a".repeat(64), `a${"*".repeat(31)}`], // capped at 32 bytes
    ["𠀀".repeat(16), `𠀀${"*".repeat(15)}`],
  ])("masks %s as %s", (name, masked) => {
    expect(maskName(name)).toBe(masked);
  });

  it.each<[string, string, ProtocolErrorCode]>([
    ["an empty name", "", "bad-value"],
    ["a blank name", " \u3000", "bad-value"],
    ["a control character", "A\u0000", "bad-text"],
    ["text not in NFC", "e\u0301", "bad-text"],
    ["an unpaired surrogate", "\udc00A", "bad-text"],
    ["a name over 64 bytes", "a".repeat(65), "field-too-long"],
  ])("refuses %s", (_, name, code) => {
    expect(codeOf(() => maskName(name))).toBe(code);
  });

  it("keeps the first character, stars the rest, and always fits a card", () => {
    const name = fc
      .array(firstChar, { minLength: 1, maxLength: 21 })
      .map((a) => a.join(""))
      .filter((s) => enc.encode(s).length <= 64);
    fc.assert(
      fc.property(name, (n) => {
        const masked = maskName(n);
        const [first, ...rest] = Array.from(masked);
        expect(first).toBe(Array.from(n)[0]);
        expect(rest.every((c) => c === "*")).toBe(true);
        expect(enc.encode(masked).length).toBeLessThanOrEqual(32);
        expect(rest.length).toBe(Math.min(Array.from(n).length - 1, 32 - enc.encode(first).length));
        expect(
          decodeCitizenCard(encodeCitizenCard({ ...sample, maskedName: masked })).maskedName,
        ).toBe(masked);
      }),
      { numRuns: 500 },
    );
  });
});

describe("authorityKeyId", () => {
  it("is the first 8 bytes of SHA-256(label ‖ 0x00 ‖ pk)", () => {
    const pk = new Uint8Array(32).map((_, i) => i);
    const expected = createHash("sha256")
      .update("LINTEL-V1 authority box key")
      .update(new Uint8Array([0]))
      .update(pk)
      .digest()
      .subarray(0, 8);
    expect(authorityKeyId(pk)).toEqual(new Uint8Array(expected));
    expect(authorityKeyId(pk)).toHaveLength(AUTHORITY_KEY_ID_BYTES);
    expect(authorityKeyId(new Uint8Array(32))).not.toEqual(authorityKeyId(pk));
  });

  it("refuses a key that is not 32 bytes", () => {
    expect(codeOf(() => authorityKeyId(new Uint8Array(31)))).toBe("bad-length");
    expect(codeOf(() => authorityKeyId(new Uint8Array(33)))).toBe("bad-length");
  });
});

describe("citizen card", () => {
  it("has the documented layout", () => {
    const bytes = encodeCitizenCard(sample);
    expect(Array.from(bytes.subarray(0, 7))).toEqual([0x5a, 1, 4, 0x64, 0x65, 0x6d, 0x6f]);
    expect(bytes[7]).toBe(5); // "张**" is 3 + 1 + 1 bytes
    expect(Array.from(bytes.subarray(13, 21))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(bytes[21]).toBe(60);
    expect(bytes).toHaveLength(22 + 60);
  });

  it("round-trips as bytes and as QR text", () => {
    fc.assert(
      fc.property(cardArb, (card) => {
        const bytes = encodeCitizenCard(card);
        expect(decodeCitizenCard(bytes)).toEqual(card);
        const text = cardToText(card);
        expect(text).toMatch(/^LINTEL-CARD:[A-Z2-7]+$/);
        expect(cardFromText(text)).toEqual(card);
        // Base32 case carries no information.
        expect(cardFromText(`LINTEL-CARD:${text.slice(12).toLowerCase()}`)).toEqual(card);
      }),
      { numRuns: 1000 },
    );
  });

  it.each<[string, Partial<CitizenCard>, ProtocolErrorCode]>([
    ["an upper-case deployment", { deployment: "Demo" }, "bad-value"],
    ["an empty deployment", { deployment: "" }, "bad-value"],
    ["a deployment starting with '-'", { deployment: "-demo" }, "bad-value"],
    ["a deployment over 32 bytes", { deployment: "d".repeat(33) }, "field-too-long"],
    ["an unmasked name", { maskedName: "Alice" }, "bad-value"],
    ["an empty masked name", { maskedName: "" }, "bad-value"],
    ["a masked name starting with a space", { maskedName: " **" }, "bad-value"],
    ["a masked name over 32 bytes", { maskedName: `A${"*".repeat(32)}` }, "field-too-long"],
    ["a 7-byte key id", { authorityKeyId: new Uint8Array(7) }, "bad-length"],
    [
      "a sealed contact too short to open",
      { sealedContact: new Uint8Array(SEALED_CONTACT_MIN_BYTES - 1) },
      "bad-length",
    ],
    ["a 201-byte sealed contact", { sealedContact: new Uint8Array(201) }, "bad-length"],
  ])("refuses to encode %s", (_, change, code) => {
    expect(codeOf(() => encodeCitizenCard({ ...sample, ...change }))).toBe(code);
  });

  const good = encodeCitizenCard(sample);
  const edit = (i: number, v: number) => {
    const b = good.slice();
    b[i] = v;
    return b;
  };
  /** A card whose sealed contact is declared (and given) as `n` bytes. */
  const withSealedLength = (n: number) => {
    const b = new Uint8Array(22 + n);
    b.set(good.subarray(0, 21));
    b[21] = n;
    return b;
  };

  it.each<[string, Uint8Array, ProtocolErrorCode]>([
    ["empty input", new Uint8Array(0), "truncated"],
    ["another type", edit(0, 0x52), "unknown-type"],
    ["another version", edit(1, 2), "unknown-version"],
    ["an upper-case deployment", edit(3, 0x44), "bad-value"],
    ["a deployment over 32 bytes", edit(2, 33), "field-too-long"],
    ["an unmasked name", edit(12, 0x41), "bad-value"],
    ["malformed UTF-8 in the name", edit(8, 0xff), "bad-text"],
    ["a short sealed contact", withSealedLength(SEALED_CONTACT_MIN_BYTES - 1), "bad-length"],
    ["a 201-byte sealed contact", withSealedLength(201), "field-too-long"],
    ["a truncated sealed contact", good.subarray(0, good.length - 1), "truncated"],
    ["a trailing byte", new Uint8Array([...good, 0]), "trailing-bytes"],
  ])("refuses to decode %s", (_, bytes, code) => {
    expect(codeOf(() => decodeCitizenCard(bytes))).toBe(code);
  });

  it.each<[string, string, ProtocolErrorCode]>([
    ["no prefix", encodeBase32(good), "bad-encoding"],
    ["a lower-case prefix", `lintel-card:${encodeBase32(good)}`, "bad-encoding"],
    ["another prefix", `LINTEL-CODE:${encodeBase32(good)}`, "bad-encoding"],
    ["white space", `LINTEL-CARD: ${encodeBase32(good)}`, "bad-encoding"],
    ["base32 padding", `LINTEL-CARD:${encodeBase32(good)}======`, "bad-encoding"],
    ["a non-base32 character", `LINTEL-CARD:${encodeBase32(good).slice(0, -1)}1`, "bad-encoding"],
    ["an empty payload", "LINTEL-CARD:", "truncated"],
  ])("refuses QR text with %s", (_, text, code) => {
    expect(codeOf(() => cardFromText(text))).toBe(code);
  });

  it("decodeCitizenCard raises nothing but ProtocolError on arbitrary or mutated input", () => {
    const mutated = fc
      .tuple(cardArb, fc.nat(), fc.integer({ min: 1, max: 255 }))
      .map(([c, i, x]) => {
        const b = encodeCitizenCard(c);
        b[i % b.length]! ^= x;
        return b;
      });
    fc.assert(
      fc.property(fc.oneof(mutated, fc.uint8Array({ maxLength: 300 })), (bytes) => {
        try {
          expect(encodeCitizenCard(decodeCitizenCard(bytes))).toEqual(bytes);
        } catch (e) {
          expect(e).toBeInstanceOf(ProtocolError);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("cardFromText raises nothing but ProtocolError on arbitrary text", () => {
    const base32ish = fc.string({
      unit: fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZ234567a=1 "),
      maxLength: 300,
    });
    const text = fc.oneof(
      fc.string({ maxLength: 80 }),
      fc.string({ unit: "binary", maxLength: 80 }),
      base32ish.map((s) => `LINTEL-CARD:${s}`),
      cardArb.map((c) => {
        const t = cardToText(c);
        return t.slice(0, Math.floor(t.length / 2)) + t.slice(Math.floor(t.length / 2) + 1);
      }),
    );
    fc.assert(
      fc.property(text, (t) => {
        try {
          expect(cardToText(cardFromText(t)).toLowerCase()).toBe(t.toLowerCase());
        } catch (e) {
          expect(e).toBeInstanceOf(ProtocolError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
