import { describe, expect, it } from "vitest";
import {
  parseRegistryView,
  type RegistryView,
  registryHeadingId,
  registryViewSearch,
  registryViewTitle,
} from "./registry-router.ts";

describe("registry views and their URLs", () => {
  const views: RegistryView[] = [
    { kind: "queue" },
    { kind: "application", id: "v-abc_123" },
    { kind: "reports" },
    { kind: "export" },
    { kind: "people" },
  ];

  it("reads back every view it writes", () => {
    for (const view of views) expect(parseRegistryView(registryViewSearch(view))).toEqual(view);
  });

  it("writes the URLs the page documents", () => {
    expect(registryViewSearch({ kind: "queue" })).toBe("");
    expect(registryViewSearch({ kind: "application", id: "v-1" })).toBe("?application=v-1");
    expect(registryViewSearch({ kind: "reports" })).toBe("?view=reports");
    expect(registryViewSearch({ kind: "people" })).toBe("?view=people");
  });

  it("takes anything unknown or malformed as the queue", () => {
    expect(parseRegistryView("?view=accounts")).toEqual({ kind: "queue" });
    expect(parseRegistryView("?application=a%20b")).toEqual({ kind: "queue" });
    expect(parseRegistryView("?application=")).toEqual({ kind: "queue" });
  });

  it("names each view and its heading", () => {
    expect(
      registryViewTitle({ kind: "application", id: "v-1" }, { en: "Cafe", zh: "咖啡馆" }),
    ).toEqual({
      en: "Application: Cafe",
      zh: "申请：咖啡馆",
    });
    expect(views.map(registryHeadingId)).toEqual([
      "queue-heading",
      "detail-heading",
      "reports-heading",
      "export-heading",
      "people-heading",
    ]);
  });
});
