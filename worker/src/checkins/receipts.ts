/**
 * Signing check-in receipts (PROTOCOL.md §6.2) with the platform's Ed25519 (WebCrypto) rather
 * than the pure-JS signer: a receipt is signed for every check-in, so this is on the ingest hot
 * path. Ed25519 is deterministic, so the bytes are exactly what protocol's signReceipt makes
 * (tests/worker/checkins.test.ts checks that).
 */
import { concatBytes, contextMessage, encodeReceipt, type Receipt } from "@lintel/protocol";
import { secretSeed } from "../config/secrets.ts";
import type { Env } from "../env.ts";

/** PKCS#8 wrapping of a raw Ed25519 seed (RFC 8410): fixed prefix, then the 32 bytes. */
const PKCS8_ED25519_PREFIX = Uint8Array.from([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
]);

let cached: { seed: string; key: Promise<CryptoKey> } | undefined;

function receiptKey(env: Env): Promise<CryptoKey> {
  const seed = env.RECEIPT_SIGNING_KEY ?? "";
  if (cached?.seed !== seed) {
    const pkcs8 = concatBytes(PKCS8_ED25519_PREFIX, secretSeed(env, "RECEIPT_SIGNING_KEY"));
    cached = {
      seed,
      key: crypto.subtle.importKey("pkcs8", pkcs8, { name: "Ed25519" }, false, ["sign"]),
    };
  }
  return cached.key;
}

export async function signReceiptFast(env: Env, receipt: Receipt): Promise<Uint8Array> {
  const payload = encodeReceipt(receipt);
  const signature = await crypto.subtle.sign(
    { name: "Ed25519" },
    await receiptKey(env),
    contextMessage("receipt", payload),
  );
  return concatBytes(payload, new Uint8Array(signature));
}
