import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ProtocolError, type ProtocolErrorCode } from "../errors.ts";
import {
  CONTACT_LIMITS,
  CONTACT_PAYLOAD_MAX_BYTES,
  CONTACT_PAYLOAD_MIN_BYTES,
  type Contact,
  decodeContact,
  encodeContact,
} from "./contact.ts";

const enc = new TextEncoder();
const byteLength = (s: string) => enc.encode(s).length;

/** The ProtocolError code `f` throws, undefined if it returns; anything else fails the test. */
function codeOf(f: () => unknown): ProtocolErrorCode | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof ProtocolError) return e.code;
    throw e;
  }
  return undefined;
}

/** Drops code points from the end until the NFC text fits `max` UTF-8 bytes. */
function fit(text: string, max: number): string {
  let cps = Array.from(text.normalize("NFC"));
  while (byteLength(cps.join("")) > max)
    cps = Array.from(cps.slice(0, -1).join("").normalize("NFC"));
  return cps.join("");
}

// 1-, 2-, 3- and 4-byte characters, so names land on and around the byte limit.
const nameChar = fc.oneof(
  fc.constantFrom("a", "Z", "q", " ", "-", "'"),
  fc.constantFrom("é", "ß", "Ø", "ñ", "Ж"),
  fc.integer({ min: 0x4e00, max: 0x9fff }).map((c) => String.fromCodePoint(c)),
  fc.integer({ min: 0x20000, max: 0x2a6df }).map((c) => String.fromCodePoint(c)),
);
const anyText = fc
  .string({ unit: "binary", maxLength: 30 })
  .map((s) => s.replace(/[\p{Cc}\u2028\u2029]|\p{Cs}/gu, ""));
const nameArb = fc
  .oneof(
    fc.array(nameChar, { minLength: 1, maxLength: 70 }).map((a) => a.join("")),
    anyText,
  )
  .map((s) => fit(s, CONTACT_LIMITS.name))
  .filter((s) => s.trim() !== "");
const phoneArb = fc
  .tuple(
    fc.constantFrom(..."0123456789"),
    fc.array(fc.constantFrom(..."0123456789 +-()"), { maxLength: 23 }),
  )
  .map(([d, rest]) => d + rest.join(""));
const idArb = fc.oneof(
  fc.constant(""),
  fc.string({ unit: fc.constantFrom(..."ABCXYZ0123456789-"), maxLength: 24 }),
  fc.array(nameChar, { maxLength: 10 }).map((a) => fit(a.join(""), CONTACT_LIMITS.idNumber)),
);
const contactArb: fc.Arbitrary<Contact> = fc.record({
  name: nameArb,
  phone: phoneArb,
  idNumber: idArb,
});

const cjkName = `${"张".repeat(21)}a`; // 64 bytes

function rawContact(fields: Uint8Array[], type = 0x50, version = 1): Uint8Array {
  const parts = [type, version];
  for (const f of fields) parts.push(f.length, ...f);
  return new Uint8Array(parts);
}

