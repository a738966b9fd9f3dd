/**
 * Runs the project's pinned wrangler for local work: migrations, SQL against the local D1 and
 * `wrangler dev`. Offline-safe: no metrics, no fetch of Request.cf data.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { inputStamp } from "./input-stamp.ts";
import { repoRoot } from "./paths.ts";
import { runCaptured } from "./run-captured.ts";

const WRANGLER = path.join(repoRoot, "node_modules/.bin/wrangler");

export function wranglerEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    CLOUDFLARE_CF_FETCH_ENABLED: "false",
    WRANGLER_SEND_METRICS: "false",
    // Wrangler otherwise tries to reach the network to check for updates.
    WRANGLER_UPDATE_CHECK: "false",
    NO_UPDATE_NOTIFIER: "1",
  };
}

function persistArgs(persistTo: string | undefined): string[] {
  return persistTo ? ["--persist-to", persistTo] : [];
}

/** Runs wrangler to completion; rejects with its output when it fails. */
export async function runWrangler(args: readonly string[]): Promise<string> {
  const { code, output } = await runCaptured(WRANGLER, args, { cwd: repoRoot, env: wranglerEnv() });
  if (code !== 0) {
    throw new Error(`wrangler ${args.slice(0, 3).join(" ")} failed (exit ${code}):\n${output}`);
  }
  return output;
}

/** The wrangler config of a role: wrangler.toml (the main service) or worker/roles/<role>.wrangler.toml. */
export type WorkerRole = "main" | "trustee" | "witness";

export function roleConfig(role: WorkerRole): string {
  return role === "main"
    ? path.join(repoRoot, "wrangler.toml")
    : path.join(repoRoot, "worker/roles", `${role}.wrangler.toml`);
}

function configArgs(config: string | undefined): string[] {
  return config ? ["--config", config] : [];
}

/** Where wrangler keeps local state when given no --persist-to. */
const defaultPersistTo = path.join(repoRoot, ".wrangler/state");
const MIGRATIONS_DIR = path.join(repoRoot, "worker/migrations");

/** The local D1 database files under a persist folder (miniflare names them by database id). */
function localDatabaseFiles(persistTo: string): string[] {
  const dir = path.join(persistTo, "v3/d1/miniflare-D1DatabaseObject");
  try {
    return readdirSync(dir)
      .filter((n) => n.endsWith(".sqlite") && n !== "metadata.sqlite")
      .sort();
  } catch {
    return [];
  }
}

/**
 * A record, beside the databases, that a step already ran on these inputs: valid while every
 * database file that existed after the step still exists (deleting the state runs it again).
 */
function localStepDone(persistTo: string, step: string, stamp: string): boolean {
  try {
    const [recorded, ...files] = readFileSync(path.join(persistTo, `.lintel-${step}`), "utf8")
      .trim()
      .split("\n");
    if (recorded !== stamp || files.length === 0) return false;
    const present = new Set(localDatabaseFiles(persistTo));
    return files.every((f) => present.has(f));
  } catch {
    return false;
  }
}

function recordLocalStep(persistTo: string, step: string, stamp: string): void {
  writeFileSync(
    path.join(persistTo, `.lintel-${step}`),
    `${[stamp, ...localDatabaseFiles(persistTo)].join("\n")}\n`,
  );
}

/**
 * Applies the migrations to a role's local D1 database, unless they were applied already from
 * exactly these migration files and config: each wrangler run costs seconds of CPU, and
 * `npm run dev` starts four databases on every start.
 */
export async function applyLocalMigrations(
  persistTo: string | undefined,
  role: WorkerRole = "main",
): Promise<string> {
  const folder = persistTo ?? defaultPersistTo;
  const step = `migrated-${role}`;
  const stamp = inputStamp({ paths: [MIGRATIONS_DIR, roleConfig(role)], extra: [role] });
  if (localStepDone(folder, step, stamp)) return "migrations: up to date";
  const output = await runWrangler([
    "d1",
    "migrations",
    "apply",
    "DB",
    "--local",
    ...persistArgs(persistTo),
    ...configArgs(roleConfig(role)),
  ]);
  recordLocalStep(folder, step, stamp);
  return output;
}

/**
 * Runs a SQL file against the main local D1 once per `stamp` (the inputs that decide its
 * statements), as {@link applyLocalMigrations} does for migrations.
 */
export async function executeLocalSqlFileOnce(
  file: string,
  persistTo: string | undefined,
  step: string,
  stamp: string,
): Promise<void> {
  const folder = persistTo ?? defaultPersistTo;
  if (localStepDone(folder, step, stamp)) return;
  await executeLocalSqlFile(file, persistTo);
  recordLocalStep(folder, step, stamp);
}

export function executeLocalSqlFile(file: string, persistTo: string | undefined): Promise<string> {
  return runWrangler(["d1", "execute", "DB", "--local", "--file", file, ...persistArgs(persistTo)]);
}

/** Runs one query against the local D1 and returns its rows. */
export async function queryLocal<T = Record<string, unknown>>(
  sql: string,
  persistTo: string | undefined,
): Promise<T[]> {
  const out = await runWrangler([
    "d1",
    "execute",
    "DB",
    "--local",
    "--json",
    "--command",
    sql,
    ...persistArgs(persistTo),
  ]);
  const start = out.indexOf("[");
  const parsed = JSON.parse(out.slice(start)) as Array<{ results: T[] }>;
  return parsed.flatMap((r) => r.results);
}

export interface DevServerOptions {
  readonly port: number;
  readonly persistTo: string | undefined;
  readonly envFile: string;
  readonly inspectorPort?: number;
  /**
   * Another wrangler config than wrangler.toml: a role's (`roleConfig("witness")`), or
   * `npm run retention`'s, without assets.
   */
  readonly config?: string;
}

export function spawnWranglerDev(options: DevServerOptions): ChildProcess {
  const args = [
    "dev",
    "--ip",
    "127.0.0.1",
    "--port",
    String(options.port),
    "--local",
    "--show-interactive-dev-session=false",
    "--env-file",
    options.envFile,
    ...persistArgs(options.persistTo),
    ...(options.inspectorPort ? ["--inspector-port", String(options.inspectorPort)] : []),
    ...configArgs(options.config),
  ];
  return spawn(WRANGLER, args, {
    cwd: repoRoot,
    env: wranglerEnv(),
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** Polls /healthz until it answers 200, the child exits, or the time runs out. */
export async function waitUntilHealthy(
  baseUrl: string,
  child: ChildProcess,
  timeoutMs = 180_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer yet";
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with code ${child.exitCode}`);
    try {
      const res = await fetch(`${baseUrl}/healthz`);
      if (res.status === 200) return;
      last = `${res.status} ${await res.text()}`;
    } catch (e) {
      last = e instanceof Error ? e.message : String(e);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`wrangler dev did not become healthy within ${timeoutMs} ms (last: ${last})`);
}
