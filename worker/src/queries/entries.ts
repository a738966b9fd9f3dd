/**
 * The checks the service makes on an officer's exposure-query or warning entry before it stores
 * or logs it (PROTOCOL.md §11.2). The log policy (§10.4) checks everything again when the entry
 * is appended; these checks exist so that a draft nobody could ever log is refused at filing, with
 * a message that says why, and so that an entry is signed by the very device that sends it.
 */
import {
  BACKDATING_TOLERANCE_SECONDS,
  type DecodedEntry,
  decodeBase64url,
  decodeEntry,
  type EntryBody,
  isProtocolError,
  SLOT_SECONDS,
  validSigners,
} from "@lintel/protocol";
import type { Deployment } from "../config/deployment.ts";
import { ProblemError } from "../problems/problem.ts";

export type QueryBody = Extract<EntryBody, { kind: "exposure-query" }>;
export type WarningBody = Extract<EntryBody, { kind: "exposure-warning" }>;

const bad = (detail: string) => new ProblemError("bad-entry", detail);

const sameKey = (a: Uint8Array, b: Uint8Array) =>
  a.length === b.length && a.every((x, i) => x === b[i]);

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
    sigs.length === keys.length && keys.every((k) => sigs.some((s) => sameKey(s.publicKey, k)))
  );
}

function checkIssuedAt(issuedAt: number, now: number): void {
  if (Math.abs(issuedAt - now) > BACKDATING_TOLERANCE_SECONDS) {
    throw bad("The entry's issuedAt is more than five minutes from the service's clock.");
  }
}

/** The rules of §10.4 that do not depend on the log's state (3–7 and 10), plus a fresh issuedAt. */
export function checkQueryDraft(
  decoded: DecodedEntry,
  deployment: Deployment,
  now: number,
): QueryBody {
  const { body, issuedAt } = decoded.entry;
  if (body.kind !== "exposure-query") throw bad("The entry is not an exposure query.");
  checkIssuedAt(issuedAt, now);
  const policy = deployment.officerPolicy;
  if (body.entrances.length > policy.maxEntrancesPerQuery) {
    throw bad(`A query names at most ${policy.maxEntrancesPerQuery} entrances.`);
  }
  if (new Set(body.entrances).size !== body.entrances.length) {
    throw bad("An entrance is named twice.");
  }
  if (body.windowStart % SLOT_SECONDS !== 0 || body.windowEnd % SLOT_SECONDS !== 0) {
    throw bad("The window must start and end on the hour.");
  }
  if (body.windowEnd <= body.windowStart) throw bad("The window is empty.");
  if (body.windowEnd - body.windowStart > policy.maxWindowHours * SLOT_SECONDS) {
    throw bad(`The window is longer than ${policy.maxWindowHours} hours.`);
  }
  if (body.windowEnd > issuedAt + SLOT_SECONDS) throw bad("The window reaches into the future.");
  if (body.windowStart < issuedAt - deployment.retentionDays * 86_400 - 86_400) {
    throw bad("The window starts before the retention period: those check-ins are gone.");
  }
  if (body.legalBasis.trim() === "" || body.reason.trim() === "") {
    throw bad("A query needs a legal basis and a reason.");
  }
  return body;
}

export function checkWarning(decoded: DecodedEntry, now: number): WarningBody {
  const { body, issuedAt } = decoded.entry;
  if (body.kind !== "exposure-warning") throw bad("The entry is not an exposure warning.");
  checkIssuedAt(issuedAt, now);
  return body;
}
