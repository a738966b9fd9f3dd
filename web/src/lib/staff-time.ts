/**
 * Wall-clock times in the deployment's time zone, for what staff read off a paper list ("14:05
 * yesterday") and for what the door shows ("checked in at 14:05"). The browser's own time zone
 * plays no part: a paper list was written in the venue's local time.
 */

import { utcOffsetSeconds as offsetAt } from "@lintel/protocol";

/** "YYYY-MM-DD" of `unixSeconds` in `timeZone`. */
export function localDate(unixSeconds: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).formatToParts(new Date(unixSeconds * 1000));
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value;
  return `${get("year")}-${get("month")}-${get("day")}`;
}

/** "HH:MM" of `unixSeconds` in `timeZone`. */
export function localClock(unixSeconds: number, timeZone: string): string {
  return new Intl.DateTimeFormat("en-GB", {
    timeZone,
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(new Date(unixSeconds * 1000));
}

/**
 * Unix seconds of the local date "YYYY-MM-DD" and time "HH:MM" in `timeZone`, or null when
 * either is malformed. A time that a clock change skips or repeats resolves to one of the
 * instants it could mean.
 */
export function zonedToUnix(date: string, time: string, timeZone: string): number | null {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^(\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?$/.exec(time);
  if (!d || !t) return null;
  const [hour, minute] = [Number(t[1]), Number(t[2])];
  if (hour > 23 || minute > 59) return null;
  const wall = Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]), hour, minute) / 1000;
  if (!Number.isFinite(wall)) return null;
  // First guess with the offset at the wall time read as UTC, then once more at the result.
  let guess = wall - offsetAt(wall, timeZone);
  guess = wall - offsetAt(guess, timeZone);
  return guess;
}
