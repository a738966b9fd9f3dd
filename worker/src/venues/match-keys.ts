/**
 * The keys that tell a second application for one venue: its business licence number and its
 * address, each normalised and then kept only as a keyed hash, so the database can match them
 * without holding a list of licence numbers and addresses anyone could read:
 *
 *   key   = HKDF-SHA-256(DATA_KEY, info = "lintel venue match v1")             (deriveSubkey)
 *   match = hex(HMAC-SHA-256(key, kind ‖ ":" ‖ UTF-8(normalised value)))       kind: licence, address
 *
 * The kind keeps a licence number and an address that happen to be spelt alike apart. The
 * licence number is normalised by the contract (no spaces or hyphens, upper case). An address is
 * normalised only in ways that cannot make two different places one (see `normaliseAddress`):
 * an address match is only shown to the reviewer, but a match that is not one wastes their time.
 */
import { deriveSubkey } from "../crypto/at-rest.ts";
import type { Env } from "../env.ts";

const encoder = new TextEncoder();
/** Spaces and punctuation, of every script: Chinese commas, brackets and dots included. */
const SEPARATORS = /[\s\p{P}]+/u;

/** Full-width ASCII (Ａ１，) and the ideographic space become their plain forms. */
function halfWidth(s: string): string {
  return s.replace(/[\uff01-\uff5e\u3000]/g, (ch) =>
    ch === "\u3000" ? " " : String.fromCharCode(ch.charCodeAt(0) - 0xfee0),
  );
}

/**
 * An address in the spelling its key is made from: full-width forms made plain, letters in lower
 * case, spaces and punctuation removed — except that between two digits they leave one "-", so
 * "1-23" and "12-3" stay two numbers. Words stay as they are: "号", "路", "室" and numbers in
 * Chinese characters are not rewritten, since whether "88号" and "八十八号" are one door is not
 * something to guess. Empty when nothing but separators was typed.
 */
export function normaliseAddress(address: string): string {
  const parts = halfWidth(address).toLowerCase().split(SEPARATORS).filter(Boolean);
  let out = "";
  for (const part of parts) {
    if (/\d$/.test(out) && /^\d/.test(part)) out += "-";
    out += part;
  }
  return out;
}

export type MatchKind = "licence" | "address";

/** The keyed hash of one normalised value; null for an empty one, which matches nothing. */
export async function matchKey(env: Env, kind: MatchKind, value: string): Promise<string | null> {
  if (value === "") return null;
  const raw = await deriveSubkey(env, "lintel venue match v1");
  const key = await crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  const mac = await crypto.subtle.sign("HMAC", key, encoder.encode(`${kind}:${value}`));
  return [...new Uint8Array(mac)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** An application's two keys: its licence number's (null before it is given) and its address's. */
export async function applicationKeys(
  env: Env,
  input: { readonly licenceNumber?: string | undefined; readonly address: string },
): Promise<{ licence: string | null; address: string | null }> {
  const [licence, address] = await Promise.all([
    input.licenceNumber === undefined ? null : matchKey(env, "licence", input.licenceNumber),
    matchKey(env, "address", normaliseAddress(input.address)),
  ]);
  return { licence, address };
}
