import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import {
  applyOnce,
  classifyRun,
  countOccurrences,
  exitCodeFor,
  formatReport,
  selectMutations,
  type VitestJsonReport,
  validateLists,
} from "./lib/mutations.ts";
import type { Mutation } from "./mutations/types.ts";

const valid: Mutation = {
  id: "some-defence-removed",
  breaks: "the defence is gone",
  guards: ["6"],
  file: "worker/src/x.ts",
  find: "if (bad) throw e;",
  replace: "",
  project: "worker",
  tests: ["tests/worker/x.test.ts"],
};

describe("validating mutation lists", () => {
  it("accepts well-formed entries and keeps where each came from", () => {
    const { mutations, errors } = validateLists([{ source: "a.ts", exported: [valid] }]);
    expect(errors).toEqual([]);
    expect(mutations).toEqual([{ ...valid, source: "a.ts" }]);
  });

  it("refuses an id used twice, even across lists", () => {
    const { mutations, errors } = validateLists([
      { source: "a.ts", exported: [valid] },
      { source: "b.ts", exported: [{ ...valid, find: "other" }] },
    ]);
    expect(mutations).toHaveLength(1);
    expect(errors).toEqual(["b.ts[0]: id 'some-defence-removed' is already used in a.ts[0]"]);
  });

  it("refuses a list that does not export an array", () => {
    const { errors } = validateLists([{ source: "a.ts", exported: undefined }]);
    expect(errors).toEqual(["a.ts: does not export an array named 'mutations'"]);
  });

  it.each([
    ["id", { id: "Not Kebab" }],
    ["breaks", { breaks: " " }],
    ["guards", { guards: [] }],
    ["file", { file: "../outside.ts" }],
    ["file", { file: "/abs/path.ts" }],
    ["find", { find: "" }],
    ["replace", { replace: "if (bad) throw e;" }],
    ["project", { project: "browser" }],
    ["tests", { tests: [] }],
    ["tests", { tests: ["tests/../../x.test.ts"] }],
    ["testNamePattern", { testNamePattern: "" }],
  ])("refuses a bad %s", (field, change) => {
    const { mutations, errors } = validateLists([
      { source: "a.ts", exported: [{ ...valid, ...change }] },
    ]);
    expect(mutations).toEqual([]);
    expect(errors.join("\n")).toContain(field);
  });

  it("holds for the lists in scripts/mutations/", async () => {
    const dir = path.join(import.meta.dirname, "mutations");
    const files = readdirSync(dir).filter((f) => f.endsWith(".ts") && f !== "types.ts");
    const lists = await Promise.all(
      files.map(async (f) => ({
        source: f,
        exported: ((await import(pathToFileURL(path.join(dir, f)).href)) as { mutations?: unknown })
          .mutations,
      })),
    );
    const { mutations, errors } = validateLists(lists);
    expect(errors).toEqual([]);
    // A defence's code moves as the tree changes: a mutation whose text is gone tests nothing.
    const stale = mutations.filter((m) => {
      const text = readFileSync(path.join(import.meta.dirname, "..", m.file), "utf8");
      return countOccurrences(text, m.find) !== 1;
    });
    expect(stale.map((m) => `${m.id} (${m.file})`)).toEqual([]);
  });
});

describe("choosing mutations", () => {
  const all = [{ id: "a" }, { id: "b" }, { id: "c" }];

  it("runs all when none are named", () => {
    expect(selectMutations(all, [])).toEqual({ selected: all, unknown: [] });
  });

  it("runs the named ones once each and reports unknown names", () => {
    expect(selectMutations(all, ["c", "a", "c", "zz"])).toEqual({
      selected: [{ id: "c" }, { id: "a" }],
      unknown: ["zz"],
    });
  });
});

describe("applying a replacement", () => {
  it("replaces text that occurs exactly once", () => {
    expect(applyOnce("a; guard(); b;", "guard();", "")).toEqual({ ok: true, text: "a;  b;" });
  });

  it("refuses text that does not occur (stale)", () => {
    expect(applyOnce("a; b;", "guard();", "")).toEqual({ ok: false, occurrences: 0 });
  });

  it("refuses text that occurs more than once (ambiguous)", () => {
    expect(applyOnce("guard(); guard();", "guard();", "")).toEqual({ ok: false, occurrences: 2 });
  });

  it("treats the find text literally, not as a pattern", () => {
    expect(applyOnce("x.*y $& x", ".*", "!")).toEqual({ ok: true, text: "x!y $& x" });
    expect(applyOnce("a", "a", "$&$&")).toEqual({ ok: true, text: "$&$&" });
  });

  it("counts non-overlapping occurrences", () => {
    expect(countOccurrences("aaaa", "aa")).toBe(2);
    expect(countOccurrences("abc", "")).toBe(0);
  });
});

describe("judging a vitest run", () => {
  const report = (
    files: VitestJsonReport["testResults"],
    passed: number,
    failed: number,
  ): VitestJsonReport => ({
    numPassedTests: passed,
    numFailedTests: failed,
    numTotalTests: passed + failed,
    testResults: files,
  });

  it("is killed when a test failed", () => {
    const r = report(
      [
        {
          name: "t.test.ts",
          status: "failed",
          assertionResults: [
            { fullName: "guards it", status: "failed" },
            { fullName: "other", status: "passed" },
          ],
        },
      ],
      1,
      1,
    );
    expect(classifyRun(1, r)).toEqual({ status: "killed", detail: "failed: guards it" });
  });

  it("is killed, and says so, when the test file failed to load", () => {
    const r = report(
      [
        {
          name: "t.test.ts",
          status: "failed",
          message: "SyntaxError: x\nat y",
          assertionResults: [],
        },
      ],
      0,
      0,
    );
    expect(classifyRun(1, r)).toEqual({
      status: "killed",
      detail: "test file failed to load (not a failing assertion): SyntaxError: x",
    });
  });

  it("survives when every test passed", () => {
    const r = report(
      [{ name: "t.test.ts", status: "passed", assertionResults: [{ status: "passed" }] }],
      1,
      0,
    );
    expect(classifyRun(0, r).status).toBe("survived");
  });

  it("is an error when nothing ran or there is no report", () => {
    expect(classifyRun(1, undefined).status).toBe("error");
    expect(classifyRun(1, report([], 0, 0)).status).toBe("error");
  });

  it("fails the run unless every mutation was killed, and summarises", () => {
    const killed = { id: "a", status: "killed" as const, detail: "", seconds: 1 };
    expect(exitCodeFor([killed])).toBe(0);
    expect(exitCodeFor([killed, { ...killed, id: "b", status: "survived" }])).toBe(1);
    expect(exitCodeFor([killed, { ...killed, id: "b", status: "stale" }])).toBe(1);
    expect(formatReport([killed, { ...killed, id: "b", status: "stale" }])).toMatch(
      /mutations: 2 run, 1 killed, 0 survived, 1 stale, 0 error$/,
    );
  });
});
