/**
 * The fastest BLS12-381 backend this Node process can load, for the Node hot paths (an
 * authority's decryption threads, the audit CLI): blst through Lintel's native addon
 * (client-sdk/native/, built at install time by scripts/blst-native.mjs), else mcl-wasm, else the
 * reference. All three give the same bytes; only the time differs (a decryption's pairing: blst
 * ~0.5 ms, mcl-wasm ~3 ms, @noble/curves ~14 ms).
 *
 * Node is reached through computed specifiers, as in authority/node-pool.ts: the SDK's own
 * type-check knows only browser types, and a page bundle never follows these imports.
 * `LINTEL_NATIVE_CURVES=off` in the environment keeps the addon unloaded (to compare backends).
 */
import type { CurveBackend } from "@lintel/protocol";
import { curves, useCurves } from "@lintel/protocol";
import { type BlstAddon, blstCurves, useFastCurves } from "@lintel/protocol/fast-curves";

const NODE_MODULE = "node:module";
const NODE_FS = "node:fs";
const NODE_URL = "node:url";

/** Where the addon lies, from this file in the source tree and from its build in dist/. */
const ADDON_PATHS = [
  "../../native/build/lintel-blst.node",
  "../../../native/build/lintel-blst.node",
];

const environment = (name: string): string | undefined =>
  (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name];

let native: Promise<CurveBackend | undefined> | undefined;

/** The blst backend when its addon is built and loads here; otherwise undefined. Never throws. */
export function loadNativeCurves(): Promise<CurveBackend | undefined> {
  native ??= (async () => {
    if (environment("LINTEL_NATIVE_CURVES") === "off") return undefined;
    try {
      const { createRequire } = (await import(/* @vite-ignore */ NODE_MODULE)) as {
        createRequire(from: string): (id: string) => unknown;
      };
      const { existsSync } = (await import(/* @vite-ignore */ NODE_FS)) as {
        existsSync(file: string): boolean;
      };
      const { fileURLToPath } = (await import(/* @vite-ignore */ NODE_URL)) as {
        fileURLToPath(url: URL): string;
      };
      const file = ADDON_PATHS.map((p) => fileURLToPath(new URL(p, import.meta.url))).find(
        existsSync,
      );
      if (file === undefined) return undefined;
      return blstCurves(createRequire(import.meta.url)(file) as BlstAddon);
    } catch {
      return undefined; // not Node, or an addon built for another Node: mcl-wasm serves
    }
  })();
  return native;
}

/**
 * Makes the fastest backend that loads here active for this thread — blst, then mcl-wasm — and
 * returns its name ("blst", "mcl", or "noble" when neither loads).
 */
export async function useNodeCurves(): Promise<string> {
  if (curves().name === "blst") return "blst";
  const backend = await loadNativeCurves();
  if (backend) useCurves(backend);
  else await useFastCurves();
  return curves().name;
}
