/**
 * Access transparency and exposure warnings, matched on the citizen's device (PROTOCOL.md §11.6):
 * which logged exposure queries could read one of this device's visits, who signed them, which
 * key holders released keys for them, which exposure warnings name a visit's entrance and hours,
 * and which approved venue requests a visited venue made (warning the visits at a named entrance
 * inside their window when they grant a warning).
 *
 * Pure: entries in, report out. The entries are the whole log from index 0, and must already
 * have passed the auditor (signatures, policy; see check.ts): this module decodes them but does
 * not verify signatures again, so it trusts that every signer of a query was an enrolled officer.
 * Nothing here talks to anyone; the visits never leave the function.
 */
import {
  decodeEntry,
  type EntryBody,
  LOG_TRUSTEE_ID,
  toHex,
  type VenueRequestGrant,
  type VenueRequestReason,
} from "@lintel/protocol";
import type { Visit } from "../visit.ts";

/** An officer who signed a query, as their enrolment named them when the query was logged. */
export interface QuerySigner {
  readonly label: string;
  /** The officer device's Ed25519 public key, hex: two devices may share one account's label. */
  readonly publicKey: string;
}

/** A logged query whose scope covers one of this device's visits. */
export interface CoveredVisit {
  readonly visitId: string;
  /** The query's leaf index in the log. */
  readonly queryIndex: bigint;
  /** Unix seconds, as the officers claimed it. */
  readonly issuedAt: number;
  /** SHA-256 of the case reference, hex (the reference itself is never logged). */
  readonly caseReferenceHash: string;
  /** SHA-256 of the legal document, hex. */
  readonly legalDocumentHash: string;
  readonly legalBasis: string;
  readonly reason: string;
  /** The query's window, Unix seconds, [windowStart, windowEnd). */
  readonly windowStart: number;
  readonly windowEnd: number;
  /** Every officer whose signature the query carries, in the entry's (key) order. */
  readonly signedBy: readonly QuerySigner[];
  /** Trustee ids that have released keys for the query, in log order; "log" for the epoch share. */
  readonly releasedBy: readonly string[];
  /**
   * Whether every trustee enrolled when the query was logged, and the log's epoch share, have
   * released. Only then can the authority decrypt — and even then not slots whose epoch secret
   * was already destroyed (the log releases nothing usable for those).
   */
  readonly fullyReleased: boolean;
}

/** An exposure warning that names one of this device's visits' entrance and hours. */
export interface VisitWarning {
  readonly visitId: string;
  /** The warning's leaf index in the log. */
  readonly warningIndex: bigint;
  /** The query the warning was issued under. */
  readonly queryIndex: bigint;
  /** Unix seconds, [windowStart, windowEnd). */
  readonly windowStart: number;
  readonly windowEnd: number;
  readonly issuedAt: number;
}

/**
 * An approved venue request by a venue this device visited: the venue asked the authority about
 * its own entrances, and an officer approved (PROTOCOL.md §11.7). Listed for every visit to the
 * venue, at a named entrance and inside the window or not, so the person sees that a venue they
 * visited asked about its records; only a visit at a named entrance inside the window is present.
 */
export interface VisitVenueRequest {
  readonly visitId: string;
  /** The request's leaf index in the log. */
  readonly requestIndex: bigint;
  readonly issuedAt: number;
  readonly venueId: string;
  readonly reason: VenueRequestReason;
  readonly grants: readonly VenueRequestGrant[];
  /** Unix seconds, [windowStart, windowEnd). */
  readonly windowStart: number;
  readonly windowEnd: number;
  /** The officers who approved it, as their enrolments named them. */
  readonly approvedBy: readonly QuerySigner[];
  /** Whether the visit was at a named entrance and its stay overlaps the window. */
  readonly present: boolean;
  /** present, and the request grants a warning: the venue warns this person through the log. */
  readonly warned: boolean;
  /**
   * present, and the request grants contacts: the venue may read this visit's contact details
   * once the key holders have released (§11.7). A citizen card stays sealed to the authority.
   */
  readonly contacts: boolean;
  /** Holders that released for the request ("log" for the epoch share), in log order. */
  readonly releasedBy: readonly string[];
}

export interface ExposureReport {
  /** One per (visit, query) pair, in log order. */
  readonly covered: readonly CoveredVisit[];
  /** One per (visit, warning) pair, in log order. */
  readonly warnings: readonly VisitWarning[];
  /** One per (visit, venue request of the visit's venue) pair, in log order. */
  readonly venueRequests: readonly VisitVenueRequest[];
}

type Query = Extract<EntryBody, { kind: "exposure-query" }>;

interface LoggedQuery {
  readonly index: bigint;
  readonly issuedAt: number;
  readonly body: Query;
  readonly signedBy: readonly QuerySigner[];
  /** The trustees enrolled at the query's index: whose releases decryption needs. */
  readonly trustees: ReadonlySet<string>;
  readonly releasedBy: string[];
}

/**
 * The stay as §11.6 defines it: [arrival, departure), departure being the check-out time when
 * the person checked out before the expected departure.
 */
function stay(visit: Visit): { readonly from: number; readonly to: number } {
  const departure =
    visit.checkedOutAt !== undefined && visit.checkedOutAt < visit.expectedDeparture
      ? visit.checkedOutAt
      : visit.expectedDeparture;
  // Checking out at the moment of arrival still leaves the arrival's slot on the service
  // (check-out deletes only later slots), so an empty stay counts as the instant of arrival.
  return { from: visit.arrival, to: Math.max(departure, visit.arrival + 1) };
}

