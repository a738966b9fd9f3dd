/**
 * An officer's signed calls: the device key signs every request statement (PROTOCOL.md §6.1)
 * under the key name `<deployment>/device`, for the main service and for each trustee alike
 * (§11.3: the statement names the main deployment's id whichever service receives it).
 */
import { deviceKeyName } from "@lintel/protocol";
import type { DeviceKey } from "../auth/device-key.ts";
import type { SignedServiceOptions } from "../auth/signed-fetch.ts";
import type { ServiceOptions } from "../http.ts";

export interface OfficerOptions extends ServiceOptions {
  /** The deployment id (from the verified deployment record). */
  readonly deployment: string;
  readonly key: DeviceKey;
}

/** Signed options for the main service, or — with `baseUrl` — for another service (a trustee). */
export function signedOptions(officer: OfficerOptions, baseUrl?: string): SignedServiceOptions {
  return {
    baseUrl: baseUrl ?? officer.baseUrl,
    ...(officer.fetch ? { fetch: officer.fetch } : {}),
    deployment: officer.deployment,
    keyName: deviceKeyName(officer.deployment),
    key: officer.key,
  };
}
