/**
 * Manual-entry codes (PROTOCOL.md §3.4): 11 characters a person can read off a poster and type.
 *
 *   digest = SHA-256("LINTEL-V1 manual code" ‖ 0x00 ‖ signed venue code)
 *   data   = the first 50 bits of digest as 10 Crockford base32 characters
 *   check  = Luhn mod 32 over the 10 data characters (one more Crockford character)
 *   shown  = XXXX-XXXX-XXX
 *
 * The alphabet (0–9, A–Z without I, L, O, U) has no look-alikes; input is forgiving: case,
 * spaces and hyphens are ignored, O reads as 0 and I or L as 1. The check character catches
 * every single-character mistake and every swap of two neighbouring characters but one: 0 and Z
 * (values 0 and 31) swapped, at any position including the check character, which Luhn mod 32
 * cannot see, as decimal Luhn misses 09 ↔ 90. Because the code is a hash of the signed code, a
 * device that types it and fetches the signed code can check that the server gave it exactly
 * the code on the poster, and a replaced code (new version) gets a new manual code, so the old
 * one stops working.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { concatBytes, utf8 } from "../encoding/bytes.ts";
import { ProtocolError } from "../errors.ts";

export const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const DATA_CHARS = 10;

function luhnCheck(data: string): string {
  let factor = 2;
  let sum = 0;
  for (let i = data.length - 1; i >= 0; i--) {
    let addend = factor * CROCKFORD.indexOf(data[i]!);
    factor = factor === 2 ? 1 : 2;
    addend = Math.floor(addend / 32) + (addend % 32);
    sum += addend;
  }
  return CROCKFORD[(32 - (sum % 32)) % 32]!;
}

export function manualCodeFor(signedCode: Uint8Array): string {
  const digest = sha256(
    concatBytes(utf8("LINTEL-V1 manual code"), new Uint8Array([0]), signedCode),
  );
  let bits = 0n;
  for (let i = 0; i < 7; i++) bits = (bits << 8n) | BigInt(digest[i]!);
  bits >>= 6n; // 56 bits read, 50 kept
  let data = "";
  for (let i = DATA_CHARS - 1; i >= 0; i--)
    data += CROCKFORD[Number((bits >> BigInt(i * 5)) & 31n)]!;
  return data + luhnCheck(data);
}

export function formatManualCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`;
}

/**
 * Canonical 11-character form of what a person typed; throws when it cannot be a code.
 * Upper-casing is ASCII only (a–z → A–Z): Unicode case mapping would turn "ß" into "SS", "ı" into
 * "I" or "ﬀ" into "FF". After the separators are removed, any non-ASCII character is
 * "bad-encoding".
 */
export function normalizeManualCode(input: string): string {
  const stripped = input.replace(/[\s\-‐‑–—_.]/gu, "");
  for (let i = 0; i < stripped.length; i++) {
    if (stripped.charCodeAt(i) > 0x7f)
      throw new ProtocolError("bad-encoding", "manual codes are ASCII");
  }
  const cleaned = stripped
    .replace(/[a-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x20))
    .replace(/O/g, "0")
    .replace(/[IL]/g, "1");
  if (cleaned.length !== DATA_CHARS + 1) {
    throw new ProtocolError("bad-encoding", `a manual code has ${DATA_CHARS + 1} characters`);
  }
  for (const ch of cleaned) {
    if (!CROCKFORD.includes(ch))
      throw new ProtocolError("bad-encoding", `'${ch}' is not used in manual codes`);
  }
  if (luhnCheck(cleaned.slice(0, DATA_CHARS)) !== cleaned[DATA_CHARS]) {
    throw new ProtocolError("bad-check-character", "the code has a typing mistake");
  }
  return cleaned;
}
