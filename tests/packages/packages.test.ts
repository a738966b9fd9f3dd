/**
 * The published packages as an outsider gets them: the build (scripts/build-packages.ts), `npm
 * pack` of every workspace package, and an install of those tarballs alone into a fresh project
 * outside the repository (third-party dependencies from npm's cache, which the repository's own
 * install filled). Then the consumer files in consumer/ use them from plain Node, from a Node
 * bundle, from a browser bundle in Chromium, and from TypeScript; and the CLIs run from `bin`.
 */
import { execFile } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { build } from "esbuild";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  buildPackages,
  exportTargets,
  type WorkspacePackage,
} from "../../scripts/build-packages.ts";
import { repoRoot } from "../../scripts/lib/paths.ts";
import { guardedContext, launchChromium } from "../support/browser.ts";

const run = promisify(execFile);

/** The child's environment without the npm_* variables of an enclosing `npm test`. */
const cleanEnv = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith("npm_")),
);

interface PackResult {
  readonly name: string;
  readonly filename: string;
  readonly files: ReadonlyArray<{ readonly path: string }>;
}

/** What consumer/scenario.js returns. */
interface ScenarioResult {
  readonly error?: string;
  readonly note: { readonly text: string; readonly verified: number };
  readonly slots: number;
  readonly threads: number;
  readonly outcomes: ReadonlyArray<Record<string, unknown>>;
}

let work: string;
let app: string;
let packages: WorkspacePackage[];
let packed: PackResult[];

