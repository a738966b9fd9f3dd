import {
  createPrivateKey,
  createPublicKey,
  sign as nodeSign,
  verify as nodeVerify,
} from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeBase32, encodeBase32 } from "../encoding/base32.ts";
import { ProtocolError, type ProtocolErrorCode } from "../errors.ts";
import { type Ed25519KeyPair, generateEd25519KeyPair } from "../keys/ed25519.ts";
import { formatVerifierKey, parseVerifierKey } from "../keys/verifier-key.ts";
import { codeOf } from "../testing/code-of.ts";
import { kioskCodeUrl } from "./kiosk-code.ts";
import {
  CODE_PATH,
  dayNumber,
  decodeVenueCode,
  encodeVenueCodePayload,
  LIMITS,
  parseCodeUrl,
  type SignedName,
  signVenueCode,
  VENUE_CATEGORIES,
  VENUE_CODE_TYPE,
  VENUE_CODE_VERSION,
  type VenueCode,
  venueCodeUrl,
  verifyVenueCode,
} from "./venue-code.ts";

const utf8 = (s: string) => new TextEncoder().encode(s);
const DAY_MS = 86_400_000;
const ORIGIN = "https://checkin.example.org";

const registryA = generateEd25519KeyPair(Uint8Array.from({ length: 32 }, (_, i) => i + 1));
const registryB = generateEd25519KeyPair(Uint8Array.from({ length: 32 }, (_, i) => 200 - i));
const keyA = parseVerifierKey(formatVerifierKey("registry.example", registryA.publicKey));
const keyB = parseVerifierKey(formatVerifierKey("registry.example", registryB.publicKey));

/** Ed25519 with node:crypto, independent of the module's noble-based signing. */
function nodeKeys(pair: Ed25519KeyPair) {
  const x = Buffer.from(pair.publicKey).toString("base64url");
  const d = Buffer.from(pair.secretKey).toString("base64url");
  return {
    publicKey: createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x }, format: "jwk" }),
    privateKey: createPrivateKey({ key: { kty: "OKP", crv: "Ed25519", x, d }, format: "jwk" }),
  };
}
const nodeA = nodeKeys(registryA);
const contextMessage = (payload: Uint8Array) =>
  Buffer.concat([Buffer.from("LINTEL-V1 venue code"), Buffer.from([0]), payload]);
/** payload ‖ signature, signed with node:crypto: lets tests sign bytes the encoder refuses. */
const nodeSigned = (payload: Uint8Array) =>
  new Uint8Array(
    Buffer.concat([payload, nodeSign(null, contextMessage(payload), nodeA.privateKey)]),
  );

const base: VenueCode = {
  deployment: "demo",
  venueId: "harbour-library",
  entranceId: "harbour-library-main",
  codeVersion: 3,
  venueName: { zh: "海港公共图书馆", en: "Harbour Public Library" },
  entranceName: { zh: "正门", en: "Main entrance" },
  category: "library",
  defaultStayMinutes: 90,
  contactFields: { name: true, phone: true, idNumber: true },
  validFromDay: dayNumber(new Date("2026-06-01T00:00:00Z")),
  validUntilDay: dayNumber(new Date("2026-06-30T00:00:00Z")),
  registryKeyId: keyA.keyId,
};
const signedBase = signVenueCode(base, registryA.secretKey);
const midJune = new Date("2026-06-15T08:00:00Z");
const verifyA = (bytes: Uint8Array, now = midJune, deployment?: string) =>
  verifyVenueCode(bytes, {
    registry: keyA,
    now,
    ...(deployment === undefined ? {} : { deployment }),
  });

// The payload layout spelled out byte by byte, independently of the module's Writer use.
interface RawCode {
  type: number;
  version: number;
  deployment: string;
  venueId: string;
  entranceId: string;
  codeVersion: number;
  /** The Chinese names; the English ones follow each. */
  venueName: string;
  venueNameEn: string;
  entranceName: string;
  entranceNameEn: string;
  category: number;
  stay: number;
  flags: number;
  from: number;
  until: number;
  keyId: Uint8Array;
}
const rawBase: RawCode = {
  type: 0x43,
  version: 2,
  deployment: base.deployment,
  venueId: base.venueId,
  entranceId: base.entranceId,
  codeVersion: base.codeVersion,
  venueName: base.venueName.zh,
  venueNameEn: base.venueName.en,
  entranceName: base.entranceName.zh,
  entranceNameEn: base.entranceName.en,
  category: 3,
  stay: 90,
  flags: 0b111,
  from: base.validFromDay,
  until: base.validUntilDay,
  keyId: keyA.keyId,
};
function rawPayload(overrides: Partial<RawCode> = {}): Uint8Array {
  const r = { ...rawBase, ...overrides };
  const out: number[] = [r.type, r.version];
  const text = (s: string) => {
    const b = utf8(s);
    out.push(b.length, ...b);
  };
  const u16 = (n: number) => out.push(n >> 8, n & 0xff);
  text(r.deployment);
  text(r.venueId);
  text(r.entranceId);
  u16(r.codeVersion);
  text(r.venueName);
  text(r.venueNameEn);
  text(r.entranceName);
  text(r.entranceNameEn);
  out.push(r.category);
  u16(r.stay);
  out.push(r.flags);
  u16(r.from);
  u16(r.until);
  out.push(...r.keyId);
  return Uint8Array.from(out);
}

