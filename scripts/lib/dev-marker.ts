/**
 * Whether `npm run dev` is running on a local deployment: it writes a marker (its pid and port)
 * while it runs. `npm run retention` refuses to start a second local runtime on the same state
 * folder: each runtime keeps the log writer's position in memory, and two would write the log at
 * once.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

export interface DevMarker {
  readonly pid: number;
  readonly port: number;
}

/** Writes the marker and removes it when this process exits. */
export function markDevRunning(file: string, port: number): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify({ pid: process.pid, port } satisfies DevMarker));
  process.on("exit", () => {
    try {
      const marker = JSON.parse(readFileSync(file, "utf8")) as DevMarker;
      if (marker.pid === process.pid) rmSync(file, { force: true });
    } catch {
      // gone already
    }
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but is someone else's.
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The running `npm run dev` of this deployment, or null (no marker, or its process is gone). */
export function runningDev(file: string): DevMarker | null {
  try {
    const marker = JSON.parse(readFileSync(file, "utf8")) as DevMarker;
    return Number.isInteger(marker.pid) && alive(marker.pid) ? marker : null;
  } catch {
    return null;
  }
}
