/**
 * Starts `npm run dev` (scripts/dev.ts) for real in its own LINTEL_HOME and port, exactly as a
 * developer would, and stops it with its whole process group.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "./paths.ts";
import { freePort } from "./ports.ts";

export { freePort };

export interface DevServer {
  readonly baseUrl: string;
  readonly home: string;
  readonly output: () => string;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * How long `npm run dev` may take to say it is running. It builds the pages, migrates and seeds,
 * then starts four wrangler dev instances one after another (each allowed waitUntilHealthy's
 * 180 s): a few minutes on a busy machine. The limit is there to catch a hang, never slowness.
 */
export const DEV_SERVER_START_MS = 600_000;
/** For a test hook that starts a dev server and then prepares a little more (a browser, a venue). */
export const DEV_SERVER_HOOK_MS = DEV_SERVER_START_MS + 300_000;

/**
 * Live (not zombie) processes of process group `pgid`. dev.ts may exit before the wrangler and
 * workerd processes it started, which stay in its group: a retry must not start while they still
 * hold the home directory's databases. Read from /proc where there is one (a zombie left to a
 * non-reaping PID 1 would otherwise count as alive); elsewhere, whether signal 0 reaches the group.
 */
function groupAlive(pgid: number): boolean {
  try {
    const pids = readdirSync("/proc").filter((d) => /^\d+$/.test(d));
    return pids.some((pid) => {
      try {
        // "pid (comm) state ppid pgrp …": comm may hold spaces, so split after its ")".
        const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
        const [state, , pgrp] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        return Number(pgrp) === pgid && state !== "Z";
      } catch {
        return false; // gone meanwhile
      }
    });
  } catch {
    try {
      process.kill(-pgid, 0);
      return true;
    } catch {
      return false;
    }
  }
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // already gone
  }
}

/** Stops dev.ts and everything it started: SIGTERM, then SIGKILL after 10 s; waits for all. */
async function stopGroup(child: ChildProcess): Promise<void> {
  const pgid = child.pid;
  if (!pgid) return;
  for (const [signal, ms] of [
    ["SIGTERM", 10_000],
    ["SIGKILL", 5_000],
  ] as const) {
    if (!groupAlive(pgid)) return;
    signalGroup(pgid, signal);
    const deadline = Date.now() + ms;
    while (groupAlive(pgid) && Date.now() < deadline) await sleep(100);
  }
}

/** Wrangler's words when a port it was given is already bound. */
const PORT_TAKEN = "Address already in use";

/**
 * Starts `npm run dev` on freshly picked ports. Should one of the ports be taken by someone else
 * between our pick and wrangler's bind, it starts again on new ports (the data in `home` stays, as
 * for a developer restarting): a lost race is not a failure of the code under test.
 */
export async function startDevServer(
  home: string,
  timeoutMs = DEV_SERVER_START_MS,
  /** Settings of scripts/dev.ts beyond the ports, e.g. LINTEL_VENUE_REQUEST_GRANTS. */
  settings: Readonly<Record<string, string>> = {},
): Promise<DevServer> {
  const attempts = 3;
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(home, timeoutMs, settings);
    } catch (e) {
      if (attempt >= attempts || !(e instanceof PortTakenError)) throw e;
      console.warn(`lintel test harness: ${e.message.split("\n")[0]}; starting again on new ports`);
    }
  }
}

class PortTakenError extends Error {}

async function startOnce(
  home: string,
  timeoutMs: number,
  settings: Readonly<Record<string, string>>,
): Promise<DevServer> {
  const taken = new Set<number>();
  const another = async () => {
    const p = await freePort(taken);
    taken.add(p);
    return p;
  };
  const port = await another();
  const witnessPort = await another();
  const trusteePorts = `${await another()},${await another()}`;
  // Each wrangler dev also opens an inspector port; servers started side by side (test files
  // run in parallel) must not reach for the same default one.
  const inspectorPorts = [await another(), await another(), await another(), await another()].join(
    ",",
  );
  const child = spawn(path.join(repoRoot, "node_modules/.bin/tsx"), ["scripts/dev.ts"], {
    cwd: repoRoot,
    env: {
      ...process.env,
      ...settings,
      LINTEL_HOME: home,
      LINTEL_PORT: String(port),
      LINTEL_WITNESS_PORT: String(witnessPort),
      LINTEL_TRUSTEE_PORTS: trusteePorts,
      LINTEL_INSPECTOR_PORTS: inspectorPorts,
    },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  child.stdout?.on("data", (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on("data", (d: Buffer) => {
    output += d.toString();
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = () => stopGroup(child);
  const deadline = Date.now() + timeoutMs;
  while (!output.includes(`Lintel is running at ${baseUrl}/`)) {
    // A taken port is final for this attempt even while dev.ts is still winding down.
    if (child.exitCode !== null || output.includes(PORT_TAKEN)) {
      await stop();
      const message = `npm run dev exited with ${child.exitCode}:\n${output}`;
      throw output.includes(PORT_TAKEN) ? new PortTakenError(message) : new Error(message);
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`npm run dev did not start within ${timeoutMs} ms:\n${output}`);
    }
    await sleep(200);
  }
  return { baseUrl, home, output: () => output, stop };
}
