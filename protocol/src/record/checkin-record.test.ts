import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ProtocolError, type ProtocolErrorCode } from "../errors.ts";
import {
  CHECKIN_RECORD_BYTES,
  type CheckInRecord,
  decodeCheckInRecord,
  encodeCheckInRecord,
  MAX_STAY_SECONDS,
  RECORDED_BY,
  SEALED_CARD_MAX_BYTES,
  SEALED_CARD_MIN_BYTES,
} from "./checkin-record.ts";
import { SEALED_CONTACT_MAX_BYTES, SEALED_CONTACT_MIN_BYTES } from "./citizen-card.ts";
import type { Contact } from "./contact.ts";

const enc = new TextEncoder();
const byteLength = (s: string) => enc.encode(s).length;

function codeOf(f: () => unknown): ProtocolErrorCode | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof ProtocolError) return e.code;
    throw e;
  }
  return undefined;
}

function fit(chars: string[], max: number): string {
  const out: string[] = [];
  for (const c of chars) {
    if (byteLength(out.join("") + c) > max) break;
    out.push(c);
  }
  return out.join("");
}

const char = fc.oneof(
  fc.constantFrom("a", "Z", " ", "-", "é", "Ж"),
  fc.integer({ min: 0x4e00, max: 0x9fff }).map((c) => String.fromCodePoint(c)),
  fc.integer({ min: 0x20000, max: 0x2a6df }).map((c) => String.fromCodePoint(c)),
);
const contactArb: fc.Arbitrary<Contact> = fc.record({
  // Up to 70 characters cut to 64 bytes: most names end at or just below the limit.
  name: fc
    .array(char, { minLength: 1, maxLength: 70 })
    .map((a) => fit(a, 64))
    .filter((s) => s.trim() !== ""),
  phone: fc
    .array(fc.constantFrom(..."0123456789 +-()"), { maxLength: 23 })
    .map((a) => `0${a.join("")}`),
  idNumber: fc.array(char, { maxLength: 12 }).map((a) => fit(a, 24)),
});

const common = fc
  .record({
    recordedBy: fc.constantFrom(...RECORDED_BY),
    companions: fc.integer({ min: 0, max: 20 }),
    arrival: fc.oneof(
      fc.integer({ min: 1_700_000_000, max: 2_100_000_000 }),
      fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER - MAX_STAY_SECONDS }),
    ),
    stay: fc.integer({ min: 1, max: MAX_STAY_SECONDS }),
  })
  .map(({ stay, ...r }) => ({ ...r, expectedDeparture: r.arrival + stay }));

const recordArb: fc.Arbitrary<CheckInRecord> = fc.oneof(
  fc
    .tuple(common, contactArb)
    .map(([c, contact]): CheckInRecord => ({ ...c, contactKind: "contact", contact })),
  fc
    .tuple(common, fc.uint8Array({ minLength: 55, maxLength: 200 }))
    .map(([c, sealedCard]): CheckInRecord => ({ ...c, contactKind: "sealed-card", sealedCard })),
);

/** Bytes before the padding: 20 header bytes, the kind, then the contact. */
function contentLength(r: CheckInRecord): number {
  if (r.contactKind === "sealed-card") return 22 + r.sealedCard.length;
  const { name, phone, idNumber } = r.contact;
  return 24 + byteLength(name) + byteLength(phone) + byteLength(idNumber);
}

const base = {
  recordedBy: "self",
  companions: 2,
  arrival: 1_750_000_000,
  expectedDeparture: 1_750_003_600,
} as const;
const sample: CheckInRecord = {
  ...base,
  contactKind: "contact",
  contact: { name: "Alice", phone: "+44 20 7946 0000", idNumber: "" },
};

