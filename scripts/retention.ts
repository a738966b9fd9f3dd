/**
 * `npm run retention -- [--now <ISO date>]` — runs the worker's real scheduled handler (the hourly
 * Cron trigger: retention and upkeep, worker/src/retention/cron.ts) once against the local demo
 * deployment's state, as Cloudflare's Cron would.
 *
 * How: a `wrangler dev` of the main service on a free port, with the same name, bindings, secrets
 * (.dev.vars) and local state (--persist-to) as `npm run dev`, but from a config without
 * `[assets]` (scripts/lib/retention-config.ts says why); then one request to the local runtime's
 * `/cdn-cgi/handler/scheduled`, which dispatches a scheduled event to the worker; then it stops.
 *
 * `--now` sets the event's `scheduledTime`, the only clock retention reads, so a later date can be
 * simulated: `--now 2027-01-01T00:30:00Z` shreds every day that has left retention by then. Only
 * this local endpoint can set it; a deployed worker has no such endpoint, and its scheduled time
 * is Cloudflare's. The date must not be in the past.
 *
 * Run it while `npm run dev` is stopped: two local runtimes must not share one state directory
 * (each keeps the log's position in memory). It refuses while npm run dev's marker
 * (scripts/lib/dev-marker.ts) names a live process.
 *
 * Settings: LINTEL_HOME (as for npm run dev).
 */
import { existsSync, rmSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { runningDev } from "./lib/dev-marker.ts";
import { localPaths, repoRoot } from "./lib/paths.ts";
import { freePort } from "./lib/ports.ts";
import { writeRetentionConfig } from "./lib/retention-config.ts";
import { spawnWranglerDev, waitUntilHealthy } from "./lib/wrangler.ts";

/** The cron of wrangler.toml's [triggers]: what Cloudflare passes to the handler. */
const CRON = "7 * * * *";

export function parseNow(value: string | undefined, clock = Date.now()): number {
  if (value === undefined) return clock;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new Error(`--now: not a date: ${value}`);
  // A minute of slack for the time it takes to type; retention never runs backwards.
  if (ms < clock - 60_000) throw new Error("--now: the date is in the past");
  return ms;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { now: { type: "string" } } });
  const scheduledTime = parseNow(values.now);
  const paths = localPaths();
  if (!existsSync(paths.devVars)) {
    throw new Error(
      `no local deployment (${paths.devVars} is missing): run npm run dev once first`,
    );
  }
  const dev = runningDev(paths.devMarker);
  if (dev) {
    throw new Error(
      `npm run dev is running (pid ${dev.pid}, port ${dev.port}): stop it first (two local runtimes must not share one state)`,
    );
  }
  const config = writeRetentionConfig();
  const taken = new Set<number>();
  const port = await freePort(taken);
  taken.add(port);
  const inspectorPort = await freePort(taken);
  const child = spawnWranglerDev({
    port,
    inspectorPort,
    // wrangler's default state folder is relative to the config: name npm run dev's explicitly.
    persistTo: paths.persistTo ?? path.join(repoRoot, ".wrangler/state"),
    envFile: paths.devVars,
    config: config.file,
  });
  let output = "";
  child.stdout?.on("data", (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on("data", (d: Buffer) => {
    output += d.toString();
  });
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  try {
    const base = `http://127.0.0.1:${port}`;
    await waitUntilHealthy(base, child);
    console.log(
      `lintel: running the scheduled handler at ${new Date(scheduledTime).toISOString()}…`,
    );
    const url = `${base}/cdn-cgi/handler/scheduled?cron=${encodeURIComponent(CRON)}&time=${scheduledTime}`;
    const res = await fetch(url);
    const outcome = (await res.text()).trim();
    // The handler's own summary line (retention/cron.ts) says the run went through to the end;
    // the outcome alone may be "ok" before work it left to waitUntil has failed.
    const deadline = Date.now() + 30_000;
    while (!/retention: cutoff/.test(output) && child.exitCode === null && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
    }
    for (const line of output.split("\n")) {
      if (/retention|error|✘/i.test(line)) console.log(`  ${line.trim()}`);
    }
    if (res.status !== 200 || outcome !== "ok" || !/retention: cutoff/.test(output)) {
      throw new Error(`the scheduled handler answered ${res.status} ${outcome}:\n${output}`);
    }
    console.log("lintel: the scheduled handler ran (outcome ok)");
  } finally {
    if (child.exitCode === null) child.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (child.exitCode === null) child.kill("SIGKILL");
    rmSync(config.dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(`lintel retention: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
