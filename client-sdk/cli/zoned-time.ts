/**
 * Times on a command line, read and written with their zone. An officer's "09:00" means the
 * deployment's 09:00 — the console reads its time fields in the deployment's zone — so a time
 * typed without `Z` or `±hh:mm` is read in that zone and the answer says so. The machine's own
 * zone is never used: the same command must mean the same window on every laptop.
 */

import { utcOffsetSeconds } from "@lintel/protocol";

const SYNTAX =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d{1,3})?([Zz]|[+-]\d{2}:\d{2})?$/;

export interface WallTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  /** Minutes east of UTC when the text names its zone. */
  readonly offsetMinutes?: number;
}

/** Thrown for a time that cannot be read; the message says how to write one. */
export class TimeSyntaxError extends Error {}

const EXAMPLE =
  "2026-11-21T10:00+08:00, 2026-11-21T02:00Z, or 2026-11-21T10:00 in the deployment's zone";

/** The text's parts, checked for syntax and range; no zone is applied yet. */
export function parseWallTime(text: string, flag: string): WallTime {
  const m = SYNTAX.exec(text.trim());
  if (!m)
    throw new TimeSyntaxError(`${flag} ${JSON.stringify(text)} is not a time such as ${EXAMPLE}`);
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map((x) => Number(x ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const probe = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  if (
    probe.getUTCFullYear() !== year ||
    probe.getUTCMonth() !== month - 1 ||
    probe.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    throw new TimeSyntaxError(`${flag} ${text} is not a date and time that exists`);
  }
  const zone = m[7];
  if (zone === undefined) return { year, month, day, hour, minute, second };
  if (/^[Zz]$/.test(zone)) return { year, month, day, hour, minute, second, offsetMinutes: 0 };
  const sign = zone.startsWith("-") ? -1 : 1;
  const [h, min] = zone.slice(1).split(":").map(Number) as [number, number];
  if (h > 23 || min > 59) throw new TimeSyntaxError(`${flag} ${text} has no such UTC offset`);
  return { year, month, day, hour, minute, second, offsetMinutes: sign * (h * 60 + min) };
}

/** The wall clock of `timeZone` at the instant `ms`. */
function partsIn(ms: number, timeZone: string): WallTime {
  const s = Math.floor(ms / 1000);
  const wall = new Date((s + utcOffsetSeconds(s, timeZone)) * 1000);
  return {
    year: wall.getUTCFullYear(),
    month: wall.getUTCMonth() + 1,
    day: wall.getUTCDate(),
    hour: wall.getUTCHours(),
    minute: wall.getUTCMinutes(),
    second: wall.getUTCSeconds(),
  };
}

const wallUtc = (w: WallTime) => Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);

/** Minutes east of UTC that `timeZone` is at the instant `seconds`. */
export function offsetAt(seconds: number, timeZone: string): number {
  return Math.round(utcOffsetSeconds(seconds, timeZone) / 60);
}

export interface ReadTime {
  /** Unix seconds. */
  readonly seconds: number;
  /** The IANA zone the text was read in; absent when the text named its own offset. */
  readonly readIn?: string;
}

/**
 * Unix seconds for `text`: its own offset when it has one, else the wall time in `timeZone`.
 * A wall time the zone skips or repeats (a daylight-saving change) is refused: only an offset
 * says which one is meant.
 */
export function readTime(text: string, flag: string, timeZone: string | undefined): ReadTime {
  const w = parseWallTime(text, flag);
  if (w.offsetMinutes !== undefined) {
    return { seconds: Math.floor((wallUtc(w) - w.offsetMinutes * 60_000) / 1000) };
  }
  if (!timeZone) {
    throw new TimeSyntaxError(
      `${flag} ${text} has no zone and the service names no time zone: add Z or an offset such as +08:00`,
    );
  }
  const asUtc = wallUtc(w) / 1000;
  // Any instant within a day of the wall time has one of the offsets that can apply to it.
  const candidates = new Set(
    [asUtc - 86_400, asUtc, asUtc + 86_400].map((s) => asUtc - offsetAt(s, timeZone) * 60),
  );
  const matching = [...candidates].filter(
    (s) => wallUtc(partsIn(s * 1000, timeZone)) === wallUtc(w),
  );
  if (matching.length !== 1) {
    throw new TimeSyntaxError(
      `${flag} ${text} ${matching.length === 0 ? "does not exist" : "happens twice"} in ${timeZone}: give an offset such as ${text}+08:00`,
    );
  }
  return { seconds: matching[0]!, readIn: timeZone };
}

const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, "0");

function offsetText(minutes: number): string {
  if (minutes === 0) return "Z";
  return `${minutes < 0 ? "-" : "+"}${pad(Math.floor(Math.abs(minutes) / 60))}:${pad(Math.abs(minutes) % 60)}`;
}

/**
 * ISO 8601 with the offset of `timeZone` at that instant (UTC, `Z`, without a zone), to the
 * minute unless seconds are set: 2026-11-22T09:00+08:00.
 */
export function formatTime(seconds: number, timeZone?: string): string {
  const offset = timeZone ? offsetAt(seconds, timeZone) : 0;
  const w = partsIn((seconds + offset * 60) * 1000, "UTC");
  const secs = w.second ? `:${pad(w.second)}` : "";
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}${secs}${offsetText(offset)}`;
}

/** "Asia/Shanghai (UTC+08:00)" at `seconds`, for saying which zone times are shown in. */
export function zoneLabel(timeZone: string | undefined, seconds: number): string {
  if (!timeZone) return "UTC";
  const offset = offsetAt(seconds, timeZone);
  return `${timeZone} (UTC${offset === 0 ? "" : offsetText(offset)})`;
}
