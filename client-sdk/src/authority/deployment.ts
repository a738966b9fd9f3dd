/**
 * What the authority trusts, from the registry-signed deployment record (PROTOCOL.md §6.4):
 * the trustees in the record's order (the share order of §4.3), the log key, and the box key
 * citizen cards are sealed to. GET /api/deployment is only the carrier: the record is verified
 * here under the registry key (pinned by the caller, or else the one served), and the served
 * conveniences are used only where they cannot change what is decrypted — the trustees' URLs
 * (a wrong URL can only fail to answer: every partial key is checked against the signed key) and
 * the witnesses' keys (they can only add cosignatures to count).
 */

import { citizenRoutes, type RouteAnswer } from "@lintel/contract";
import {
  constantTimeEqual,
  type DeploymentRecord,
  decodeBase64url,
  isProtocolError,
  type KeyShare,
  parseCosignatureVerifierKey,
  parseVerifierKey,
  type VerifierKey,
  verifyDeploymentRecord,
} from "@lintel/protocol";
import { LintelError } from "../errors.ts";
import { callRoute, type ServiceOptions } from "../http.ts";

export interface AuthorityTrustee extends KeyShare {
  readonly id: string;
  /** Where its release endpoint lives (`<url>/release`), without a trailing slash. */
  readonly url: string;
}

export interface AuthorityDeployment {
  /** The deployment id: statements and entries name it. */
  readonly id: string;
  readonly registryKey: Uint8Array;
  /** The log's verifier key: its name is the log's origin, its key the record's `logKey`. */
  readonly logKey: VerifierKey;
  /** The witnesses the service names (cosignature/v1 keys); used only to count cosignatures. */
  readonly witnesses: readonly VerifierKey[];
  readonly authorityBoxKey: Uint8Array;
  /** In the record's order: the share order of every master key (§4.3). */
  readonly trustees: readonly AuthorityTrustee[];
  readonly record: DeploymentRecord;
  /**
   * The deployment's IANA time zone as served (not signed): for showing times and reading times
   * typed without a zone, the way the console does. Absent when the service names none or an
   * unknown one.
   */
  readonly timezone?: string;
}

export interface AuthorityTrust {
  /** The registry's 32-byte Ed25519 public key, pinned by the app (recommended). */
  readonly registryKey?: Uint8Array;
}

/** GET /api/deployment as the API contract declares it. */
type RawAnswer = RouteAnswer<typeof citizenRoutes.deployment>;

const untrusted = (message: string) => new LintelError("untrusted-deployment", message);

function servedRegistryKey(raw: RawAnswer): Uint8Array {
  const text = raw.registry?.verifierKey;
  if (typeof text !== "string")
    throw new LintelError("deployment-incomplete", "The deployment has no registry key.");
  try {
    return parseVerifierKey(text).publicKey;
  } catch {
    throw new LintelError("deployment-incomplete", "The deployment's registry key is malformed.");
  }
}

function servedWitnesses(raw: RawAnswer): VerifierKey[] {
  const out: VerifierKey[] = [];
  for (const w of raw.log?.witnesses ?? []) {
    if (typeof w.verifierKey !== "string") continue;
    try {
      out.push(parseCosignatureVerifierKey(w.verifierKey));
    } catch {
      // A witness key that does not parse cannot cosign anything we count; leave it out.
    }
  }
  return out;
}

function servedTimeZone(raw: RawAnswer): string | undefined {
  if (typeof raw.timezone !== "string") return undefined;
  try {
    new Intl.DateTimeFormat("en", { timeZone: raw.timezone });
    return raw.timezone;
  } catch {
    return undefined;
  }
}

/** GET /api/deployment, believed only as far as the registry signed it. */
export async function fetchAuthorityDeployment(
  service: ServiceOptions,
  trust: AuthorityTrust = {},
): Promise<AuthorityDeployment> {
  const raw = await callRoute(service, citizenRoutes.deployment);
  if (typeof raw.id !== "string" || typeof raw.record !== "string") {
    throw new LintelError("deployment-incomplete", "The deployment has no registry-signed record.");
  }
  const served = servedRegistryKey(raw);
  if (trust.registryKey && !constantTimeEqual(trust.registryKey, served)) {
    throw new LintelError(
      "untrusted-registry",
      "The service names another registry key than the one pinned.",
    );
  }
  const registryKey = trust.registryKey ?? served;
  let record: DeploymentRecord;
  try {
    record = verifyDeploymentRecord(decodeBase64url(raw.record), registryKey, raw.id);
  } catch (e) {
    throw untrusted(
      `The deployment record does not verify (${isProtocolError(e) ? e.code : "malformed"}).`,
    );
  }
  let logKey: VerifierKey;
  try {
    logKey = parseVerifierKey(String(raw.log?.verifierKey));
  } catch {
    throw new LintelError("deployment-incomplete", "The deployment names no log verifier key.");
  }
  if (!constantTimeEqual(logKey.publicKey, record.logKey)) {
    throw untrusted("The log key served differs from the registry-signed record.");
  }
  const urls = new Map<string, string>();
  for (const t of raw.trustees ?? []) {
    if (typeof t.id === "string" && typeof t.url === "string") urls.set(t.id, t.url);
  }
  const trustees = record.trustees.map((t) => {
    const url = urls.get(t.id);
    if (!url || !/^https?:\/\//.test(url)) {
      throw new LintelError("deployment-incomplete", `Trustee ${t.id} has no release URL.`);
    }
    return {
      id: t.id,
      url: url.replace(/\/+$/, ""),
      publicKey: t.publicKey,
      proofOfPossession: t.proofOfPossession,
    };
  });
  const timezone = servedTimeZone(raw);
  return {
    id: record.deployment,
    registryKey,
    logKey,
    witnesses: servedWitnesses(raw),
    authorityBoxKey: record.authorityBoxKey,
    trustees,
    record,
    ...(timezone ? { timezone } : {}),
  };
}
