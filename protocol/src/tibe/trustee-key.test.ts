import { bls12_381 } from "@noble/curves/bls12-381.js";
import { describe, expect, it } from "vitest";
import { ProtocolError } from "../errors.ts";
import { generateTrusteeKey, verifyProofOfPossession } from "./trustee-key.ts";

describe("trustee keys", () => {
  const a = generateTrusteeKey();
  const b = generateTrusteeKey();

  it("produces a compressed G2 key with a proof of possession that verifies", () => {
    expect(a.publicKey).toHaveLength(96);
    expect(a.proofOfPossession).toHaveLength(48);
    expect(verifyProofOfPossession(a.publicKey, a.proofOfPossession)).toBe(true);
  });

  it("rejects another key's proof, a flipped byte and wrong lengths", () => {
    expect(verifyProofOfPossession(a.publicKey, b.proofOfPossession)).toBe(false);
    const flipped = a.proofOfPossession.slice();
    flipped[20]! ^= 1;
    expect(verifyProofOfPossession(a.publicKey, flipped)).toBe(false);
    expect(verifyProofOfPossession(a.publicKey.subarray(1), a.proofOfPossession)).toBe(false);
  });

  it("rejects a rogue key (own key minus the others), which cannot carry a proof", () => {
    // The attacker knows s_x and publishes P_rogue = s_x·g2 − P_a, so Σ = s_x·g2. It cannot sign
    // H(P_rogue) under P_rogue's unknown secret; the best it can offer is its own proof.
    const attacker = generateTrusteeKey();
    const G2 = bls12_381.G2.Point;
    const rogue = G2.fromBytes(attacker.publicKey)
      .subtract(G2.fromBytes(a.publicKey))
      .toBytes(true);
    expect(verifyProofOfPossession(rogue, attacker.proofOfPossession)).toBe(false);
  });

  it("is deterministic for a seed", () => {
    const seed = new Uint8Array(48).fill(7);
    expect(generateTrusteeKey(seed).publicKey).toEqual(generateTrusteeKey(seed).publicKey);
  });

  it("refuses a seed that is not 48 bytes with bad-length", () => {
    for (const n of [0, 32, 47, 49, 64]) {
      let code = "accepted";
      try {
        generateTrusteeKey(new Uint8Array(n).fill(7));
      } catch (e) {
        code = e instanceof ProtocolError ? e.code : `untyped ${String(e)}`;
      }
      expect(code, `${n} bytes`).toBe("bad-length");
    }
  });
});
