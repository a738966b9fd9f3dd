/**
 * Combining the released partial keys into identity keys (PROTOCOL.md §11.5 steps 1–3). For each
 * scope identity with slot day d:
 *
 *   shares   = the record's trustees in order, then E_d            (§4.3, proofs of possession checked)
 *   partials = each trustee's key at the identity's scope position, then the log's
 *   D        = combinePartialKeys(mpk_d, id, partials)             (each partial verified by pairing)
 *
 * A bad partial key is an error that names its holder: combining without it is impossible (n-of-n)
 * and the holder must be identified, not silently produce an undecryptable key. A null from the
 * log means e_d was destroyed (the day is past retention): that identity is "expired" — reported,
 * since no one can decrypt it any more, but not an error.
 */
import {
  combinePartialKeys,
  epochDay,
  isProtocolError,
  type KeyShare,
  PreparedMasterKey,
  type Release,
  type ScopeIdentity,
  verifyPartialKey,
} from "@lintel/protocol";
import { LintelError } from "../errors.ts";

export interface ShareHolder extends KeyShare {
  /** For messages: the trustee id. */
  readonly id: string;
}

export type IdentityKey =
  | { readonly status: "ready"; readonly identity: ScopeIdentity; readonly identityKey: Uint8Array }
  | { readonly status: "expired"; readonly identity: ScopeIdentity };

export interface CombineInput {
  /** The record's trustees, in the record's order. */
  readonly trustees: readonly ShareHolder[];
  /** UTC day → E_d, as the audited log published it. */
  readonly epochKeys: ReadonlyMap<number, KeyShare>;
  readonly scope: readonly ScopeIdentity[];
  /** One per trustee, same order as `trustees`. */
  readonly trusteeReleases: readonly Release[];
  readonly logRelease: Release;
}

const slotText = (id: ScopeIdentity) =>
  `${id.entranceId} ${new Date(id.slotStart * 1000).toISOString().slice(0, 16)}Z`;

export function combineIdentityKeys(input: CombineInput): IdentityKey[] {
  const { trustees, scope, trusteeReleases, logRelease } = input;
  if (trusteeReleases.length !== trustees.length) {
    throw new LintelError("bad-release", `Expected ${trustees.length} trustee releases.`);
  }
  trusteeReleases.forEach((r, i) => {
    if (r.trusteeId !== trustees[i]!.id) {
      throw new LintelError(
        "bad-release",
        `Release ${i} is ${r.trusteeId}'s, not ${trustees[i]!.id}'s.`,
      );
    }
  });
  for (const r of [...trusteeReleases, logRelease]) {
    if (r.partialKeys.length !== scope.length) {
      throw new LintelError("bad-release", `${r.trusteeId}'s release does not match the scope.`);
    }
  }
  const holders = [...trustees.map((t) => `trustee ${t.id}`), "the log (epoch key)"];
  const masterKeys = new Map<number, PreparedMasterKey>();
  const masterKey = (day: number, identity: ScopeIdentity): PreparedMasterKey => {
    let mpk = masterKeys.get(day);
    if (mpk) return mpk;
    const epoch = input.epochKeys.get(day);
    if (!epoch) {
      throw new LintelError("unknown-key", `The log has no epoch key for ${slotText(identity)}.`);
    }
    try {
      mpk = PreparedMasterKey.fromShares([...trustees, epoch]);
    } catch (e) {
      throw new LintelError(
        isProtocolError(e) ? e.code : "bad-value",
        `The master key of UTC day ${day} is not usable: ${e instanceof Error ? e.message : e}`,
      );
    }
    masterKeys.set(day, mpk);
    return mpk;
  };

  return scope.map((identity, position) => {
    const fromLog = logRelease.partialKeys[position];
    if (fromLog === null || fromLog === undefined) return { status: "expired", identity };
    const partials: Uint8Array[] = [];
    trusteeReleases.forEach((r, i) => {
      const k = r.partialKeys[position];
      if (!k) {
        throw new LintelError(
          "bad-partial-key",
          `${holders[i]} released no key for ${slotText(identity)}.`,
        );
      }
      partials.push(k);
    });
    partials.push(fromLog);
    const mpk = masterKey(epochDay(identity.slotStart), identity);
    try {
      return {
        status: "ready",
        identity,
        identityKey: combinePartialKeys(mpk, identity.idBytes, partials),
      };
    } catch (e) {
      if (!isProtocolError(e) || e.code !== "bad-signature") throw e;
      // Find the holder by checking each key on its own: only on this error path, so the
      // usual case pays one verification per share, not two.
      const bad = partials.findIndex(
        (k, i) => !verifyPartialKey(mpk.shares[i]!.publicKey, identity.idBytes, k),
      );
      throw new LintelError(
        "bad-partial-key",
        `The partial key of ${holders[bad] ?? "a share holder"} for ${slotText(identity)} does not verify.`,
      );
    }
  });
}