/** Whether [from, to) and [start, end) share a moment. */
function overlaps(s: { readonly from: number; readonly to: number }, start: number, end: number) {
  return s.from < end && start < s.to;
}

/**
 * Matches the log against the diary. `entries` is every entry of an audited Lintel log, index 0
 * first (AuditOutcome `lintel.entries`). Visits of another deployment than the log's are never
 * matched: a query's slot identities include the deployment's name (§11.1).
 */
export function matchExposure(
  entries: readonly Uint8Array[],
  visits: readonly Visit[],
): ExposureReport {
  const officers = new Map<string, string>();
  const trustees = new Set<string>();
  const queries = new Map<bigint, LoggedQuery>();
  const covered: Array<{ query: LoggedQuery; visit: Visit }> = [];
  const warnings: VisitWarning[] = [];
  const venueRequests: VisitVenueRequest[] = [];
  /** A contacts request's releases so far, by its index: releases come after it. */
  const requestReleases = new Map<bigint, string[]>();
  const signersOf = (signatures: readonly { readonly publicKey: Uint8Array }[]) =>
    signatures.map((s) => {
      const publicKey = toHex(s.publicKey);
      // The policy admits only enrolled officers; the fallback is for unaudited input.
      return { label: officers.get(publicKey) ?? `unknown key ${publicKey}`, publicKey };
    });
  let deployment: string | undefined;
  let ours: readonly Visit[] = [];

  entries.forEach((bytes, i) => {
    const index = BigInt(i);
    const { entry } = decodeEntry(bytes);
    const body = entry.body;
    switch (body.kind) {
      case "deployment":
        deployment = entry.deployment;
        ours = visits.filter((v) => v.deployment === deployment);
        return;
      case "officer-enrolment":
        officers.set(toHex(body.publicKey), body.label);
        return;
      case "officer-removal":
        officers.delete(toHex(body.publicKey));
        return;
      case "trustee-enrolment":
        trustees.add(body.trusteeId);
        return;
      case "trustee-removal":
        trustees.delete(body.trusteeId);
        return;
      case "exposure-query": {
        const query: LoggedQuery = {
          index,
          issuedAt: entry.issuedAt,
          body,
          signedBy: signersOf(entry.signatures),
          trustees: new Set(trustees),
          releasedBy: [],
        };
        queries.set(index, query);
        for (const visit of ours) {
          if (
            body.entrances.includes(visit.entranceId) &&
            overlaps(stay(visit), body.windowStart, body.windowEnd)
          ) {
            covered.push({ query, visit });
          }
        }
        return;
      }
      case "trustee-release": {
        const query = queries.get(body.queryIndex);
        if (query && !query.releasedBy.includes(body.trusteeId))
          query.releasedBy.push(body.trusteeId);
        const request = requestReleases.get(body.queryIndex);
        if (request && !request.includes(body.trusteeId)) request.push(body.trusteeId);
        return;
      }
      case "exposure-warning":
        for (const visit of ours) {
          if (
            visit.entranceId === body.entranceId &&
            overlaps(stay(visit), body.windowStart, body.windowEnd)
          ) {
            warnings.push({
              visitId: visit.id,
              warningIndex: index,
              queryIndex: body.queryIndex,
              windowStart: body.windowStart,
              windowEnd: body.windowEnd,
              issuedAt: entry.issuedAt,
            });
          }
        }
        return;
      case "venue-request": {
        const approvedBy = signersOf(entry.signatures);
        const releasedBy: string[] = [];
        if (body.grants.includes("contacts")) requestReleases.set(index, releasedBy);
        for (const visit of ours) {
          if (visit.venueId !== body.venueId) continue;
          const present =
            body.entrances.includes(visit.entranceId) &&
            overlaps(stay(visit), body.windowStart, body.windowEnd);
          venueRequests.push({
            visitId: visit.id,
            requestIndex: index,
            issuedAt: entry.issuedAt,
            venueId: body.venueId,
            reason: body.reason,
            grants: body.grants,
            windowStart: body.windowStart,
            windowEnd: body.windowEnd,
            approvedBy,
            present,
            warned: present && body.grants.includes("warning"),
            contacts: present && body.grants.includes("contacts"),
            releasedBy,
          });
        }
        return;
      }
      default:
        return;
    }
  });

  // Releases come after their query, so the release lists are complete only now.
  return {
    covered: covered.map(({ query, visit }) => coveredVisit(query, visit)),
    warnings,
    venueRequests: venueRequests.map((r) => ({ ...r, releasedBy: [...r.releasedBy] })),
  };
}

function coveredVisit(query: LoggedQuery, visit: Visit): CoveredVisit {
  const { body } = query;
  const released = new Set(query.releasedBy);
  return {
    visitId: visit.id,
    queryIndex: query.index,
    issuedAt: query.issuedAt,
    caseReferenceHash: toHex(body.caseReferenceHash),
    legalDocumentHash: toHex(body.legalDocumentHash),
    legalBasis: body.legalBasis,
    reason: body.reason,
    windowStart: body.windowStart,
    windowEnd: body.windowEnd,
    signedBy: query.signedBy,
    releasedBy: [...query.releasedBy],
    fullyReleased:
      released.has(LOG_TRUSTEE_ID) && [...query.trustees].every((id) => released.has(id)),
  };
}
