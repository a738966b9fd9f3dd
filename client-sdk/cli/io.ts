/**
 * What both command lines share: the result of a run (exit status and the text for each
 * stream), how a result or a failure is printed (text, or one JSON document with --json), the
 * version, and the entry point that runs `main` when the file is executed directly — by tsx
 * from the source tree or by node from a build, through a symlinked bin or not.
 */
import { readFileSync, realpathSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { EXIT, type ExitCode } from "./exit-codes.ts";
import type { Failure } from "./failure.ts";

/** Where human lines go: process.stderr, or a test's collector. */
export interface TextSink {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

export interface CliResult {
  readonly code: ExitCode;
  /** The result: text, or one JSON document with --json. Nothing else is ever on stdout. */
  readonly stdout: string;
  /** The closing message for people: a failure, a usage error. Progress streams to io.stderr. */
  readonly stderr: string;
  /** stdout and stderr together, as a terminal shows them. */
  readonly output: string;
}

export function result(code: ExitCode, stdout: string, stderr = ""): CliResult {
  return { code, stdout, stderr, output: stdout + stderr };
}

/** JSON with bigints as decimal strings (log indices are 64-bit). */
export function jsonDocument(value: unknown): string {
  return `${JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v))}\n`;
}

/** A failure on stderr as text, or on stdout as JSON; the stack only with --debug. */
export function failureResult(
  tool: string,
  failure: Failure,
  options: { readonly json: boolean; readonly debug: boolean; readonly error?: unknown },
): CliResult {
  const stack =
    options.debug && options.error instanceof Error && options.error.stack
      ? `${options.error.stack}\n`
      : "";
  if (options.json) {
    const { exit, ...rest } = failure;
    return result(failure.exit, jsonDocument({ ok: false, ...rest, exitCode: exit }), stack);
  }
  const lines = [
    `${tool}: ${failure.code === "usage" ? "" : `${failure.code}: `}${failure.message}`,
  ];
  if (failure.url && !failure.message.includes(failure.url)) lines.push(`  url: ${failure.url}`);
  if (failure.type) lines.push(`  problem type: ${failure.type}`);
  if (failure.hint) lines.push(`  ${failure.hint}`);
  return result(failure.exit, "", `${lines.join("\n")}\n${stack}`);
}

/** The version of @lintel/client-sdk this tool ships in, from the nearest package.json up. */
export function toolVersion(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as {
        name?: unknown;
        version?: unknown;
      };
      if (pkg.name === "@lintel/client-sdk" && typeof pkg.version === "string") return pkg.version;
    } catch {
      // No package.json here: look further up.
    }
    const up = path.dirname(dir);
    if (up === dir) return "unknown";
    dir = up;
  }
}

/** Whether the module at `moduleUrl` is the program being run (not imported by a test). */
export function isMain(moduleUrl: string): boolean {
  const script = process.argv[1];
  if (!script) return false;
  const self = fileURLToPath(moduleUrl);
  try {
    return realpathSync(script) === realpathSync(self);
  } catch {
    return false;
  }
}

/** Runs `main` with this process's arguments, prints its result and exits with its code. */
export async function runAsProgram(
  tool: string,
  main: (argv: readonly string[]) => Promise<CliResult>,
): Promise<never> {
  let outcome: CliResult;
  try {
    outcome = await main(process.argv.slice(2));
  } catch (e) {
    // main reports its own failures; this is the last guard against a stack trace on screen.
    const debug = process.argv.includes("--debug");
    outcome = failureResult(
      tool,
      {
        exit: EXIT.internal,
        code: "internal",
        message: `internal error: ${e instanceof Error ? e.message : String(e)}`,
        hint: "This is a defect in the tool; rerun with --debug for the stack trace and report it.",
      },
      { json: process.argv.includes("--json"), debug, error: e },
    );
  }
  const { code, stdout, stderr } = outcome;
  if (stdout) process.stdout.write(stdout);
  if (stderr) process.stderr.write(stderr);
  // Let the streams drain before exiting: a piped stdout is asynchronous.
  process.exitCode = code;
  await new Promise<void>((resolve) => process.stdout.write("", () => resolve()));
  process.exit(code);
}