describe("check-in record", () => {
  it("has the documented layout, padded with zeros to 240 bytes", () => {
    const bytes = encodeCheckInRecord(sample);
    expect(bytes).toHaveLength(CHECKIN_RECORD_BYTES);
    const hex = Buffer.from(bytes.subarray(0, 21)).toString("hex");
    // 'R', v1, self, 2 companions, arrival 0x684ee180, departure 0x684eef90, kind 1
    expect(hex).toBe("520100020000000068" + "4ee1800000000068" + "4eef9001");
    expect(bytes[21]).toBe(5);
    expect(new TextDecoder().decode(bytes.subarray(22, 27))).toBe("Alice");
    expect(bytes.subarray(contentLength(sample)).every((b) => b === 0)).toBe(true);
    expect(bytes[contentLength(sample) - 1]).toBe(0); // the empty idNumber's length byte
    expect(bytes[contentLength(sample) - 2]).toBe(0x30); // the phone's last digit
  });

  it("encodes every valid record in exactly 240 bytes and decodes it back", () => {
    fc.assert(
      fc.property(recordArb, (r) => {
        const bytes = encodeCheckInRecord(r);
        expect(bytes).toHaveLength(CHECKIN_RECORD_BYTES);
        expect(decodeCheckInRecord(bytes)).toEqual(r);
        expect(encodeCheckInRecord(decodeCheckInRecord(bytes))).toEqual(bytes);
      }),
      { numRuns: 1000 },
    );
  });

  it("fits the largest contents: 64-byte CJK name with full phone and ID, 200-byte sealed card", () => {
    const longest: CheckInRecord = {
      ...base,
      contactKind: "contact",
      contact: { name: `${"张".repeat(21)}a`, phone: "1".repeat(24), idNumber: "身".repeat(8) },
    };
    expect(contentLength(longest)).toBe(136);
    expect(decodeCheckInRecord(encodeCheckInRecord(longest))).toEqual(longest);
    const card: CheckInRecord = {
      ...base,
      recordedBy: "paper",
      contactKind: "sealed-card",
      sealedCard: new Uint8Array(200).fill(0xff),
    };
    expect(contentLength(card)).toBe(222);
    expect(decodeCheckInRecord(encodeCheckInRecord(card))).toEqual(card);
  });

  it("carries a sealed card of exactly what a citizen card can hold: 55–200 bytes", () => {
    expect([SEALED_CARD_MIN_BYTES, SEALED_CARD_MAX_BYTES]).toEqual([
      SEALED_CONTACT_MIN_BYTES,
      SEALED_CONTACT_MAX_BYTES,
    ]);
    expect(SEALED_CARD_MIN_BYTES).toBe(55);
    const shortest: CheckInRecord = {
      ...base,
      recordedBy: "proxy",
      contactKind: "sealed-card",
      sealedCard: new Uint8Array(55).fill(7),
    };
    expect(decodeCheckInRecord(encodeCheckInRecord(shortest))).toEqual(shortest);
  });

  it("maps recordedBy to its wire value", () => {
    RECORDED_BY.forEach((recordedBy, i) => {
      expect(encodeCheckInRecord({ ...sample, recordedBy })[2]).toBe(i);
    });
    expect(RECORDED_BY).toEqual(["self", "companion", "proxy", "kiosk", "paper"]);
  });

  it.each<[string, object, ProtocolErrorCode]>([
    ["21 companions", { companions: 21 }, "bad-value"],
    ["negative companions", { companions: -1 }, "bad-value"],
    ["fractional companions", { companions: 1.5 }, "bad-value"],
    ["departure equal to arrival", { expectedDeparture: base.arrival }, "bad-value"],
    ["departure before arrival", { expectedDeparture: base.arrival - 1 }, "bad-value"],
    [
      "a stay over 24 hours",
      { expectedDeparture: base.arrival + MAX_STAY_SECONDS + 1 },
      "bad-value",
    ],
    ["a negative arrival", { arrival: -10, expectedDeparture: 10 }, "bad-value"],
    ["a fractional arrival", { arrival: 1.5, expectedDeparture: 10 }, "bad-value"],
    ["an unsafe integer time", { arrival: 2 ** 53, expectedDeparture: 2 ** 53 + 2 }, "bad-value"],
    ["an unknown recordedBy", { recordedBy: "robot" }, "bad-value"],
    ["an unknown contactKind", { contactKind: "email" }, "bad-value"],
    ["an invalid contact", { contact: { name: " ", phone: "1", idNumber: "" } }, "bad-value"],
    [
      "a contact name over 64 bytes",
      { contact: { name: "名".repeat(22), phone: "1", idNumber: "" } },
      "field-too-long",
    ],
    [
      "an empty sealed card",
      { contactKind: "sealed-card", sealedCard: new Uint8Array(0) },
      "bad-length",
    ],
    [
      "a 54-byte sealed card (shorter than any sealed contact)",
      { contactKind: "sealed-card", sealedCard: new Uint8Array(54) },
      "bad-length",
    ],
    [
      "a 201-byte sealed card",
      { contactKind: "sealed-card", sealedCard: new Uint8Array(201) },
      "bad-length",
    ],
  ])("refuses to encode %s", (_, change, code) => {
    const r = { ...sample, ...change } as CheckInRecord;
    expect(codeOf(() => encodeCheckInRecord(r))).toBe(code);
  });

  const good = encodeCheckInRecord(sample);
  const withBytes = (edits: Record<number, number>) => {
    const b = good.slice();
    for (const [i, v] of Object.entries(edits)) b[Number(i)] = v;
    return b;
  };
  /** The sample's 20 header bytes, then `content`, then zero padding. */
  const withContent = (...content: number[]) => {
    const b = new Uint8Array(CHECKIN_RECORD_BYTES);
    b.set(good.subarray(0, 20));
    b.set(content, 20);
    return b;
  };
  const u64 = (n: bigint) => {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, n);
    return b;
  };
  const withTimes = (arrival: bigint, departure: bigint) => {
    const b = good.slice();
    b.set(u64(arrival), 4);
    b.set(u64(departure), 12);
    return b;
  };

  it.each<[string, Uint8Array, ProtocolErrorCode]>([
    ["empty input", new Uint8Array(0), "bad-length"],
    ["239 bytes", good.subarray(0, 239), "bad-length"],
    ["241 bytes", new Uint8Array([...good, 0]), "bad-length"],
    ["another type", withBytes({ 0: 0x50 }), "unknown-type"],
    ["version 0", withBytes({ 1: 0 }), "unknown-version"],
    ["version 2", withBytes({ 1: 2 }), "unknown-version"],
    ["recordedBy 5", withBytes({ 2: 5 }), "bad-value"],
    ["recordedBy 255", withBytes({ 2: 255 }), "bad-value"],
    ["21 companions", withBytes({ 3: 21 }), "bad-value"],
    ["departure equal to arrival", withTimes(1000n, 1000n), "bad-value"],
    ["departure before arrival", withTimes(1000n, 999n), "bad-value"],
    ["a stay over 24 hours", withTimes(1000n, 1000n + 86_401n), "bad-value"],
    ["an arrival beyond 2^53", withTimes(2n ** 53n, 2n ** 53n + 1n), "bad-value"],
    ["u64 max times", withTimes(2n ** 64n - 2n, 2n ** 64n - 1n), "bad-value"],
    ["contactKind 0", withBytes({ 20: 0 }), "bad-value"],
    ["contactKind 3", withBytes({ 20: 3 }), "bad-value"],
    ["an empty name", withContent(1, 0, 1, 0x31, 0), "bad-value"],
    ["a blank name", withContent(1, 1, 0x20, 1, 0x31, 0), "bad-value"],
    ["an empty phone", withContent(1, 1, 0x41, 0, 0), "bad-value"],
    ["a name length over 64", withBytes({ 21: 65 }), "field-too-long"],
    ["malformed UTF-8 in the name", withBytes({ 22: 0xff }), "bad-text"],
    ["a control character in the name", withBytes({ 22: 0x07 }), "bad-text"],
    ["a letter in the phone", withBytes({ 28: 0x41 }), "bad-value"],
    ["an empty sealed card", withBytes({ 20: 2, 21: 0 }), "bad-length"],
    ["a 1-byte sealed card", withBytes({ 20: 2, 21: 1 }), "bad-length"],
    ["a 54-byte sealed card", withBytes({ 20: 2, 21: 54 }), "bad-length"],
    ["a 201-byte sealed card", withBytes({ 20: 2, 21: 201 }), "field-too-long"],
    ["a non-zero padding byte", withBytes({ 239: 1 }), "bad-padding"],
    [
      "a non-zero byte right after the content",
      withBytes({ [contentLength(sample)]: 0x80 }),
      "bad-padding",
    ],
  ])("refuses to decode %s", (_, bytes, code) => {
    expect(codeOf(() => decodeCheckInRecord(bytes))).toBe(code);
  });

  it("rejects a non-zero byte anywhere in the padding", () => {
    fc.assert(
      fc.property(recordArb, fc.nat(), fc.integer({ min: 1, max: 255 }), (r, i, v) => {
        const bytes = encodeCheckInRecord(r);
        const start = contentLength(r);
        bytes[start + (i % (CHECKIN_RECORD_BYTES - start))] = v;
        expect(codeOf(() => decodeCheckInRecord(bytes))).toBe("bad-padding");
      }),
      { numRuns: 1000 },
    );
  });

  it("raises nothing but ProtocolError on arbitrary or mutated input", () => {
    const mutated = fc
      .tuple(recordArb, fc.nat(), fc.integer({ min: 1, max: 255 }))
      .map(([r, i, x]) => {
        const b = encodeCheckInRecord(r);
        b[i % contentLength(r)]! ^= x;
        return b;
      });
    const input = fc.oneof(
      mutated,
      fc.uint8Array({ minLength: 240, maxLength: 240 }),
      fc.uint8Array({ maxLength: 300 }),
    );
    fc.assert(
      fc.property(input, (bytes) => {
        try {
          expect(encodeCheckInRecord(decodeCheckInRecord(bytes))).toEqual(bytes);
        } catch (e) {
          expect(e).toBeInstanceOf(ProtocolError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
