/**
 * mcl-wasm's WebAssembly, compiled ahead of time. workerd compiles no wasm at run time, so the
 * fast BLS12-381 backend loads here only from this Module (protocol/src/fast-curves/load-mcl.ts
 * takes it as `wasmModule`). The file is written at install time by scripts/mcl-wasm.mjs, which
 * checks its SHA-256 against the pinned mcl-wasm version; wrangler's default CompiledWasm rule
 * (and vitest-pool-workers) turn the import into a `WebAssembly.Module`.
 */
export { default as mclWasm } from "../../../protocol/src/fast-curves/mcl.wasm";
