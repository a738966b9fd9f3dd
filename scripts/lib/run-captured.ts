/**
 * Runs a command to its end with stdout and stderr captured as one text, in the order they were
 * written: what a person would have seen in the terminal, for an error message or an assertion.
 */
import { spawn } from "node:child_process";

export interface Captured {
  /** The exit code; -1 when the process ended by a signal. */
  readonly code: number;
  readonly output: string;
}

export function runCaptured(
  file: string,
  args: readonly string[],
  options: { readonly cwd: string; readonly env?: NodeJS.ProcessEnv },
): Promise<Captured> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const keep = (d: Buffer) => {
      output += d.toString();
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, output }));
  });
}
