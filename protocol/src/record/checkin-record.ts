/**
 * The check-in record: the plaintext that one visit's IBE ciphertexts seal (PROTOCOL.md
 * §5.1).
 *
 * Every record is exactly 240 bytes, whatever it holds, so a ciphertext's length says nothing
 * about the person (a long name, a missing ID number, a citizen card instead of typed fields):
 *
 *   u8    type 0x52 ('R')
 *   u8    version 1
 *   u8    recordedBy          0 self, 1 companion, 2 proxy, 3 kiosk, 4 paper
 *   u8    companions          0–20: the number of OTHER people in the party, on the head's record
 *                             (companions' own records may carry 0)
 *   u64   arrival             unix seconds
 *   u64   expectedDeparture   unix seconds; arrival < expectedDeparture ≤ arrival + 86 400
 *   u8    contactKind         1 contact fields, 2 sealed citizen card
 *   kind 1:  text8 name ‖ text8 phone ‖ text8 idNumber      (rules in contact.ts)
 *   kind 2:  bytes8 sealedCard  55–200 bytes: a citizen card's sealed contact, as printed on it
 *                               (the card's own limits, citizen-card.ts)
 *   zero bytes up to 240
 *
 * The longest content is 222 bytes (kind 2 with 200 bytes), so padding is never negative. The
 * decoder rejects any other length ("bad-length"), any non-zero padding byte ("bad-padding") and
 * everything the canonical encoding rejects, so each record has exactly one encoding.
 */
import { Reader, Writer } from "../encoding/binary.ts";
import { ProtocolError } from "../errors.ts";
import { SEALED_CONTACT_MAX_BYTES, SEALED_CONTACT_MIN_BYTES } from "./citizen-card.ts";
import { type Contact, readContactFields, writeContactFields } from "./contact.ts";

export const CHECKIN_RECORD_BYTES = 240;
export const MAX_COMPANIONS = 20;
/** The longest stay a record may announce: 24 hours. */
export const MAX_STAY_SECONDS = 86_400;
/** A sealedCard is what a citizen card can carry: 55–200 bytes. */
export const SEALED_CARD_MIN_BYTES = SEALED_CONTACT_MIN_BYTES;
export const SEALED_CARD_MAX_BYTES = SEALED_CONTACT_MAX_BYTES;

export type RecordedBy = "self" | "companion" | "proxy" | "kiosk" | "paper";
/** Wire value = index. */
export const RECORDED_BY: readonly RecordedBy[] = ["self", "companion", "proxy", "kiosk", "paper"];

interface CheckInRecordCommon {
  readonly recordedBy: RecordedBy;
  /** 0–20: other people in the party (on the head's record). */
  readonly companions: number;
  /** Unix seconds. */
  readonly arrival: number;
  /** Unix seconds, after arrival and at most 24 hours after it. */
  readonly expectedDeparture: number;
}

/** Contact kind 1: the fields typed on the device. */
export interface ContactFieldsRecord extends CheckInRecordCommon {
  readonly contactKind: "contact";
  readonly contact: Contact;
}

/** Contact kind 2: a citizen card's sealed contact (crypto_box_seal to the health authority). */
export interface SealedCardRecord extends CheckInRecordCommon {
  readonly contactKind: "sealed-card";
  readonly sealedCard: Uint8Array;
}

export type CheckInRecord = ContactFieldsRecord | SealedCardRecord;

const RECORD_TYPE = 0x52; // 'R'
const RECORD_VERSION = 1;
const KIND_CONTACT = 1;
const KIND_SEALED_CARD = 2;

function bad(message: string): never {
  throw new ProtocolError("bad-value", message);
}

