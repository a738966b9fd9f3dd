/**
 * What `wrangler deploy` would upload for one role, without uploading it: `wrangler deploy
 * --dry-run --outdir … --metafile` with the role's config, then the bundle's size (raw and gzip,
 * as Cloudflare's limits count it) and the source files that put bytes into it (esbuild's
 * metafile). `scripts/deploy-bundles.test.ts` checks each role ships only what it needs.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { repoRoot } from "./paths.ts";
import { roleConfig, runWrangler, type WorkerRole } from "./wrangler.ts";

export interface RoleBundle {
  readonly role: WorkerRole;
  /** The bundled module's bytes, and gzipped (level 9). */
  readonly bytes: number;
  readonly gzipBytes: number;
  /** Repository-relative paths of the sources with bytes in the bundle (node_modules included). */
  readonly inputs: readonly string[];
  /** The names the bundle exports (Durable Object classes, `default`). */
  readonly exports: readonly string[];
  /** What wrangler printed: the bindings table and the asset upload line. */
  readonly output: string;
}

interface Metafile {
  readonly outputs: Record<
    string,
    {
      readonly entryPoint?: string;
      readonly exports: string[];
      readonly inputs: Record<string, { readonly bytesInOutput: number }>;
    }
  >;
}

export async function bundleRole(role: WorkerRole): Promise<RoleBundle> {
  // .tmp/ (git-ignored) is not in a clean clone until something makes it.
  mkdirSync(path.join(repoRoot, ".tmp"), { recursive: true });
  const dir = mkdtempSync(path.join(repoRoot, ".tmp", `bundle-${role}-`));
  try {
    const output = await runWrangler([
      "deploy",
      "--dry-run",
      "--config",
      roleConfig(role),
      "--outdir",
      dir,
      "--metafile",
      path.join(dir, "meta.json"),
    ]);
    const script = readdirSync(dir).find((f) => f.endsWith(".js"));
    if (!script) throw new Error(`wrangler wrote no bundle for ${role}: ${output}`);
    const code = readFileSync(path.join(dir, script));
    const meta = JSON.parse(readFileSync(path.join(dir, "meta.json"), "utf8")) as Metafile;
    const out = Object.values(meta.outputs).find((o) => o.entryPoint);
    if (!out) throw new Error(`no entry point in the metafile of ${role}`);
    return {
      role,
      bytes: code.length,
      gzipBytes: gzipSync(code, { level: 9 }).length,
      inputs: Object.entries(out.inputs)
        .filter(([, input]) => input.bytesInOutput > 0)
        .map(([p]) =>
          path
            .relative(repoRoot, path.resolve(path.dirname(roleConfig(role)), p))
            .replaceAll("\\", "/"),
        ),
      exports: [...out.exports].sort(),
      output,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
