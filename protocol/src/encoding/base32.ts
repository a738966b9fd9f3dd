/**
 * Base32 without padding (RFC 4648 §6 alphabet, A–Z 2–7), used for the payload of code URLs.
 *
 * Why not base64url here: a QR code stores A–Z, 0–9 and a few symbols in "alphanumeric mode" at
 * 5.5 bits per character, but lower-case letters need "byte mode" at 8 bits. Base32 text is all
 * alphanumeric-mode characters, so a signed venue code of ~150 bytes fits a version-10 QR at
 * error-correction level M, where base64url would not (PROTOCOL.md §3.3 has the figures).
 *
 * Decoding accepts lower case too (case carries no information), and rejects padding, other
 * characters, impossible lengths and non-zero unused bits — so each byte string has one upper-case
 * text form.
 */
import { ProtocolError } from "../errors.ts";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

export function encodeBase32(bytes: Uint8Array): string {
  let out = "";
  let acc = 0;
  let bits = 0;
  for (const b of bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ALPHABET[(acc >>> bits) & 31]!;
    }
    acc &= (1 << bits) - 1;
  }
  if (bits > 0) out += ALPHABET[(acc << (5 - bits)) & 31]!;
  return out;
}

const VALID_TAIL = new Set([0, 2, 4, 5, 7]);

export function decodeBase32(text: string): Uint8Array {
  if (!VALID_TAIL.has(text.length % 8)) {
    throw new ProtocolError("bad-encoding", "base32 text has an impossible length");
  }
  const out = new Uint8Array(Math.floor((text.length * 5) / 8));
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let v: number;
    if (c >= 65 && c <= 90) v = c - 65;
    else if (c >= 97 && c <= 122) v = c - 97;
    else if (c >= 50 && c <= 55) v = c - 24;
    else throw new ProtocolError("bad-encoding", `invalid base32 character at ${i}`);
    acc = ((acc << 5) | v) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >>> bits) & 0xff;
    }
  }
  if ((acc & ((1 << bits) - 1)) !== 0) {
    throw new ProtocolError("bad-encoding", "base32 has non-zero padding bits");
  }
  return out;
}