// ---- arbitraries -------------------------------------------------------------------------------

const idArb = fc.stringMatching(/^[A-Za-z0-9_-]{1,32}$/);
const deploymentArb = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,31}$/);
const nameUnit = fc.oneof(
  fc.integer({ min: 0x4e00, max: 0x9fa5 }).map((c) => String.fromCodePoint(c)),
  fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"),
  fc.constantFrom(" ", "'", "&", "-", "·", "é", "ü", "ß", "ñ", "Å", "（", "）", "、"),
);
/** CJK and Latin text of at most maxBytes UTF-8 bytes, not blank; often exactly at the limit. */
const nameArb = (maxBytes: number) =>
  fc
    .array(nameUnit, { minLength: 1, maxLength: maxBytes })
    .map((units) => {
      let s = "";
      for (const u of units) {
        if (utf8(s + u).length > maxBytes) break;
        s += u;
      }
      return s;
    })
    .filter((s) => s.trim() !== "");
const dayRange = fc
  .tuple(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 0xffff }))
  .map(([a, b]): [number, number] => (a <= b ? [a, b] : [b, a]));

const codeArb: fc.Arbitrary<VenueCode> = fc
  .record({
    deployment: deploymentArb,
    venueId: idArb,
    entranceId: idArb,
    codeVersion: fc.integer({ min: 1, max: 0xffff }),
    venueName: fc.record({ zh: nameArb(LIMITS.venueName), en: nameArb(LIMITS.venueName) }),
    entranceName: fc.record({
      zh: nameArb(LIMITS.entranceName),
      en: nameArb(LIMITS.entranceName),
    }),
    category: fc.constantFrom(...VENUE_CATEGORIES),
    defaultStayMinutes: fc.integer({ min: 5, max: 1440 }),
    contactFields: fc.record({
      name: fc.constant(true),
      phone: fc.constant(true),
      idNumber: fc.boolean(),
    }),
    days: dayRange,
  })
  .map(({ days, ...rest }) => ({
    ...rest,
    validFromDay: days[0],
    validUntilDay: days[1],
    registryKeyId: keyA.keyId,
  }));

// ---- tests -------------------------------------------------------------------------------------

describe("venue code layout", () => {
  it("encodes the payload byte for byte as the spec lays it out", () => {
    expect(VENUE_CODE_TYPE).toBe(0x43);
    expect(VENUE_CODE_VERSION).toBe(2);
    expect(encodeVenueCodePayload(base)).toEqual(rawPayload());
  });

  it("keeps category numbers fixed (a reordering would change old codes' meaning)", () => {
    const expected = [
      "other",
      "restaurant",
      "shop",
      "library",
      "gym",
      "office",
      "school",
      "hospital",
      "transport",
      "event",
      "worship",
      "hotel",
      "entertainment",
    ];
    for (const [i, category] of expected.entries()) {
      const payload = encodeVenueCodePayload({
        ...base,
        category: category as VenueCode["category"],
      });
      expect(payload).toEqual(rawPayload({ category: i }));
    }
    expect(VENUE_CATEGORIES).toEqual(expected);
  });

  it("maps contact fields to flag bits name=1, phone=2, idNumber=4", () => {
    for (const flags of [3, 7]) {
      const contactFields = { name: true, phone: true, idNumber: flags === 7 };
      expect(encodeVenueCodePayload({ ...base, contactFields })).toEqual(rawPayload({ flags }));
      expect(decodeVenueCode(nodeSigned(rawPayload({ flags }))).code.contactFields).toEqual(
        contactFields,
      );
    }
  });

  it("always asks for name and phone: flags without bits 0 and 1 are bad-value both ways", () => {
    for (const flags of [0, 1, 2, 4, 5, 6]) {
      const contactFields = { name: !!(flags & 1), phone: !!(flags & 2), idNumber: !!(flags & 4) };
      expect(
        codeOf(() => encodeVenueCodePayload({ ...base, contactFields })),
        `${flags}`,
      ).toBe("bad-value");
      expect(
        codeOf(() => decodeVenueCode(nodeSigned(rawPayload({ flags })))),
        `${flags}`,
      ).toBe("bad-value");
    }
  });

  it("signs 'LINTEL-V1 venue code' ‖ 0x00 ‖ payload with plain Ed25519 (checked by node:crypto)", () => {
    const payload = signedBase.subarray(0, signedBase.length - 64);
    const signature = signedBase.subarray(signedBase.length - 64);
    expect(payload).toEqual(rawPayload());
    expect(nodeVerify(null, contextMessage(payload), nodeA.publicKey, signature)).toBe(true);
    expect(nodeVerify(null, Buffer.from(payload), nodeA.publicKey, signature)).toBe(false);
    // And a code signed by node:crypto verifies here.
    expect(verifyA(nodeSigned(rawPayload())).code).toEqual(base);
  });

  it("counts days from 1970-01-01 UTC", () => {
    expect(dayNumber(new Date("1970-01-01T00:00:00.000Z"))).toBe(0);
    expect(dayNumber(new Date("1970-01-01T23:59:59.999Z"))).toBe(0);
    expect(dayNumber(new Date("1969-12-31T23:59:59.999Z"))).toBe(-1);
    expect(dayNumber(new Date("2000-01-01T00:00:00.000Z"))).toBe(10_957); // 946684800 s / 86400
    expect(dayNumber(new Date("2000-01-01T08:00:00+08:00"))).toBe(10_957);
    expect(dayNumber(new Date("2000-01-01T07:59:59.999+08:00"))).toBe(10_956);
  });
});

