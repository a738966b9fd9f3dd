/**
 * mcl-wasm inside workerd: it loads only from the precompiled module (protocol/src/fast-curves/
 * mcl.wasm, imported as a module like wrangler's CompiledWasm rule does) and then computes what
 * @noble/curves computes. Without the module, mcl's own run-time compilation is refused by
 * workerd, so the module is what makes it work here.
 */
import { describe, expect, it, vi } from "vitest";
import { mclKnownAnswers } from "../../protocol/src/testing/mcl-known-answers.ts";
import { mclWasm } from "../../worker/src/crypto/mcl-wasm.ts";

/** A fresh copy of the loader, whatever another test in this isolate loaded before. */
async function freshLoader(): Promise<
  typeof import("../../protocol/src/fast-curves/load-mcl.ts").loadMcl
> {
  vi.resetModules();
  return (await import("../../protocol/src/fast-curves/load-mcl.ts")).loadMcl;
}

describe("mcl-wasm in workerd", () => {
  it("without the precompiled module, workerd refuses mcl's run-time compilation", async () => {
    const loadMcl = await freshLoader();
    await expect(loadMcl()).rejects.toThrow(/Wasm code generation disallowed by embedder/);
  });

  it("loads from the precompiled module and agrees with @noble/curves (pairing, hash to G1/G2, subgroup checks)", async () => {
    expect(mclWasm).toBeInstanceOf(WebAssembly.Module);
    const mcl = await (await freshLoader())({ wasmModule: mclWasm });
    for (const answer of mclKnownAnswers(mcl)) expect(answer.mcl, answer.name).toBe(answer.noble);
  });
});
