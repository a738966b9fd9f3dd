/**
 * Loads mcl-wasm 2.4.1 (herumi's mcl compiled to WebAssembly) for BLS12-381, once per isolate,
 * and sets it up to agree byte for byte with @noble/curves:
 *
 * - `setETHserialization(true)`: points are read and written in the ZCash compressed format
 *   (48-byte G1, 96-byte G2, big-endian, flag bits in the top byte), field elements big-endian —
 *   the same bytes as noble's `toBytes()`. GT elements are noble's `Fp12.toBytes` with each
 *   adjacent pair of 48-byte limbs swapped (mcl writes c1 before c0 in every Fp2).
 * - `setMapToMode(IRTF)`: `Fp.mapToG1()` / `Fp2.mapToG2()` are RFC 9380's simplified SWU map
 *   with the 11-/3-isogeny and cofactor clearing, so hash-to-curve is noble's `hash_to_field`
 *   followed by mcl's map on u0 and u1, added (RFC 9380 §3).
 * - `verifyOrderG1(true)` / `verifyOrderG2(true)`: deserialisation rejects points outside the
 *   prime-order subgroup, as noble's `fromBytes` does.
 *
 * Where the WebAssembly comes from. mcl-wasm ships its wasm as base64 inside `dist/mcl_c.js` and
 * compiles it at run time with `WebAssembly.instantiate(bytes, imports)`. Node allows that;
 * browsers allow it when the page's CSP has `'wasm-unsafe-eval'` in script-src (Lintel's does);
 * workerd forbids run-time compilation altogether ("Wasm code generation disallowed by
 * embedder"), so there the wasm must arrive precompiled, as a `WebAssembly.Module` from a module
 * import (`import mclWasm from "…/mcl.wasm"`, wrangler's CompiledWasm rule). mcl-wasm publishes
 * no `.wasm` file: `scripts/mcl-wasm.mjs` writes `protocol/src/fast-curves/mcl.wasm` from the
 * same base64 at install time and checks its SHA-256 against the one pinned for this version.
 *
 * Given `wasmModule`, `loadMcl` replaces `WebAssembly.instantiate` only while mcl's `init` runs
 * its synchronous part — where mcl decodes its base64 and calls `instantiate` — and answers that
 * one call by instantiating the given Module with mcl's own imports object, then restores the
 * original in `finally`. The window is synchronous, so only mcl's code runs inside it and no
 * other code can observe the replacement. A call there that the Module cannot answer (mcl's
 * imports lack one the Module needs) is refused, never compiled; if mcl makes no call inside the
 * window (a changed mcl-wasm), loading fails too. Nothing else of mcl-wasm is changed.
 */

/** mcl-wasm's module namespace: the value-type classes and functions, after {@link loadMcl}. */
export type Mcl = typeof import("mcl-wasm");

declare global {
  // Declared, not defined: protocol/ has no DOM or Node type library (see ../globals.d.ts); an
  // interface merges with the full declaration wherever one is present (DOM, Node,
  // workers-types), so a Module from any of them can be passed.
  namespace WebAssembly {
    interface Module {}
  }
}

/** The part of the WebAssembly JavaScript API used here. */
interface WasmApi {
  instantiate(source: unknown, imports?: WasmImports): Promise<unknown>;
  Instance: new (module: WebAssembly.Module, imports?: WasmImports) => object;
  Module: { imports(module: WebAssembly.Module): ReadonlyArray<{ module: string; name: string }> };
}
type WasmImports = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

export interface LoadMclOptions {
  /**
   * mcl-wasm 2.4.1's wasm, compiled ahead of time (`protocol/src/fast-curves/mcl.wasm` imported
   * as a module). Required in workerd; elsewhere it avoids compiling the wasm again at run time.
   */
  readonly wasmModule?: WebAssembly.Module;
}

let loading: Promise<Mcl> | undefined;

/**
 * mcl-wasm, initialised for BLS12-381 and configured as the header says. The first call loads it;
 * later and concurrent calls share that load (mcl's state is global to the isolate, so options
 * of later calls are ignored once it has loaded). A failed load is forgotten, so a later call
 * (say, with `wasmModule`) can try again.
 */
export function loadMcl(options: LoadMclOptions = {}): Promise<Mcl> {
  loading ??= initialise(options.wasmModule).catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

async function initialise(wasmModule: WebAssembly.Module | undefined): Promise<Mcl> {
  const mcl = namespace(await import("mcl-wasm"));
  await (wasmModule === undefined ? mcl.init(mcl.BLS12_381) : initWithModule(mcl, wasmModule));
  mcl.setETHserialization(true);
  mcl.setMapToMode(mcl.IRTF);
  mcl.verifyOrderG1(true);
  mcl.verifyOrderG2(true);
  return mcl;
}

/** Runs `mcl.init` with its one `WebAssembly.instantiate(bytes, imports)` answered from `module`. */
function initWithModule(mcl: Mcl, module: WebAssembly.Module): Promise<void> {
  const api = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
  const needed = api.Module.imports(module);
  const original = api.instantiate;
  let called = false;
  api.instantiate = function instantiate(_source: unknown, imports?: WasmImports) {
    // mcl makes one call; one more, or imports lacking what the module needs, is refused.
    const fits = !called && provides(imports, needed);
    called = true;
    return fits
      ? Promise.resolve({ module, instance: new api.Instance(module, imports) })
      : Promise.reject(new Error("loadMcl: the given module does not fit mcl-wasm's call"));
  };
  let pending: Promise<void>;
  try {
    pending = mcl.init(mcl.BLS12_381);
  } finally {
    api.instantiate = original;
  }
  if (!called) {
    pending.catch(() => {});
    throw new Error(
      "loadMcl: mcl-wasm's init made no synchronous WebAssembly.instantiate call; " +
        "this loader is written for mcl-wasm 2.4.1",
    );
  }
  return pending;
}

function provides(
  imports: WasmImports | undefined,
  needed: ReadonlyArray<{ module: string; name: string }>,
): boolean {
  return needed.every(({ module, name }) => imports?.[module]?.[name] !== undefined);
}

/**
 * mcl-wasm is CommonJS: Node and esbuild give its exports as named exports of the namespace;
 * some bundlers give only `default` (module.exports). Either way, the exports object.
 */
function namespace(imported: Mcl | { default: Mcl }): Mcl {
  return "init" in imported && typeof imported.init === "function"
    ? imported
    : (imported as { default: Mcl }).default;
}
