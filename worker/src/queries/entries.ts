/**
 * The checks the service makes on an officer's exposure-query or warning entry before it stores
 * or logs it (PROTOCOL.md §11.2). The log policy (§10.4) checks everything again when the entry
 * is appended; these checks exist so that a draft nobody could ever log is refused at filing, with
 * a message that says why, and so that an entry is signed by the very device that sends it.
 */
import {
  BACKDATING_TOLERANCE_SECONDS,
  constantTimeEqual,
  type DecodedEntry,
  decodeBase64url,
  decodeEntry,
  type EntryBody,
  isProtocolError,
  type QueryScope,
  queryIdentityCount,
  queryRuleBroken,
  validSigners,
} from "@lintel/protocol";
import type { Deployment } from "../config/deployment.ts";
import { ProblemError } from "../problems/problem.ts";

export type QueryBody = Extract<EntryBody, { kind: "exposure-query" }>;
export type WarningBody = Extract<EntryBody, { kind: "exposure-warning" }>;

const bad = (detail: string) => new ProblemError("bad-entry", detail);

/** Decodes a base64url entry of this deployment; every signature must verify. */
export function decodeOfficerEntry(text: string, deployment: Deployment): DecodedEntry {
  let decoded: DecodedEntry;
  try {
    decoded = decodeEntry(decodeBase64url(text));
  } catch (e) {
    if (isProtocolError(e)) throw bad(`The entry does not decode: ${e.message}`);
    throw e;
  }
  if (decoded.entry.deployment !== deployment.id) throw bad("The entry is for another deployment.");
  if (validSigners(decoded).length !== decoded.entry.signatures.length) {
    throw bad("A signature on the entry does not verify.");
  }
  return decoded;
}

/** The entry carries exactly the signatures of `keys` (in any order). */
export function signedByExactly(decoded: DecodedEntry, keys: readonly Uint8Array[]): boolean {
  const sigs = decoded.entry.signatures;
  return (
    sigs.length === keys.length &&
    keys.every((k) => sigs.some((s) => constantTimeEqual(s.publicKey, k)))
  );
}

export function checkIssuedAt(issuedAt: number, now: number): void {
  if (Math.abs(issuedAt - now) > BACKDATING_TOLERANCE_SECONDS) {
    throw bad("The entry's issuedAt is more than five minutes from the service's clock.");
  }
}

/** The rules of §10.4 that do not depend on the log's state (3–10), plus a fresh issuedAt. */
export function checkQueryDraft(
  decoded: DecodedEntry,
  deployment: Deployment,
  now: number,
): QueryBody {
  const { body, issuedAt } = decoded.entry;
  if (body.kind !== "exposure-query") throw bad("The entry is not an exposure query.");
  checkIssuedAt(issuedAt, now);
  const broken = queryRuleBroken(
    body,
    { retentionDays: deployment.retentionDays, ...deployment.officerPolicy },
    issuedAt,
  );
  if (broken) throw bad(`${broken[0]!.toUpperCase()}${broken.slice(1)}.`);
  return body;
}

/** What the log knows that a query depends on (LogWriter.queryStanding). */
export interface QueryStanding {
  readonly unissued: string | null;
  readonly caseQueries: number;
  readonly caseEntranceHours: number;
}

/** The log-state rules of §10.4 the service can check at filing: issued entrances, case limits. */
export function checkQueryStanding(
  body: QueryBody,
  standing: QueryStanding,
  deployment: Deployment,
): void {
  const p = deployment.officerPolicy;
  if (standing.unissued !== null) {
    throw bad(`Entrance ${standing.unissued} was never issued by the registry.`);
  }
  if (standing.caseQueries + 1 > p.maxQueriesPerCase) {
    throw bad(`This case already has ${p.maxQueriesPerCase} queries.`);
  }
  if (standing.caseEntranceHours + queryIdentityCount(body) > p.maxEntranceHoursPerCase) {
    throw bad(`This case would cover more than ${p.maxEntranceHoursPerCase} entrance-hours.`);
  }
}

/**
 * Distinct officers a query (or a venue request granting contacts) needs: more above the
 * deployment's entrance-hour budget.
 */
export function approvalsNeeded(body: QueryScope, deployment: Deployment): number {
  const p = deployment.officerPolicy;
  return queryIdentityCount(body) > p.maxEntranceHoursPerQuery
    ? p.wideQueryApprovals
    : p.approvalsRequired;
}

/**
 * Why a draft filed at `issuedAt` can no longer be logged at `now`, or undefined: the log takes a
 * query at most the deployment's draft lifetime after the time its officers signed.
 */
export function draftExpiry(
  issuedAt: number,
  deployment: Deployment,
  now: number,
): string | undefined {
  const lifetime = deployment.officerPolicy.draftLifetimeSeconds;
  if (now <= issuedAt + lifetime) return undefined;
  const span =
    lifetime % 3600 === 0 ? `${lifetime / 3600} hours` : `${Math.round(lifetime / 60)} minutes`;
  return `Not approved within the draft lifetime of ${span}: the log would refuse it as backdated. File it again.`;
}

export function checkWarning(decoded: DecodedEntry, now: number): WarningBody {
  const { body, issuedAt } = decoded.entry;
  if (body.kind !== "exposure-warning") throw bad("The entry is not an exposure warning.");
  checkIssuedAt(issuedAt, now);
  return body;
}
