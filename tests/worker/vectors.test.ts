/**
 * The protocol library inside workerd: every test vector verifies here — with the reference
 * BLS12-381 backend and with mcl-wasm loaded from its precompiled module, the AEAD half through
 * @noble/ciphers (libsodium does not load in workerd), and the KEM half alone without an AEAD.
 */
import { describe, expect, it } from "vitest";
import { loadFastCurves } from "../../protocol/src/fast-curves/index.ts";
import { xchacha20poly1305Js } from "../../protocol/src/record/xchacha20poly1305.ts";
import { curves, useCurves } from "../../protocol/src/tibe/backend.ts";
import { checkVectors } from "../../protocol/vectors/check.ts";
import type { Vectors } from "../../protocol/vectors/generate.ts";
import vectors from "../../protocol/vectors/lintel-v1.json";
import { mclWasm } from "../../worker/src/crypto/mcl-wasm.ts";

describe("protocol test vectors in workerd", () => {
  it("verify without libsodium (KEM half of ciphertexts checked by pairing)", () => {
    const result = checkVectors(vectors as unknown as Vectors);
    expect(result.failures).toEqual([]);
    expect(result.checks).toBeGreaterThan(50);
    expect(result.skipped.every((s) => s.includes("ciphertext"))).toBe(true);
  });

  it("all verify with the pure-JavaScript AEAD, on both BLS12-381 backends", async () => {
    const all = vectors as unknown as Vectors;
    const reference = curves();
    const fast = await loadFastCurves({ wasmModule: mclWasm });
    for (const backend of [reference, fast]) {
      useCurves(backend);
      try {
        const result = checkVectors(all, xchacha20poly1305Js);
        expect(result.failures, backend.name).toEqual([]);
        expect(result.skipped, backend.name).toEqual([]);
      } finally {
        useCurves(reference);
      }
    }
    expect(fast.name).toBe("mcl");
  });
});
