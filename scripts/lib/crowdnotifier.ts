/**
 * CrowdNotifier's reference library (libcrowdnotifier, MPL-2.0,
 * https://github.com/CrowdNotifier/libcrowdnotifier), loaded from a clone outside this repository
 * for the side-by-side benchmark. Nothing of it is copied here and none of its packages is a
 * dependency of Lintel: the clone carries its own node_modules.
 *
 * Its IBE primitives (Boneh–Franklin with the Fujisaki–Okamoto transform, as in Lintel; mcl-wasm
 * 0.7 for BLS12-381, libsodium's secretbox for the payload) are `enc`, `dec`, `keyDer` and
 * `keyGen` in lib/src/v2/ibe_primitives.ts; its v3 protocol imports the same file. esbuild
 * bundles that file and lib/src/v2/helpers.ts (TypeScript) into one CommonJS module in memory,
 * with every package left external, and the module runs with a `require` rooted in the clone, so
 * `mcl-wasm` and `libsodium-wrappers-sumo` come from the clone's node_modules — never from ours
 * (Lintel's mcl-wasm is 2.4.1, a different package; both coexist in one process).
 *
 * Obtaining it (BENCHMARKS.md says the same):
 *   git clone https://github.com/CrowdNotifier/libcrowdnotifier
 *   cd libcrowdnotifier && npm install --no-save --no-package-lock mcl-wasm@0.7 libsodium-wrappers-sumo@0.7
 *   export LINTEL_CROWDNOTIFIER_DIR=$PWD
 * Only those two runtime packages: the IBE primitives import nothing else (protobufjs and
 * futoin-hkdf serve the rest of their protocol; lib/package.json's protobuf code generators are
 * development tools). Installing at the clone's top level, where there is no package.json,
 * leaves lib/package.json untouched.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { build } from "esbuild";
import { commitOf } from "./git-commit.ts";

export const CROWDNOTIFIER_DIR_SETTING = "LINTEL_CROWDNOTIFIER_DIR";
export const CROWDNOTIFIER_REPOSITORY = "https://github.com/CrowdNotifier/libcrowdnotifier";
/** The packages their IBE primitives need at run time, with the ranges lib/package.json asks. */
export const CROWDNOTIFIER_RUNTIME_PACKAGES = ["mcl-wasm@0.7", "libsodium-wrappers-sumo@0.7"];
const PRIMITIVES = "lib/src/v2/ibe_primitives.ts";
const HELPERS = "lib/src/v2/helpers.ts";

export const installCommand = `npm install --no-save --no-package-lock ${CROWDNOTIFIER_RUNTIME_PACKAGES.join(" ")}`;

export type Located =
  | { readonly found: true; readonly dir: string }
  | { readonly found: false; readonly message: string };

export interface FolderProbe {
  readonly isDirectory: (p: string) => boolean;
  readonly isFile: (p: string) => boolean;
  /** Whether `name` resolves as a package from inside `fromDir`. */
  readonly resolves: (name: string, fromDir: string) => boolean;
}

export const realProbe: FolderProbe = {
  isDirectory: (p) => existsSync(p) && statSync(p).isDirectory(),
  isFile: (p) => existsSync(p) && statSync(p).isFile(),
  resolves: (name, fromDir) => {
    try {
      createRequire(path.join(fromDir, "index.js")).resolve(name);
      return true;
    } catch {
      return false;
    }
  },
};

const skipped = (why: string) =>
  `bench: side-by-side skipped: ${why} (BENCHMARKS.md, "against CrowdNotifier, side by side", says how)`;

/**
 * Where the clone is, from the setting; otherwise the one line the bench prints instead of the
 * side-by-side figures.
 */
export function locateCrowdNotifier(
  env: Readonly<Record<string, string | undefined>>,
  probe: FolderProbe = realProbe,
): Located {
  const setting = env[CROWDNOTIFIER_DIR_SETTING]?.trim();
  if (!setting) {
    return {
      found: false,
      message: skipped(
        `${CROWDNOTIFIER_DIR_SETTING} is not set to a clone of ${CROWDNOTIFIER_REPOSITORY}`,
      ),
    };
  }
  const dir = path.resolve(setting);
  if (!probe.isDirectory(dir)) {
    return {
      found: false,
      message: skipped(`${CROWDNOTIFIER_DIR_SETTING}=${dir} is not a folder`),
    };
  }
  if (!probe.isFile(path.join(dir, PRIMITIVES))) {
    return {
      found: false,
      message: skipped(`${dir} has no ${PRIMITIVES}: not a clone of ${CROWDNOTIFIER_REPOSITORY}`),
    };
  }
  const primitivesDir = path.dirname(path.join(dir, PRIMITIVES));
  const missing = CROWDNOTIFIER_RUNTIME_PACKAGES.map((p) => p.replace(/@[^@]*$/, "")).filter(
    (name) => !probe.resolves(name, primitivesDir),
  );
  if (missing.length > 0) {
    return {
      found: false,
      message: skipped(
        `${missing.join(" and ")} missing in ${dir}: run \`${installCommand}\` there`,
      ),
    };
  }
  return { found: true, dir };
}

