/**
 * Invariant 5 in the deployment's own settings: the platform must not log requests for us.
 * Workers invocation logs would keep each request's URL and metadata beside its time. Every
 * role's worker (the main service, a trustee, a witness) is deployed from its own config.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { roleConfig, type WorkerRole } from "./lib/wrangler.ts";

const ROLES: readonly WorkerRole[] = ["main", "trustee", "witness"];

describe("the wrangler config of every role", () => {
  it.each(ROLES)("%s turns Workers invocation logs off and enables no tracing", (role) => {
    const toml = readFileSync(roleConfig(role), "utf8");
    expect(toml).toMatch(/^\[observability\.logs\]\nenabled = true\ninvocation_logs = false$/m);
    expect(toml).not.toMatch(/^\[observability\.traces\]/m);
  });
});
