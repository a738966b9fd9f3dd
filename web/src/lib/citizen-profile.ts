/**
 * The person's own details, remembered on this phone only so that the next check-in form is
 * already filled in — and only when they tick "Remember". Never sent anywhere: check-ins carry
 * them only inside ciphertexts, which the SDK builds from what is typed.
 *
 * Kept in localStorage (key {@link PROFILE_KEY}), not IndexedDB, on purpose:
 * - it is a few hundred bytes read once when the form is drawn, and localStorage is synchronous,
 *   so the form is filled before it is first shown (no flash of empty fields, no await);
 * - the SDK owns the "lintel" IndexedDB database and its list of stores (its upgrade creates
 *   exactly those); a page-owned store there would need its own version upgrades racing the
 *   SDK's, and a second database would add that machinery for one small record;
 * - both are per-origin storage with the same exposure (anyone who can run script on this origin
 *   or open the phone's browser profile can read either); neither is sent to the server.
 * Forgetting is one call ({@link forgetProfile}); the visits page offers it.
 */

/** One person's typed details. `idNumber` only where a venue asked for it. */
export interface PersonDetails {
  readonly name: string;
  readonly phone: string;
  readonly idNumber?: string;
}

export interface Profile {
  readonly self: PersonDetails;
  /** People who usually come along (family, children). */
  readonly companions: readonly PersonDetails[];
}

export const PROFILE_KEY = "lintel.citizen.profile.v1";

/** Generous caps on what is read back: the form's own limits are smaller. */
const MAX_TEXT = 200;
const MAX_COMPANIONS = 20;

function storage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined; // storage disabled (some privacy modes): nothing is remembered
  }
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.length <= MAX_TEXT ? value : undefined;
}

function person(value: unknown): PersonDetails | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const name = text(v.name);
  const phone = text(v.phone);
  const idNumber = text(v.idNumber);
  if (name === undefined || phone === undefined) return undefined;
  return { name, phone, ...(idNumber ? { idNumber } : {}) };
}

/** The remembered details, or undefined when none are kept (or what is kept is not ours). */
export function loadProfile(): Profile | undefined {
  const raw = storage()?.getItem(PROFILE_KEY);
  if (!raw) return undefined;
  try {
    return parseProfile(JSON.parse(raw));
  } catch {
    return undefined;
  }
}

/** Details as this module keeps them, from untrusted JSON (also a moved diary's); else undefined. */
export function parseProfile(value: unknown): Profile | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const parsed = value as Record<string, unknown>;
  const self = person(parsed.self);
  if (!self) return undefined;
  const companions = Array.isArray(parsed.companions)
    ? parsed.companions
        .slice(0, MAX_COMPANIONS)
        .map(person)
        .filter((c): c is PersonDetails => c !== undefined)
    : [];
  return { self, companions };
}

/** Remembers the details on this phone (replacing what was kept). */
export function saveProfile(profile: Profile): void {
  const trim = (p: PersonDetails): PersonDetails => ({
    name: p.name.trim(),
    phone: p.phone.trim(),
    ...(p.idNumber?.trim() ? { idNumber: p.idNumber.trim() } : {}),
  });
  try {
    storage()?.setItem(
      PROFILE_KEY,
      JSON.stringify({ self: trim(profile.self), companions: profile.companions.map(trim) }),
    );
  } catch {
    // Quota or a disabled storage: the check-in works without remembering.
  }
}

/** Forgets the remembered details. */
export function forgetProfile(): void {
  try {
    storage()?.removeItem(PROFILE_KEY);
  } catch {
    // nothing kept
  }
}
