/**
 * Every way a command can fail, as one shape: an exit status, a stable `code`, a message that
 * says what failed and where, and — when it helps — what to do about it. The same object is
 * printed as text or, with --json, as the whole of standard output.
 */
import { isProtocolError } from "@lintel/protocol";
import { LintelError } from "../src/errors.ts";
import { EXIT, type ExitCode } from "./exit-codes.ts";
import type { FailedRequest } from "./fetch-trace.ts";
import { TimeSyntaxError } from "./zoned-time.ts";

/** The command line (or a file it names) is wrong: exit 2, nothing was sent. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

export interface Failure {
  readonly exit: ExitCode;
  readonly code: string;
  readonly message: string;
  /** The address that failed to answer or refused. */
  readonly url?: string;
  readonly status?: number;
  /** The problem document's `type` (RFC 9457). */
  readonly type?: string;
  readonly hint?: string;
}

const isParseArgsError = (e: unknown): e is TypeError =>
  e instanceof TypeError && "code" in e && String(e.code).startsWith("ERR_PARSE_ARGS");

/**
 * Which message prefix means which address: the SDK names a trustee ("Trustee t1: …") where
 * several requests run at once, and only its URL tells which failed request is meant.
 */
export type Attribution = ReadonlyArray<readonly [messagePrefix: string, urlPrefix: string]>;

/** The failed request an SDK error came from: the last one that fits it. */
function requestFor(
  e: LintelError,
  failures: readonly FailedRequest[],
  attribution: Attribution,
): FailedRequest | undefined {
  const named = attribution.find(([prefix]) => e.message.startsWith(prefix));
  const fits = failures.filter(
    (f) =>
      (e.code === "network" ? f.status === undefined : f.status === e.status) &&
      (named ? f.url.startsWith(named[1]) : true),
  );
  return fits.at(-1);
}

function fromLintelError(
  e: LintelError,
  failures: readonly FailedRequest[],
  tool: string,
  help: string,
  attribution: Attribution,
): Failure {
  const request = requestFor(e, failures, attribution);
  const where = request ? { url: request.url } : {};
  if (e.code === "network") {
    const cause = request?.cause ? ` (${request.cause})` : "";
    return {
      exit: EXIT.unreachable,
      code: "unreachable",
      message: request
        ? `${e.message.replace(/\.$/, "")}: ${request.url} did not answer${cause}.`
        : e.message,
      ...where,
      hint: "Check the address (--service, or the trustee URL the deployment names) and that the service is running and reachable from here.",
    };
  }
  if (e.status !== undefined) {
    const problem = e.code !== "unexpected-response" || request?.problemCode !== undefined;
    const at = request ? ` (${request.url} answered ${e.status})` : ` (HTTP ${e.status})`;
    return {
      exit: problem ? EXIT.refused : EXIT.unexpected,
      code: e.code,
      message: `${e.message || "The service refused the request."}${at}`,
      ...where,
      status: e.status,
      ...(request?.problemType ? { type: request.problemType } : {}),
      ...(problem
        ? {}
        : {
            hint: `Is ${request ? new URL(request.url).origin : "the address"} a Lintel service? Check --service.`,
          }),
    };
  }
  // The SDK refused a value from the command line before sending it (a window off the hour,
  // a reason too short): the command line is what needs fixing.
  if (e.code === "bad-value") {
    return { exit: EXIT.usage, code: "usage", message: e.message, hint: `See ${help}.` };
  }
  // Found on this device: a check that did not hold.
  return {
    exit: EXIT.failed,
    code: e.code,
    message: e.message,
    ...(e.code === "no-release-key"
      ? {
          hint: `Decrypt from the key file's directory that filed the query, or name its release keys with --release-keys (${tool} decrypt --help).`,
        }
      : {}),
  };
}

/**
 * What to report for `e`. `failures` are the requests that failed during the run (to name the
 * URL); `tool` and `command` make the pointer to --help.
 */
export function failureFrom(
  e: unknown,
  failures: readonly FailedRequest[],
  tool: string,
  command?: string,
  attribution: Attribution = [],
): Failure {
  const help = `${tool}${command ? ` ${command}` : ""} --help`;
  if (e instanceof UsageError || e instanceof TimeSyntaxError || isParseArgsError(e)) {
    return { exit: EXIT.usage, code: "usage", message: e.message, hint: `See ${help}.` };
  }
  if (e instanceof LintelError) return fromLintelError(e, failures, tool, help, attribution);
  if (isProtocolError(e)) return { exit: EXIT.failed, code: e.code, message: e.message };
  return {
    exit: EXIT.internal,
    code: "internal",
    message: `internal error: ${e instanceof Error ? e.message : String(e)}`,
    hint: "This is a defect in the tool; rerun with --debug for the stack trace and report it.",
  };
}
