// Installs the locked dependencies when they are missing or older than package-lock.json, so that
// `npm run dev` and `npm test` each work as the single command on a fresh clone; then makes sure
// the install-time artefacts exist (mcl-wasm's wasm as a file, and the optional native curves
// addon; postinstall makes both — this covers an install made with --ignore-scripts).
// Plain JavaScript on purpose: it runs before tsx and TypeScript are installed.
import { spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const lock = path.join(root, "package-lock.json");
const installed = path.join(root, "node_modules/.package-lock.json");

const stale = !existsSync(installed) || statSync(lock).mtimeMs > statSync(installed).mtimeMs;
if (stale) {
  console.log("lintel: installing the locked dependencies (npm ci)…");
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const result = spawnSync(npm, ["ci", "--no-audit", "--no-fund"], { cwd: root, stdio: "inherit" });
  if (result.status !== 0) {
    console.error("lintel: npm ci failed; see above.");
    process.exit(result.status ?? 1);
  }
}

const { ensureMclWasm } = await import("./mcl-wasm.mjs");
try {
  ensureMclWasm();
} catch (error) {
  console.error(`lintel: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}

const { ensureBlstNative } = await import("./blst-native.mjs");
try {
  if (ensureBlstNative() === "built") console.log("lintel: built the native curves addon (blst)");
} catch (error) {
  // Optional: Node falls back to mcl-wasm; the native-curves test says so loudly.
  console.warn(
    `lintel: the native curves addon was not built (${error instanceof Error ? error.message : error})`,
  );
}