describe("contact payload", () => {
  it("has the documented layout", () => {
    const bytes = encodeContact({ name: "Al", phone: "1", idNumber: "" });
    expect(Array.from(bytes)).toEqual([0x50, 1, 2, 0x41, 0x6c, 1, 0x31, 0]);
    expect(bytes.length - 1).toBe(CONTACT_PAYLOAD_MIN_BYTES); // the shortest has a 1-byte name
  });

  it("round-trips any valid contact, canonically", () => {
    fc.assert(
      fc.property(contactArb, (c) => {
        const bytes = encodeContact(c);
        expect(bytes.length).toBeLessThanOrEqual(CONTACT_PAYLOAD_MAX_BYTES);
        expect(decodeContact(bytes)).toEqual(c);
        expect(encodeContact(decodeContact(bytes))).toEqual(bytes);
      }),
      { numRuns: 1000 },
    );
  });

  it("accepts every field at its byte limit, including CJK names", () => {
    const c = { name: cjkName, phone: "+1 (555) 123-4567 890 12", idNumber: "𠀀".repeat(6) };
    expect(byteLength(c.name)).toBe(64);
    expect(c.phone).toHaveLength(24);
    expect(byteLength(c.idNumber)).toBe(24);
    const bytes = encodeContact(c);
    expect(bytes).toHaveLength(CONTACT_PAYLOAD_MAX_BYTES);
    expect(decodeContact(bytes)).toEqual(c);
  });

  it.each<[string, Contact, ProtocolErrorCode]>([
    ["a name over 64 bytes", { name: "张".repeat(22), phone: "1", idNumber: "" }, "field-too-long"],
    ["a 65-byte ASCII name", { name: "a".repeat(65), phone: "1", idNumber: "" }, "field-too-long"],
    ["a phone over 24 bytes", { name: "A", phone: "1".repeat(25), idNumber: "" }, "field-too-long"],
    ["an ID over 24 bytes", { name: "A", phone: "1", idNumber: "X".repeat(25) }, "field-too-long"],
    ["an empty name", { name: "", phone: "1", idNumber: "" }, "bad-value"],
    ["a blank name", { name: " \u3000 ", phone: "1", idNumber: "" }, "bad-value"],
    ["an empty phone", { name: "A", phone: "", idNumber: "" }, "bad-value"],
    ["a phone without digits", { name: "A", phone: "+-()", idNumber: "" }, "bad-value"],
    ["letters in the phone", { name: "A", phone: "555-CALL", idNumber: "" }, "bad-value"],
    ["a full-width digit in the phone", { name: "A", phone: "１２３", idNumber: "" }, "bad-value"],
    ["a control character", { name: "A\tB", phone: "1", idNumber: "" }, "bad-text"],
    ["a line separator", { name: "A", phone: "1", idNumber: "x\u2028" }, "bad-text"],
    ["text not in NFC", { name: "e\u0301", phone: "1", idNumber: "" }, "bad-text"],
    ["an unpaired surrogate", { name: "A\ud800", phone: "1", idNumber: "" }, "bad-text"],
  ])("refuses to encode %s", (_, contact, code) => {
    expect(codeOf(() => encodeContact(contact))).toBe(code);
  });

  it.each<[string, Uint8Array, ProtocolErrorCode]>([
    [
      "another type",
      rawContact([enc.encode("A"), enc.encode("1"), enc.encode("")], 0x52),
      "unknown-type",
    ],
    [
      "another version",
      rawContact([enc.encode("A"), enc.encode("1"), enc.encode("")], 0x50, 2),
      "unknown-version",
    ],
    ["empty input", new Uint8Array(0), "truncated"],
    ["a missing field", rawContact([enc.encode("A"), enc.encode("1")]), "truncated"],
    [
      "a trailing byte",
      rawContact([enc.encode("A"), enc.encode("1"), enc.encode(""), new Uint8Array(0)]),
      "trailing-bytes",
    ],
    [
      "a name length over 64",
      rawContact([new Uint8Array(65).fill(0x61), enc.encode("1"), enc.encode("")]),
      "field-too-long",
    ],
    [
      "malformed UTF-8",
      rawContact([new Uint8Array([0xc3]), enc.encode("1"), enc.encode("")]),
      "bad-text",
    ],
    [
      "an overlong UTF-8 encoding",
      rawContact([new Uint8Array([0xc1, 0x81]), enc.encode("1"), enc.encode("")]),
      "bad-text",
    ],
    ["a blank name", rawContact([enc.encode(" "), enc.encode("1"), enc.encode("")]), "bad-value"],
    ["a bad phone", rawContact([enc.encode("A"), enc.encode("x"), enc.encode("")]), "bad-value"],
  ])("refuses to decode %s", (_, bytes, code) => {
    expect(codeOf(() => decodeContact(bytes))).toBe(code);
  });

  it("raises nothing but ProtocolError on arbitrary or mutated input", () => {
    const mutated = fc
      .tuple(contactArb, fc.nat(), fc.integer({ min: 1, max: 255 }))
      .map(([c, i, x]) => {
        const b = encodeContact(c);
        b[i % b.length]! ^= x;
        return b;
      });
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 130 }), mutated), (bytes) => {
        try {
          // Whatever decodes must re-encode to the same bytes (one encoding per value).
          expect(encodeContact(decodeContact(bytes))).toEqual(bytes);
        } catch (e) {
          expect(e).toBeInstanceOf(ProtocolError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
