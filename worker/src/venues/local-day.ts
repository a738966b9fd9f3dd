import { utcOffsetSeconds } from "@lintel/protocol";

/**
 * "Today" in the deployment's time zone, as Unix seconds: operators think in local days, the
 * database in UTC hours. The zone's offset now is taken for the whole day.
 */
export function startOfLocalDay(timeZone: string, now: Date): number {
  const t = Math.floor(now.getTime() / 1000);
  const offset = utcOffsetSeconds(t, timeZone);
  const wall = t + offset;
  return wall - (((wall % 86_400) + 86_400) % 86_400) - offset;
}

/** "YYYY-MM-DD" of `now` in the deployment's time zone: the day the word belongs to. */
export function localDate(timeZone: string, now: Date): string {
  return new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(now);
}