describe("venue code round trip", () => {
  it("sign → decode → verify gives back the code (property)", () => {
    fc.assert(
      fc.property(codeArb, fc.nat(), fc.nat(DAY_MS - 1), (code, pick, msInDay) => {
        const signed = signVenueCode(code, registryA.secretKey);
        const decoded = decodeVenueCode(signed);
        expect(decoded.code).toEqual(code);
        expect(decoded.bytes).toEqual(signed);
        expect(decoded.payload).toEqual(encodeVenueCodePayload(code));
        expect(decoded.signature).toEqual(signed.subarray(signed.length - 64));
        expect(decoded.payload.length + 64).toBe(signed.length);

        const day = code.validFromDay + (pick % (code.validUntilDay - code.validFromDay + 1));
        const now = new Date(day * DAY_MS + msInDay);
        const verified = verifyVenueCode(signed, {
          registry: keyA,
          now,
          deployment: code.deployment,
        });
        expect(verified.code).toEqual(code);
        expect(
          nodeVerify(null, contextMessage(decoded.payload), nodeA.publicKey, decoded.signature),
        ).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it("decodes only canonical encodings: what decodes re-encodes to the same bytes (property)", () => {
    fc.assert(
      fc.property(codeArb, fc.nat(), fc.integer({ min: 1, max: 255 }), (code, at, mask) => {
        const payload = encodeVenueCodePayload(code);
        payload[at % payload.length]! ^= mask;
        const bytes = new Uint8Array([...payload, ...new Uint8Array(64)]);
        let decoded: ReturnType<typeof decodeVenueCode>;
        try {
          decoded = decodeVenueCode(bytes);
        } catch (e) {
          expect(e).toBeInstanceOf(ProtocolError);
          return;
        }
        expect(encodeVenueCodePayload(decoded.code)).toEqual(decoded.payload);
        expect(decoded.payload).toEqual(payload);
      }),
      { numRuns: 1000 },
    );
  });

  it("returns copies, not views of the caller's bytes", () => {
    const input = signedBase.slice();
    const decoded = decodeVenueCode(input);
    input.fill(0);
    expect(decoded.bytes).toEqual(signedBase);
    expect(decoded.code.registryKeyId).toEqual(keyA.keyId);
  });
});

describe("venue code verification refusals", () => {
  it("accepts the base code", () => {
    expect(verifyA(signedBase).code).toEqual(base);
  });

  it("refuses a code from another registry key as unknown-key", () => {
    const fromB = signVenueCode({ ...base, registryKeyId: keyB.keyId }, registryB.secretKey);
    expect(codeOf(() => verifyA(fromB))).toBe("unknown-key");
    expect(verifyVenueCode(fromB, { registry: keyB, now: midJune }).code.registryKeyId).toEqual(
      keyB.keyId,
    );
    // Same key, other name: another key id.
    const renamed = parseVerifierKey(formatVerifierKey("registry.other", registryA.publicKey));
    expect(codeOf(() => verifyVenueCode(signedBase, { registry: renamed, now: midJune }))).toBe(
      "unknown-key",
    );
  });

  it("refuses the right key id with a wrong signature as bad-signature", () => {
    // Signed by B while claiming A's key id.
    const forged = signVenueCode(base, registryB.secretKey);
    expect(codeOf(() => verifyA(forged))).toBe("bad-signature");
    for (let at = signedBase.length - 64; at < signedBase.length; at++) {
      const bad = signedBase.slice();
      bad[at]! ^= 0x01;
      expect(codeOf(() => verifyA(bad))).toBe("bad-signature");
    }
  });

  it("never verifies a code with any byte changed anywhere (property)", () => {
    const codes = [
      signedBase,
      signVenueCode(
        { ...base, venueName: { zh: "港湾图书馆", en: "Harbour Library" } },
        registryA.secretKey,
      ),
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...codes),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (signed, at, mask) => {
          const bad = signed.slice();
          bad[at % bad.length]! ^= mask;
          expect(codeOf(() => verifyA(bad))).not.toBe("no error");
        },
      ),
      { numRuns: 400 },
    );
    // Exhaustively, one bit at a time over the payload.
    for (let at = 0; at < signedBase.length - 64; at++) {
      const bad = signedBase.slice();
      bad[at]! ^= 0x20;
      expect(codeOf(() => verifyA(bad))).not.toBe("no error");
    }
  });

  it("honours UTC day boundaries for expiry", () => {
    // Valid until 2026-06-30 (UTC), inclusive.
    expect(codeOf(() => verifyA(signedBase, new Date("2026-06-30T23:59:59.999Z")))).toBe(
      "no error",
    );
    expect(codeOf(() => verifyA(signedBase, new Date("2026-07-01T00:00:00.000Z")))).toBe("expired");
    // 07:59 on 1 July in Shanghai is still 30 June in UTC.
    expect(codeOf(() => verifyA(signedBase, new Date("2026-07-01T07:59:59.999+08:00")))).toBe(
      "no error",
    );
    expect(codeOf(() => verifyA(signedBase, new Date("2026-07-01T08:00:00.000+08:00")))).toBe(
      "expired",
    );
    expect(codeOf(() => verifyA(signedBase, new Date("2031-01-01T00:00:00Z")))).toBe("expired");
  });

  it("honours UTC day boundaries for the start of validity", () => {
    expect(codeOf(() => verifyA(signedBase, new Date("2026-05-31T23:59:59.999Z")))).toBe(
      "not-yet-valid",
    );
    expect(codeOf(() => verifyA(signedBase, new Date("2026-06-01T00:00:00.000Z")))).toBe(
      "no error",
    );
    expect(codeOf(() => verifyA(signedBase, new Date("1970-01-01T00:00:00Z")))).toBe(
      "not-yet-valid",
    );
  });

  it("handles a one-day code and codes at the ends of the u16 day range", () => {
    const day = dayNumber(new Date("2026-06-10T00:00:00Z"));
    const oneDay = signVenueCode(
      { ...base, validFromDay: day, validUntilDay: day },
      registryA.secretKey,
    );
    expect(codeOf(() => verifyA(oneDay, new Date(day * DAY_MS)))).toBe("no error");
    expect(codeOf(() => verifyA(oneDay, new Date((day + 1) * DAY_MS - 1)))).toBe("no error");
    expect(codeOf(() => verifyA(oneDay, new Date(day * DAY_MS - 1)))).toBe("not-yet-valid");
    expect(codeOf(() => verifyA(oneDay, new Date((day + 1) * DAY_MS)))).toBe("expired");
    const ends = signVenueCode(
      { ...base, validFromDay: 0, validUntilDay: 0xffff },
      registryA.secretKey,
    );
    expect(codeOf(() => verifyA(ends, new Date(0)))).toBe("no error");
    expect(codeOf(() => verifyA(ends, new Date(0x10000 * DAY_MS - 1)))).toBe("no error");
    expect(codeOf(() => verifyA(ends, new Date(0x10000 * DAY_MS)))).toBe("expired");
  });

  it("refuses an invalid clock instead of treating every code as valid", () => {
    expect(codeOf(() => verifyA(signedBase, new Date(Number.NaN)))).toBe("bad-value");
    expect(codeOf(() => verifyA(signedBase, new Date("not a date")))).toBe("bad-value");
  });

  it("refuses a code of another deployment only when a deployment is given", () => {
    expect(codeOf(() => verifyA(signedBase, midJune, "demo"))).toBe("no error");
    expect(codeOf(() => verifyA(signedBase, midJune))).toBe("no error");
    expect(codeOf(() => verifyA(signedBase, midJune, "other"))).toBe("unknown-key");
    expect(codeOf(() => verifyA(signedBase, midJune, "Demo"))).toBe("unknown-key");
    expect(codeOf(() => verifyA(signedBase, midJune, "demo2"))).toBe("unknown-key");
  });

  it("refuses an unknown version byte and an unknown type byte", () => {
    // Version 1 (one venue name) is withdrawn: refused, never read as version 2.
    for (const version of [0, 1, 3, 0xff]) {
      const bad = signedBase.slice();
      bad[1] = version;
      expect(codeOf(() => decodeVenueCode(bad))).toBe("unknown-version");
      expect(codeOf(() => verifyA(bad))).toBe("unknown-version");
      // Even when properly signed.
      expect(codeOf(() => verifyA(nodeSigned(rawPayload({ version }))))).toBe("unknown-version");
    }
    for (const type of [0x00, 0x42, 0x44, 0x63, 0xff]) {
      const bad = signedBase.slice();
      bad[0] = type;
      expect(codeOf(() => decodeVenueCode(bad))).toBe("unknown-type");
      expect(codeOf(() => verifyA(bad))).toBe("unknown-type");
    }
  });

  it("refuses every truncation as truncated, and a trailing byte as trailing-bytes", () => {
    for (let n = 0; n < signedBase.length; n++) {
      expect(codeOf(() => decodeVenueCode(signedBase.subarray(0, n)))).toBe("truncated");
      expect(codeOf(() => verifyA(signedBase.subarray(0, n)))).toBe("truncated");
    }
    for (const extra of [[0], [0xff], [1, 2, 3]]) {
      const long = new Uint8Array([...signedBase, ...extra]);
      expect(codeOf(() => decodeVenueCode(long))).toBe("trailing-bytes");
      expect(codeOf(() => verifyA(long))).toBe("trailing-bytes");
    }
  });
});

describe("venue code field rules", () => {
  const cjk = (n: number) => "海港公共图书馆正门东".repeat(3).slice(0, n);
  const venueZh = (zh: string) => ({ venueName: { ...base.venueName, zh } });
  const venueEn = (en: string) => ({ venueName: { ...base.venueName, en } });
  const entranceZh = (zh: string) => ({ entranceName: { ...base.entranceName, zh } });
  const entranceEn = (en: string) => ({ entranceName: { ...base.entranceName, en } });

  it("accepts names exactly at their byte limits and refuses one byte more", () => {
    expect(utf8(cjk(20))).toHaveLength(60);
    const atLimit = {
      ...base,
      venueName: { zh: cjk(20), en: "V".repeat(60) },
      entranceName: { zh: cjk(10), en: "E".repeat(30) },
    };
    expect(decodeVenueCode(signVenueCode(atLimit, registryA.secretKey)).code).toEqual(atLimit);
    const cases: Array<[Partial<VenueCode>, string]> = [
      [venueZh(`${cjk(20)}a`), "venueName.zh 61 bytes"],
      [venueZh(cjk(21)), "venueName.zh 63 bytes"],
      [venueEn("x".repeat(61)), "venueName.en 61 ASCII"],
      [entranceZh(`${cjk(10)}a`), "entranceName.zh 31 bytes"],
      [entranceEn("e".repeat(31)), "entranceName.en 31 ASCII"],
      [{ venueId: "v".repeat(33) }, "venueId 33"],
      [{ entranceId: "e".repeat(33) }, "entranceId 33"],
      [{ deployment: "d".repeat(33) }, "deployment 33"],
    ];
    for (const [change, what] of cases) {
      expect(
        codeOf(() => encodeVenueCodePayload({ ...base, ...change })),
        what,
      ).toBe("field-too-long");
    }
    const max = {
      ...base,
      venueId: "v".repeat(32),
      entranceId: "e".repeat(32),
      deployment: "d".repeat(32),
    };
    expect(codeOf(() => encodeVenueCodePayload(max))).toBe("no error");
  });

  it("refuses text that is not NFC or holds control characters", () => {
    for (const [change, what] of [
      [venueEn("Cafe\u0301"), "combining accent"],
      [entranceEn("A\u030a"), "decomposed Å"],
      [venueEn("Main\nLibrary"), "newline"],
      [venueZh("图书馆\u0007"), "bell"],
      [entranceEn("Door\u0085"), "NEL"],
      [entranceZh("正门\u2028东"), "line separator"],
      [venueZh("图\ud800"), "lone surrogate"],
    ] as Array<[Partial<VenueCode>, string]>) {
      expect(
        codeOf(() => encodeVenueCodePayload({ ...base, ...change })),
        what,
      ).toBe("bad-text");
    }
  });

  it("refuses values outside their rules as bad-value", () => {
    const cases: Array<[Partial<VenueCode>, string]> = [
      [{ deployment: "Demo" }, "upper-case deployment"],
      [{ deployment: "-demo" }, "leading hyphen"],
      [{ deployment: "demo_1" }, "underscore in deployment"],
      [{ deployment: "" }, "empty deployment"],
      [{ venueId: "" }, "empty id"],
      [{ venueId: "a b" }, "space in id"],
      [{ entranceId: "café" }, "non-ASCII id"],
      [{ entranceId: "a.b" }, "dot in id"],
      [{ codeVersion: 0 }, "codeVersion 0"],
      [{ codeVersion: 0x10000 }, "codeVersion 65536"],
      [{ codeVersion: 1.5 }, "fractional codeVersion"],
      [venueZh("   "), "blank Chinese venue name"],
      [venueEn(""), "empty English venue name"],
      [entranceZh("\u3000"), "ideographic-space Chinese entrance name"],
      [entranceEn(" "), "blank English entrance name"],
      [{ category: "bar" as VenueCode["category"] }, "unknown category"],
      [{ defaultStayMinutes: 4 }, "stay 4"],
      [{ defaultStayMinutes: 1441 }, "stay 1441"],
      [{ validFromDay: 10, validUntilDay: 9 }, "empty validity"],
      [{ validFromDay: -1 }, "negative day"],
      [{ validUntilDay: 0x10000 }, "day 65536"],
      [{ validFromDay: 1.5 }, "fractional day"],
      [{ registryKeyId: new Uint8Array(3) }, "3-byte key id"],
    ];
    for (const [change, what] of cases) {
      expect(
        codeOf(() => encodeVenueCodePayload({ ...base, ...change })),
        what,
      ).toBe("bad-value");
      expect(
        codeOf(() => signVenueCode({ ...base, ...change }, registryA.secretKey)),
        what,
      ).toBe("bad-value");
    }
  });

  it("refuses properly signed codes whose fields break the rules", () => {
    const cases: Array<[Partial<RawCode>, ProtocolErrorCode]> = [
      [{ category: VENUE_CATEGORIES.length }, "bad-value"],
      [{ category: 0xff }, "bad-value"],
      [{ flags: 8 }, "bad-value"],
      [{ flags: 0xff }, "bad-value"],
      [{ flags: 0b101 }, "bad-value"],
      [{ flags: 0b110 }, "bad-value"],
      [{ venueName: `${cjk(20)}a` }, "field-too-long"],
      [{ venueNameEn: "v".repeat(61) }, "field-too-long"],
      [{ entranceName: "e".repeat(31) }, "field-too-long"],
      [{ entranceNameEn: "e".repeat(31) }, "field-too-long"],
      [{ venueId: "v".repeat(33) }, "field-too-long"],
      [{ deployment: "d".repeat(33) }, "field-too-long"],
      [{ venueName: "Cafe\u0301" }, "bad-text"],
      [{ venueNameEn: "Cafe\u0301" }, "bad-text"],
      [{ entranceName: "Door\u0000" }, "bad-text"],
      [{ entranceNameEn: "Door\u0000" }, "bad-text"],
      [{ deployment: "Demo" }, "bad-value"],
      [{ venueId: "a b" }, "bad-value"],
      [{ venueName: " " }, "bad-value"],
      [{ venueNameEn: " " }, "bad-value"],
      [{ entranceNameEn: "" }, "bad-value"],
      [{ codeVersion: 0 }, "bad-value"],
      [{ stay: 0 }, "bad-value"],
      [{ stay: 1441 }, "bad-value"],
      [{ from: 20_001, until: 20_000 }, "bad-value"],
    ];
    for (const [change, code] of cases) {
      const signed = nodeSigned(rawPayload(change));
      expect(
        codeOf(() => decodeVenueCode(signed)),
        JSON.stringify(change),
      ).toBe(code);
      expect(
        codeOf(() => verifyA(signed)),
        JSON.stringify(change),
      ).toBe(code);
    }
    // Invalid UTF-8 in a name, properly signed.
    const payload = rawPayload({ venueName: "ab" });
    const at = payload.indexOf(0x61);
    payload[at] = 0xc0;
    payload[at + 1] = 0xaf;
    expect(codeOf(() => verifyA(nodeSigned(payload)))).toBe("bad-text");
  });
});

describe("code URLs", () => {
  it("put upper-case base32 of the signed code after /c#, and parse back", () => {
    const url = venueCodeUrl(ORIGIN, signedBase);
    expect(CODE_PATH).toBe("/c");
    expect(url.startsWith(`${ORIGIN}/c#`)).toBe(true);
    const fragment = url.slice(url.indexOf("#") + 1);
    expect(fragment).toMatch(/^[A-Z2-7]+$/);
    expect(fragment).toBe(encodeBase32(signedBase));
    expect(decodeBase32(fragment)).toEqual(signedBase);
    const parsed = parseCodeUrl(url);
    expect(parsed.code).toEqual(signedBase);
    expect("kiosk" in parsed).toBe(false);
    expect(venueCodeUrl(`${ORIGIN}/`, signedBase)).toBe(url);
    expect(venueCodeUrl(`${ORIGIN}///`, signedBase)).toBe(url);
  });

  it("round-trip any signed code through the URL (property)", () => {
    fc.assert(
      fc.property(codeArb, (code) => {
        const signed = signVenueCode(code, registryA.secretKey);
        const url = venueCodeUrl(ORIGIN, signed);
        expect(url.slice(url.indexOf("#") + 1)).toMatch(/^[A-Z2-7]+$/);
        expect(decodeVenueCode(parseCodeUrl(url).code).code).toEqual(code);
      }),
      { numRuns: 100 },
    );
  });

  it("accept a bare fragment, lower case, and surrounding white space", () => {
    const fragment = encodeBase32(signedBase);
    expect(parseCodeUrl(fragment).code).toEqual(signedBase);
    expect(parseCodeUrl(fragment.toLowerCase()).code).toEqual(signedBase);
    expect(parseCodeUrl(`  ${fragment}\n`).code).toEqual(signedBase);
    expect(parseCodeUrl(`#${fragment}`).code).toEqual(signedBase);
    expect(parseCodeUrl(`http://elsewhere.example/anything?x=1#${fragment}`).code).toEqual(
      signedBase,
    );
  });

  it("carry an optional second part for kiosks", () => {
    const fragment = encodeBase32(signedBase);
    const suffix = encodeBase32(Uint8Array.from({ length: 20 }, (_, i) => i));
    const parsed = parseCodeUrl(`${ORIGIN}/c#${fragment}.${suffix}`);
    expect(parsed.code).toEqual(signedBase);
    expect(parsed.kiosk).toEqual(Uint8Array.from({ length: 20 }, (_, i) => i));
  });

  it.each([
    ["an empty string", ""],
    ["an empty fragment", `${ORIGIN}/c#`],
    ["a blank fragment", `${ORIGIN}/c#   `],
    ["three parts", "MZXW6.MZXW6.MZXW6"],
    ["four parts", "MZXW6.MZXW6.MZXW6.MZXW6"],
    ["characters outside base32", `${ORIGIN}/c#MZXW1`],
    ["garbage", "not a code at all!"],
    ["a second '#'", `${ORIGIN}/c#MZXW6#MZXW6`],
    ["an impossible base32 length", "MZX"],
    ["padding", "MY======"],
    ["an over-long fragment", "A".repeat(1208)],
    ["a bad kiosk part", `${encodeBase32(signedBase)}.!!`],
    ["an empty kiosk part", `${ORIGIN}/c#${encodeBase32(signedBase)}.`],
    ["an empty kiosk part in a bare fragment", `${encodeBase32(signedBase)}.`],
    ["an empty code part", `${ORIGIN}/c#.${encodeBase32(new Uint8Array(20))}`],
    ["only a dot", "."],
  ])("refuse %s", (_, text) => {
    expect(codeOf(() => parseCodeUrl(text))).toBe("bad-encoding");
  });
});

describe("decoder fuzzing", () => {
  it("decodeVenueCode raises nothing but ProtocolError on arbitrary and mutated bytes", () => {
    const mutated = fc
      .tuple(
        fc.constantFrom(signedBase, rawPayload()),
        fc.array(
          fc.tuple(
            fc.constantFrom("flip", "insert", "delete"),
            fc.nat(),
            fc.integer({ min: 1, max: 255 }),
          ),
          { minLength: 1, maxLength: 4 },
        ),
      )
      .map(([bytes, edits]) => {
        const out = Array.from(bytes);
        for (const [kind, at, v] of edits) {
          const i = at % (out.length + 1);
          if (kind === "flip" && i < out.length) out[i]! ^= v;
          else if (kind === "insert") out.splice(i, 0, v);
          else if (kind === "delete") out.splice(i, 1);
        }
        return Uint8Array.from(out);
      });
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 300 }),
          fc.uint8Array({ maxLength: 300 }).map((b) => new Uint8Array([0x43, 1, ...b])),
          mutated,
        ),
        (bytes) => {
          // Edits can cancel out (a flip undone, a deleted byte re-inserted).
          fc.pre(Buffer.compare(bytes, signedBase) !== 0);
          try {
            const decoded = decodeVenueCode(bytes);
            expect(encodeVenueCodePayload(decoded.code)).toEqual(decoded.payload);
          } catch (e) {
            expect(e).toBeInstanceOf(ProtocolError);
          }
          expect(() => verifyA(bytes)).toThrow(ProtocolError);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("parseCodeUrl raises nothing but ProtocolError on arbitrary and mutated text", () => {
    const url = venueCodeUrl(ORIGIN, signedBase);
    const mutatedUrl = fc
      .tuple(fc.nat(url.length), fc.string({ maxLength: 3 }), fc.nat(3))
      .map(([at, insert, drop]) => url.slice(0, at) + insert + url.slice(at + drop));
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 60 }),
          fc.string({ unit: "binary", maxLength: 60 }),
          fc.stringMatching(/^[A-Za-z2-9.#=]{0,40}$/),
          mutatedUrl,
        ),
        (text) => {
          try {
            const parsed = parseCodeUrl(text);
            expect(parsed.code).toBeInstanceOf(Uint8Array);
          } catch (e) {
            expect(e).toBeInstanceOf(ProtocolError);
          }
        },
      ),
      { numRuns: 1500 },
    );
  });
});

