/**
 * Discovering a deployment: its public settings, the registry's key, and the trustee keys —
 * each trustee key's proof of possession verified here, on the device, before anything is ever
 * encrypted to it, and the trustee set, log key and receipt key checked against the
 * registry-signed deployment record (PROTOCOL.md §6.4).
 */

import { citizenRoutes, type RouteAnswer } from "@lintel/contract";
import {
  type DeploymentRecord,
  decodeBase64url,
  encodeBase64url,
  isProtocolError,
  parseVerifierKey,
  verifyDeploymentRecord,
  verifyProofOfPossession,
} from "@lintel/protocol";
import { LintelError } from "../errors.ts";
import { callRoute, type ServiceOptions } from "../http.ts";

export type { Localized } from "@lintel/contract";

/** GET /api/deployment as the API contract declares it, before any check. */
type RawDeployment = RouteAnswer<typeof citizenRoutes.deployment>;
type RawTrustee = RawDeployment["trustees"][number];

/** A trustee whose key's proof of possession verified. */
export type TrusteeInfo = Omit<RawTrustee, "publicKey" | "proofOfPossession"> & {
  readonly publicKey: string;
  readonly proofOfPossession: string;
};

/**
 * The deployment once checked: a registry key, and every trustee key proven. (The answer's
 * other members stay on the object; readers that need them check them, see citizen/trust.ts.)
 */
export type DeploymentInfo = Pick<
  RawDeployment,
  | "id"
  | "role"
  | "name"
  | "timezone"
  | "contact"
  | "retentionDays"
  | "slotMinutes"
  | "logOrigin"
  | "officers"
  | "auditors"
> & {
  readonly registry: NonNullable<RawDeployment["registry"]>;
  readonly trustees: readonly TrusteeInfo[];
};

function trusteeKeyValid(t: RawDeployment["trustees"][number]): boolean {
  if (!t.publicKey || !t.proofOfPossession) return false;
  try {
    return verifyProofOfPossession(
      decodeBase64url(t.publicKey),
      decodeBase64url(t.proofOfPossession),
    );
  } catch {
    return false;
  }
}

/** Fetches the deployment and verifies every trustee key; throws a LintelError otherwise. */
export interface FetchDeploymentOptions {
  /**
   * The registry's C2SP verifier key, pinned by the app (recommended): the answer must name this
   * key, and the deployment record must be signed by it. Without it the registry key of the
   * answer is used, which is as trustworthy as the origin that served this code.
   */
  readonly registryVerifierKey?: string;
}

/**
 * GET /api/deployment, checked on the device: the registry-signed deployment record (§6.4) is
 * verified, every trustee's proof of possession too, and the answer's trustee keys, log key and
 * receipt key must be exactly the record's — so nothing this code returns for encryption rests on
 * an unsigned answer alone.
 */
export async function fetchDeployment(
  options: ServiceOptions,
  trust: FetchDeploymentOptions = {},
): Promise<DeploymentInfo> {
  const raw = await callRoute(options, citizenRoutes.deployment);
  if (!raw.registry)
    throw new LintelError("deployment-incomplete", "The deployment has no registry key.");
  const registryKey = registryPublicKey(raw.registry, trust.registryVerifierKey);
  const trustees: TrusteeInfo[] = [];
  for (const t of raw.trustees) {
    if (!trusteeKeyValid(t)) {
      throw new LintelError(
        "untrusted-trustee-key",
        `Trustee ${t.id} has no valid proof of possession.`,
      );
    }
    trustees.push({ ...t, publicKey: t.publicKey!, proofOfPossession: t.proofOfPossession! });
  }
  checkAgainstRecord(raw, trustees, registryKey);
  return { ...raw, registry: raw.registry, trustees };
}

function registryPublicKey(registry: DeploymentInfo["registry"], pinned?: string): Uint8Array {
  try {
    const served = parseVerifierKey(registry.verifierKey);
    if (
      pinned !== undefined &&
      parseVerifierKey(pinned).publicKey.join() !== served.publicKey.join()
    ) {
      throw new LintelError(
        "untrusted-registry",
        "The service names another registry key than the one pinned.",
      );
    }
    return served.publicKey;
  } catch (e) {
    if (e instanceof LintelError) throw e;
    throw new LintelError("deployment-incomplete", "The deployment's registry key is malformed.");
  }
}

function checkAgainstRecord(
  raw: RawDeployment,
  trustees: readonly TrusteeInfo[],
  registryKey: Uint8Array,
): void {
  if (!raw.record) {
    throw new LintelError("deployment-incomplete", "The deployment has no registry-signed record.");
  }
  let record: DeploymentRecord;
  try {
    record = verifyDeploymentRecord(decodeBase64url(raw.record), registryKey, raw.id);
  } catch (e) {
    throw new LintelError(
      "untrusted-deployment",
      `The deployment record does not verify (${isProtocolError(e) ? e.code : "malformed"}).`,
    );
  }
  const served = [...trustees].map((t) => `${t.id}:${t.publicKey}:${t.proofOfPossession}`).sort();
  const signed = record.trustees
    .map((t) => `${t.id}:${encodeBase64url(t.publicKey)}:${encodeBase64url(t.proofOfPossession)}`)
    .sort();
  // A key the answer leaves out (null: the service has none configured) is simply not offered
  // (the SDK then refuses what needs it); a key it names must be the signed one.
  const sameKey = (text: string | null | undefined, key: Uint8Array) => {
    if (text === undefined || text === null) return true;
    if (!text) return false;
    try {
      return parseVerifierKey(text).publicKey.join() === key.join();
    } catch {
      return false;
    }
  };
  const sameRaw = (text: string | null | undefined, key: Uint8Array) =>
    text === undefined || text === encodeBase64url(key);
  if (
    served.join() !== signed.join() ||
    !sameKey(raw.log?.verifierKey, record.logKey) ||
    !sameKey(raw.receipt?.verifierKey, record.receiptKey) ||
    !sameRaw(raw.authority?.boxPublicKey, record.authorityBoxKey)
  ) {
    throw new LintelError(
      "untrusted-deployment",
      "The trustee, log, receipt or authority keys served differ from the registry-signed record.",
    );
  }
}
