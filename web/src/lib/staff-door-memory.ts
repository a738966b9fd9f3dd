/**
 * The entrance a staff device last worked at, remembered in localStorage per deployment and
 * account, so that a reload (or the next shift on the same device) opens at the same door. It is
 * an entrance id, which every poster of that entrance carries anyway: nothing about anyone who
 * was checked in. Storage that refuses (private browsing, quota) only means nothing is
 * remembered.
 */

const PREFIX = "lintel.staff-door.v1";

function keyOf(deployment: string, accountId: string): string {
  return `${PREFIX}:${deployment}:${accountId}`;
}

/** The entrance id remembered for this account, if any. */
export function rememberedDoor(deployment: string, accountId: string): string | undefined {
  try {
    return localStorage.getItem(keyOf(deployment, accountId)) ?? undefined;
  } catch {
    return undefined;
  }
}

export function rememberDoor(deployment: string, accountId: string, entranceId: string): void {
  try {
    localStorage.setItem(keyOf(deployment, accountId), entranceId);
  } catch {
    // Not remembered: the next load opens at the first entrance in the operator's order.
  }
}
