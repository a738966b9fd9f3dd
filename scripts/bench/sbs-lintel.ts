/**
 * Lintel's side of the side-by-side benchmark: one small adapter per operation, through the
 * protocol package's public API only, so the figures follow whichever BLS12-381 backend that API
 * runs on.
 *
 *   decrypt           decryptWithIdentityKey(aead, D, id, ciphertext bytes) — D the combined
 *                     identity key of the slot, fixed, as an authority holds it
 *   encrypt           encryptToIdentity on a PreparedMasterKey whose precomputeIdentity(id) ran
 *                     before timing (e(Q, mpk) cached: what a phone does while the page renders)
 *   encrypt uncached  the same on a verified PreparedMasterKey with nothing cached for the id
 *   encrypt cold      PreparedMasterKey.fromShares(2 trustee shares + 1 epoch share) — three
 *                     proofs of possession verified, the keys decoded and summed — then one
 *                     encryption: a phone's first check-in of the day
 *
 * Both sides encrypt the same plaintext: 240 random bytes, the length of a check-in record.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import {
  CHECKIN_RECORD_BYTES,
  type CurveBackend,
  combinePartialKeys,
  curves,
  decryptWithIdentityKey,
  encryptToIdentity,
  extractPartialKey,
  forgetRememberedProofs,
  generateEpochKey,
  generateTrusteeKey,
  identityBytes,
  type KeyShare,
  PreparedMasterKey,
  verifyProofsOfPossession,
} from "@lintel/protocol";
import { useFastCurves } from "@lintel/protocol/fast-curves";
import { ready, xchacha20poly1305 } from "@lintel/protocol/seal";
import { loadNativeCurves } from "../../client-sdk/src/curves/node-curves.ts";
import { commitOf } from "../lib/git-commit.ts";
import { repoRoot } from "../lib/paths.ts";

export interface LintelFixture {
  readonly shares: readonly KeyShare[];
  /** Verified, with the slot's identity precomputed. */
  readonly mpk: PreparedMasterKey;
  readonly id: Uint8Array;
  readonly identityKey: Uint8Array;
  readonly plaintext: Uint8Array;
  /** Ciphertexts of `plaintext` to `id`, decrypted in turn. */
  readonly ciphertexts: readonly Uint8Array[];
  /** What an authority's Node threads decrypt on: native blst when built, else mcl-wasm. */
  readonly authorityCurves: CurveBackend;
  readonly describe: string;
}

export async function prepareLintel(ciphertextCount = 8): Promise<LintelFixture> {
  await ready();
  const backend = (await useFastCurves())
    ? `mcl-wasm ${version(path.join(repoRoot, "node_modules/mcl-wasm"))}`
    : `@noble/curves ${version(path.join(repoRoot, "node_modules/@noble/curves"))}`;
  const native = await loadNativeCurves();
  const day = 20_793; // 2026-12-06: any fixed day; the epoch key names one
  const shares = [generateTrusteeKey(), generateTrusteeKey(), generateEpochKey(day)];
  const mpk = PreparedMasterKey.fromShares(shares);
  const id = identityBytes({
    deployment: "demo",
    entranceId: "hbr-main",
    slotStart: day * 86_400 + 10 * 3600,
    slotSeconds: 3600,
  });
  mpk.precomputeIdentity(id);
  const identityKey = combinePartialKeys(
    mpk,
    id,
    shares.map((s) => extractPartialKey(s.secretShare, id)),
  );
  const plaintext = crypto.getRandomValues(new Uint8Array(CHECKIN_RECORD_BYTES));
  const ciphertexts = Array.from({ length: ciphertextCount }, () =>
    encryptToIdentity(xchacha20poly1305, mpk, id, plaintext),
  );
  return {
    shares: shares.map((s) => ({ publicKey: s.publicKey, proofOfPossession: s.proofOfPossession })),
    mpk,
    id,
    identityKey,
    plaintext,
    ciphertexts,
    authorityCurves: native ?? curves(),
    describe: `Lintel ${commitOf(repoRoot, ["bench-results.json"])} (@lintel/protocol ${version(path.join(repoRoot, "protocol"))}, ${backend}${native ? "; authority decryption on blst 0.3.10 (native addon)" : ""})`,
  };
}

export function lintelDecrypt(f: LintelFixture, ciphertext: Uint8Array): Uint8Array {
  return decryptWithIdentityKey(xchacha20poly1305, f.identityKey, f.id, ciphertext);
}

export function lintelEncrypt(f: LintelFixture): Uint8Array {
  return encryptToIdentity(xchacha20poly1305, f.mpk, f.id, f.plaintext);
}

/** A verified master key with nothing cached: made outside the timing of lintelEncryptUncached. */
export function lintelFreshMasterKey(f: LintelFixture): PreparedMasterKey {
  return PreparedMasterKey.fromShares(f.shares);
}

export function lintelEncryptUncached(f: LintelFixture, mpk: PreparedMasterKey): Uint8Array {
  return encryptToIdentity(xchacha20poly1305, mpk, f.id, f.plaintext);
}

export function lintelEncryptCold(f: LintelFixture): Uint8Array {
  // Cold: no proof of possession of these shares has been seen to verify in this process yet.
  forgetRememberedProofs();
  return encryptToIdentity(
    xchacha20poly1305,
    PreparedMasterKey.fromShares(f.shares),
    f.id,
    f.plaintext,
  );
}

/**
 * A phone's first check-in of a day: the deployment's trustee keys were checked on an earlier day
 * (their proofs are remembered across page loads), the day's epoch key is new — its proof of
 * possession is checked, then one encryption with nothing cached. `setup` makes that state.
 */
export function lintelFirstOfDaySetup(f: LintelFixture): KeyShare[] {
  forgetRememberedProofs();
  const trustees = f.shares.slice(0, -1);
  if (verifyProofsOfPossession(trustees) !== -1) throw new Error("fixture trustees do not verify");
  const epoch = generateEpochKey(20_793);
  return [...trustees, { publicKey: epoch.publicKey, proofOfPossession: epoch.proofOfPossession }];
}

export function lintelEncryptFirstOfDay(f: LintelFixture, shares: readonly KeyShare[]): Uint8Array {
  return encryptToIdentity(
    xchacha20poly1305,
    PreparedMasterKey.fromShares(shares),
    f.id,
    f.plaintext,
  );
}

function version(packageDir: string): string {
  const pkg = JSON.parse(readFileSync(path.join(packageDir, "package.json"), "utf8")) as {
    version?: string;
  };
  return pkg.version ?? "unknown";
}
