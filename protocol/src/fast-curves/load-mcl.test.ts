// mcl-wasm loaded in Node, with and without the precompiled module, checked against @noble/curves.
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { mclKnownAnswers } from "../testing/mcl-known-answers.ts";

type LoadMcl = typeof import("./load-mcl.ts").loadMcl;

/** A fresh copy of the loader (its memo starts empty); mcl-wasm itself is re-initialised. */
async function freshLoader(): Promise<LoadMcl> {
  vi.resetModules();
  return (await import("./load-mcl.ts")).loadMcl;
}

const compiledMcl = () =>
  new WebAssembly.Module(readFileSync(path.join(import.meta.dirname, "mcl.wasm")));

describe("loadMcl in Node", () => {
  const realInstantiate = WebAssembly.instantiate;
  let compiledAtRunTime: number;
  beforeEach(() => {
    compiledAtRunTime = 0;
    WebAssembly.instantiate = ((source: unknown, imports?: WebAssembly.Imports) => {
      if (!(source instanceof WebAssembly.Module)) compiledAtRunTime++;
      return realInstantiate(source as BufferSource, imports);
    }) as typeof WebAssembly.instantiate;
  });
  afterEach(() => {
    WebAssembly.instantiate = realInstantiate;
  });

  it("compiles mcl's own wasm and agrees with @noble/curves (pairing, hash to G1/G2, subgroup checks)", async () => {
    const mcl = await (await freshLoader())();
    for (const answer of mclKnownAnswers(mcl)) expect(answer.mcl, answer.name).toBe(answer.noble);
    expect(compiledAtRunTime).toBe(1);
    expect(mcl.curveType).toBe(mcl.BLS12_381);
  });

  it("with the precompiled module from mcl.wasm, never compiles at run time and agrees with noble", async () => {
    const recorder = WebAssembly.instantiate;
    const mcl = await (await freshLoader())({ wasmModule: compiledMcl() });
    expect(compiledAtRunTime).toBe(0);
    expect(WebAssembly.instantiate).toBe(recorder);
    for (const answer of mclKnownAnswers(mcl)) expect(answer.mcl, answer.name).toBe(answer.noble);
  });

  it("loads once: concurrent and later calls share one initialisation", async () => {
    const loadMcl = await freshLoader();
    const [a, b] = await Promise.all([loadMcl(), loadMcl()]);
    expect(a).toBe(b);
    expect(await loadMcl({ wasmModule: compiledMcl() })).toBe(a);
    expect(compiledAtRunTime).toBe(1);
  });

  it("refuses a module that mcl's imports cannot instantiate, compiling nothing at run time", async () => {
    const loadMcl = await freshLoader();
    // A module importing function x.y, which mcl's imports object does not provide.
    const foreign = new WebAssembly.Module(
      new Uint8Array([
        ...[0, 0x61, 0x73, 0x6d, 1, 0, 0, 0],
        ...[1, 4, 1, 0x60, 0, 0],
        ...[2, 7, 1, 1, 0x78, 1, 0x79, 0, 0],
      ]),
    );
    await expect(loadMcl({ wasmModule: foreign })).rejects.toThrow(/does not fit/);
    expect(compiledAtRunTime).toBe(0);
  });

  it("forgets a failed load, so a later call can succeed", async () => {
    const loadMcl = await freshLoader();
    // An empty wasm module: instantiable, but without mcl's exports.
    const empty = new WebAssembly.Module(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
    await expect(loadMcl({ wasmModule: empty })).rejects.toThrow();
    const mcl = await loadMcl({ wasmModule: compiledMcl() });
    const [pairing] = mclKnownAnswers(mcl);
    expect(pairing!.mcl).toBe(pairing!.noble);
    expect(compiledAtRunTime).toBe(0);
  });
});
