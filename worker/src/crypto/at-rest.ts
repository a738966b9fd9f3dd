/**
 * Personal data at rest: the few fields the service must keep that name a person (an applicant's
 * contact person and phone, a licence document) are stored only as AES-256-GCM ciphertext, so a
 * copy of the database or of the document bucket reveals nothing without the DATA_KEY secret.
 *
 *   key        = HKDF-SHA-256(ikm = DATA_KEY, salt = "", info = "lintel at-rest v1")
 *   sealed     = 0x01 ‖ iv (12 random bytes) ‖ AES-256-GCM(key, iv, plaintext, ad = context)
 *
 * `context` names what the bytes are ("venue-contact:<venue id>", "document:<venue>:<kind>"), so
 * a ciphertext copied into another row or object does not decrypt there.
 * Other purposes derive their own keys from DATA_KEY with their own `info` (deriveSubkey).
 */
import { decodeBase64url } from "@lintel/protocol";
import type { Env } from "../env.ts";
import { ProblemError } from "../problems/problem.ts";

const VERSION = 1;
const IV_BYTES = 12;
const encoder = new TextEncoder();

function dataKeyBytes(env: Env): Uint8Array {
  try {
    return decodeBase64url(env.DATA_KEY ?? "", 32);
  } catch {
    throw new ProblemError("misconfigured", "DATA_KEY is missing or is not 32 base64url bytes.");
  }
}

/** Derived subkeys, once per isolate: HKDF is cheap, but not free on every request. */
const subkeys = new Map<string, Promise<Uint8Array>>();
const MAX_CACHED_SUBKEYS = 10_000;

/** HKDF-SHA-256 of DATA_KEY for one purpose, as raw bytes (32 by default). */
export function deriveSubkey(env: Env, info: string, length = 32): Promise<Uint8Array> {
  const id = `${env.DATA_KEY ?? ""}|${length}|${info}`;
  let key = subkeys.get(id);
  if (!key) {
    if (subkeys.size >= MAX_CACHED_SUBKEYS) subkeys.clear();
    key = computeSubkey(env, info, length);
    // A failure (a missing DATA_KEY) must not stay cached.
    key.catch(() => subkeys.delete(id));
    subkeys.set(id, key);
  }
  return key;
}

async function computeSubkey(env: Env, info: string, length: number): Promise<Uint8Array> {
  const ikm = await crypto.subtle.importKey("raw", dataKeyBytes(env), "HKDF", false, [
    "deriveBits",
  ]);
  const bits = await crypto.subtle.deriveBits(
    { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: encoder.encode(info) },
    ikm,
    length * 8,
  );
  return new Uint8Array(bits);
}

async function atRestKey(env: Env): Promise<CryptoKey> {
  const raw = await deriveSubkey(env, "lintel at-rest v1");
  return crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
}

export async function sealAtRest(
  env: Env,
  context: string,
  plaintext: Uint8Array,
): Promise<Uint8Array> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const ct = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: encoder.encode(context) },
    await atRestKey(env),
    plaintext,
  );
  const out = new Uint8Array(1 + IV_BYTES + ct.byteLength);
  out[0] = VERSION;
  out.set(iv, 1);
  out.set(new Uint8Array(ct), 1 + IV_BYTES);
  return out;
}

/** Throws `misconfigured` when the bytes do not open: a wrong DATA_KEY or tampered storage. */
export async function openAtRest(
  env: Env,
  context: string,
  sealed: Uint8Array,
): Promise<Uint8Array> {
  if (sealed.length < 1 + IV_BYTES + 16 || sealed[0] !== VERSION) {
    throw new ProblemError("misconfigured", "Stored data is not in the at-rest format.");
  }
  try {
    const pt = await crypto.subtle.decrypt(
      {
        name: "AES-GCM",
        iv: sealed.subarray(1, 1 + IV_BYTES),
        additionalData: encoder.encode(context),
      },
      await atRestKey(env),
      sealed.subarray(1 + IV_BYTES),
    );
    return new Uint8Array(pt);
  } catch {
    throw new ProblemError("misconfigured", "Stored data does not open with DATA_KEY.");
  }
}
