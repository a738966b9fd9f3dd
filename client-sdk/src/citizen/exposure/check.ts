/**
 * "Did anyone read my visits?" — the citizen's exposure check (PROTOCOL.md §11.6).
 *
 * The device audits the deployment's public log itself (§10.6) and matches it against its own
 * diary, here, on the device. Nothing about the visits is sent anywhere: the only requests are
 * GET /api/deployment and the log's checkpoint, tiles and entry bundles, which are the same for
 * every auditor and every device, so the service cannot tell whose visits matched, or whether any
 * did. (It can see that this device checked, and when, as it sees any request.)
 *
 * Trust: the log's key is the one the registry-signed deployment record names (fetchDeployment
 * and logVerifierKey check it), the registry key is pinned for the log's first entry, and the
 * log must belong to the deployment the device checked in with. Witnesses count only when the
 * caller names them: the service's own list of witnesses is not signed by anyone.
 *
 * Cost: each check downloads the checkpoint and what changed at the right edge of the tree; the
 * full tiles and bundles seen before come from the store (audit/log-store.ts). The policy's state is
 * kept with the audit state, so only the new entries are replayed with their signatures checked
 * (the costly part: about 700 entries a second in Node); the older ones are only hashed against
 * their leaves and decoded for the match.
 *
 * A log that fails verification is a failure with its reason (and, for a fork or a rollback, the
 * signed evidence), never an empty report: "we could not check" must not read as "nobody looked".
 */
import {
  decodeEntry,
  isProtocolError,
  type MisbehaviourProof,
  parseCosignatureVerifierKey,
  parseVerifierKey,
  type VerifierKey,
} from "@lintel/protocol";
import { auditWithStore, type ExposureAuditStore } from "../../audit/log-store.ts";
import { httpLogSource } from "../../audit/source.ts";
import { fetchDeployment } from "../../deployment/index.ts";
import { LintelError } from "../../errors.ts";
import { type ServiceOptions, serviceUrl } from "../../http.ts";
import { type CitizenDeployment, logVerifierKey } from "../trust.ts";
import type { Visit } from "../visit.ts";
import { type ExposureReport, matchExposure } from "./match.ts";

export interface CheckExposureOptions {
  readonly service: ServiceOptions;
  /** The diary's visits (listVisits); visits of other deployments are ignored. */
  readonly visits: readonly Visit[];
  /** Where the audit state and the log's full tiles are kept between checks. */
  readonly store: ExposureAuditStore;
  /** A deployment already fetched with fetchDeployment; fetched (and verified) when absent. */
  readonly deployment?: CitizenDeployment;
  /** The registry's verifier key pinned by the app, for fetchDeployment. */
  readonly registryVerifierKey?: string;
  /** Trusted witnesses' cosignature/v1 verifier keys (C2SP text form). */
  readonly witnesses?: readonly string[];
  /** Cosignatures required, 0 … witnesses; default: every witness given. */
  readonly quorum?: number;
  readonly now?: Date;
}

export type ExposureCheck =
  | {
      readonly ok: true;
      readonly report: ExposureReport;
      /** Entries in the verified log. */
      readonly logSize: bigint;
      /** Entries added since the previous successful check. */
      readonly newEntries: bigint;
      /** Witnesses whose cosignatures counted. */
      readonly cosigners: readonly string[];
      /** Requests this check sent to the log. */
      readonly logRequests: number;
      /** The verified signed checkpoint, verbatim. */
      readonly checkpoint: string;
    }
  | {
      readonly ok: false;
      /** Why nothing can be said, for people. */
      readonly reason: string;
      /** For a log that forked or shrank: two signed checkpoints that prove it. Worth keeping. */
      readonly misbehaviour?: MisbehaviourProof;
    };

const failed = (reason: string, misbehaviour?: MisbehaviourProof): ExposureCheck =>
  misbehaviour ? { ok: false, reason, misbehaviour } : { ok: false, reason };

function parseWitnesses(keys: readonly string[]): VerifierKey[] {
  return keys.map((k) => {
    try {
      return parseCosignatureVerifierKey(k);
    } catch {
      throw new LintelError("bad-value", `Not a cosignature verifier key: ${k}`);
    }
  });
}

/**
 * Audits the log and matches it against `visits`. Resolves with a failure (never throws) when
 * the deployment or the log cannot be verified or reached; throws LintelError for a bad option
 * (a witness key that does not parse, a quorum out of range) and when the store fails.
 */
export async function checkExposure(options: CheckExposureOptions): Promise<ExposureCheck> {
  const witnesses = parseWitnesses(options.witnesses ?? []);
  const quorum = options.quorum ?? witnesses.length;
  if (!Number.isInteger(quorum) || quorum < 0 || quorum > witnesses.length) {
    throw new LintelError("bad-value", `quorum must be 0 to ${witnesses.length}`);
  }
  let deployment: CitizenDeployment;
  let logKey: VerifierKey;
  let registryKey: Uint8Array;
  try {
    deployment =
      options.deployment ??
      (await fetchDeployment(
        options.service,
        options.registryVerifierKey === undefined
          ? {}
          : { registryVerifierKey: options.registryVerifierKey },
      ));
    logKey = logVerifierKey(deployment);
    registryKey = parseVerifierKey(deployment.registry.verifierKey).publicKey;
  } catch (e) {
    if (!(e instanceof LintelError) && !isProtocolError(e)) throw e;
    return failed(`The deployment could not be verified: ${e.message}`);
  }

  const origin = deployment.logOrigin;
  const audit = await auditWithStore(
    options.store,
    origin,
    httpLogSource(serviceUrl(options.service, "/log").href, options.service.fetch),
    {
      logKey,
      witnesses,
      quorum,
      entries: "lintel",
      registryKey,
      ...(options.now ? { now: options.now } : {}),
    },
  );
  const { outcome } = audit;
  if (!outcome.ok)
    return failed(`The log could not be verified: ${outcome.reason}`, outcome.misbehaviour);
  if (outcome.checkpoint.origin !== origin) {
    return failed(`The log at this service is "${outcome.checkpoint.origin}", not "${origin}".`);
  }
  const entries = outcome.lintel?.entries;
  if (!entries) return failed("The log is not a Lintel log.");
  const first = entries[0];
  const name = first === undefined ? deployment.id : decodeEntry(first).entry.deployment;
  if (name !== deployment.id) {
    return failed(`The log belongs to deployment "${name}", not "${deployment.id}".`);
  }

  await audit.commit();
  return {
    ok: true,
    report: matchExposure(entries, options.visits),
    logSize: outcome.checkpoint.size,
    newEntries: outcome.newEntries,
    cosigners: outcome.cosigners,
    logRequests: audit.requests(),
    checkpoint: outcome.state.checkpoint,
  };
}
