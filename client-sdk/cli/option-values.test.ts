import { describe, expect, it } from "vitest";
import { joinOptionValues } from "./option-values.ts";

const OPTIONS = {
  key: { type: "string" },
  state: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

describe("values that begin with a dash", () => {
  it("joins a string option to a value that begins with - or --", () => {
    expect(joinOptionValues(["verify", "--key", "-AbC", "--state", "s.json"], OPTIONS)).toEqual([
      "verify",
      "--key=-AbC",
      "--state",
      "s.json",
    ]);
    expect(joinOptionValues(["--key", "--xYz_9"], OPTIONS)).toEqual(["--key=--xYz_9"]);
  });

  it("leaves a missing value missing: the next option is not taken as one", () => {
    for (const next of ["--state", "--state=s.json", "--json", "-h", "--"]) {
      expect(joinOptionValues(["--key", next], OPTIONS)).toEqual(["--key", next]);
    }
    expect(joinOptionValues(["--json", "-AbC"], OPTIONS)).toEqual(["--json", "-AbC"]);
  });
});

describe("the CLIs, given a key that begins with a dash", () => {
  it("lintel-audit reads it as the key, not as an unknown option", async () => {
    const { runCli } = await import("./lintel-audit.ts");
    const { output } = await runCli([
      "verify",
      "--log",
      "http://127.0.0.1:9/log",
      "--key",
      "-not+a+key",
      "--state",
      "state.json",
    ]);
    expect(output).not.toMatch(/ambiguous/);
    expect(output).toMatch(/--key/);
  });
});