// ---- QR budget ---------------------------------------------------------------------------------
//
// ISO/IEC 18004 (QR Code model 2), error-correction level M. Data capacity in codewords is the
// symbol's total codewords minus its error-correction codewords (blocks × EC codewords per
// block): version 10 has 346 − 5×26 = 216, i.e. 1,728 data bits. For versions 10–26 the
// character-count indicator is 16 bits in byte mode and 11 bits in alphanumeric mode (8 and 9
// below version 10). The test below checks that these figures reproduce the published 10-M
// capacities (311 alphanumeric characters, 213 bytes) before using them.
const M_DATA_CODEWORDS: ReadonlyArray<readonly [number, number]> = [
  [10, 216],
  [11, 254],
  [12, 290],
  [13, 334],
  [14, 365],
  [15, 415],
  [16, 453],
  [17, 507],
  [18, 563],
  [19, 627],
  [20, 669],
];
const V10_M_BITS = 216 * 8;
const ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
const byteSegmentBits = (bytes: number) => 4 + 16 + 8 * bytes;
const alphanumericSegmentBits = (chars: number) =>
  4 + 11 + 11 * Math.floor(chars / 2) + 6 * (chars % 2);

interface QrFigures {
  signedBytes: number;
  urlChars: number;
  fragmentChars: number;
  /** origin + "/c#" in byte mode, the fragment in alphanumeric mode. */
  mixedBits: number;
  /** The whole URL as one byte-mode segment, as naive generators do. */
  byteOnlyBits: number;
  spareBitsAt10M: number;
  smallestVersionM: number | undefined;
}

