import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { ProtocolError, type ProtocolErrorCode } from "../errors.ts";
import { decodeCheckInRecord, encodeCheckInRecord } from "../record/checkin-record.ts";
import {
  authorityKeyId,
  cardFromText,
  cardToText,
  SEALED_CONTACT_MAX_BYTES,
} from "../record/citizen-card.ts";
import { type Contact, encodeContact } from "../record/contact.ts";
import {
  type AuthorityBoxKeyPair,
  generateAuthorityBoxKeyPair,
  issueCitizenCard,
  openSealedContact,
  ready,
  sealContactToAuthority,
} from "./index.ts";
import { lib } from "./sodium.ts";

function codeOf(f: () => unknown): ProtocolErrorCode | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof ProtocolError) return e.code;
    throw e;
  }
  return undefined;
}

const char = fc.oneof(
  fc.constantFrom("a", "Z", " ", "é"),
  fc.integer({ min: 0x4e00, max: 0x9fff }).map((c) => String.fromCodePoint(c)),
);
const contactArb: fc.Arbitrary<Contact> = fc.record({
  name: fc
    .array(char, { minLength: 1, maxLength: 21 })
    .map((a) => a.join(""))
    .filter((s) => s.trim() !== ""),
  phone: fc
    .string({ unit: fc.constantFrom(..."0123456789 +-()"), maxLength: 23 })
    .map((s) => `1${s}`),
  idNumber: fc.string({ unit: fc.constantFrom(..."A0123456789"), maxLength: 24 }),
});

const alice: Contact = { name: "Alice", phone: "+44 20 7946 0000", idNumber: "" };
const longest: Contact = {
  name: `${"张".repeat(21)}a`,
  phone: "1".repeat(24),
  idNumber: "X".repeat(24),
};

let authority: AuthorityBoxKeyPair;
let other: AuthorityBoxKeyPair;

beforeAll(async () => {
  await ready();
  authority = generateAuthorityBoxKeyPair();
  other = generateAuthorityBoxKeyPair();
});

describe("sealed contacts", () => {
  it("makes 32-byte X25519 key pairs", () => {
    expect(authority.publicKey).toHaveLength(32);
    expect(authority.secretKey).toHaveLength(32);
    expect(authority.publicKey).not.toEqual(other.publicKey);
  });

  it("opens with the authority's key pair; 48 bytes of overhead", () => {
    fc.assert(
      fc.property(contactArb, (c) => {
        const sealed = sealContactToAuthority(c, authority.publicKey);
        expect(sealed).toHaveLength(encodeContact(c).length + 48);
        expect(openSealedContact(sealed, authority.publicKey, authority.secretKey)).toEqual(c);
      }),
      { numRuns: 200 },
    );
  });

  it("fits the longest contact on a card", () => {
    const sealed = sealContactToAuthority(longest, authority.publicKey);
    expect(sealed).toHaveLength(165);
    expect(sealed.length).toBeLessThanOrEqual(SEALED_CONTACT_MAX_BYTES);
    expect(openSealedContact(sealed, authority.publicKey, authority.secretKey)).toEqual(longest);
  });

  it("seals with a fresh ephemeral key each time", () => {
    expect(sealContactToAuthority(alice, authority.publicKey)).not.toEqual(
      sealContactToAuthority(alice, authority.publicKey),
    );
  });

  it("fails with decryption-failed for another key, tampering or bad lengths", () => {
    const sealed = sealContactToAuthority(alice, authority.publicKey);
    const open = (s: Uint8Array, pk: Uint8Array, sk: Uint8Array) =>
      codeOf(() => openSealedContact(s, pk, sk));
    expect(open(sealed, other.publicKey, other.secretKey)).toBe("decryption-failed");
    expect(open(sealed, other.publicKey, authority.secretKey)).toBe("decryption-failed");
    expect(open(sealed, authority.publicKey, other.secretKey)).toBe("decryption-failed");
    expect(open(sealed.subarray(0, 47), authority.publicKey, authority.secretKey)).toBe(
      "decryption-failed",
    );
    expect(open(new Uint8Array(0), authority.publicKey, authority.secretKey)).toBe(
      "decryption-failed",
    );
    expect(open(sealed, authority.publicKey.subarray(1), authority.secretKey)).toBe(
      "decryption-failed",
    );
    expect(open(sealed, authority.publicKey, new Uint8Array(64))).toBe("decryption-failed");
    for (let i = 0; i < sealed.length; i++) {
      const t = sealed.slice();
      t[i]! ^= 0x01;
      expect(open(t, authority.publicKey, authority.secretKey)).toBe("decryption-failed");
    }
  });

  it("raises nothing but ProtocolError on arbitrary sealed input", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        expect(
          codeOf(() => openSealedContact(bytes, authority.publicKey, authority.secretKey)),
        ).toBe("decryption-failed");
      }),
      { numRuns: 500 },
    );
  });

  it("decodes what opens strictly: anyone can seal to the authority", () => {
    const junk = lib().crypto_box_seal(new Uint8Array([0x52, 1, 0]), authority.publicKey);
    expect(codeOf(() => openSealedContact(junk, authority.publicKey, authority.secretKey))).toBe(
      "unknown-type",
    );
  });

  it.each<[string, () => unknown, ProtocolErrorCode]>([
    ["a 31-byte key", () => sealContactToAuthority(alice, new Uint8Array(31)), "bad-length"],
    ["a low-order key", () => sealContactToAuthority(alice, new Uint8Array(32)), "bad-point"],
    [
      "a blank name",
      () => sealContactToAuthority({ ...alice, name: " " }, authority.publicKey),
      "bad-value",
    ],
    [
      "a long name",
      () => sealContactToAuthority({ ...alice, name: "a".repeat(65) }, authority.publicKey),
      "field-too-long",
    ],
  ])("refuses to seal with %s", (_, f, code) => {
    expect(codeOf(f)).toBe(code);
  });
});

describe("citizen cards end to end", () => {
  it("issue → QR text → staff check-in record → authority opens the contact", () => {
    fc.assert(
      fc.property(contactArb, (contact) => {
        const card = issueCitizenCard("demo", contact, authority.publicKey);
        expect(card.authorityKeyId).toEqual(authorityKeyId(authority.publicKey));
        expect(Array.from(card.maskedName)[0]).toBe(Array.from(contact.name.trim())[0]);
        const scanned = cardFromText(cardToText(card));
        expect(scanned).toEqual(card);
        // The staff device copies the sealed bytes into the record without opening them.
        const record = decodeCheckInRecord(
          encodeCheckInRecord({
            recordedBy: "paper",
            companions: 0,
            arrival: 1_750_000_000,
            expectedDeparture: 1_750_007_200,
            contactKind: "sealed-card",
            sealedCard: scanned.sealedContact,
          }),
        );
        if (record.contactKind !== "sealed-card") throw new Error("expected a sealed card");
        expect(
          openSealedContact(record.sealedCard, authority.publicKey, authority.secretKey),
        ).toEqual(contact);
      }),
      { numRuns: 100 },
    );
  });

  it('masks the name on the card: "张三丰" → "张**"', () => {
    const card = issueCitizenCard(
      "demo",
      { name: "张三丰", phone: "138 0013 8000", idNumber: "" },
      authority.publicKey,
    );
    expect(card.maskedName).toBe("张**");
    expect(cardToText(card)).not.toContain("三");
  });

  it("refuses an invalid deployment when issuing", () => {
    expect(codeOf(() => issueCitizenCard("Demo", alice, authority.publicKey))).toBe("bad-value");
  });
});
