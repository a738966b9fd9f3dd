/**
 * Where a signed request carries its statement and which path the statement must name
 * (PROTOCOL.md §6.1). Apart from the device-key middleware so that a trustee, which checks
 * officers' statements against the log rather than against stored devices, bundles only this.
 */
import type { Context } from "hono";

export const STATEMENT_HEADER = "lintel-statement";

/** The path the statement must name: the request's path and query, exactly as sent. */
export function statementPath(c: Context): string {
  const url = new URL(c.req.url);
  return `${url.pathname}${url.search}`;
}
