/**
 * The pages' side of the fast BLS12-381 backend (mcl-wasm, @lintel/protocol/fast-curves): a
 * separate chunk of ~600 kB that a page fetches with `import()` after its first load, so the
 * first load does not grow; until it has loaded (or where it cannot load) the reference backend
 * does the same work more slowly, with the same bytes.
 *
 * Also the memory of proofs of possession that verified: the deployment's keys come back on every
 * load, and checking their proofs costs pairings, so the digests of the ones that held are kept in
 * localStorage and restored before anything is verified. They are digests of public keys, nothing
 * about the person.
 */
import { rememberedProofs, rememberProofs } from "@lintel/protocol";

let loading: Promise<boolean> | undefined;

/** Starts loading the fast backend once; resolves true when it is active, false if it failed. */
export function fastCurves(): Promise<boolean> {
  loading ??= import("@lintel/protocol/fast-curves").then(
    (m) => m.useFastCurves(),
    () => false,
  );
  return loading;
}

const PROOFS_KEY = "lintel.verified-proofs.v1";

/**
 * Restores the proofs an earlier load saw verify, and keeps this load's when the page is left (a
 * check-in verifies the day's epoch key then).
 */
export function restoreProofMemory(): void {
  addEventListener("pagehide", keepProofMemory);
  try {
    const kept: unknown = JSON.parse(window.localStorage.getItem(PROOFS_KEY) ?? "[]");
    if (Array.isArray(kept)) rememberProofs(kept);
  } catch {
    // no storage, or something unreadable in it: proofs are checked again
  }
}

/** Keeps the proofs this load saw verify, for the next one. */
export function keepProofMemory(): void {
  try {
    window.localStorage.setItem(PROOFS_KEY, JSON.stringify(rememberedProofs()));
  } catch {
    // no storage (private mode, quota): the next load checks them again
  }
}
