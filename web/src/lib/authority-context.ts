/**
 * What every part of the authority console needs: the deployment as the registry signed it (the
 * trustees and keys decryption relies on), the officer policy the service enforces, the signed-in
 * officer's device key as the SDK takes it, and times shown both in the deployment's zone and in
 * UTC (the log and the window are in UTC; people think in local time).
 */

import {
  type AuthorityDeployment,
  callRoute,
  fetchAuthorityDeployment,
  LintelError,
  loadDeviceKey,
  type OfficerOptions,
} from "@lintel/client-sdk";
import { citizenRoutes, type RouteAnswer } from "@lintel/contract";
import { localDate } from "./staff-time.ts";
import { formatTime } from "./ui.ts";

/** The deployment's limits on exposure queries, as the API contract declares them. */
export type OfficerPolicy = RouteAnswer<typeof citizenRoutes.deployment>["officerPolicy"];

/** GET /api/deployment's officerPolicy: shown to the officer; the service enforces it anyway. */
export async function fetchOfficerPolicy(): Promise<OfficerPolicy | null> {
  const answer = await callRoute({ baseUrl: location.origin }, citizenRoutes.deployment);
  return answer.officerPolicy;
}

let verified: Promise<AuthorityDeployment> | undefined;

/** The registry-signed deployment, verified once per page load (a failure is retried next time). */
export function authorityDeployment(): Promise<AuthorityDeployment> {
  verified ??= fetchAuthorityDeployment({ baseUrl: location.origin }).catch((e: unknown) => {
    verified = undefined;
    throw e;
  });
  return verified;
}

/** The officer device key kept under the "officer" role, as the SDK's signed calls take it. */
export async function officerOptions(deployment: string): Promise<OfficerOptions> {
  const key = await loadDeviceKey("officer");
  if (!key) throw new LintelError("session-expired", "This device is not signed in.");
  return { baseUrl: location.origin, deployment, key };
}

const HOUR = 3600;

/** "2026-05-01 14:00 Asia/Shanghai (06:00 UTC)": the zone's wall clock, then UTC. */
export function bothClocks(unixSeconds: number, timeZone: string): string {
  const utc = new Date(unixSeconds * 1000).toISOString();
  const utcText = `${utc.slice(0, 10)} ${utc.slice(11, 16)} UTC`;
  return `${formatTime(unixSeconds, timeZone)} ${timeZone} (${utcText})`;
}

/** "YYYY-MM-DD HH:MM" in `timeZone`, for a date-time wallClockField. */
export function localInputValue(unixSeconds: number, timeZone: string): string {
  return `${localDate(unixSeconds, timeZone)} ${formatTime(unixSeconds, timeZone).slice(11)}`;
}

export const floorHour = (t: number) => Math.floor(t / HOUR) * HOUR;
export const ceilHour = (t: number) => Math.ceil(t / HOUR) * HOUR;
