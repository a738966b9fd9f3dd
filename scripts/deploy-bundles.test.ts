/**
 * Each role deploys as its own worker with only what it needs (DEPLOY.md): `wrangler deploy
 * --dry-run` of the main service, a trustee and a witness must succeed, and the trustee's and the
 * witness's bundles and configs must carry none of the service's pages, fonts, R2 bucket,
 * check-in storage, log writer or retention Cron trigger. No bundle may carry zod's other locales.
 * The sizes are in BENCHMARKS.md.
 */

import { beforeAll, describe, expect, it } from "vitest";
import { unstable_readConfig } from "wrangler";
import { bundleRole, type RoleBundle } from "./lib/deploy-bundle.ts";
import { roleConfig, type WorkerRole } from "./lib/wrangler.ts";

/** A dry run bundles with esbuild and reads the config: seconds on a busy machine, not minutes. */
const BUILD_TIMEOUT = 240_000;

const ROLES: readonly WorkerRole[] = ["main", "trustee", "witness"];

/** Sources only the main service needs: its pages' API, venues, check-ins, log writer, retention. */
const MAIN_ONLY = [
  "worker/src/app.ts",
  "worker/src/routes/health.ts",
  "worker/src/routes/checkins.ts",
  "worker/src/routes/applications.ts",
  "worker/src/routes/registry.ts",
  "worker/src/venues/",
  "worker/src/checkins/",
  "worker/src/log/",
  "worker/src/retention/",
  "worker/src/accounts/",
];

/** The parts of wrangler's resolved config checked here (its own types need workers-types). */
interface RoleConfig {
  readonly main: string | undefined;
  readonly assets: { readonly directory?: string } | undefined;
  readonly r2_buckets: ReadonlyArray<{ readonly binding: string }>;
  readonly d1_databases: ReadonlyArray<{ readonly binding: string }>;
  readonly durable_objects: {
    readonly bindings: ReadonlyArray<{ readonly name: string; readonly class_name: string }>;
  };
  readonly triggers: { readonly crons?: readonly string[] };
  readonly vars: Readonly<Record<string, unknown>>;
}

const config = (role: WorkerRole): RoleConfig =>
  unstable_readConfig({ config: roleConfig(role) }) as RoleConfig;
const bundles = new Map<WorkerRole, RoleBundle>();
const bundle = (role: WorkerRole) => bundles.get(role)!;
const holding = (b: RoleBundle, prefixes: readonly string[]) =>
  b.inputs.filter((i) => prefixes.some((p) => i.startsWith(p)));

describe("wrangler deploy --dry-run of every role", () => {
  beforeAll(async () => {
    // One after another: three esbuild runs at once would only compete for the same cores.
    for (const role of ROLES) bundles.set(role, await bundleRole(role));
    console.info(
      ROLES.map((r) => `${r}: ${bundle(r).bytes} bytes, ${bundle(r).gzipBytes} gzip`).join("; "),
    );
  }, BUILD_TIMEOUT);

  it("bundles the main service with its pages, R2, three Durable Objects and retention", () => {
    const c = config("main");
    expect(c.main).toMatch(/worker\/src\/entry\/main\.ts$/);
    expect(c.assets?.directory).toBe("web/public");
    expect(c.r2_buckets.map((b) => b.binding)).toEqual(["DOCUMENTS"]);
    expect(c.triggers.crons ?? []).toHaveLength(1);
    expect(bundle("main").exports).toEqual(["CheckinStore", "LogWriter", "RateLimiter", "default"]);
    expect(bundle("main").output).toMatch(/files from the assets directory/);
    expect(holding(bundle("main"), MAIN_ONLY).length).toBeGreaterThan(20);
    // The service does not carry the other roles' code.
    expect(holding(bundle("main"), ["worker/src/trustee/", "worker/src/witness/"])).toEqual([]);
  });

  it("bundles a trustee with its release API, D1 and rate limiter only", () => {
    const c = config("trustee");
    expect(c.main).toMatch(/worker\/src\/entry\/trustee\.ts$/);
    expect(c.assets).toBeUndefined();
    expect(c.r2_buckets).toEqual([]);
    expect(c.durable_objects.bindings.map((b) => b.class_name)).toEqual(["RateLimiter"]);
    expect(c.d1_databases.map((d) => d.binding)).toEqual(["DB"]);
    // Its nonce sweep, not retention.
    expect(c.triggers.crons ?? []).toHaveLength(1);
    const b = bundle("trustee");
    expect(b.exports).toEqual(["RateLimiter", "default"]);
    expect(b.output).not.toMatch(/assets directory|R2 Bucket/);
    expect(holding(b, ["worker/src/trustee/release.ts"])).toHaveLength(1);
    expect(holding(b, [...MAIN_ONLY, "worker/src/witness/"])).toEqual([]);
  });

  it("bundles a witness with add-checkpoint and D1 only: no Durable Objects, no Cron", () => {
    const c = config("witness");
    expect(c.main).toMatch(/worker\/src\/entry\/witness\.ts$/);
    expect(c.assets).toBeUndefined();
    expect(c.r2_buckets).toEqual([]);
    expect(c.durable_objects.bindings).toEqual([]);
    expect(c.triggers.crons ?? []).toEqual([]);
    const b = bundle("witness");
    expect(b.exports).toEqual(["default"]);
    expect(b.output).not.toMatch(/assets directory|R2 Bucket|Durable Object/);
    expect(holding(b, ["worker/src/witness/add-checkpoint.ts"])).toHaveLength(1);
    expect(holding(b, [...MAIN_ONLY, "worker/src/trustee/", "worker/src/rate-limit/"])).toEqual([]);
  });

  it("binds in a trustee and a witness only what the service binds, as the service binds it", () => {
    // The shared code is typed by the service's generated Env (worker/src/env.ts): a role's
    // binding of another kind or class under the same name would slip past the type checker.
    const main = config("main");
    for (const role of ["trustee", "witness"] as const) {
      const c = config(role);
      for (const d of c.d1_databases)
        expect(
          main.d1_databases.map((m) => m.binding),
          role,
        ).toContain(d.binding);
      for (const o of c.durable_objects.bindings)
        expect(main.durable_objects.bindings, role).toContainEqual(o);
      expect(Object.keys(c.vars), role).toEqual(Object.keys(main.vars));
    }
  });

  it("carries zod's English messages only, not its other locales", () => {
    for (const role of ROLES) {
      const locales = holding(bundle(role), ["node_modules/zod/v4/locales/"]);
      expect(locales, role).toEqual(["node_modules/zod/v4/locales/en.js"]);
    }
  });

  it("keeps every bundle well under the Workers size limit (3 MiB gzip on the free plan)", () => {
    for (const role of ROLES) expect(bundle(role).gzipBytes, role).toBeLessThan(1024 * 1024);
  });
});
