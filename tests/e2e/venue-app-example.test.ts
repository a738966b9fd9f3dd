/**
 * The venue-app example in client-sdk/examples runs as documented against the real service:
 * a check-in with a companion, really encrypted to the deployment's keys, then a check-out.
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, inject, it } from "vitest";

const base = inject("baseUrl");
const root = path.resolve(import.meta.dirname, "../..");

describe("client-sdk/examples/venue-app.ts", () => {
  it("checks a member and a companion in at a built-in entrance, and out again", async () => {
    const { stdout } = await promisify(execFile)(
      path.join(root, "node_modules/.bin/tsx"),
      ["client-sdk/examples/venue-app.ts", base, "hbr-east"],
      { cwd: root, timeout: 60_000 },
    );
    expect(stdout).toContain(
      "checked in: 海港公共图书馆 · 东门 (Harbour Public Library · East entrance), 2 people",
    );
    expect(stdout).toMatch(/checked out: \d+ slot\(s\) ahead deleted/);
  });
});
