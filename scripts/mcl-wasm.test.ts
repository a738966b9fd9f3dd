/**
 * mcl-wasm's wasm as a file (scripts/mcl-wasm.mjs): the bytes written are the ones inside the
 * installed mcl-wasm's JavaScript, they compile, and anything but the pinned version and hash —
 * an upgraded package, or the same version with other bytes — stops the install loudly.
 */
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  ensureMclWasm,
  installedMclWasm,
  MCL_WASM_FILE,
  mclWasmBytes,
  PINNED_MCL_WASM,
} from "./mcl-wasm.mjs";

const scratch: string[] = [];
afterEach(() => {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A copy of the installed package's two files that matter, changed by `edit`. */
function packageCopy(edit: { version?: string; glue?: (text: string) => string }): string {
  const from = installedMclWasm();
  const dir = mkdtempSync(path.join(os.tmpdir(), "lintel-mcl-wasm-"));
  scratch.push(dir);
  mkdirSync(path.join(dir, "dist"));
  const manifest = JSON.parse(readFileSync(path.join(from, "package.json"), "utf8"));
  writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify({ ...manifest, version: edit.version ?? manifest.version }),
  );
  const glue = readFileSync(path.join(from, "dist/mcl_c.js"), "utf8");
  if (edit.glue) writeFileSync(path.join(dir, "dist/mcl_c.js"), edit.glue(glue));
  else copyFileSync(path.join(from, "dist/mcl_c.js"), path.join(dir, "dist/mcl_c.js"));
  return dir;
}

describe("mcl-wasm's wasm as a file", () => {
  it("is the pinned wasm of the installed mcl-wasm 2.4.1, and compiles", () => {
    ensureMclWasm();
    const written = readFileSync(MCL_WASM_FILE);
    expect(createHash("sha256").update(written).digest("hex")).toBe(PINNED_MCL_WASM["2.4.1"]);
    expect(Buffer.compare(written, mclWasmBytes())).toBe(0);
    const exports = WebAssembly.Module.exports(new WebAssembly.Module(written)).map((e) => e.name);
    expect(exports).toContain("mclBn_init");
  });

  it("refuses a version of mcl-wasm that is not pinned", () => {
    expect(() => mclWasmBytes(packageCopy({ version: "2.4.2" }))).toThrow(
      /mcl-wasm 2\.4\.2.*pins only 2\.4\.1/,
    );
  });

  it("refuses the pinned version with other wasm bytes", () => {
    // Another valid base64 string of the same length: the first 4 characters (3 bytes) changed.
    const dir = packageCopy({
      glue: (t) => t.replace("const wasmBase64 = 'AGFz", "const wasmBase64 = 'AAAA"),
    });
    expect(() => mclWasmBytes(dir)).toThrow(/SHA-256 [0-9a-f]{64}, expected/);
  });
});
