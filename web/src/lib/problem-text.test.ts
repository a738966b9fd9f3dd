import { problemCatalogue } from "@lintel/contract";
import { describe, expect, it } from "vitest";
import {
  CLIENT_PROBLEM_TEXT,
  FALLBACK_PROBLEM_TEXT,
  problemText,
  SERVICE_PROBLEM_TEXT,
} from "./problem-text.ts";

const CJK = /[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/;

describe("problem sentences", () => {
  it("has one for every code the service can answer with", () => {
    for (const code of Object.keys(problemCatalogue)) {
      expect(problemText(code), code).not.toBe(FALLBACK_PROBLEM_TEXT);
    }
  });

  it("writes each in its own language: Chinese in zh, none in en", () => {
    const all = {
      ...SERVICE_PROBLEM_TEXT,
      ...CLIENT_PROBLEM_TEXT,
      fallback: FALLBACK_PROBLEM_TEXT,
    };
    for (const [code, text] of Object.entries(all)) {
      expect(text.zh, code).toMatch(CJK);
      expect(text.en, code).not.toMatch(CJK);
      expect(text.en.trim(), code).not.toBe("");
    }
  });

  it("falls back to a sentence that promises nothing for an unknown code", () => {
    expect(problemText("no-such-code")).toBe(FALLBACK_PROBLEM_TEXT);
  });
});
