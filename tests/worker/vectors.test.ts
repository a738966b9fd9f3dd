/** The protocol library inside workerd: every test vector that needs no AEAD verifies here. */
import { describe, expect, it } from "vitest";
import { checkVectors } from "../../protocol/vectors/check.ts";
import type { Vectors } from "../../protocol/vectors/generate.ts";
import vectors from "../../protocol/vectors/lintel-v1.json";

describe("protocol test vectors in workerd", () => {
  it("verify without libsodium (KEM half of ciphertexts checked by pairing)", () => {
    const result = checkVectors(vectors as unknown as Vectors);
    expect(result.failures).toEqual([]);
    expect(result.checks).toBeGreaterThan(50);
    expect(result.skipped.every((s) => s.includes("ciphertext"))).toBe(true);
  });
});
