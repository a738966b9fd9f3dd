import { describe, expect, it } from "vitest";
import { localDate, startOfLocalDay } from "./local-day.ts";

const utc = (iso: string) => new Date(iso);
const seconds = (iso: string) => Date.parse(iso) / 1000;

describe("the deployment's local day", () => {
  it("starts at local midnight, east and west of Greenwich", () => {
    // 09:30 and 01:00 in Shanghai on 21 November: the day began at 16:00 UTC the day before.
    expect(startOfLocalDay("Asia/Shanghai", utc("2026-11-21T01:30:00Z"))).toBe(
      seconds("2026-11-20T16:00:00Z"),
    );
    expect(startOfLocalDay("Asia/Shanghai", utc("2026-11-20T17:00:00Z"))).toBe(
      seconds("2026-11-20T16:00:00Z"),
    );
    // 22:00 on 14 January in New York is 03:00 UTC on the 15th.
    expect(startOfLocalDay("America/New_York", utc("2026-01-15T03:00:00Z"))).toBe(
      seconds("2026-01-14T05:00:00Z"),
    );
    expect(localDate("America/New_York", utc("2026-01-15T03:00:00Z"))).toBe("2026-01-14");
  });

  it("is the instant itself at local midnight", () => {
    expect(startOfLocalDay("Asia/Shanghai", utc("2026-11-20T16:00:00Z"))).toBe(
      seconds("2026-11-20T16:00:00Z"),
    );
  });
});
