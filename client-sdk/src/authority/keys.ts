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
 * log means e_d was destroyed, from a trustee that the day has left retention by its clock: that
 * identity is "expired" — reported with who withheld, since no one can decrypt it, but not an
 * error. A day the log never published an epoch key for (before the deployment began, or beyond
 * the keys made ahead) is reported as such, never as a holder withholding a key inside retention:
 * no device could have encrypted to it.
 */
import {
  epochDay,
  epochDestructionDay,
  type KeyShare,
  LOG_TRUSTEE_ID,
  type Release,
  type ScopeIdentity,
} from "@lintel/protocol";
import { LintelError } from "../errors.ts";
import type { AuditedLog } from "./log.ts";
import { type DecryptPool, inThreadPool } from "./pool.ts";

export interface ShareHolder extends KeyShare {
  /** For messages: the trustee id. */
  readonly id: string;
}

export type IdentityKey =
  | { readonly status: "ready"; readonly identity: ScopeIdentity; readonly identityKey: Uint8Array }
  | {
      readonly status: "expired";
      readonly identity: ScopeIdentity;
      /** The holders that released null for it ("log" for the epoch share). */
      readonly withheldBy: readonly string[];
      /**
       * "withheld": its day left retention (the log destroyed e_d, or a trustee's clock says so).
       * "no-epoch-key": the audited log never published an epoch key for its day, so no device
       * could have encrypted a check-in to it; the log's null hides nothing.
       */
      readonly reason: "withheld" | "no-epoch-key";
    };

export interface CombineInput {
  /** The record's trustees, in the record's order. */
  readonly trustees: readonly ShareHolder[];
  /** UTC day → E_d, as the audited log published it. */
  readonly epochKeys: ReadonlyMap<number, KeyShare>;
  readonly scope: readonly ScopeIdentity[];
  /** One per trustee, same order as `trustees`. */
  readonly trusteeReleases: readonly Release[];
  readonly logRelease: Release;
  /**
   * The deployment's retention and this device's clock (Unix seconds). Given, a holder's null
   * for a day still inside retention is an error naming it, not an expired identity: a holder
   * must not be able to hide part of a query as if it had expired. One day's slack for clocks.
   */
  readonly retention?: { readonly days: number; readonly now: number };
}

const slotText = (id: ScopeIdentity) =>
  `${id.entranceId} ${new Date(id.slotStart * 1000).toISOString().slice(0, 16)}Z`;

/** The pool's own failures (pool.ts), as opposed to the work refusing its input. */
const POOL_FAILURES = new Set(["decrypt-failed", "decrypt-thread-failed", "pool-closed"]);

/** Identities per combine job at least: each job checks the day's proofs of possession anew. */
const MIN_IDENTITIES_PER_JOB = 4;

/**
 * Checks and combines every identity's partial keys, in `pool` (default: this thread). Answers
 * in scope order; the first bad partial key or unusable master key is thrown.
 */
