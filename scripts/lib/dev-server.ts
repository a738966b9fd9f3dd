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

export async function startDevServer(home: string, timeoutMs = 120_000): Promise<DevServer> {
  const port = await freePort();
  const taken = new Set<number>();
  const another = async () => {
    let p = await freePort();
    while (taken.has(p)) p = await freePort();
    taken.add(p);
    return p;
  };
  taken.add(port);
  const witnessPort = await another();
  const trusteePorts = `${await another()},${await another()}`;
  // Each wrangler dev also opens an inspector port; servers started side by side (test files
  // run in parallel) must not reach for the same default one.
  const inspectorPorts = [await another(), await another(), await another(), await another()].join(
    ",",
  );
  // (A port picked here could still be taken by someone else before wrangler binds it; the
  // caller then sees wrangler's "Address already in use" in the error.)
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
    if (child.exitCode !== null)
      throw new Error(`npm run dev exited with ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`npm run dev did not start within ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { baseUrl, home, output: () => output, stop };
}
