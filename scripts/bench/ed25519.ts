/**
 * Ed25519 verification figures, measured in Node (part of the protocol figures):
 *   protocol.ed25519_verify_ms           — one strict verification in pure JS (@noble/curves),
 *                                           the synchronous ed25519Verify: median of 200
 *   protocol.ed25519_verify_webcrypto_ms — one ed25519VerifyAsync awaited alone (WebCrypto, its key
 *                                           imported and cached): median of 200
 *   protocol.ed25519_verify_batch_ms     — per signature, 2,000 distinct signatures by 20 keys
 *                                           through ed25519VerifyBatch at once (what an audit page
 *                                           does): wall time / 2,000, median of 5
 * Messages are 200 bytes, about a log entry's signed part.
 */
import {
  ed25519Sign,
  ed25519Verify,
  ed25519VerifyAsync,
  ed25519VerifyBatch,
  ed25519WebCryptoAvailable,
  generateEd25519KeyPair,
} from "@lintel/protocol";
import type { Figure } from "./protocol.ts";
import { medianAsyncMs, medianMs } from "./protocol.ts";

const round = (n: number) => Math.round(n * 1000) / 1000;

export async function ed25519Benchmarks(
  log: (line: string) => void,
): Promise<Record<string, Figure>> {
  log("bench: Ed25519 verification, pure JS and WebCrypto…");
  if (!(await ed25519WebCryptoAvailable())) throw new Error("this Node has no WebCrypto Ed25519");
  const keys = Array.from({ length: 20 }, () => generateEd25519KeyPair());
  const items = Array.from({ length: 2000 }, (_, i) => {
    const { secretKey, publicKey } = keys[i % keys.length]!;
    const message = crypto.getRandomValues(new Uint8Array(200));
    return { publicKey, message, signature: ed25519Sign(secretKey, message) };
  });
  const one = items[0]!;
  const pure = medianMs(() => ed25519Verify(one.publicKey, one.message, one.signature), 200);
  const webcrypto = await medianAsyncMs(
    () => ed25519VerifyAsync(one.publicKey, one.message, one.signature),
    200,
    5,
  );
  const batch = await medianAsyncMs(
    async () => {
      const answers = await ed25519VerifyBatch(items);
      if (answers.some((ok) => !ok)) throw new Error("a valid signature was refused");
    },
    5,
    1,
  );
  return {
    "protocol.ed25519_verify_ms": { value: round(pure), unit: "ms" },
    "protocol.ed25519_verify_webcrypto_ms": { value: round(webcrypto), unit: "ms" },
    "protocol.ed25519_verify_batch_ms": { value: round(batch / items.length), unit: "ms" },
  };
}
