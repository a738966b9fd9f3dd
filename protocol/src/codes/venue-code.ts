/**
 * Signed venue codes (PROTOCOL.md §3): what a poster at one entrance carries.
 *
 *   payload = u8 0x43 ('C') ‖ u8 version (2)
 *           ‖ text8 deployment ‖ text8 venueId ‖ text8 entranceId ‖ u16 codeVersion
 *           ‖ text8 venueName.zh ‖ text8 venueName.en ‖ text8 entranceName.zh ‖ text8 entranceName.en
 *           ‖ u8 category ‖ u16 defaultStayMinutes ‖ u8 contactFields
 *           ‖ u16 validFromDay ‖ u16 validUntilDay ‖ fixed(4) registryKeyId
 *   signed  = payload ‖ Ed25519(registry, "LINTEL-V1 venue code" ‖ 0x00 ‖ payload)   (64 bytes)
 *   URL     = <origin>/c#<base32(signed)>
 *
 * Days count from 1970-01-01 UTC; a code is valid from the start of validFromDay to the end of
 * validUntilDay (UTC). Verification is offline against the pinned registry verifier key: the key
 * id must match, the signature must verify, and today must be inside the validity. Whether the
 * code's version is still current is the server's knowledge, checked at check-in.
 *
 * Every name is signed in both of the deployment's languages, so a page shows the one its reader
 * chose and still shows only what the registry signed. Version 1 carried one venue name and one
 * entrance text; it is refused (`unknown-version`), never read as if it were version 2.
 */
import { decodeBase32, encodeBase32 } from "../encoding/base32.ts";
import { Reader, Writer } from "../encoding/binary.ts";
import { constantTimeEqual } from "../encoding/bytes.ts";
import { ProtocolError } from "../errors.ts";
import { ED25519_SIGNATURE_BYTES } from "../keys/ed25519.ts";
import { signAppended, verifyInContext } from "../keys/signing-context.ts";
import { ed25519KeyId, type VerifierKey } from "../keys/verifier-key.ts";

export const VENUE_CODE_TYPE = 0x43;
export const VENUE_CODE_VERSION = 2;
export const CODE_PATH = "/c";

/** Category codes are positions in this list; appending keeps old codes meaning the same. */
export const VENUE_CATEGORIES = [
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
] as const;
export type VenueCategory = (typeof VENUE_CATEGORIES)[number];

/** Byte limits; a name's limit holds for each of its languages. */
export const LIMITS = {
  deployment: 32,
  id: 32,
  venueName: 60,
  entranceName: 30,
} as const;

/** A name the registry signed in both languages. */
export interface SignedName {
  readonly zh: string;
  readonly en: string;
}

/**
 * Which contact fields the venue's check-in form asks for. Every v1 record needs a name and a
 * phone (record/contact.ts), so `name` and `phone` must be true (wire flags 3 or 7); only
 * `idNumber` is the venue's choice.
 */
export interface ContactFields {
  readonly name: boolean;
  readonly phone: boolean;
  readonly idNumber: boolean;
}

/** Bits 0 (name) and 1 (phone): always set in v1. */
const REQUIRED_CONTACT_FLAGS = 3;

export interface VenueCode {
  readonly deployment: string;
  readonly venueId: string;
  readonly entranceId: string;
  readonly codeVersion: number;
  readonly venueName: SignedName;
  readonly entranceName: SignedName;
  readonly category: VenueCategory;
  readonly defaultStayMinutes: number;
  readonly contactFields: ContactFields;
  readonly validFromDay: number;
  readonly validUntilDay: number;
  readonly registryKeyId: Uint8Array;
}

export interface DecodedVenueCode {
  readonly code: VenueCode;
  readonly payload: Uint8Array;
  readonly signature: Uint8Array;
  /** payload ‖ signature: what the URL carries. */
  readonly bytes: Uint8Array;
}

const ID = /^[A-Za-z0-9_-]+$/;
const DEPLOYMENT = /^[a-z0-9][a-z0-9-]*$/;

export function dayNumber(date: Date): number {
  return Math.floor(date.getTime() / 86_400_000);
}