beforeAll(async () => {
  packages = buildPackages();
  work = mkdtempSync(path.join(tmpdir(), "lintel-packages-"));
  const { stdout } = await run(
    "npm",
    [
      "pack",
      "--json",
      "--ignore-scripts",
      "--pack-destination",
      work,
      ...packages.flatMap((p) => ["-w", p.folder]),
    ],
    { cwd: repoRoot, env: cleanEnv, maxBuffer: 64 * 1024 * 1024 },
  );
  packed = JSON.parse(stdout) as PackResult[];
  app = path.join(work, "app");
  mkdirSync(app);
  writeFileSync(
    path.join(app, "package.json"),
    JSON.stringify({ name: "lintel-consumer", private: true, type: "module" }),
  );
  cpSync(path.join(import.meta.dirname, "consumer"), app, { recursive: true });
  await run(
    "npm",
    [
      "install",
      "--prefer-offline",
      "--no-audit",
      "--no-fund",
      ...packed.map((p) => path.join(work, p.filename)),
    ],
    { cwd: app, env: cleanEnv, maxBuffer: 64 * 1024 * 1024 },
  );
}, 600_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

function expectDecrypted(result: ScenarioResult, threads: number): void {
  expect(result.error).toBeUndefined();
  expect(result.note).toEqual({ text: "example.test/log\n1\nroot\n", verified: 1 });
  expect(result.slots).toBe(1);
  expect(result.threads).toBe(threads);
  expect(result.outcomes).toEqual([
    { ok: true, name: "陳大文 Chan Tai Man", phone: "+852 5123 4567", companions: 1 },
    { ok: false, code: "decryption-failed" },
  ]);
}

describe("the packed packages", () => {
  it("carry the build, the docs and the licence, and no tests", () => {
    expect(packed.map((p) => p.name).sort()).toEqual(packages.map((p) => p.name).sort());
    const license = readFileSync(path.join(repoRoot, "LICENSE"), "utf8");
    expect(license).toMatch(/Apache License\s+Version 2\.0, January 2004/);
    expect(license).toContain("END OF TERMS AND CONDITIONS");
    for (const pkg of packages) {
      const files = packed.find((p) => p.name === pkg.name)!.files.map((f) => f.path);
      expect(files.filter((f) => /\.test\.|(^|\/)testing\/|test-log/.test(f))).toEqual([]);
      for (const doc of ["package.json", "README.md", "CHANGELOG.md", "LICENSE", "SECURITY.md"])
        expect(files).toContain(doc);
      const named = [
        ...Object.values(pkg.exports).flatMap(exportTargets),
        ...Object.values(pkg.bin),
      ];
      for (const file of named) expect(files).toContain(path.posix.normalize(file));
      // The installed copy is the packed one: the licence is the repository's, in full.
      const installed = path.join(app, "node_modules", pkg.name);
      expect(readFileSync(path.join(installed, "LICENSE"), "utf8")).toBe(license);
    }
    // Nothing in the consumer project can load TypeScript: what runs below is the built JS.
    expect(existsSync(path.join(app, "node_modules/tsx"))).toBe(false);
  });

  it("work from plain Node: sign and open a note, decrypt in the SDK's worker threads", async () => {
    const { stdout } = await run(process.execPath, ["node-app.js"], { cwd: app, env: cleanEnv });
    expectDecrypted(JSON.parse(stdout) as ScenarioResult, 2);
  });

  it("work bundled into one Node file: the pool still finds its worker thread", async () => {
    await build({
      entryPoints: [path.join(app, "node-app.js")],
      outfile: path.join(app, "bundle/app.js"),
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      // CommonJS dependencies (libsodium-wrappers, qrcode) call require() inside an ES module.
      banner: {
        js: 'import { createRequire } from "node:module"; const require = createRequire(import.meta.url);',
      },
      logLevel: "error",
    });
    const { stdout } = await run(process.execPath, ["bundle/app.js"], { cwd: app, env: cleanEnv });
    expectDecrypted(JSON.parse(stdout) as ScenarioResult, 2);
  });

  describe("in a browser bundle", () => {
    let browser: Browser;
    let server: Server;
    beforeAll(async () => {
      browser = await launchChromium();
    }, 120_000);
    afterAll(async () => {
      await browser?.close();
      server?.close();
    });

    it("decrypt in the SDK's Web Workers, in Chromium", async () => {
      const www = path.join(app, "www");
      await build({
        entryPoints: [path.join(app, "browser-page.js"), path.join(app, "decrypt-worker.js")],
        outdir: www,
        bundle: true,
        platform: "browser",
        format: "esm",
        target: "chrome110",
        logLevel: "error",
      });
      writeFileSync(
        path.join(www, "index.html"),
        '<!doctype html><meta charset="utf-8"><title>consumer</title><script type="module" src="./browser-page.js"></script>',
      );
      server = createServer((req, res) => {
        const name = path.basename(new URL(req.url ?? "/", "http://x").pathname) || "index.html";
        const file = path.join(www, name);
        if (!existsSync(file)) return void res.writeHead(404).end();
        const type = name.endsWith(".html") ? "text/html" : "text/javascript";
        res.writeHead(200, { "content-type": `${type}; charset=utf-8` }).end(readFileSync(file));
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      const { port } = server.address() as AddressInfo;
      const { context, foreignRequests } = await guardedContext(browser);
      const page = await context.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      await page.goto(`http://127.0.0.1:${port}/index.html`);
      const handle = await page.waitForFunction(
        () => (globalThis as { lintelResult?: unknown }).lintelResult,
        undefined,
        { timeout: 180_000 },
      );
      expectDecrypted((await handle.jsonValue()) as ScenarioResult, 2);
      expect(errors).toEqual([]);
      expect(foreignRequests).toEqual([]);
      await context.close();
    });
  });

  it.each(["bundler", "node16"])(
    "type-check in a TypeScript project with moduleResolution %s",
    async (resolution) => {
      const config = path.join(app, `tsconfig.${resolution}.json`);
      writeFileSync(
        config,
        JSON.stringify({
          compilerOptions: {
            target: "ES2022",
            module: resolution === "bundler" ? "ESNext" : "Node16",
            moduleResolution: resolution,
            lib: ["ES2022", "DOM"],
            types: [],
            strict: true,
            skipLibCheck: false,
            noEmit: true,
          },
          files: ["consumer.ts"],
        }),
      );
      const tsc = path.join(repoRoot, "node_modules/.bin/tsc");
      const result = await run(tsc, ["-p", config], { cwd: app, env: cleanEnv }).catch(
        (e: { stdout?: string; code?: number }) => ({ stdout: e.stdout ?? "", code: e.code }),
      );
      expect(result.stdout).toBe("");
    },
  );

  it("install the CLIs as bins that run", async () => {
    const bin = (name: string) => path.join(app, "node_modules/.bin", name);
    const authority = await run(bin("lintel-authority"), ["--help"], { cwd: app, env: cleanEnv });
    expect(`${authority.stdout}${authority.stderr}`).toMatch(/^usage: lintel-authority <command>/);
    // lintel-audit has no --help: it answers any wrong command line with its usage and exit 2.
    const audit = await run(bin("lintel-audit"), ["--help"], { cwd: app, env: cleanEnv }).catch(
      (e: { stdout: string; stderr: string; code: number }) => e,
    );
    expect("code" in audit ? audit.code : 0).not.toBe(1);
    expect(`${audit.stdout}${audit.stderr}`).toMatch(/usage: lintel-audit verify --log/);
  });
});
