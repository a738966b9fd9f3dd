// Writes protocol/src/fast-curves/mcl.wasm: mcl-wasm's WebAssembly as a file, for workerd, which
// compiles no wasm at run time and takes it only as a precompiled module import (wrangler's
// CompiledWasm rule). mcl-wasm publishes no .wasm; its dist/mcl_c.js carries the binary as one
// base64 string, decoded here. The SHA-256 of the binary is pinned per mcl-wasm version, so an
// upgrade of mcl-wasm stops here, loudly, until its new hash is reviewed and added below
// (protocol/src/fast-curves/load-mcl.ts is written against that version's JavaScript glue).
// Runs after `npm ci` (postinstall) and before every npm script (ensure-install.mjs); cheap when
// the file is already right. Plain JavaScript: it runs before tsx is installed.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const MCL_WASM_FILE = path.join(root, "protocol/src/fast-curves/mcl.wasm");

/** mcl-wasm version → SHA-256 of the wasm inside its dist/mcl_c.js. */
export const PINNED_MCL_WASM = {
  "2.4.1": "99e25601f2eed784d994aa5c8c1733989350255f78bbbd18571e8df8b65b8f60",
};

/** The folder of the mcl-wasm that protocol/ resolves. */
export function installedMclWasm() {
  const require = createRequire(path.join(root, "protocol/package.json"));
  return path.dirname(require.resolve("mcl-wasm/package.json"));
}

/** The wasm bytes of the mcl-wasm package in `dir`, checked against the pinned hash. */
export function mclWasmBytes(dir = installedMclWasm()) {
  const { version } = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8"));
  const pinned = PINNED_MCL_WASM[version];
  if (pinned === undefined) {
    throw new Error(
      `mcl-wasm ${version} is installed; scripts/mcl-wasm.mjs pins only ` +
        `${Object.keys(PINNED_MCL_WASM).join(", ")}: review the new version against ` +
        "protocol/src/fast-curves/load-mcl.ts and pin its wasm's SHA-256",
    );
  }
  const glue = readFileSync(path.join(dir, "dist/mcl_c.js"), "utf8");
  const found = [...glue.matchAll(/const wasmBase64 = '([A-Za-z0-9+/=]+)';/g)];
  if (found.length !== 1) throw new Error("mcl-wasm: dist/mcl_c.js has no single wasmBase64");
  const bytes = Buffer.from(found[0][1], "base64");
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  if (sha256 !== pinned) {
    throw new Error(`mcl-wasm ${version}: wasm SHA-256 ${sha256}, expected ${pinned}`);
  }
  return bytes;
}

/** Writes the file unless it already holds exactly these bytes (a running wrangler dev watches it). */
export function ensureMclWasm() {
  const bytes = mclWasmBytes();
  try {
    if (Buffer.compare(readFileSync(MCL_WASM_FILE), bytes) === 0) return false;
  } catch {
    // not there yet
  }
  mkdirSync(path.dirname(MCL_WASM_FILE), { recursive: true });
  writeFileSync(MCL_WASM_FILE, bytes);
  return true;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  try {
    if (ensureMclWasm()) console.log(`lintel: wrote ${path.relative(root, MCL_WASM_FILE)}`);
  } catch (error) {
    console.error(`lintel: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  }
}
