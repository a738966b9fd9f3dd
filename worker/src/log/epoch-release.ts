/**
 * The log's release of its own key share for a logged exposure query — or a logged venue request
 * granting contacts, released the same way (PROTOCOL.md §11.3, §11.7): for
 * each identity of the query's scope, e_d·H2(id) with d the slot's UTC day, or null where e_d is
 * gone (destroyed at the end of retention, §4.6). The release is logged once, as a
 * `trustee-release` by the reserved trustee id "log", signed by the log key; asking again answers
 * the same keys (BLS is deterministic) and the same release index — except a key whose e_d was
 * destroyed since, which is null with its kept commitment in `withheld`.
 *
 * This runs inside the log writer, the only holder of the epoch secrets, and only for an entry
 * the writer's own policy state knows as a query: there is no way to ask for a key outside a
 * logged scope.
 */
import {
  COMMITMENT_BYTES,
  concatBytes,
  decodeEntry,
  encodeEntry,
  epochDay,
  extractPartialKey,
  keyCommitment,
  LOG_TRUSTEE_ID,
  type LogPolicy,
  partialKeysHash,
  queryScope,
  releaseKeyOf,
  type SealedReleaseJson,
  sealRelease,
  signEntry,
} from "@lintel/protocol";
import { useFastCurves } from "@lintel/protocol/fast-curves";
import { mclWasm } from "../crypto/mcl-wasm.ts";
import type { EpochKeyStore } from "./epoch-key-store.ts";
import type { AppendOutcome } from "./writer.ts";

export type EpochReleaseOutcome =
  | { readonly ok: true; readonly release: SealedReleaseJson }
  | {
      readonly ok: false;
      readonly reason: "query-not-logged" | "log-unavailable";
      readonly detail: string;
    };

export interface EpochReleaseContext {
  readonly deployment: string;
  readonly policy: LogPolicy;
  /** The stored bytes of entry `index` (the query, for its release key). */
  readonly entryAt: (index: bigint) => Uint8Array | null;
  readonly epochKeys: EpochKeyStore;
  readonly logSecretKey: Uint8Array;
  /** The index of the log's earlier release for this query, if it made one. */
  readonly previousRelease: (queryIndex: bigint) => bigint | undefined;
  readonly rememberRelease: (queryIndex: bigint, releaseIndex: bigint) => void;
  /** The key commitments (n × 32 bytes) of the log's release for this query, once made. */
  readonly commitments: (queryIndex: bigint) => Uint8Array | undefined;
  readonly rememberCommitments: (queryIndex: bigint, commitments: Uint8Array) => void;
  readonly append: (entries: readonly Uint8Array[]) => Promise<AppendOutcome>;
  readonly now: number;
}

export async function releaseEpochShare(
  ctx: EpochReleaseContext,
  queryIndex: bigint,
): Promise<EpochReleaseOutcome> {
  const query = ctx.policy.releasable(queryIndex);
  const stored = query ? ctx.entryAt(queryIndex) : null;
  const releaseKey = stored ? releaseKeyOf(decodeEntry(stored).entry.body) : undefined;
  if (!query || !releaseKey) {
    return {
      ok: false,
      reason: "query-not-logged",
      detail: `entry ${queryIndex} is not a logged query`,
    };
  }
  const scope = queryScope(ctx.deployment, query);
  const secrets = new Map<number, Uint8Array | null>();
  // Extraction hashes every identity to G2: mcl does it ~6× faster than the reference backend.
  await useFastCurves({ wasmModule: mclWasm });
  const partialKeys = scope.map((id) => {
    const day = epochDay(id.slotStart);
    if (!secrets.has(day)) secrets.set(day, ctx.epochKeys.secret(day));
    const secret = secrets.get(day);
    return secret ? extractPartialKey(secret, id.idBytes) : null;
  });
  let releaseIndex = ctx.previousRelease(queryIndex);
  // A key destroyed since the release was logged: its kept commitment stands in for it.
  const kept = releaseIndex === undefined ? undefined : ctx.commitments(queryIndex);
  const withheld = partialKeys.map((k, i) => {
    const c = kept?.slice(i * COMMITMENT_BYTES, (i + 1) * COMMITMENT_BYTES);
    return k === null && c?.length === COMMITMENT_BYTES && c.some((b) => b !== 0) ? c : null;
  });
  if (releaseIndex === undefined) {
    // Kept before the entry is appended: a crash between the two leaves commitments to spare,
    // never a logged release whose commitments are lost.
    ctx.rememberCommitments(queryIndex, concatBytes(...partialKeys.map(keyCommitment)));
    const entry = encodeEntry(
      signEntry(
        {
          deployment: ctx.deployment,
          issuedAt: ctx.now,
          body: {
            kind: "trustee-release",
            queryIndex,
            trusteeId: LOG_TRUSTEE_ID,
            identityCount: scope.length,
            partialKeysHash: partialKeysHash(partialKeys),
          },
        },
        [ctx.logSecretKey],
      ),
    );
    const outcome = await ctx.append([entry]);
    if (!outcome.ok) return { ok: false, reason: "log-unavailable", detail: outcome.reason };
    releaseIndex = BigInt(outcome.firstIndex);
    ctx.rememberRelease(queryIndex, releaseIndex);
  }
  // Sealed to the query's release key: whoever sees the answer but the filing authority holds
  // ciphertext only (§11.3).
  return {
    ok: true,
    release: await sealRelease(
      { trusteeId: LOG_TRUSTEE_ID, queryIndex, releaseIndex, partialKeys, withheld },
      ctx.deployment,
      releaseKey,
    ),
  };
}
