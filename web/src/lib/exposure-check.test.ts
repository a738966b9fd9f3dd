import { describe, expect, it } from "vitest";
import { exposureNotification, isPeriodicCheckMessage } from "./exposure-check.ts";
import type { NoticeState } from "./exposure-memory.ts";

const state = (kind: NoticeState["kind"], key: string): NoticeState => ({
  key,
  kind,
  notified: true,
  seen: false,
});

describe("the background check's notification", () => {
  it("is none when nothing is new", () => {
    expect(exposureNotification([], "en")).toBeUndefined();
  });

  it("is titled by the gravest finding, in the language asked for, with one tag", () => {
    const covered = state("covered", "covered:3:v1");
    const warning = state("warning", "warning:5:v1");
    expect(exposureNotification([covered], "en")?.title).toBe(
      "The health authority looked at one of your visits",
    );
    const both = exposureNotification([covered, warning], "zh");
    expect(both?.title).toBe("您的一次到访收到暴露提醒");
    expect(both?.options.body).toBe("请在本机打开“我的登记”，查看是哪次到访以及应当怎么做。");
    expect(both?.options.tag).toBe(exposureNotification([warning], "en")?.options.tag);
  });
});

describe("the service worker's message to the pages", () => {
  it("is recognised by its type, and nothing else is", () => {
    expect(isPeriodicCheckMessage({ type: "lintel-exposure-checked", unseen: [] })).toBe(true);
    expect(isPeriodicCheckMessage({ type: "other", unseen: [] })).toBe(false);
    expect(isPeriodicCheckMessage({ type: "lintel-exposure-checked" })).toBe(false);
    expect(isPeriodicCheckMessage(null)).toBe(false);
  });
});
