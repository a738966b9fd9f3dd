/**
 * Citizen cards: a printed QR code for people who check in without a phone (PROTOCOL.md
 * §5.4). The card carries the holder's contact payload (contact.ts) sealed to the health
 * authority's X25519 box key with `crypto_box_seal`, plus a masked name so staff can hand the right
 * card back. Staff devices put the sealed bytes into a check-in record (contact kind 2) unopened,
 * so staff never see the contact fields. Sealing and opening live in `@lintel/protocol/seal`; this
 * module is the pure format.
 *
 *   u8       type 0x5A ('Z')
 *   u8       version 1
 *   text8    deployment       1–32 bytes: lower-case letters, digits, '-' (as in venue codes)
 *   text8    maskedName       1–32 bytes: one character, then only '*' (see maskName)
 *   fixed(8) authorityKeyId   authorityKeyId(authority box public key)
 *   bytes8   sealedContact    55–200 bytes: crypto_box_seal(contact payload), 48 bytes overhead
 *
 * QR text: "LINTEL-CARD:" + base32 (RFC 4648 alphabet, no padding) of those bytes. Every character
 * is in QR alphanumeric mode, as for venue codes.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { decodeBase32, encodeBase32 } from "../encoding/base32.ts";
import { checkText, Reader, Writer } from "../encoding/binary.ts";
import { concatBytes, utf8 } from "../encoding/bytes.ts";
import { ProtocolError } from "../errors.ts";
import { CONTACT_LIMITS, CONTACT_PAYLOAD_MIN_BYTES } from "./contact.ts";

export interface CitizenCard {
  readonly deployment: string;
  readonly maskedName: string;
  /** 8 bytes: which authority key the contact is sealed to. */
  readonly authorityKeyId: Uint8Array;
  /** crypto_box_seal(encodeContact(contact), authority box public key). */
  readonly sealedContact: Uint8Array;
}

export const CITIZEN_CARD_TEXT_PREFIX = "LINTEL-CARD:";
export const AUTHORITY_BOX_PUBLIC_KEY_BYTES = 32;
export const AUTHORITY_KEY_ID_BYTES = 8;
/** crypto_box_seal adds an ephemeral X25519 public key (32) and a Poly1305 tag (16). */
export const SEALED_BOX_OVERHEAD_BYTES = 48;
export const SEALED_CONTACT_MIN_BYTES = SEALED_BOX_OVERHEAD_BYTES + CONTACT_PAYLOAD_MIN_BYTES;
export const SEALED_CONTACT_MAX_BYTES = 200;
export const CARD_LIMITS = { deployment: 32, maskedName: 32 } as const;

const CARD_TYPE = 0x5a; // 'Z'
const CARD_VERSION = 1;
// Same rule as the deployment field of venue codes (codes/venue-code.ts).
const DEPLOYMENT = /^[a-z0-9][a-z0-9-]*$/;
const KEY_ID_LABEL = utf8("LINTEL-V1 authority box key");
const WHITE_SPACE = /^\s$/u;

function bad(message: string): never {
  throw new ProtocolError("bad-value", message);
}

/**
 * First 8 bytes of SHA-256("LINTEL-V1 authority box key" ‖ 0x00 ‖ pk): names the authority key a
 * card is sealed to, so a key can be rotated and old cards recognised.
 */
export function authorityKeyId(authorityBoxPublicKey: Uint8Array): Uint8Array {
  if (authorityBoxPublicKey.length !== AUTHORITY_BOX_PUBLIC_KEY_BYTES) {
    throw new ProtocolError(
      "bad-length",
      `an authority box key is ${AUTHORITY_BOX_PUBLIC_KEY_BYTES} bytes`,
    );
  }
  return sha256(concatBytes(KEY_ID_LABEL, new Uint8Array([0]), authorityBoxPublicKey)).slice(
    0,
    AUTHORITY_KEY_ID_BYTES,
  );
}

/**
 * The name shown on a card: the first character (Unicode code point) of the name, then one '*'
 * for every further code point — "张三丰" → "张**", "Alice" → "A****". Leading and trailing white
 * space is dropped first. The result is capped at 32 bytes by dropping stars, which only happens
 * for names longer than about 28 characters. Refuses a blank name or one that is not a valid
 * contact name ("bad-value" / "bad-text" / "field-too-long").
 */
