/**
 * Keyed hashes for what a shard keeps about a request: HMAC-SHA-256 under subkeys of DATA_KEY,
 * truncated to 16 bytes. A leaked shard then holds nothing a device or an eavesdropper could
 * match (not the idempotency key it sent, not a hash of a ciphertext it saw), and nothing equal
 * between two check-ins.
 *
 *   idempotency  key tag = H(key), request tag = H(key, hash of the request)
 *   claims       tag = H(ciphertext), binding = H(ciphertext, entrance, key): the same ciphertext
 *                under another entrance or key has the same tag and another binding
 */
import { concatBytes } from "@lintel/protocol";
import { deriveSubkey } from "../crypto/at-rest.ts";
import type { Env } from "../env.ts";
import type { Claim } from "./store.ts";

const TAG_BYTES = 16;
const encoder = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();

function hmacKey(env: Env, info: string): Promise<CryptoKey> {
  const id = `${env.DATA_KEY ?? ""}|${info}`;
  let key = keys.get(id);
  if (!key) {
    key = deriveSubkey(env, info).then((raw) =>
      crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]),
    );
    key.catch(() => keys.delete(id)); // a missing DATA_KEY must not stay cached
    if (keys.size > 16) keys.clear();
    keys.set(id, key);
  }
  return key;
}

/** HMAC of the length-prefixed parts, truncated to TAG_BYTES. */
async function tag(key: CryptoKey, ...parts: Uint8Array[]): Promise<Uint8Array> {
  const framed = parts.flatMap((p) => [Uint8Array.of(p.length >> 8, p.length & 0xff), p]);
  const mac = await crypto.subtle.sign("HMAC", key, concatBytes(...framed));
  return new Uint8Array(mac, 0, TAG_BYTES);
}

export async function idempotencyTags(
  env: Env,
  idempotencyKey: Uint8Array,
  requestHash: Uint8Array,
): Promise<{ keyTag: Uint8Array; requestTag: Uint8Array }> {
  const key = await hmacKey(env, "lintel checkin idempotency v1");
  return {
    keyTag: await tag(key, idempotencyKey),
    requestTag: await tag(key, idempotencyKey, requestHash),
  };
}

export async function claimsFor(
  env: Env,
  entranceId: string,
  idempotencyKey: Uint8Array,
  ciphertexts: readonly Uint8Array[],
): Promise<Claim[]> {
  const key = await hmacKey(env, "lintel checkin claim v1");
  const entrance = encoder.encode(entranceId);
  return Promise.all(
    ciphertexts.map(async (ct) => ({
      tag: await tag(key, ct),
      binding: await tag(key, ct, entrance, idempotencyKey),
    })),
  );
}
