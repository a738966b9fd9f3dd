/**
 * A failed audit is not always a bad log: the log's server may be unreachable, or answer what no
 * log serves. The auditor reports every one as a reason; the requests that failed tell which.
 */
import { EXIT } from "./exit-codes.ts";
import type { Failure } from "./failure.ts";
import type { FailedRequest } from "./fetch-trace.ts";

/** A failed audit that is really an unreachable or misbehaving server, not a bad log. */
export function transportFailure(
  location: string,
  failures: readonly FailedRequest[],
  /** What to check instead of --log, for a command that takes another flag. */
  fix?: string,
): Failure | undefined {
  const request = failures.at(-1);
  if (!request) return undefined;
  if (request.status === undefined) {
    return {
      exit: EXIT.unreachable,
      code: "unreachable",
      message: `${request.url} did not answer${request.cause ? ` (${request.cause})` : ""}.`,
      url: request.url,
      hint:
        fix ??
        `Check --log ${location} and that the log's server is running and reachable from here.`,
    };
  }
  return {
    exit: EXIT.unexpected,
    code: "unexpected-response",
    message: `${request.url} answered ${request.status}: the log does not serve what its checkpoint commits to, or --log is not a log's prefix.`,
    url: request.url,
    status: request.status,
    ...(request.problemType ? { type: request.problemType } : {}),
    hint:
      fix ??
      `--log is the prefix under which checkpoint and tile/… are served, e.g. https://checkin.example.org/log.`,
  };
}
