/**
 * Discovering a deployment: its public settings, the registry's key, and the trustee keys —
 * each trustee key's proof of possession verified here, on the device, before anything is ever
 * encrypted to it. An unsigned server answer is not trusted for the trustee set itself; that
 * comes from registry-signed records. This check refuses a rogue key outright.
 */
import { decodeBase64url, verifyProofOfPossession } from "@lintel/protocol";
import { LintelError } from "../errors.ts";
import { getJson, type ServiceOptions } from "../http.ts";

export interface Localized {
  readonly en: string;
  readonly zh: string;
}

export interface TrusteeInfo {
  readonly id: string;
  readonly name: string;
  readonly url: string;
  readonly publicKey: string;
  readonly proofOfPossession: string;
}

export interface DeploymentInfo {
  readonly id: string;
  readonly role: "main" | "trustee" | "witness";
  readonly name: Localized;
  readonly timezone: string;
  readonly retentionDays: number;
  readonly slotMinutes: number;
  readonly logOrigin: string;
  readonly registry: {
    readonly id: string;
    readonly publicKey: string;
    readonly verifierKey: string;
  };
  readonly trustees: readonly TrusteeInfo[];
  readonly officers: ReadonlyArray<{
    readonly id: string;
    readonly label: string;
    readonly publicKey: string;
  }>;
  readonly auditors: ReadonlyArray<{
    readonly id: string;
    readonly label: string;
    readonly publicKey: string;
  }>;
}

type RawDeployment = Omit<DeploymentInfo, "registry" | "trustees"> & {
  registry: DeploymentInfo["registry"] | null;
  trustees: Array<
    Omit<TrusteeInfo, "publicKey" | "proofOfPossession"> & {
      publicKey: string | null;
      proofOfPossession: string | null;
    }
  >;
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
export async function fetchDeployment(options: ServiceOptions): Promise<DeploymentInfo> {
  const raw = await getJson<RawDeployment>(options, "/api/deployment");
  if (!raw.registry)
    throw new LintelError("deployment-incomplete", "The deployment has no registry key.");
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
  return { ...raw, registry: raw.registry, trustees };
}
