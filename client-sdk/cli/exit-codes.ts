/**
 * The exit statuses every Lintel command line shares, so scripts can tell "fix the command"
 * from "try again later" from "the service said no" without reading messages.
 */
export const EXIT = {
  ok: 0,
  /** The work ran and found something wrong: a log that does not verify, a mismatch, a bad key. */
  failed: 1,
  /** The command line or a local file named on it is wrong; nothing was sent. */
  usage: 2,
  /** A service, trustee or log could not be reached (connection refused, DNS, TLS, reset). */
  unreachable: 3,
  /** The service answered with a problem document (RFC 9457): it refused the request. */
  refused: 4,
  /** The service answered something that is neither success nor a problem document. */
  unexpected: 5,
  /** A defect in the tool itself; rerun with --debug for the stack trace. */
  internal: 70,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The table `--help` prints and client-sdk/README.md repeats. */
export const EXIT_CODES_HELP = `exit status:
  0   done
  1   failed: a check did not hold (log verification, a mismatch, a key that does not verify)
  2   invalid usage: the command line or a file named on it is wrong; nothing was sent
  3   unreachable: a service, trustee or log could not be reached
  4   refused: the service answered with a problem (its code is printed)
  5   unexpected answer: neither success nor a problem document (e.g. a proxy's 502 page)
  70  internal error: a defect in this tool (rerun with --debug)`;
