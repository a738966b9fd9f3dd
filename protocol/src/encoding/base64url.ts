/**
 * Strict base64url without padding (RFC 4648 §5, with the "no padding" rule of §3.2).
 *
 * Every binary value Lintel puts in text (URLs, JSON, key strings) uses this form. Decoding is
 * strict so that each byte string has exactly one text form: padding, characters of the standard
 * alphabet (`+`, `/`), white space, an impossible length (4k+1) and non-zero unused bits in the
 * last character are all rejected. Without the last rule "AB" and "AC" would both decode to 0x00.
 */
import { ProtocolError } from "../errors.ts";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

export function encodeBase64url(bytes: Uint8Array): string {
  let out = "";
  let i = 0;
  for (; i + 3 <= bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out +=
      ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + ALPHABET[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]!;
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]!;
  }
  return out;
}

function sextet(text: string, index: number): number {
  const c = text.charCodeAt(index);
  const v = c < 128 ? DECODE[c]! : -1;
  if (v < 0) throw new ProtocolError("bad-encoding", `invalid base64url character at ${index}`);
  return v;
}

export function decodeBase64url(text: string, expectedLength?: number): Uint8Array {
  const tail = text.length % 4;
  if (tail === 1)
    throw new ProtocolError("bad-encoding", "base64url text has an impossible length");
  const out = new Uint8Array(((text.length - tail) / 4) * 3 + (tail === 0 ? 0 : tail - 1));
  let o = 0;
  let i = 0;
  for (; i + 4 <= text.length; i += 4) {
    const n =
      (sextet(text, i) << 18) |
      (sextet(text, i + 1) << 12) |
      (sextet(text, i + 2) << 6) |
      sextet(text, i + 3);
    out[o++] = n >> 16;
    out[o++] = (n >> 8) & 255;
    out[o++] = n & 255;
  }
  if (tail === 2) {
    const a = sextet(text, i);
    const b = sextet(text, i + 1);
    if ((b & 15) !== 0)
      throw new ProtocolError("bad-encoding", "base64url has non-zero padding bits");
    out[o++] = (a << 2) | (b >> 4);
  } else if (tail === 3) {
    const a = sextet(text, i);
    const b = sextet(text, i + 1);
    const c = sextet(text, i + 2);
    if ((c & 3) !== 0)
      throw new ProtocolError("bad-encoding", "base64url has non-zero padding bits");
    out[o++] = (a << 2) | (b >> 4);
    out[o++] = ((b & 15) << 4) | (c >> 2);
  }
  if (expectedLength !== undefined && out.length !== expectedLength) {
    throw new ProtocolError("bad-length", `expected ${expectedLength} bytes, got ${out.length}`);
  }
  return out;
}
