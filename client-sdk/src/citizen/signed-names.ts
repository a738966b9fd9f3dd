/**
 * The venue and entrance names a device keeps with a visit or a queued check-in: what the
 * registry signed in the venue code, in both languages (PROTOCOL.md §3.1).
 *
 * Diaries and queues kept before codes carried both languages hold one text per name (the code's
 * only text). Such a text is kept as the name in both languages rather than dropped: a visit the
 * device forgot could no longer be matched against a warning.
 */
import type { Localized } from "@lintel/contract";

export function isSignedName(value: unknown): value is Localized {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.zh === "string" && typeof v.en === "string";
}

function upgradeName(value: unknown): unknown {
  return typeof value === "string" ? { zh: value, en: value } : value;
}

/** A stored record with its names in today's form; anything else comes back as it was. */
export function withSignedNames(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  const v = value as Record<string, unknown>;
  if (typeof v.venueName !== "string" && typeof v.entranceName !== "string") return value;
  return { ...v, venueName: upgradeName(v.venueName), entranceName: upgradeName(v.entranceName) };
}
