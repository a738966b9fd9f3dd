// Types of scripts/mcl-wasm.mjs (plain JavaScript: it runs before TypeScript is installed).
export declare const MCL_WASM_FILE: string;
/** mcl-wasm version → SHA-256 (hex) of the wasm inside its dist/mcl_c.js. */
export declare const PINNED_MCL_WASM: Readonly<Record<string, string>>;
export declare function installedMclWasm(): string;
/** The wasm of the mcl-wasm package in `dir` (default: the installed one); throws unless pinned. */
export declare function mclWasmBytes(dir?: string): Buffer;
/** Writes MCL_WASM_FILE unless it already holds those bytes; true when it wrote. */
export declare function ensureMclWasm(): boolean;
