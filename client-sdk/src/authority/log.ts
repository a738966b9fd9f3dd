/**
 * What the authority reads from the public log itself (PROTOCOL.md §10.6, §11.5):
 *
 * - the epoch keys E_d of the query's days. `GET /api/epoch-keys` serves only yesterday to a week
 *   ahead (it is for encrypting devices; worker/src/routes/checkins.ts), while a query reaches back
 *   up to the retention period, so the keys come from the log's `epoch-key` entries instead —
 *   signed by the log key, with proofs of possession, and replayed by the auditor;
 * - the `trustee-release` entries, so that every release used is the one the log recorded
 *   (same holder, query, count and partialKeysHash — a key withheld since, its day past retention,
 *   counted by the commitment the holder gives for it): a release that was not logged is refused.
 *
 * The whole log is audited (checkpoint signature, tiles, every entry against the policy) with
 * the registry key of the verified deployment record pinned, and entry 0 must name the record's
 * log key, so nothing here rests on the service's word. Given a store (the console keeps one in
 * IndexedDB), the audit starts from what the last one verified: a log that forked or shrank since
 * is caught, full tiles come from the store and only new entries are replayed.
 */
import {
  auditLog,
  constantTimeEqual,
  decodeEntry,
  type KeyShare,
  type LogEntry,
  type LogSource,
  type Release,
  releaseHash,
} from "@lintel/protocol";
import { auditWithStore, type ExposureAuditStore } from "../audit/log-store.ts";
import { httpLogSource } from "../audit/source.ts";
import { LintelError } from "../errors.ts";
import type { FetchLike } from "../http.ts";
import type { AuthorityDeployment } from "./deployment.ts";

export interface AuditedLog {
  readonly size: bigint;
  /** The deployment entry's retention, in days (§10.3). */
  readonly retentionDays: number;
  /** UTC day → the log-signed epoch key of that day. */
  readonly epochKeys: ReadonlyMap<number, KeyShare>;
  readonly entries: readonly Uint8Array[];
}

export interface ReadLogOptions {
  /** The log's prefix; default `<service>/log`. */
  readonly source?: LogSource;
  readonly baseUrl?: string;
  readonly fetch?: FetchLike;
  /** Witness cosignatures the newest checkpoint must carry; default 0. */
  readonly quorum?: number;
  /** Where the audit state, policy state and full tiles are kept between reads. */
  readonly store?: ExposureAuditStore;
}

export async function readAuditedLog(
  deployment: AuthorityDeployment,
  options: ReadLogOptions,
): Promise<AuditedLog> {
  const source =
    options.source ??
    httpLogSource(`${(options.baseUrl ?? "").replace(/\/+$/, "")}/log`, options.fetch);
  const auditOptions = {
    logKey: deployment.logKey,
    witnesses: deployment.witnesses,
    quorum: options.quorum ?? 0,
    entries: "lintel",
    registryKey: deployment.registryKey,
  } as const;
  const audit = options.store
    ? await auditWithStore(options.store, deployment.logKey.name, source, auditOptions)
    : { outcome: await auditLog({ ...auditOptions, source }), commit: async () => {} };
  const { outcome } = audit;
  if (!outcome.ok)
    throw new LintelError("log-unverified", `The log does not verify: ${outcome.reason}`);
  const entries = outcome.lintel?.entries ?? [];
  const first = entries[0] ? decodeEntry(entries[0]).entry.body : undefined;
  if (first?.kind !== "deployment" || !constantTimeEqual(first.logKey, deployment.record.logKey)) {
    throw new LintelError("log-unverified", "The log's first entry names another log key.");
  }
  const epochKeys = new Map<number, KeyShare>();
  for (const bytes of entries) {
    // Cheap filter before decoding: kind byte 8 is epoch-key (§10.2 offset 2).
    if (bytes[2] !== 8) continue;
    const { body } = decodeEntry(bytes).entry;
    if (body.kind === "epoch-key") {
      epochKeys.set(body.day, {
        publicKey: body.publicKey,
        proofOfPossession: body.proofOfPossession,
      });
    }
  }
  await audit.commit();
  return { size: outcome.checkpoint.size, retentionDays: first.retentionDays, epochKeys, entries };
}

/** Requires each release to be the one the audited log recorded at its `releaseIndex`. */
export function checkReleasesLogged(
  log: AuditedLog,
  releases: readonly Release[],
  scopeLength: number,
): void {
  for (const release of releases) {
    const holder = release.trusteeId === "log" ? "The log" : `Trustee ${release.trusteeId}`;
    const at = release.releaseIndex;
    const bytes = at < BigInt(log.entries.length) ? log.entries[Number(at)] : undefined;
    if (!bytes) {
      throw new LintelError(
        "release-not-logged",
        `${holder}'s release is not in the log (entry ${at}).`,
      );
    }
    const entry: LogEntry = decodeEntry(bytes).entry;
    const body = entry.body;
    if (
      body.kind !== "trustee-release" ||
      body.trusteeId !== release.trusteeId ||
      body.queryIndex !== release.queryIndex ||
      body.identityCount !== scopeLength ||
      !constantTimeEqual(body.partialKeysHash, releaseHash(release))
    ) {
      throw new LintelError(
        "release-not-logged",
        `${holder}'s release differs from the one logged at entry ${at}.`,
      );
    }
  }
}

/**
 * The audited log, once it is shown to hold `logged.entryBytes` (what a proof gave) at
 * `logged.index` and every release as recorded: what an authority decrypting a query and a venue
 * opening its contacts request both stand on before combining keys.
 */
export async function auditedLogHolding(
  deployment: AuthorityDeployment,
  options: ReadLogOptions,
  logged: { readonly index: bigint; readonly entryBytes: Uint8Array; readonly what: string },
  releases: readonly Release[],
  scopeLength: number,
): Promise<AuditedLog> {
  const log = await readAuditedLog(deployment, options);
  const { index } = logged;
  const bytes = index < BigInt(log.entries.length) ? log.entries[Number(index)] : undefined;
  if (!bytes || !constantTimeEqual(bytes, logged.entryBytes)) {
    throw new LintelError(
      "query-not-logged",
      `Entry ${index} of the audited log is not this ${logged.what}.`,
    );
  }
  checkReleasesLogged(log, releases, scopeLength);
  return log;
}
