import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { inputStamp, stampMatches, writeStamp } from "./input-stamp.ts";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "lintel-stamp-"));
  mkdirSync(path.join(dir, "src/deep"), { recursive: true });
  writeFileSync(path.join(dir, "src/a.ts"), "a");
  writeFileSync(path.join(dir, "src/deep/b.ts"), "b");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const stampOf = (extra: string[] = []) =>
  inputStamp({ paths: [path.join(dir, "src"), path.join(dir, "out.js")], extra });

describe("input stamps", () => {
  it("stay the same while nothing changes, and change with any byte, file, name or extra", () => {
    const first = stampOf();
    expect(stampOf()).toBe(first);
    writeFileSync(path.join(dir, "src/deep/b.ts"), "B");
    const edited = stampOf();
    expect(edited).not.toBe(first);
    writeFileSync(path.join(dir, "out.js"), "");
    const withOutput = stampOf();
    expect(withOutput).not.toBe(edited);
    rmSync(path.join(dir, "out.js"));
    expect(stampOf()).toBe(edited);
    writeFileSync(path.join(dir, "src/c.ts"), "");
    expect(stampOf()).not.toBe(edited);
    rmSync(path.join(dir, "src/c.ts"));
    expect(stampOf(["language=en"])).not.toBe(stampOf(["language=zh"]));
  });

  it("leave out excluded paths", () => {
    const without = inputStamp({
      paths: [path.join(dir, "src")],
      exclude: [path.join(dir, "src/deep")],
    });
    writeFileSync(path.join(dir, "src/deep/b.ts"), "changed");
    expect(
      inputStamp({ paths: [path.join(dir, "src")], exclude: [path.join(dir, "src/deep")] }),
    ).toBe(without);
  });

  it("match only the stamp written", () => {
    const file = path.join(dir, "stamps/web.stamp");
    expect(stampMatches(file, "x")).toBe(false);
    writeStamp(file, "x");
    expect(stampMatches(file, "x")).toBe(true);
    expect(stampMatches(file, "y")).toBe(false);
  });
});