function qrFigures(url: string, signedBytes: number): QrFigures {
  const hash = url.indexOf("#");
  const prefix = url.slice(0, hash + 1);
  const fragment = url.slice(hash + 1);
  for (const c of fragment) expect(ALPHANUMERIC.includes(c)).toBe(true);
  const mixedBits = byteSegmentBits(utf8(prefix).length) + alphanumericSegmentBits(fragment.length);
  return {
    signedBytes,
    urlChars: url.length,
    fragmentChars: fragment.length,
    mixedBits,
    byteOnlyBits: byteSegmentBits(utf8(url).length),
    spareBitsAt10M: V10_M_BITS - mixedBits,
    smallestVersionM: M_DATA_CODEWORDS.find(([, cw]) => mixedBits <= cw * 8)?.[0],
  };
}

function figuresFor(code: VenueCode): QrFigures {
  const signed = signVenueCode(code, registryA.secretKey);
  return qrFigures(venueCodeUrl(ORIGIN, signed), signed.length);
}

const demo = (venueName: SignedName, entranceName: SignedName, ids = 0): VenueCode => ({
  ...base,
  deployment: "demo",
  venueId: ids ? "v".repeat(ids) : "harbour-library",
  entranceId: ids ? "e".repeat(ids) : "harbour-library-main",
  venueName,
  entranceName,
});
const harbour = { zh: "海港公共图书馆", en: "Harbour Public Library" };
const mainDoor = { zh: "正门", en: "Main entrance" };
const eastDoor = { zh: "东门", en: "East entrance" };
const worstCase: VenueCode = {
  ...base,
  deployment: "d".repeat(LIMITS.deployment),
  venueId: "v".repeat(LIMITS.id),
  entranceId: "e".repeat(LIMITS.id),
  venueName: { zh: cjkText(LIMITS.venueName / 3), en: "V".repeat(LIMITS.venueName) },
  entranceName: { zh: cjkText(LIMITS.entranceName / 3), en: "E".repeat(LIMITS.entranceName) },
};
function cjkText(chars: number): string {
  return Array.from({ length: chars }, (_, i) => String.fromCodePoint(0x6d77 + i)).join("");
}