function checkCode(code: VenueCode): void {
  const bad = (what: string) => {
    throw new ProtocolError("bad-value", what);
  };
  if (!DEPLOYMENT.test(code.deployment)) bad("deployment must be lower-case letters, digits, '-'");
  if (!ID.test(code.venueId) || !ID.test(code.entranceId))
    bad("ids are letters, digits, '-' and '_'");
  if (!Number.isInteger(code.codeVersion) || code.codeVersion < 1 || code.codeVersion > 0xffff)
    bad("codeVersion is 1–65535");
  for (const name of [code.venueName, code.entranceName]) {
    if (name.zh.trim() === "" || name.en.trim() === "") bad("names must not be blank");
  }
  if (!VENUE_CATEGORIES.includes(code.category)) bad("unknown category");
  if (
    !Number.isInteger(code.defaultStayMinutes) ||
    code.defaultStayMinutes < 5 ||
    code.defaultStayMinutes > 1440
  ) {
    bad("defaultStayMinutes is 5–1440");
  }
  if (!Number.isInteger(code.validFromDay) || !Number.isInteger(code.validUntilDay))
    bad("validity days are integers");
  if (
    code.validFromDay < 0 ||
    code.validUntilDay > 0xffff ||
    code.validUntilDay < code.validFromDay
  ) {
    bad("validity must be a non-empty range of days");
  }
  if (code.registryKeyId.length !== 4) bad("registryKeyId is 4 bytes");
}

function checkContactFlags(flags: number): void {
  if (flags > 7) throw new ProtocolError("bad-value", "unknown contact-field flags");
  if ((flags & REQUIRED_CONTACT_FLAGS) !== REQUIRED_CONTACT_FLAGS) {
    throw new ProtocolError("bad-value", "name and phone are always asked for in v1");
  }
}

export function encodeVenueCodePayload(code: VenueCode): Uint8Array {
  checkCode(code);
  const flags =
    (code.contactFields.name ? 1 : 0) |
    (code.contactFields.phone ? 2 : 0) |
    (code.contactFields.idNumber ? 4 : 0);
  checkContactFlags(flags);
  return new Writer()
    .u8(VENUE_CODE_TYPE)
    .u8(VENUE_CODE_VERSION)
    .text8(code.deployment, LIMITS.deployment, "deployment")
    .text8(code.venueId, LIMITS.id, "venueId")
    .text8(code.entranceId, LIMITS.id, "entranceId")
    .u16(code.codeVersion)
    .text8(code.venueName.zh, LIMITS.venueName, "venueName.zh")
    .text8(code.venueName.en, LIMITS.venueName, "venueName.en")
    .text8(code.entranceName.zh, LIMITS.entranceName, "entranceName.zh")
    .text8(code.entranceName.en, LIMITS.entranceName, "entranceName.en")
    .u8(VENUE_CATEGORIES.indexOf(code.category))
    .u16(code.defaultStayMinutes)
    .u8(flags)
    .u16(code.validFromDay)
    .u16(code.validUntilDay)
    .fixed(code.registryKeyId, 4)
    .finish();
}

/** Signs a code with the registry's Ed25519 secret key; returns payload ‖ signature. */
export function signVenueCode(code: VenueCode, registrySecretKey: Uint8Array): Uint8Array {
  return signAppended(registrySecretKey, "venue code", encodeVenueCodePayload(code));
}