export function maskName(name: string): string {
  if (typeof name !== "string") bad("name must be text");
  checkText(name, CONTACT_LIMITS.name, "name"); // the text8 rules of a contact name
  const codePoints = Array.from(name.trim());
  const first = codePoints[0];
  if (first === undefined) bad("name must not be blank");
  const room = CARD_LIMITS.maskedName - utf8(first).length;
  return first + "*".repeat(Math.min(codePoints.length - 1, room));
}

/** True for text of maskName's shape: one code point that is not white space, then only '*'. */
function isMaskedName(text: string): boolean {
  const [first, ...rest] = Array.from(text);
  return first !== undefined && !WHITE_SPACE.test(first) && rest.every((c) => c === "*");
}

function checkCard(card: CitizenCard): void {
  if (typeof card.deployment !== "string" || !DEPLOYMENT.test(card.deployment)) {
    bad("deployment must be lower-case letters, digits, '-'");
  }
  if (typeof card.maskedName !== "string" || !isMaskedName(card.maskedName)) {
    bad("maskedName must be one character followed by '*' only");
  }
  if (!(card.authorityKeyId instanceof Uint8Array) || !(card.sealedContact instanceof Uint8Array)) {
    bad("authorityKeyId and sealedContact must be bytes");
  }
  if (card.authorityKeyId.length !== AUTHORITY_KEY_ID_BYTES) {
    throw new ProtocolError("bad-length", `authorityKeyId is ${AUTHORITY_KEY_ID_BYTES} bytes`);
  }
  const n = card.sealedContact.length;
  if (n < SEALED_CONTACT_MIN_BYTES || n > SEALED_CONTACT_MAX_BYTES) {
    throw new ProtocolError(
      "bad-length",
      `sealedContact is ${SEALED_CONTACT_MIN_BYTES}–${SEALED_CONTACT_MAX_BYTES} bytes`,
    );
  }
}

export function encodeCitizenCard(card: CitizenCard): Uint8Array {
  checkCard(card);
  return new Writer()
    .u8(CARD_TYPE)
    .u8(CARD_VERSION)
    .text8(card.deployment, CARD_LIMITS.deployment, "deployment")
    .text8(card.maskedName, CARD_LIMITS.maskedName, "maskedName")
    .fixed(card.authorityKeyId, AUTHORITY_KEY_ID_BYTES)
    .bytes8(card.sealedContact, SEALED_CONTACT_MAX_BYTES)
    .finish();
}

export function decodeCitizenCard(bytes: Uint8Array): CitizenCard {
  const r = new Reader(bytes);
  if (r.u8() !== CARD_TYPE) throw new ProtocolError("unknown-type", "not a citizen card");
  if (r.u8() !== CARD_VERSION)
    throw new ProtocolError("unknown-version", "unknown citizen card version");
  const deployment = r.text8(CARD_LIMITS.deployment, "deployment");
  const maskedName = r.text8(CARD_LIMITS.maskedName, "maskedName");
  const keyId = r.fixed(AUTHORITY_KEY_ID_BYTES);
  const sealedContact = r.bytes8(SEALED_CONTACT_MAX_BYTES);
  r.end();
  const card = { deployment, maskedName, authorityKeyId: keyId, sealedContact };
  checkCard(card);
  return card;
}

/** The text in the card's QR code: "LINTEL-CARD:" + base32. */
export function cardToText(card: CitizenCard): string {
  return CITIZEN_CARD_TEXT_PREFIX + encodeBase32(encodeCitizenCard(card));
}

/** Parses a card's QR text; the prefix must be exact, the base32 may be upper or lower case. */
export function cardFromText(text: string): CitizenCard {
  if (typeof text !== "string" || !text.startsWith(CITIZEN_CARD_TEXT_PREFIX)) {
    throw new ProtocolError(
      "bad-encoding",
      `a citizen card's text starts with ${CITIZEN_CARD_TEXT_PREFIX}`,
    );
  }
  return decodeCitizenCard(decodeBase32(text.slice(CITIZEN_CARD_TEXT_PREFIX.length)));
}
