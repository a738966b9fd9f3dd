/**
 * Switches this thread's BLS12-381 operations to the fast backend (mcl-wasm), for the hot paths:
 * an authority's decryption, a citizen's encryption in the browser, trustee extraction, audits.
 * A separate entry point (`@lintel/protocol/fast-curves`) so that pages load mcl's ~600 kB only
 * when, and after, they need it.
 *
 * `useFastCurves()` resolves to true once mcl is active, false when it could not load here (the
 * reference backend then stays active: slower, same bytes). It never throws.
 */
import { type CurveBackend, curves, useCurves } from "../tibe/backend.ts";
import { type LoadMclOptions, loadMcl } from "./load-mcl.ts";
import { mclCurves } from "./mcl-curves.ts";

export { type BlstAddon, blstCurves } from "./blst-curves.ts";

import { loadMclRaw } from "./mcl-raw.ts";

let pending: Promise<boolean> | undefined;

export function useFastCurves(options: LoadMclOptions = {}): Promise<boolean> {
  // Already fast (mcl, or Node's native blst): never trade it for another.
  if (curves().name !== "noble") return Promise.resolve(true);
  pending ??= loadFastCurves(options).then(
    (backend) => {
      useCurves(backend);
      return true;
    },
    () => {
      pending = undefined;
      return false;
    },
  );
  return pending;
}

/** The mcl backend, loaded but not made active (tests, benchmarks comparing backends). */
export async function loadFastCurves(options: LoadMclOptions = {}): Promise<CurveBackend> {
  const mcl = await loadMcl(options);
  return mclCurves(mcl, await loadMclRaw(mcl));
}

/** The name of the active backend: "noble", "mcl" or (in Node, see blst-curves.ts) "blst". */
export function activeCurves(): string {
  return curves().name;
}
