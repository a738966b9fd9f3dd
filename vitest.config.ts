/**
 * One vitest run, four projects:
 *   unit    — protocol/, contract/, client-sdk/, scripts/ and web/src's pure modules in Node
 *   worker  — the worker inside workerd (vitest-pool-workers) against a real local D1, R2 and
 *             Durable Objects, migrated by tests/worker/setup.ts
 *   e2e     — `npm run dev` started for real in a temporary LINTEL_HOME, driven over HTTP and
 *             through Debian's Chromium
 *   packages — the publishable packages built, packed and installed into a fresh project, then
 *             used from Node, a browser bundle in Chromium, TypeScript and their CLIs
 *
 * Timeouts are generous on purpose: most tests do pairings and signatures in pure JavaScript, and
 * `npm test` must pass on a busy 2-core machine, where that can be ten times slower (a unit test
 * that took 4 s beside two CPU burners took 58 s beside several test runs). A timeout here
 * catches a hang; no test asserts speed (BENCHMARKS.md measures it).
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

const root = import.meta.dirname;
/** Fixed, public test secrets for the worker project (never used outside tests). */
const testSeed = (label: string) =>
  createHash("sha256").update(`lintel worker test ${label}`).digest("base64url");
/**
 * The workspace packages from source: tsconfig.base.json's `paths` map each entry point to its
 * `.ts` file (their package.json `exports` name the published build in `dist/`, absent in a clean
 * clone). Every project sets this: an inline project does not inherit the root's `resolve`.
 * `tsconfigPaths` applies a tsconfig's paths only to files that tsconfig includes, and the
 * worker's excludes its test files, so the same map is given as exact aliases too.
 */
const basePaths = (
  JSON.parse(readFileSync(path.join(root, "tsconfig.base.json"), "utf8")) as {
    compilerOptions: { paths: Record<string, [string]> };
  }
).compilerOptions.paths;
const resolve = {
  tsconfigPaths: true,
  alias: Object.entries(basePaths).map(([name, [target]]) => ({
    find: new RegExp(`^${name.replace(/[/.]/g, "\\$&")}$`),
    replacement: path.join(root, target),
  })),
};

export default defineConfig({
  test: {
    projects: [
      {
        resolve,
        test: {
          name: "unit",
          environment: "node",
          testTimeout: 180_000,
          hookTimeout: 180_000,
          include: [
            "protocol/src/**/*.test.ts",
            "protocol/vectors/**/*.test.ts",
            "contract/src/**/*.test.ts",
            "client-sdk/src/**/*.test.ts",
            "client-sdk/cli/**/*.test.ts",
            "client-sdk/examples/**/*.test.ts",
            "scripts/**/*.test.ts",
            "web/src/**/*.test.ts",
          ],
        },
      },
      {
        resolve,
        plugins: [
          cloudflareTest(async () => ({
            main: path.join(root, "worker/src/entry/main.ts"),
            wrangler: { configPath: path.join(root, "wrangler.toml") },
            miniflare: {
              bindings: {
                TEST_MIGRATIONS: await readD1Migrations(path.join(root, "worker/migrations")),
                REGISTRY_SIGNING_KEY: testSeed("registry"),
                LOG_SIGNING_KEY: testSeed("log"),
                DATA_KEY: testSeed("data"),
                RECEIPT_SIGNING_KEY: testSeed("receipt"),
                LINTEL_AUTHORITY_BOX_KEY: testSeed("authority box"),
                // Empty means unset: the trustees at wrangler.toml's URLs, no witness. Pinned
                // here because wrangler also reads the .dev.vars that `npm run dev` writes, whose
                // ports would otherwise change what these tests see.
                LINTEL_TRUSTEE_URLS: "",
                LINTEL_WITNESSES: "",
              },
            },
          })),
        ],
        test: {
          name: "worker",
          include: ["worker/src/**/*.test.ts", "tests/worker/**/*.test.ts"],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          setupFiles: ["./tests/worker/setup.ts"],
        },
      },
      {
        resolve,
        test: {
          name: "e2e",
          environment: "node",
          include: ["tests/e2e/**/*.test.ts"],
          globalSetup: ["./tests/e2e/global-setup.ts"],
          // Files that start their own dev server give their hooks DEV_SERVER_HOOK_MS
          // (scripts/lib/dev-server.ts); the shared one is started by global-setup.ts.
          testTimeout: 600_000,
          hookTimeout: 600_000,
          // expect.poll waits 1 s by default: too short for a page that signs or encrypts on a
          // busy machine. Three minutes, as PAGE_WAIT_MS gives Playwright (tests/support/browser.ts).
          expect: { poll: { timeout: 180_000 } },
          fileParallelism: false,
        },
      },
      {
        resolve,
        test: {
          name: "packages",
          environment: "node",
          include: ["tests/packages/**/*.test.ts"],
          // A build, npm pack and npm install, then Chromium: minutes on a busy machine.
          testTimeout: 300_000,
          hookTimeout: 600_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
