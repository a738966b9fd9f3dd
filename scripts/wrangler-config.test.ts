/**
 * Invariant 5 in the deployment's own settings: the platform must not log requests for us.
 * Workers invocation logs would keep each request's URL and metadata beside its time.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "./lib/paths.ts";

const toml = readFileSync(path.join(repoRoot, "wrangler.toml"), "utf8");

describe("wrangler.toml", () => {
  it("turns Workers invocation logs off and enables no tracing", () => {
    expect(toml).toMatch(/^\[observability\.logs\]\nenabled = true\ninvocation_logs = false$/m);
    expect(toml).not.toMatch(/^\[observability\.traces\]/m);
  });
});
