/**
 * The Ed25519 verifier inside workerd: WebCrypto (BoringSSL there, OpenSSL in Node) is found, and
 * every edge case (speccheck, Wycheproof) gets the strict pure-JS verifier's answer through it.
 */
import {
  ed25519Verify,
  ed25519VerifyAsync,
  ed25519VerifyBatch,
  ed25519WebCryptoAvailable,
} from "@lintel/protocol";
import { describe, expect, it } from "vitest";
import edgeCases from "../../protocol/src/testing/ed25519-edge-cases.json" with { type: "json" };

const fromHex = (h: string) => Uint8Array.from(h.match(/../g) ?? [], (x) => Number.parseInt(x, 16));

describe("Ed25519 through workerd's WebCrypto", () => {
  it("is available, and answers every edge case as the pure-JS verifier", async () => {
    expect(await ed25519WebCryptoAvailable()).toBe(true);
    const cases = edgeCases.cases.map((c) => ({
      id: c.id,
      publicKey: fromHex(c.pk),
      message: fromHex(c.msg),
      signature: fromHex(c.sig),
    }));
    const batch = await ed25519VerifyBatch(cases);
    const disagreements: string[] = [];
    for (const [i, c] of cases.entries()) {
      const strict = ed25519Verify(c.publicKey, c.message, c.signature);
      const one = await ed25519VerifyAsync(c.publicKey, c.message, c.signature);
      if (one !== strict || batch[i] !== strict) disagreements.push(c.id);
    }
    expect(disagreements).toEqual([]);
  });
});