function checkCommon(r: CheckInRecordCommon): void {
  if (!Number.isInteger(r.companions) || r.companions < 0 || r.companions > MAX_COMPANIONS) {
    bad(`companions is 0–${MAX_COMPANIONS}`);
  }
  if (!Number.isSafeInteger(r.arrival) || r.arrival < 0) bad("arrival is unix seconds");
  if (!Number.isSafeInteger(r.expectedDeparture)) bad("expectedDeparture is unix seconds");
  if (r.expectedDeparture <= r.arrival) bad("expectedDeparture must be after arrival");
  if (r.expectedDeparture - r.arrival > MAX_STAY_SECONDS) {
    bad("expectedDeparture must be at most 24 hours after arrival");
  }
}

function checkSealedCard(sealedCard: Uint8Array): void {
  if (!(sealedCard instanceof Uint8Array)) bad("sealedCard must be bytes");
  if (sealedCard.length < SEALED_CARD_MIN_BYTES || sealedCard.length > SEALED_CARD_MAX_BYTES) {
    throw new ProtocolError(
      "bad-length",
      `sealedCard is ${SEALED_CARD_MIN_BYTES}–${SEALED_CARD_MAX_BYTES} bytes`,
    );
  }
}

/** Encodes a record as exactly {@link CHECKIN_RECORD_BYTES} bytes; throws ProtocolError on invalid input. */
export function encodeCheckInRecord(record: CheckInRecord): Uint8Array {
  const recordedBy = RECORDED_BY.indexOf(record.recordedBy);
  if (recordedBy < 0) bad("unknown recordedBy");
  checkCommon(record);
  const w = new Writer()
    .u8(RECORD_TYPE)
    .u8(RECORD_VERSION)
    .u8(recordedBy)
    .u8(record.companions)
    .u64(BigInt(record.arrival))
    .u64(BigInt(record.expectedDeparture));
  switch (record.contactKind) {
    case "contact":
      writeContactFields(w.u8(KIND_CONTACT), record.contact);
      break;
    case "sealed-card":
      checkSealedCard(record.sealedCard);
      w.u8(KIND_SEALED_CARD).bytes8(record.sealedCard, SEALED_CARD_MAX_BYTES);
      break;
    default:
      bad("unknown contactKind");
  }
  const content = w.finish();
  // Unreachable with the limits above (at most 222 bytes); kept so a future field cannot overflow.
  if (content.length > CHECKIN_RECORD_BYTES) bad("record content exceeds the fixed size");
  const out = new Uint8Array(CHECKIN_RECORD_BYTES);
  out.set(content);
  return out;
}

function toSeconds(v: bigint, field: string): number {
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) bad(`${field} is out of range`);
  return Number(v);
}

export function decodeCheckInRecord(bytes: Uint8Array): CheckInRecord {
  if (bytes.length !== CHECKIN_RECORD_BYTES) {
    throw new ProtocolError("bad-length", `a check-in record is ${CHECKIN_RECORD_BYTES} bytes`);
  }
  const r = new Reader(bytes);
  if (r.u8() !== RECORD_TYPE) throw new ProtocolError("unknown-type", "not a check-in record");
  if (r.u8() !== RECORD_VERSION)
    throw new ProtocolError("unknown-version", "unknown check-in record version");
  const recordedBy = RECORDED_BY[r.u8()];
  if (recordedBy === undefined) bad("unknown recordedBy");
  const companions = r.u8();
  const arrival = toSeconds(r.u64(), "arrival");
  const expectedDeparture = toSeconds(r.u64(), "expectedDeparture");
  const common = { recordedBy, companions, arrival, expectedDeparture };
  checkCommon(common);
  const kind = r.u8();
  let record: CheckInRecord;
  if (kind === KIND_CONTACT) {
    record = { ...common, contactKind: "contact", contact: readContactFields(r) };
  } else if (kind === KIND_SEALED_CARD) {
    const sealedCard = r.bytes8(SEALED_CARD_MAX_BYTES);
    checkSealedCard(sealedCard);
    record = { ...common, contactKind: "sealed-card", sealedCard };
  } else {
    bad("unknown contactKind");
  }
  const padding = r.fixed(r.remaining);
  if (padding.some((b) => b !== 0))
    throw new ProtocolError("bad-padding", "padding must be zero bytes");
  return record;
}