/** An mcl-wasm 0.7 group element, as their primitives take and return it. */
export interface McLPoint {
  serialize(): Uint8Array;
  deserialize(bytes: Uint8Array): void;
}

/** An mcl-wasm 0.7 scalar (their master secret key); opaque here. */
export interface McLScalar {
  serialize(): Uint8Array;
}

/** Their `IEncryptedData`: c1 = r·g2, c2 = x ⊕ H(e(H1(id), mpk)^r), c3 = secretbox(m). */
export interface CrowdNotifierCiphertext {
  readonly c1: McLPoint;
  readonly c2: Uint8Array;
  readonly c3: Uint8Array;
  readonly nonce: Uint8Array;
}

export interface CrowdNotifierIbe {
  readonly enc: (mpk: McLPoint, id: Uint8Array, m: Uint8Array) => CrowdNotifierCiphertext;
  readonly dec: (
    id: Uint8Array,
    skid: McLPoint,
    ctxt: CrowdNotifierCiphertext,
  ) => Uint8Array | undefined;
  readonly keyDer: (msk: McLScalar, id: Uint8Array) => McLPoint;
  readonly keyGen: () => [McLPoint, McLScalar];
  /** A fresh G2 element, to deserialize c1 or a master public key into. */
  readonly newG2: () => McLPoint;
  /**
   * mcl-wasm 0.7's switch for checking a G2 point's subgroup on deserialization (off by default,
   * and their code leaves it off). Global to their mcl instance.
   */
  readonly verifyOrderG2: (on: boolean) => void;
  /** Their commit, and the versions of the two packages their clone resolved. */
  readonly describe: string;
}

function packageVersion(name: string, fromDir: string): string {
  let dir = path.dirname(createRequire(path.join(fromDir, "index.js")).resolve(name));
  for (;;) {
    const manifest = path.join(dir, "package.json");
    if (existsSync(manifest)) {
      const pkg = JSON.parse(readFileSync(manifest, "utf8")) as { name?: string; version?: string };
      if (pkg.name === name) return pkg.version ?? "unknown";
    }
    const up = path.dirname(dir);
    if (up === dir) return "unknown";
    dir = up;
  }
}

function isFunction(v: unknown): v is (...args: never[]) => unknown {
  return typeof v === "function";
}

/** Bundles their primitives from the clone, runs the bundle, and waits for mcl and libsodium. */
export async function loadCrowdNotifier(dir: string): Promise<CrowdNotifierIbe> {
  const primitivesDir = path.dirname(path.join(dir, PRIMITIVES));
  const entry = [
    `export { enc, dec, keyDer, keyGen } from "./${path.basename(PRIMITIVES, ".ts")}";`,
    `export { waitReady } from "./${path.basename(HELPERS, ".ts")}";`,
    `export { default as mcl } from "mcl-wasm";`,
  ].join("\n");
  const out = await build({
    stdin: { contents: entry, resolveDir: primitivesDir, loader: "ts", sourcefile: "sbs-entry.ts" },
    bundle: true,
    format: "cjs",
    platform: "node",
    target: "node20",
    packages: "external",
    write: false,
    logLevel: "silent",
  });
  const code = out.outputFiles[0]?.text;
  if (!code) throw new Error("esbuild produced no bundle of CrowdNotifier's primitives");
  const module = { exports: {} as Record<string, unknown> };
  const requireFromClone = createRequire(path.join(primitivesDir, "sbs-entry.js"));
  new Function("require", "module", "exports", code)(requireFromClone, module, module.exports);
  const m = module.exports;
  const mcl = m.mcl as { G2?: unknown; verifyOrderG2?: unknown } | undefined;
  const { enc, dec, keyDer, keyGen, waitReady } = m;
  if (
    !isFunction(enc) ||
    !isFunction(dec) ||
    !isFunction(keyDer) ||
    !isFunction(keyGen) ||
    !isFunction(waitReady) ||
    !mcl
  ) {
    throw new Error(`${PRIMITIVES} in ${dir} no longer exports enc, dec, keyDer and keyGen`);
  }
  await (waitReady as () => Promise<void>)();
  // mcl-wasm 0.7 defines its classes only once init (inside waitReady) has loaded the curve.
  const { verifyOrderG2 } = mcl;
  if (!isFunction(mcl.G2) || !isFunction(verifyOrderG2)) {
    throw new Error(`mcl-wasm in ${dir} has no G2 or verifyOrderG2 after init`);
  }
  const G2 = mcl.G2 as unknown as new () => McLPoint;
  const describe =
    `libcrowdnotifier ${commitOf(dir)} (mcl-wasm ${packageVersion("mcl-wasm", primitivesDir)}, ` +
    `libsodium-wrappers-sumo ${packageVersion("libsodium-wrappers-sumo", primitivesDir)})`;
  return {
    enc: enc as CrowdNotifierIbe["enc"],
    dec: dec as CrowdNotifierIbe["dec"],
    keyDer: keyDer as CrowdNotifierIbe["keyDer"],
    keyGen: keyGen as CrowdNotifierIbe["keyGen"],
    newG2: () => new G2(),
    verifyOrderG2: verifyOrderG2 as (on: boolean) => void,
    describe,
  };
}
