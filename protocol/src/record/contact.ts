/**
 * Contact fields: who to call after an exposure. They appear in two places with the same rules:
 * inside a check-in record (contact kind 1) and, as the payload below, sealed to the health
 * authority inside a citizen card.
 *
 * Contact payload (what `crypto_box_seal` encrypts for a citizen card):
 *
 *   u8    type 0x50 ('P')
 *   u8    version 1
 *   text8 name       1–64 bytes, not blank
 *   text8 phone      1–24 bytes: digits, space, '+', '-', '(', ')'; at least one digit
 *   text8 idNumber   0–24 bytes (empty when not collected)
 *
 * Text fields follow binary.ts's text8 rules (well-formed UTF-8, NFC, no control characters).
 */
import { Reader, Writer } from "../encoding/binary.ts";
import { ProtocolError } from "../errors.ts";

export interface Contact {
  readonly name: string;
  readonly phone: string;
  /** An identity-document number where the deployment collects one; "" otherwise. */
  readonly idNumber: string;
}

/** Byte limits of the UTF-8 encodings. */
export const CONTACT_LIMITS = { name: 64, phone: 24, idNumber: 24 } as const;

/** The shortest and longest contact payloads: 2 + (1+1) + (1+1) + 1 and 2 + (1+64) + (1+24) + (1+24). */
export const CONTACT_PAYLOAD_MIN_BYTES = 7;
export const CONTACT_PAYLOAD_MAX_BYTES = 117;

const CONTACT_TYPE = 0x50; // 'P'
const CONTACT_VERSION = 1;

const PHONE = /^[0-9 +\-()]+$/;
const DIGIT = /[0-9]/;

function bad(message: string): never {
  throw new ProtocolError("bad-value", message);
}

/**
 * Checks the rules that the text8 encoding does not: types, a non-blank name, the phone
 * character set. Byte limits and text canonicality are checked when the fields are written or read.
 */
export function checkContact(contact: Contact): void {
  const { name, phone, idNumber } = contact;
  if (typeof name !== "string" || typeof phone !== "string" || typeof idNumber !== "string") {
    bad("contact fields must be text");
  }
  if (name.trim() === "") bad("name must not be blank");
  if (!PHONE.test(phone) || !DIGIT.test(phone)) {
    bad("phone has digits, spaces, '+', '-', '(' and ')' only, and at least one digit");
  }
}

/** Writes name ‖ phone ‖ idNumber (no type or version): shared by the payload and the check-in record. */
export function writeContactFields(w: Writer, contact: Contact): Writer {
  checkContact(contact);
  return w
    .text8(contact.name, CONTACT_LIMITS.name, "name")
    .text8(contact.phone, CONTACT_LIMITS.phone, "phone")
    .text8(contact.idNumber, CONTACT_LIMITS.idNumber, "idNumber");
}

/** Reads name ‖ phone ‖ idNumber and applies every rule that {@link writeContactFields} applies. */
export function readContactFields(r: Reader): Contact {
  const name = r.text8(CONTACT_LIMITS.name, "name");
  const phone = r.text8(CONTACT_LIMITS.phone, "phone");
  const idNumber = r.text8(CONTACT_LIMITS.idNumber, "idNumber");
  const contact = { name, phone, idNumber };
  checkContact(contact);
  return contact;
}

export function encodeContact(contact: Contact): Uint8Array {
  const w = new Writer().u8(CONTACT_TYPE).u8(CONTACT_VERSION);
  return writeContactFields(w, contact).finish();
}

export function decodeContact(bytes: Uint8Array): Contact {
  const r = new Reader(bytes);
  if (r.u8() !== CONTACT_TYPE) throw new ProtocolError("unknown-type", "not a contact payload");
  if (r.u8() !== CONTACT_VERSION)
    throw new ProtocolError("unknown-version", "unknown contact payload version");
  const contact = readContactFields(r);
  r.end();
  return contact;
}