describe("QR budget (level M)", () => {
  it("uses capacity figures that reproduce the published 10-M capacities", () => {
    let alnum = 0;
    while (alphanumericSegmentBits(alnum + 1) <= V10_M_BITS) alnum++;
    let bytes = 0;
    while (byteSegmentBits(bytes + 1) <= V10_M_BITS) bytes++;
    expect(alnum).toBe(311);
    expect(bytes).toBe(213);
  });

  it("fits the demo venue's codes, every name in both languages, into version 11-M", () => {
    for (const code of [demo(harbour, mainDoor), demo(harbour, eastDoor)]) {
      const f = figuresFor(code);
      expect(f.smallestVersionM, code.entranceName.en).toBe(11);
    }
  });

  it("measures the worst case and the demo variants (figures printed for the record)", () => {
    expect(utf8(worstCase.venueName.zh)).toHaveLength(60);
    expect(utf8(worstCase.venueName.en)).toHaveLength(60);
    expect(utf8(worstCase.entranceName.zh)).toHaveLength(30);
    expect(utf8(worstCase.entranceName.en)).toHaveLength(30);
    const rows: Record<string, QrFigures> = {
      "demo names": figuresFor(demo(harbour, mainDoor)),
      "demo names, 24-char ids": figuresFor(demo(harbour, mainDoor, 24)),
      "worst case": figuresFor(worstCase),
    };
    const signed = signVenueCode(demo(harbour, mainDoor), registryA.secretKey);
    const kioskUrl = kioskCodeUrl(ORIGIN, new Uint8Array(32), signed, Date.UTC(2026, 5, 15));
    rows["demo names, kiosk URL"] = qrFigures(kioskUrl, signed.length + 20);

    const worst = rows["worst case"]!;
    // Signed size from the layout: 2 + (1+32)×3 + 2 + 2×(1+60) + 2×(1+30) + 1+2+1+2+2 + 4 + 64.
    expect(worst.signedBytes).toBe(2 + 33 * 3 + 2 + 2 * 61 + 2 * 31 + 8 + 4 + 64);
    expect(worst.fragmentChars).toBe(Math.ceil((worst.signedBytes * 8) / 5));
    expect(worst.urlChars).toBe(`${ORIGIN}/c#`.length + worst.fragmentChars);
    // Whatever the encoder accepts must stay within parseCodeUrl's 1,200-character fragment
    // limit, kiosk suffix included.
    const worstSigned = signVenueCode(worstCase, registryA.secretKey);
    const worstKiosk = kioskCodeUrl(ORIGIN, new Uint8Array(32), worstSigned, Date.UTC(2026, 5, 15));
    expect(parseCodeUrl(worstKiosk).code).toEqual(worstSigned);
    expect(worst.smallestVersionM).toBeDefined();

    console.log(
      `QR budget, origin ${ORIGIN}, level M (version 10-M = ${V10_M_BITS} data bits)\n${Object.entries(
        rows,
      )
        .map(
          ([name, f]) =>
            `  ${name.padEnd(32)} signed ${String(f.signedBytes).padStart(3)} B, URL ${String(
              f.urlChars,
            ).padStart(3)} chars, mixed-mode ${f.mixedBits} bits (${
              f.spareBitsAt10M >= 0 ? `${f.spareBitsAt10M} spare` : `${-f.spareBitsAt10M} over`
            } at 10-M; smallest M version ${f.smallestVersionM ?? ">20"}), byte-mode only ${f.byteOnlyBits} bits`,
        )
        .join("\n")}`,
    );
  });
});
