import { bls12_381 } from "@noble/curves/bls12-381.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import { describe, expect, it } from "vitest";
import { concatBytes } from "../encoding/bytes.ts";
import { ProtocolError } from "../errors.ts";
import {
  generateTrusteeKey,
  rememberedProofs,
  rememberProofs,
  verifyProofOfPossession,
  verifyProofsOfPossession,
} from "./trustee-key.ts";

describe("trustee keys", () => {
  const a = generateTrusteeKey();
  const b = generateTrusteeKey();

  it("produces a compressed G1 key with a G2 proof of possession that verifies", () => {
    expect(a.publicKey).toHaveLength(48);
    expect(a.proofOfPossession).toHaveLength(96);
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
    // The attacker knows s_x and publishes P_rogue = s_x·g1 − P_a, so Σ = s_x·g1. It cannot sign
    // H(P_rogue) under P_rogue's unknown secret; the best it can offer is its own proof.
    const attacker = generateTrusteeKey();
    const G1 = bls12_381.G1.Point;
    const rogue = G1.fromBytes(attacker.publicKey)
      .subtract(G1.fromBytes(a.publicKey))
      .toBytes(true);
    expect(verifyProofOfPossession(rogue, attacker.proofOfPossession)).toBe(false);
  });

  it("checks several proofs in one batch and names the first bad one", () => {
    const c = generateTrusteeKey();
    expect(verifyProofsOfPossession([a, b, c])).toBe(-1);
    expect(verifyProofsOfPossession([a, { ...b, proofOfPossession: c.proofOfPossession }, c])).toBe(
      1,
    );
    expect(verifyProofsOfPossession([a, b, { ...c, publicKey: c.publicKey.subarray(1) }])).toBe(2);
  });

  it("refuses two invalid proofs whose errors cancel in a sum (the batch weights are random)", () => {
    // π_a + X and π_b − X: each invalid, their plain sum equal to π_a + π_b. An unweighted batch
    // e(−g1, Σπ) · Π e(P_i, H(P_i)) = 1 would accept both.
    const G2 = bls12_381.G2.Point;
    const x = G2.BASE.multiply(123_456_789n);
    const shiftedA = G2.fromBytes(a.proofOfPossession).add(x).toBytes(true);
    const shiftedB = G2.fromBytes(b.proofOfPossession).subtract(x).toBytes(true);
    expect(
      verifyProofsOfPossession([
        { ...a, proofOfPossession: shiftedA },
        { ...b, proofOfPossession: shiftedB },
      ]),
    ).toBe(0);
  });

  it("remembers only proofs that verified, and takes remembered digests from an earlier load", () => {
    const fresh = generateTrusteeKey();
    const before = rememberedProofs().length;
    expect(verifyProofOfPossession(fresh.publicKey, b.proofOfPossession)).toBe(false);
    expect(rememberedProofs()).toHaveLength(before);
    expect(verifyProofOfPossession(fresh.publicKey, fresh.proofOfPossession)).toBe(true);
    const digest = rememberedProofs().at(-1)!;
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    // A pair that never verified is refused until a digest of it is remembered: the memory is
    // trusted as it stands (whoever writes a page's storage already runs code in the page).
    const madeUp = { publicKey: fresh.publicKey, proofOfPossession: a.proofOfPossession };
    expect(verifyProofsOfPossession([madeUp])).toBe(0);
    rememberProofs(["not a digest", 42, digest.toUpperCase()]);
    expect(verifyProofsOfPossession([madeUp])).toBe(0);
    rememberProofs([bytesToHex(sha256(concatBytes(madeUp.publicKey, madeUp.proofOfPossession)))]);
    expect(verifyProofsOfPossession([madeUp])).toBe(-1);
    expect(verifyProofOfPossession(madeUp.publicKey, madeUp.proofOfPossession)).toBe(true);
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
