/**
 * UTC offsets of IANA time zones, from the platform's own zone data (Intl), so daylight-saving
 * rules come with it and nothing is bundled. Deployments run in one named zone
 * (`LINTEL_DEPLOYMENT.timezone`): operators' days, staff's paper lists and officers' windows are
 * written in it, while everything stored and signed is in UTC seconds.
 *
 *   offset(t, zone) = wall(t, zone) − t, with wall(t, zone) the zone's wall-clock reading of the
 *   instant t, taken as if it were UTC. East of Greenwich is positive.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    // Throws a RangeError for a zone the platform does not know.
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Seconds east of UTC that `timeZone` is at the instant `unixSeconds` (whole seconds). */
export function utcOffsetSeconds(unixSeconds: number, timeZone: string): number {
  const t = Math.floor(unixSeconds);
  const parts = formatterFor(timeZone).formatToParts(t * 1000);
  const get = (type: Intl.DateTimeFormatPartTypes) =>
    Number(parts.find((p) => p.type === type)?.value ?? "0");
  const wall = Date.UTC(
    get("year"),
    get("month") - 1,
    get("day"),
    get("hour"),
    get("minute"),
    get("second"),
  );
  return wall / 1000 - t;
}
