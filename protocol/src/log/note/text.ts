/**
 * Text rules shared by the C2SP transparency-log formats (signed-note, tlog-checkpoint,
 * tlog-cosignature, tlog-proof, tlog-witness), all of which are UTF-8 text made of lines that
 * end in U+000A:
 *
 * - C2SP signed-note, "Format": notes MUST be valid UTF-8 and MUST NOT contain any ASCII control
 *   character (below U+0020) other than newline. U+007F and the C1 controls are not "ASCII
 *   control characters (those below U+0020)", so they are allowed, as in Go's reference
 *   implementation (golang.org/x/mod/sumdb/note).
 * - Sizes, indexes and timestamps are ASCII decimal with no leading zeroes ("0" for zero):
 *   tlog-checkpoint "Note text" (tree size), tlog-witness "add-checkpoint" (old size),
 *   tlog-proof "Format" (index), tlog-cosignature "Signed message" (time). Tree sizes and indexes
 *   are 64-bit (RFC 9162 §2.1), so values run to 2^64 − 1 and are bigints.
 * - Base64 is RFC 4648 §4 (standard alphabet, padded); decoding is canonical (padding required,
 *   unused bits zero), so every value has exactly one accepted text form.
 */
import { ProtocolError } from "../../errors.ts";
import { base64Std, fromBase64Std } from "../../keys/verifier-key.ts";

export const U64_MAX = 0xffff_ffff_ffff_ffffn;

/** SHA-256, the only hash RFC 9162 / tlog-tiles logs use: every tree hash is 32 bytes. */
export const HASH_BYTES = 32;

const encoder = new TextEncoder();
const strictDecoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const ASCII_CONTROL_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f]/;
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Checks a string against the note text rules and returns its UTF-8 bytes. A lone surrogate has
 * no UTF-8 form (TextEncoder would silently write U+FFFD, and a signature would then cover other
 * text than the caller's), so it is refused as not well-formed.
 */
export function noteTextBytes(text: string, what: string): Uint8Array {
  if (LONE_SURROGATE.test(text)) {
    throw new ProtocolError("bad-text", `${what} is not well-formed Unicode`);
  }
  checkNoControl(text, what);
  return encoder.encode(text);
}

/** Decodes bytes as strict UTF-8 (no replacement characters, a BOM kept as text) under the note rules. */
export function decodeNoteText(bytes: Uint8Array, what: string): string {
  let text: string;
  try {
    text = strictDecoder.decode(bytes);
  } catch {
    throw new ProtocolError("bad-text", `${what} is not valid UTF-8`);
  }
  checkNoControl(text, what);
  return text;
}

/** Bytes or string in, checked string out, with a size limit applied before any decoding. */
export function noteInput(input: Uint8Array | string, maxBytes: number, what: string): string {
  if (typeof input === "string") {
    // Every UTF-16 code unit becomes at least one UTF-8 byte: refuse long strings unencoded.
    if (input.length > maxBytes) {
      throw new ProtocolError("field-too-long", `${what} is longer than ${maxBytes} bytes`);
    }
    const bytes = noteTextBytes(input, what);
    if (bytes.length > maxBytes) {
      throw new ProtocolError("field-too-long", `${what} is longer than ${maxBytes} bytes`);
    }
    return input;
  }
  if (!(input instanceof Uint8Array)) {
    throw new ProtocolError("bad-value", `${what} must be bytes or a string`);
  }
  if (input.length > maxBytes) {
    throw new ProtocolError("field-too-long", `${what} is longer than ${maxBytes} bytes`);
  }
  return decodeNoteText(input, what);
}

function checkNoControl(text: string, what: string): void {
  const m = ASCII_CONTROL_BUT_NEWLINE.exec(text);
  if (m) {
    const code = m[0].charCodeAt(0).toString(16).padStart(2, "0");
    throw new ProtocolError("bad-text", `${what} contains the control character 0x${code}`);
  }
}

const DECIMAL = /^(?:0|[1-9][0-9]{0,19})$/;

/** Parses ASCII decimal with no leading zeroes into a bigint in [0, max]. */
export function parseDecimal(text: string, what: string, max: bigint = U64_MAX): bigint {
  if (!DECIMAL.test(text)) {
    throw new ProtocolError(
      "bad-encoding",
      `${what} must be a decimal number without leading zeroes, got ${JSON.stringify(text.slice(0, 40))}`,
    );
  }
  const value = BigInt(text);
  if (value > max) throw new ProtocolError("bad-value", `${what} ${text} is larger than ${max}`);
  return value;
}

/** Formats a bigint in [0, max] as canonical ASCII decimal. */
export function formatDecimal(value: bigint, what: string, max: bigint = U64_MAX): string {
  if (typeof value !== "bigint" || value < 0n || value > max) {
    throw new ProtocolError("bad-value", `${what} must be a bigint from 0 to ${max}`);
  }
  return value.toString(10);
}

/** Decodes one standard padded base64 line holding exactly `length` bytes. */
export function decodeBase64Exact(text: string, length: number, what: string): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = fromBase64Std(text);
  } catch {
    throw new ProtocolError("bad-encoding", `${what} is not canonical standard base64`);
  }
  if (bytes.length !== length) {
    throw new ProtocolError("bad-length", `${what} must be ${length} bytes, got ${bytes.length}`);
  }
  return bytes;
}

/** Encodes a hash (checking it is 32 bytes) as one standard padded base64 line. */
export function encodeHash(hash: Uint8Array, what: string): string {
  if (!(hash instanceof Uint8Array) || hash.length !== HASH_BYTES) {
    throw new ProtocolError("bad-length", `${what} must be a ${HASH_BYTES}-byte hash`);
  }
  return base64Std(hash);
}

export { base64Std, fromBase64Std };
