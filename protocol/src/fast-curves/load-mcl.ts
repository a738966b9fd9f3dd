/**
 * Loads and configures mcl-wasm for BLS12-381 once per thread (placeholder: Node and browsers,
 * where runtime WebAssembly compilation is allowed).
 */
import type { Mcl } from "./mcl-curves.ts";

export interface LoadMclOptions {
  /** A precompiled mcl module, for platforms that forbid compiling WebAssembly at run time. */
  readonly wasmModule?: object;
}

let loading: Promise<Mcl> | undefined;

export function loadMcl(_options: LoadMclOptions = {}): Promise<Mcl> {
  loading ??= (async () => {
    const imported = (await import("mcl-wasm")) as Mcl & { default?: Mcl };
    const mcl = imported.default ?? imported;
    await mcl.init(mcl.BLS12_381);
    mcl.setETHserialization(true);
    mcl.setMapToMode(mcl.IRTF);
    mcl.verifyOrderG1(true);
    mcl.verifyOrderG2(true);
    return mcl;
  })();
  return loading;
}
