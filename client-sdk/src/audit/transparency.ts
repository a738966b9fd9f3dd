/**
 * A service's public statistics, verified here: the deployment (its registry-signed record names
 * the log key), then the whole log audited as any auditor does (PROTOCOL.md §10.6: checkpoint,
 * tiles, every entry's leaf, signatures and policy, the registry key pinned for entry 0), then
 * the report of report.ts. The `lintel-audit report` CLI and the /transparency/ page both call
 * this, so they fetch, verify and count the same way.
 *
 * The time zone the months are read in is the deployment's `timezone` as GET /api/deployment
 * serves it: the registry-signed record does not carry it. The report names the zone it used.
 */
import {
  auditLog,
  constantTimeEqual,
  type MisbehaviourProof,
  parseCosignatureVerifierKey,
  parseVerifierKey,
  type VerifierKey,
} from "@lintel/protocol";
import type { CitizenDeployment } from "../citizen/trust.ts";
import { logVerifierKey } from "../citizen/trust.ts";
import { fetchDeployment } from "../deployment/index.ts";
import { LintelError } from "../errors.ts";
import { type ServiceOptions, serviceUrl } from "../http.ts";
import { auditWithStore, type ExposureAuditStore } from "./log-store.ts";
import { checkTimeZone, type TransparencyReport, transparencyReport } from "./report.ts";
import { httpLogSource } from "./source.ts";

export interface TransparencyOptions {
  readonly service: ServiceOptions;
  /** A deployment already fetched with fetchDeployment; fetched (and verified) when absent. */
  readonly deployment?: CitizenDeployment;
  /** The registry's verifier key, pinned by the caller (recommended). */
  readonly registryVerifierKey?: string;
  /** Or its 32-byte Ed25519 public key, as `lintel-audit --registry-key` takes it. */
  readonly registryKey?: Uint8Array;
  /** Trusted witnesses' cosignature/v1 verifier keys (C2SP text form). */
  readonly witnesses?: readonly string[];
  /** Cosignatures required, 0 … witnesses; default: every witness given. */
  readonly quorum?: number;
  /** Months in this IANA zone instead of the deployment's. */
  readonly timeZone?: string;
  /**
   * Where this device keeps what it verified (`indexedDbExposureAuditStore()` in a browser: the
   * same store as the citizen's exposure check). With it, a later run downloads only what is new,
   * replays only the new entries' signatures and policy (the older ones were checked here before),
   * and a log that forked or shrank since is caught. Without it, the whole log is checked again.
   */
  readonly store?: ExposureAuditStore;
  readonly now?: Date;
}

export type TransparencyAudit =
  | {
      readonly ok: true;
      readonly report: TransparencyReport;
      /** Witnesses whose cosignatures counted. */
      readonly cosigners: readonly string[];
      /** The verified signed checkpoint, verbatim. */
      readonly checkpoint: string;
    }
  | {
      readonly ok: false;
      /** Why nothing can be stated, for people. */
      readonly reason: string;
      readonly misbehaviour?: MisbehaviourProof;
    };

function witnessKeys(keys: readonly string[]): VerifierKey[] {
  return keys.map((k) => {
    try {
      return parseCosignatureVerifierKey(k);
    } catch {
      throw new LintelError("bad-value", `Not a cosignature verifier key: ${k}`);
    }
  });
}

/** The deployment's zone as served: one this platform does not know is the service's fault. */
function servedTimeZone(zone: string): string {
  try {
    return checkTimeZone(zone);
  } catch {
    throw new LintelError(
      "deployment-incomplete",
      `The deployment's time zone ${JSON.stringify(zone)} is not one this device knows: name the zone to count months in.`,
    );
  }
}

/**
 * Verifies the service's log and reports it. Resolves `ok: false` when the log fails
 * verification or cannot be read; throws LintelError when the deployment cannot be fetched or
 * verified (`network`, a problem, `untrusted-deployment`…) and for a bad option (`bad-value`).
 */
export async function auditTransparency(options: TransparencyOptions): Promise<TransparencyAudit> {
  const witnesses = witnessKeys(options.witnesses ?? []);
  const quorum = options.quorum ?? witnesses.length;
  if (!Number.isInteger(quorum) || quorum < 0 || quorum > witnesses.length) {
    throw new LintelError("bad-value", `quorum must be 0 to ${witnesses.length}`);
  }
  if (options.timeZone !== undefined) checkTimeZone(options.timeZone);
  const deployment =
    options.deployment ??
    (await fetchDeployment(
      options.service,
      options.registryVerifierKey === undefined
        ? {}
        : { registryVerifierKey: options.registryVerifierKey },
    ));
  const timeZone = options.timeZone ?? servedTimeZone(deployment.timezone);
  const logKey = logVerifierKey(deployment);
  const registryKey = parseVerifierKey(deployment.registry.verifierKey).publicKey;
  // The record verified under the served registry key; a pinned key must be that one.
  if (options.registryKey && !constantTimeEqual(options.registryKey, registryKey)) {
    throw new LintelError(
      "untrusted-registry",
      "The service names another registry key than the one pinned.",
    );
  }
  const source = httpLogSource(serviceUrl(options.service, "/log").href, options.service.fetch);
  const auditOptions = {
    logKey,
    witnesses,
    quorum,
    entries: "lintel",
    registryKey,
    ...(options.now ? { now: options.now } : {}),
  } as const;
  const stored = options.store
    ? await auditWithStore(options.store, deployment.logOrigin, source, auditOptions)
    : undefined;
  const outcome = stored ? stored.outcome : await auditLog({ ...auditOptions, source });
  if (!outcome.ok) {
    return outcome.misbehaviour
      ? { ok: false, reason: outcome.reason, misbehaviour: outcome.misbehaviour }
      : { ok: false, reason: outcome.reason };
  }
  if (outcome.checkpoint.origin !== deployment.logOrigin) {
    return {
      ok: false,
      reason: `the log at this service is "${outcome.checkpoint.origin}", not "${deployment.logOrigin}"`,
    };
  }
  const report = transparencyReport(outcome, timeZone);
  if (outcome.checkpoint.size > 0n && report.deployment !== deployment.id) {
    return {
      ok: false,
      reason: `the log belongs to deployment "${report.deployment}", not "${deployment.id}"`,
    };
  }
  await stored?.commit();
  return { ok: true, report, cosigners: outcome.cosigners, checkpoint: outcome.state.checkpoint };
}
