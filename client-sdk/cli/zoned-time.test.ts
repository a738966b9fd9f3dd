import { afterEach, describe, expect, it } from "vitest";
import { formatTime, offsetAt, parseWallTime, readTime, zoneLabel } from "./zoned-time.ts";

const at = (iso: string) => Date.parse(iso) / 1000;
const machineZone = process.env.TZ;

afterEach(() => {
  if (machineZone === undefined) delete process.env.TZ;
  else process.env.TZ = machineZone;
});

describe("times on the command line", () => {
  it("keeps an explicit Z or offset, whatever zone the deployment has", () => {
    expect(readTime("2026-11-22T09:00Z", "--from", "Asia/Shanghai")).toEqual({
      seconds: at("2026-11-22T09:00:00Z"),
    });
    expect(readTime("2026-11-22T09:00-05:30", "--from", "Asia/Shanghai").seconds).toBe(
      at("2026-11-22T14:30:00Z"),
    );
    expect(readTime("2026-11-22T09:00:30+08:00", "--from", undefined).seconds).toBe(
      at("2026-11-22T01:00:30Z"),
    );
  });

  it("reads a time without a zone in the deployment's zone, not the machine's", () => {
    for (const tz of ["America/Los_Angeles", "UTC", "Pacific/Kiritimati"]) {
      process.env.TZ = tz;
      expect(readTime("2026-11-22T09:00", "--from", "Asia/Shanghai")).toEqual({
        seconds: at("2026-11-22T01:00:00Z"),
        readIn: "Asia/Shanghai",
      });
      expect(readTime("2026-07-01T09:00", "--from", "Europe/London").seconds).toBe(
        at("2026-07-01T08:00:00Z"),
      );
      expect(readTime("2026-12-01 09:00", "--from", "Europe/London").seconds).toBe(
        at("2026-12-01T09:00:00Z"),
      );
    }
  });

  it("refuses a zone-less time when the deployment names no zone, and times a zone skips or repeats", () => {
    expect(() => readTime("2026-11-22T09:00", "--from", undefined)).toThrow(
      /--from 2026-11-22T09:00 has no zone .*add Z or an offset/,
    );
    // 2026-03-08 02:30 does not exist in New York; 2026-11-01 01:30 happens twice.
    expect(() => readTime("2026-03-08T02:30", "--to", "America/New_York")).toThrow(
      /does not exist in America\/New_York/,
    );
    expect(() => readTime("2026-11-01T01:30", "--to", "America/New_York")).toThrow(/happens twice/);
    expect(readTime("2026-11-01T01:30-04:00", "--to", "America/New_York").seconds).toBe(
      at("2026-11-01T05:30:00Z"),
    );
  });

  it("refuses what is not a time, saying how to write one", () => {
    for (const bad of [
      "tomorrow",
      "2026-11-22",
      "2026-02-30T10:00Z",
      "2026-11-22T24:00Z",
      "1700000000",
    ]) {
      expect(() => parseWallTime(bad, "--from"), bad).toThrow(/--from .*(such as|exists)/);
    }
    expect(() => parseWallTime("2026-11-22T10:00+25:00", "--to")).toThrow(/no such UTC offset/);
  });

  it("writes times with the zone's offset at that instant", () => {
    const winter = at("2026-01-15T12:00:00Z");
    const summer = at("2026-07-15T12:00:00Z");
    expect(formatTime(winter, "Asia/Shanghai")).toBe("2026-01-15T20:00+08:00");
    expect(formatTime(winter, "America/New_York")).toBe("2026-01-15T07:00-05:00");
    expect(formatTime(summer, "America/New_York")).toBe("2026-07-15T08:00-04:00");
    expect(formatTime(winter + 5, undefined)).toBe("2026-01-15T12:00:05Z");
    expect(formatTime(winter, "Asia/Kolkata")).toBe("2026-01-15T17:30+05:30");
    expect(offsetAt(summer, "Europe/London")).toBe(60);
    expect(zoneLabel("Asia/Shanghai", winter)).toBe("Asia/Shanghai (UTC+08:00)");
    expect(zoneLabel(undefined, winter)).toBe("UTC");
  });
});
