import { describe, expect, it } from "vitest";
import { utcOffsetSeconds } from "./zone.ts";

describe("utcOffsetSeconds", () => {
  it("reads fixed and daylight-saving zones at the instant given", () => {
    const winter = Date.UTC(2026, 0, 15, 12) / 1000;
    const summer = Date.UTC(2026, 6, 15, 12) / 1000;
    expect(utcOffsetSeconds(winter, "Asia/Shanghai")).toBe(8 * 3600);
    expect(utcOffsetSeconds(summer, "Asia/Shanghai")).toBe(8 * 3600);
    expect(utcOffsetSeconds(winter, "Europe/London")).toBe(0);
    expect(utcOffsetSeconds(summer, "Europe/London")).toBe(3600);
    expect(utcOffsetSeconds(winter, "America/New_York")).toBe(-5 * 3600);
    expect(utcOffsetSeconds(summer, "Asia/Kolkata")).toBe(5.5 * 3600);
    expect(utcOffsetSeconds(winter, "UTC")).toBe(0);
  });

  it("changes exactly at a clock change, and ignores fractions of a second", () => {
    // Europe/London went to summer time at 01:00 UTC on 29 March 2026.
    const change = Date.UTC(2026, 2, 29, 1) / 1000;
    expect(utcOffsetSeconds(change - 1, "Europe/London")).toBe(0);
    expect(utcOffsetSeconds(change, "Europe/London")).toBe(3600);
    expect(utcOffsetSeconds(change - 0.5, "Europe/London")).toBe(0);
  });

  it("refuses a zone the platform does not know", () => {
    expect(() => utcOffsetSeconds(0, "Mars/Olympus_Mons")).toThrow(RangeError);
  });
});
