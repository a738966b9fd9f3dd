/**
 * Starts `npm run dev` (scripts/dev.ts) for real in its own LINTEL_HOME and port, exactly as a
 * developer would, and stops it with its whole process group.
 */
import { type ChildProcess, spawn } from "node:child_process";
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

function waitForExit(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });
}

/** Wrangler's words when a port it was given is already bound. */
const PORT_TAKEN = "Address already in use";

/**
 * Starts `npm run dev` on freshly picked ports. Should one of the ports be taken by someone else
 * between our pick and wrangler's bind, it starts again on new ports (the data in `home` stays, as
 * for a developer restarting): a lost race is not a failure of the code under test.
 */
export async function startDevServer(home: string, timeoutMs = 120_000): Promise<DevServer> {
  const attempts = 3;
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(home, timeoutMs);
    } catch (e) {
      if (attempt >= attempts || !(e instanceof PortTakenError)) throw e;
      console.warn(`lintel test harness: ${e.message.split("\n")[0]}; starting again on new ports`);
    }
  }
}

class PortTakenError extends Error {}

async function startOnce(home: string, timeoutMs: number): Promise<DevServer> {
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
  const stop = async () => {
    if (child.exitCode === null && child.pid) {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        // already gone
      }
      await Promise.race([waitForExit(child), new Promise((r) => setTimeout(r, 10_000))]);
      if (child.exitCode === null) {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
    }
  };
  const deadline = Date.now() + timeoutMs;
  while (!output.includes(`Lintel is running at ${baseUrl}/`)) {
    if (child.exitCode !== null) {
      await stop();
      const message = `npm run dev exited with ${child.exitCode}:\n${output}`;
      throw output.includes(PORT_TAKEN) ? new PortTakenError(message) : new Error(message);
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`npm run dev did not start within ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { baseUrl, home, output: () => output, stop };
}