/** Parses payload ‖ signature strictly, without verifying the signature. */
export function decodeVenueCode(bytes: Uint8Array): DecodedVenueCode {
  const r = new Reader(bytes);
  const type = r.u8();
  if (type !== VENUE_CODE_TYPE) throw new ProtocolError("unknown-type", "not a venue code");
  const version = r.u8();
  if (version !== VENUE_CODE_VERSION)
    throw new ProtocolError("unknown-version", `venue code version ${version} is not supported`);
  const deployment = r.text8(LIMITS.deployment, "deployment");
  const venueId = r.text8(LIMITS.id, "venueId");
  const entranceId = r.text8(LIMITS.id, "entranceId");
  const codeVersion = r.u16();
  const venueName = {
    zh: r.text8(LIMITS.venueName, "venueName.zh"),
    en: r.text8(LIMITS.venueName, "venueName.en"),
  };
  const entranceName = {
    zh: r.text8(LIMITS.entranceName, "entranceName.zh"),
    en: r.text8(LIMITS.entranceName, "entranceName.en"),
  };
  const categoryIndex = r.u8();
  const defaultStayMinutes = r.u16();
  const flags = r.u8();
  const validFromDay = r.u16();
  const validUntilDay = r.u16();
  const registryKeyId = r.fixed(4);
  const payloadLength = r.offset;
  const signature = r.fixed(ED25519_SIGNATURE_BYTES);
  r.end();
  const category = VENUE_CATEGORIES[categoryIndex];
  if (category === undefined) throw new ProtocolError("bad-value", "unknown category");
  checkContactFlags(flags);
  const code: VenueCode = {
    deployment,
    venueId,
    entranceId,
    codeVersion,
    venueName,
    entranceName,
    category,
    defaultStayMinutes,
    contactFields: {
      name: (flags & 1) !== 0,
      phone: (flags & 2) !== 0,
      idNumber: (flags & 4) !== 0,
    },
    validFromDay,
    validUntilDay,
    registryKeyId,
  };
  checkCode(code);
  return { code, payload: bytes.slice(0, payloadLength), signature, bytes: bytes.slice() };
}

export interface VerifyOptions {
  /** The registry's pinned verifier key (C2SP signed-note form, parsed). */
  readonly registry: VerifierKey;
  readonly now: Date;
  /** When given, a code for another deployment is refused. */
  readonly deployment?: string;
}

/** Decodes and verifies a signed venue code; throws a typed ProtocolError when it must be refused. */
export function verifyVenueCode(bytes: Uint8Array, options: VerifyOptions): DecodedVenueCode {
  const decoded = decodeVenueCode(bytes);
  const { code } = decoded;
  const expectedId = ed25519KeyId(options.registry.name, options.registry.publicKey);
  if (!constantTimeEqual(code.registryKeyId, expectedId)) {
    throw new ProtocolError("unknown-key", "the code is signed by a key this device does not know");
  }
  if (
    !verifyInContext(options.registry.publicKey, "venue code", decoded.payload, decoded.signature)
  ) {
    throw new ProtocolError("bad-signature", "the code's signature does not verify");
  }
  if (options.deployment !== undefined && code.deployment !== options.deployment) {
    throw new ProtocolError("unknown-key", "the code belongs to another deployment");
  }
  const today = dayNumber(options.now);
  // An invalid Date gives NaN, which compares false both ways and would pass every code.
  if (!Number.isFinite(today)) throw new ProtocolError("bad-value", "now is not a valid time");
  if (today < code.validFromDay)
    throw new ProtocolError("not-yet-valid", "the code is not valid yet");
  if (today > code.validUntilDay) throw new ProtocolError("expired", "the code has expired");
  return decoded;
}

export function venueCodeUrl(origin: string, signed: Uint8Array): string {
  return `${origin.replace(/\/+$/, "")}${CODE_PATH}#${encodeBase32(signed)}`;
}

export interface ParsedCodeUrl {
  /** The signed venue code. */
  readonly code: Uint8Array;
  /** For rotating kiosk codes: the time step and MAC part (see kiosk-code.ts). */
  readonly kiosk?: Uint8Array;
}

/**
 * Extracts the code bytes from a code URL's fragment (or from the bare fragment text). The origin
 * is not trusted for anything: the signature is what counts.
 */
export function parseCodeUrl(text: string): ParsedCodeUrl {
  const hash = text.indexOf("#");
  const fragment = (hash >= 0 ? text.slice(hash + 1) : text).trim();
  if (fragment.length === 0 || fragment.length > 1200)
    throw new ProtocolError("bad-encoding", "no code in this URL");
  const [codePart, kioskPart, ...rest] = fragment.split(".");
  if (rest.length > 0 || codePart === undefined)
    throw new ProtocolError("bad-encoding", "too many parts in the code");
  // "CODE." or ".SUFFIX": a part that is there must not be empty.
  if (codePart === "" || kioskPart === "")
    throw new ProtocolError("bad-encoding", "an empty part in the code");
  const code = decodeBase32(codePart);
  return kioskPart === undefined ? { code } : { code, kiosk: decodeBase32(kioskPart) };
}
