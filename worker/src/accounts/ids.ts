/**
 * Identifiers the service makes up: random, so they say nothing about who or when, and short
 * enough for venue codes (venue and entrance ids are at most 32 bytes in a code, §3.1).
 */
import { CROCKFORD } from "@lintel/protocol";

/** e.g. "v-7k2q9m4xpe3a": a prefix naming the kind, then 12 random characters (60 bits). */
export function newId(prefix: "v" | "e" | "a" | "d" | "r" | "q" | "o" | "m" | "vq" | "i"): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  // 256 is a multiple of 32, so `b % 32` is uniform.
  return `${prefix}-${Array.from(bytes, (b) => CROCKFORD[b % 32])
    .join("")
    .toLowerCase()}`;
}
