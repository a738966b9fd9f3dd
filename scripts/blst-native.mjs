// Builds client-sdk/native/build/lintel-blst.node: Lintel's Node-API addon over blst, the native
// BLS12-381 backend for Node's hot paths (an authority's decryption threads, the audit CLI). A
// pairing there costs about a sixth of mcl-wasm's.
//
// blst's sources come from the npm registry, in the tarball of @chainsafe/blst 0.2.11 (which
// carries blst 0.3.10's C and assembly), checked against its pinned SHA-512 before use. Nothing
// of that package is installed or run: only `src/`, `build/` and the two headers are compiled,
// with the machine's C compiler and Node's own headers, into one shared object.
//
// Optional by design: where there is no compiler, no Node headers, or another platform, it says
// so and leaves Node on mcl-wasm (same bytes, slower). LINTEL_NATIVE_CURVES=off skips it.
// Runs after `npm ci` (postinstall) and before every npm script (ensure-install.mjs); cheap when
// the build is current (a stamp of its inputs).
// Plain JavaScript: it runs before tsx is installed.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const nativeDir = path.join(root, "client-sdk/native");
const source = path.join(nativeDir, "lintel-blst.c");
export const BLST_ADDON_FILE = path.join(nativeDir, "build/lintel-blst.node");
const stampFile = path.join(nativeDir, "build/stamp");
const cacheDir = path.join(root, ".cache/blst");

const BLST_TARBALL = {
  spec: "@chainsafe/blst@0.2.11",
  file: "chainsafe-blst-0.2.11.tgz",
  integrity:
    "sha512-URyOLq5GtxBoxibOnd2pgLydCy0UZzbiIIBcsRAvGxAsRzjZL04TsQfwRkz5aphU3a1ebeRoMmI/HHyMCiFSQg==",
};

/** Why the addon cannot be built here, or undefined when it can be tried. */
export function unsupported() {
  if (process.env.LINTEL_NATIVE_CURVES === "off") return "LINTEL_NATIVE_CURVES=off";
  const platform = `${process.platform}-${process.arch}`;
  if (!["linux-x64", "linux-arm64", "darwin-x64", "darwin-arm64"].includes(platform)) {
    return `blst's assembly is not built for ${platform} here`;
  }
  if (!existsSync(path.join(nodeHeaders(), "node_api.h"))) return "Node's headers are missing";
  if (spawnSync("cc", ["--version"], { stdio: "ignore" }).status !== 0) return "no C compiler (cc)";
  return undefined;
}

function nodeHeaders() {
  return path.join(path.dirname(process.execPath), "..", "include", "node");
}

/** The x86-64 ADX instructions (mulx/adcx) when this CPU has them, as blst's own build decides. */
function adx() {
  if (process.arch !== "x64" || process.platform !== "linux") return false;
  try {
    return /^flags\s*:.*\badx\b/m.test(readFileSync("/proc/cpuinfo", "utf8"));
  } catch {
    return false;
  }
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: "utf8", ...options });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(" ")} failed: ${(result.stderr || result.stdout || "").trim()}`,
    );
  }
  return result.stdout;
}

/** Throws unless `file` has the pinned SHA-512 (npm's integrity string for the tarball). */
export function checkTarball(file) {
  const digest = `sha512-${createHash("sha512").update(readFileSync(file)).digest("base64")}`;
  if (digest !== BLST_TARBALL.integrity) {
    throw new Error(`${path.basename(file)}: ${digest}, expected ${BLST_TARBALL.integrity}`);
  }
}

/** The blst source folder, from the pinned tarball (fetched from the npm registry once). */
function blstSources() {
  mkdirSync(cacheDir, { recursive: true });
  const tarball = path.join(cacheDir, BLST_TARBALL.file);
  if (!existsSync(tarball)) {
    const npm = process.platform === "win32" ? "npm.cmd" : "npm";
    run(npm, ["pack", BLST_TARBALL.spec, "--pack-destination", cacheDir, "--silent"], {
      cwd: cacheDir,
    });
  }
  try {
    checkTarball(tarball);
  } catch (error) {
    rmSync(tarball, { force: true }); // fetched again next time, never used
    throw error;
  }
  const unpacked = path.join(cacheDir, "src-0.2.11");
  if (!existsSync(path.join(unpacked, "package/blst/bindings/blst.h"))) {
    rmSync(unpacked, { recursive: true, force: true });
    mkdirSync(unpacked, { recursive: true });
    run("tar", [
      "-xzf",
      tarball,
      "-C",
      unpacked,
      "package/blst/src",
      "package/blst/build",
      "package/blst/bindings/blst.h",
      "package/blst/bindings/blst_aux.h",
    ]);
  }
  return path.join(unpacked, "package/blst");
}

function compileFlags() {
  return [
    "-O2",
    "-fPIC",
    "-shared",
    "-fno-builtin",
    "-DNODE_GYP_MODULE_NAME=lintel_blst",
    ...(adx() ? ["-D__ADX__"] : []),
    ...(process.platform === "darwin" ? ["-undefined", "dynamic_lookup"] : []),
  ];
}

/** What the build depends on: a new stamp means a rebuild. */
function stampOf() {
  return createHash("sha256")
    .update(readFileSync(source))
    .update(BLST_TARBALL.integrity)
    .update(process.versions.modules)
    .update(compileFlags().join(" "))
    .digest("hex");
}

/** Loads the addon and checks one pairing-free round trip, so a broken build is never kept. */
function smokeTest(file) {
  const addon = createRequire(import.meta.url)(file);
  const scalar = new Uint8Array(32);
  scalar[0] = 7;
  const point = addon.g1Mul(null, scalar);
  const again = addon.g1Decode(addon.g1Encode(point), true);
  if (!again || !addon.g1Equal(point, again)) throw new Error("the built addon fails a round trip");
}

/**
 * Builds the addon unless it is current. Returns "built", "current" or the reason it was skipped;
 * throws only when a build was tried and failed.
 */
export function ensureBlstNative() {
  const skip = unsupported();
  if (skip) return `skipped: ${skip}`;
  const stamp = stampOf();
  if (
    existsSync(BLST_ADDON_FILE) &&
    existsSync(stampFile) &&
    readFileSync(stampFile, "utf8") === stamp
  ) {
    return "current";
  }
  const blst = blstSources();
  mkdirSync(path.dirname(BLST_ADDON_FILE), { recursive: true });
  const partial = BLST_ADDON_FILE.replace(/\.node$/, ".partial.node");
  run("cc", [
    ...compileFlags(),
    `-I${nodeHeaders()}`,
    `-I${path.join(blst, "bindings")}`,
    source,
    path.join(blst, "src/server.c"),
    path.join(blst, "build/assembly.S"),
    "-o",
    partial,
  ]);
  smokeTest(partial);
  renameSync(partial, BLST_ADDON_FILE);
  writeFileSync(stampFile, stamp);
  return "built";
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  try {
    const outcome = ensureBlstNative();
    if (outcome === "built")
      console.log(`lintel: built ${path.relative(root, BLST_ADDON_FILE)} (blst)`);
    else if (outcome !== "current")
      console.log(`lintel: native curves ${outcome}; Node uses mcl-wasm`);
  } catch (error) {
    // Optional: a failed build leaves Node on mcl-wasm, and says why.
    console.warn(
      `lintel: the native curves addon was not built (${error instanceof Error ? error.message : error}); Node uses mcl-wasm`,
    );
  }
}
