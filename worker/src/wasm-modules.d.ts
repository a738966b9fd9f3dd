/**
 * A `.wasm` file imported as a module is its compiled WebAssembly.Module (wrangler's default
 * CompiledWasm rule; vitest-pool-workers does the same): workerd compiles no wasm at run time.
 */
declare module "*.wasm" {
  const compiled: WebAssembly.Module;
  export default compiled;
}
