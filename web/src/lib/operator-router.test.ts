import { describe, expect, it } from "vitest";
import {
  type OperatorView,
  operatorViewSearch,
  operatorViewTitle,
  parseOperatorView,
  settleVenueTab,
  venueTabs,
} from "./operator-router.ts";

describe("operator views and their URLs", () => {
  const views: OperatorView[] = [
    { kind: "venues" },
    { kind: "new" },
    { kind: "devices" },
    { kind: "venue", venue: "v-abc123", tab: "application" },
    { kind: "venue", venue: "v-abc123", tab: "entrances" },
    { kind: "venue", venue: "v-abc123", tab: "staff" },
    { kind: "venue", venue: "v-abc123", tab: "today" },
  ];

  it("reads back every view it writes", () => {
    for (const view of views) expect(parseOperatorView(operatorViewSearch(view))).toEqual(view);
  });

  it("writes the URLs the page documents", () => {
    expect(operatorViewSearch({ kind: "venues" })).toBe("");
    expect(operatorViewSearch({ kind: "devices" })).toBe("?view=devices");
    expect(operatorViewSearch({ kind: "venue", venue: "v-1", tab: "application" })).toBe(
      "?venue=v-1",
    );
    expect(operatorViewSearch({ kind: "venue", venue: "v-1", tab: "staff" })).toBe(
      "?venue=v-1&view=staff",
    );
  });

  it("takes an unknown view of a venue as its application, and anything else as the list", () => {
    expect(parseOperatorView("?venue=v-1&view=secrets")).toEqual({
      kind: "venue",
      venue: "v-1",
      tab: "application",
    });
    expect(parseOperatorView("?view=staff")).toEqual({ kind: "venues" });
    expect(parseOperatorView("?venue=%3Cscript%3E")).toEqual({ kind: "venues" });
    expect(parseOperatorView("?venue=")).toEqual({ kind: "venues" });
    expect(parseOperatorView("")).toEqual({ kind: "venues" });
  });

  it("gives only an approved venue its codes, staff, counts and records requests", () => {
    expect(venueTabs("approved")).toEqual([
      "application",
      "entrances",
      "staff",
      "today",
      "requests",
    ]);
    for (const status of ["draft", "submitted", "rejected"])
      expect(venueTabs(status)).toEqual(["application"]);
    const staff: OperatorView = { kind: "venue", venue: "v-1", tab: "staff" };
    expect(settleVenueTab(staff, "approved")).toEqual(staff);
    expect(settleVenueTab(staff, "submitted")).toEqual({ ...staff, tab: "application" });
  });

  it("names the view and the venue in the title", () => {
    expect(operatorViewTitle({ kind: "devices" }).en).toBe("Your devices");
    expect(
      operatorViewTitle(
        { kind: "venue", venue: "v-1", tab: "today" },
        { en: "Cafe", zh: "咖啡馆" },
      ),
    ).toEqual({ en: "Today: Cafe", zh: "今日：咖啡馆" });
  });
});
