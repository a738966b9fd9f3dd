/**
 * One-time enrolment codes (PROTOCOL.md §6.3): 16 Crockford base32 characters (80 bits), shown
 * as four groups of four. People type them, so case, spaces and dashes do not matter and the
 * look-alikes O, I and L read as 0, 1 and 1. The service stores SHA-256 of the normalised text.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { CROCKFORD } from "../codes/manual-code.ts";
import { toHex, utf8 } from "../encoding/bytes.ts";

export const ENROLMENT_CODE_CHARS = 16;

export function newEnrolmentCode(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(ENROLMENT_CODE_CHARS));
  // 256 is a multiple of 32, so `b % 32` is uniform.
  const text = Array.from(bytes, (b) => CROCKFORD[b % 32]).join("");
  return text.replace(/(.{4})(?=.)/g, "$1-");
}

export function normalizeEnrolmentCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, "").replace(/O/g, "0").replace(/[IL]/g, "1");
}

/** What the service stores and looks codes up by: hex SHA-256 of the normalised code. */
export function enrolmentCodeHash(input: string): string {
  return toHex(sha256(utf8(normalizeEnrolmentCode(input))));
}
