/**
 * How long a device stays signed in. A device is a session: it ends when unused for the idle
 * limit, at its absolute lifetime (fixed at enrolment), or when signed out. Roles that can
 * approve venues or file queries get shorter limits than venue operators and staff.
 */
import type { AccountRole } from "../../env.ts";

const DAY = 86_400;

export const DEVICE_LIFETIMES: Readonly<
  Record<AccountRole, { readonly idleSeconds: number; readonly lifetimeSeconds: number }>
> = {
  registry: { idleSeconds: 3 * DAY, lifetimeSeconds: 30 * DAY },
  officer: { idleSeconds: 3 * DAY, lifetimeSeconds: 30 * DAY },
  auditor: { idleSeconds: 30 * DAY, lifetimeSeconds: 180 * DAY },
  operator: { idleSeconds: 30 * DAY, lifetimeSeconds: 180 * DAY },
  staff: { idleSeconds: 30 * DAY, lifetimeSeconds: 180 * DAY },
  // A kiosk screen runs unattended for months; it can do one thing, and the operator revokes it.
  kiosk: { idleSeconds: 30 * DAY, lifetimeSeconds: 180 * DAY },
};

export interface DeviceTimes {
  readonly role: AccountRole;
  readonly lastUsedAt: number;
  readonly expiresAt: number;
  readonly revokedAt: number | null;
}

/** The first second at which the device no longer signs in. */
export function deviceExpiry(d: DeviceTimes): number {
  if (d.revokedAt !== null) return Math.min(d.revokedAt, d.expiresAt);
  return Math.min(d.expiresAt, d.lastUsedAt + DEVICE_LIFETIMES[d.role].idleSeconds);
}