export async function combineIdentityKeys(
  input: CombineInput,
  pool: DecryptPool = inThreadPool(),
): Promise<IdentityKey[]> {
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
  const holderName = (id: string) =>
    id === LOG_TRUSTEE_ID ? "the log (epoch key)" : `trustee ${id}`;
  /** In share order: the trustees, then the log. */
  const holders = [...trustees.map((t) => holderName(t.id)), holderName(LOG_TRUSTEE_ID)];

  // Group the live identities by UTC day: one master key, and so one kind of job, per day.
  const byDay = new Map<number, number[]>();
  const result: Array<IdentityKey | undefined> = scope.map((identity, position) => {
    // A null is a holder's statement that the day has left retention (§11.3, §4.6): n-of-n,
    // one is enough to make the identity undecryptable.
    const withheldBy = [...trusteeReleases, logRelease]
      .filter((r) => r.partialKeys[position] === null)
      .map((r) => r.trusteeId);
    if (withheldBy.length > 0) {
      if (
        withheldBy.includes(LOG_TRUSTEE_ID) &&
        !input.epochKeys.has(epochDay(identity.slotStart))
      ) {
        return { status: "expired", identity, withheldBy, reason: "no-epoch-key" };
      }
      const { retention } = input;
      // One day's slack: a holder whose clock is a day ahead of this device's is not lying.
      if (
        retention &&
        epochDay(retention.now) + 1 <
          epochDestructionDay(epochDay(identity.slotStart), retention.days)
      ) {
        const who = withheldBy.map(holderName);
        throw new LintelError(
          "bad-release",
          `${who.join(" and ")} withheld the key for ${slotText(identity)}, which is still inside retention.`,
        );
      }
      return { status: "expired", identity, withheldBy, reason: "withheld" };
    }
    const day = epochDay(identity.slotStart);
    const positions = byDay.get(day) ?? [];
    positions.push(position);
    byDay.set(day, positions);
    return undefined;
  });

  // Every day's epoch key before any job starts: a refusal must not leave jobs running unheard.
  for (const [day, positions] of byDay) {
    if (!input.epochKeys.has(day)) {
      throw new LintelError(
        "unknown-key",
        `The log has no epoch key for ${slotText(scope[positions[0]!]!)}.`,
      );
    }
  }
  const jobs: Promise<void>[] = [];
  for (const [day, positions] of byDay) {
    const epoch = input.epochKeys.get(day)!;
    const shares = [...trustees, epoch].map((s) => ({
      publicKey: s.publicKey,
      proofOfPossession: s.proofOfPossession,
    }));
    // Even shares over the threads, but never so small that the per-job proof-of-possession
    // checks (one identity's worth) dominate.
    const size = Math.max(MIN_IDENTITIES_PER_JOB, Math.ceil(positions.length / pool.threads));
    for (let i = 0; i < positions.length; i += size) {
      const part = positions.slice(i, i + size);
      const job = pool.combine({
        shares,
        identities: part.map((position) => ({
          idBytes: scope[position]!.idBytes,
          partials: [
            ...trusteeReleases.map((r) => r.partialKeys[position]!),
            logRelease.partialKeys[position]!,
          ],
        })),
      });
      jobs.push(
        job.then(
          (outcomes) =>
            outcomes.forEach((outcome, j) => {
              const identity = scope[part[j]!]!;
              if (!outcome.ok) {
                throw new LintelError(
                  "bad-partial-key",
                  `The partial key of ${holders[outcome.holder] ?? "a share holder"} for ${slotText(identity)} does not verify.`,
                );
              }
              result[part[j]!] = { status: "ready", identity, identityKey: outcome.identityKey };
            }),
          (e: unknown) => {
            // The thread refused the day's shares (their proofs of possession, their sum); a
            // pool that failed or closed is not the master key's fault.
            throw e instanceof LintelError && !POOL_FAILURES.has(e.code)
              ? new LintelError(
                  e.code,
                  `The master key of UTC day ${day} is not usable: ${e.message}`,
                )
              : e;
          },
        ),
      );
    }
  }
  await Promise.all(jobs);
  return result.map((k) => k!);
}

/**
 * {@link combineIdentityKeys} for a scope whose releases were checked against the audited log:
 * the deployment's trustees, the log's epoch keys and retention, today.
 */
export function combineLoggedKeys(
  deployment: { readonly trustees: readonly ShareHolder[] },
  log: Pick<AuditedLog, "epochKeys" | "retentionDays">,
  scope: CombineInput["scope"],
  releases: {
    readonly trustees: CombineInput["trusteeReleases"];
    readonly log: CombineInput["logRelease"];
  },
  pool: DecryptPool,
): Promise<IdentityKey[]> {
  return combineIdentityKeys(
    {
      trustees: deployment.trustees,
      epochKeys: log.epochKeys,
      scope,
      trusteeReleases: releases.trustees,
      logRelease: releases.log,
      retention: { days: log.retentionDays, now: Math.floor(Date.now() / 1000) },
    },
    pool,
  );
}
