/**
 * Filing and approving exposure queries (PROTOCOL.md §11.2, entry kind 9 of §10.3), and
 * publishing exposure warnings (kind 11). Entries are built and signed on the officer's device:
 * the service only ever sees signed bytes, and a second officer adds a signature to exactly the
 * signed part the first one signed.
 *
 * The static query rules (§10.4 rules 3–7 and 10, except the deployment's own bounds, which the
 * service checks) are checked here first, so a mistyped window fails before anything is signed.
 */

import { queryRoutes, type RouteAnswer } from "@lintel/contract";
import {
  constantTimeEqual,
  countersignEntryWith,
  decodeBase64url,
  decodeEntry,
  encodeBase64url,
  encodeEntry,
  type HpkeKeyPair,
  hpkeKeyPair,
  type LogEntry,
  MIN_LEGAL_BASIS_CHARS,
  MIN_REASON_CHARS,
  SLOT_SECONDS,
  type UnsignedEntry,
} from "@lintel/protocol";
import { signedCall } from "../auth/signed-fetch.ts";
import { LintelError } from "../errors.ts";
import { type OfficerOptions, signedOptions } from "./officer.ts";

export interface QueryRequest {
  /** The deployment id. */
  readonly deployment: string;
  /** Logged only as its SHA-256 (of the UTF-8 text, exactly as given). */
  readonly caseReference: string;
  readonly legalBasis: string;
  /** The warrant or order; logged only as its SHA-256. */
  readonly legalDocument: Uint8Array;
  readonly entrances: readonly string[];
  /** Unix seconds, hour-aligned; the window is [windowStart, windowEnd). */
  readonly windowStart: number;
  readonly windowEnd: number;
  readonly reason: string;
  /**
   * The public half of the query's release key (X25519, from {@link newReleaseKey}): every
   * holder seals its partial keys to it. Keep the secret half on the filing device.
   */
  readonly releaseKey: Uint8Array;
  /** Unix seconds; now by default. */
  readonly issuedAt?: number;
}

export type QueryBody = Extract<LogEntry["body"], { kind: "exposure-query" }>;
export type WarningBody = Extract<LogEntry["body"], { kind: "exposure-warning" }>;

const bad = (message: string): never => {
  throw new LintelError("bad-value", message);
};

const nowSeconds = () => Math.floor(Date.now() / 1000);

function blank(text: string): boolean {
  return text.trim() === "";
}

async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", new Uint8Array(bytes)));
}

/** The unsigned entry; async only because the hashes use WebCrypto. */
export async function buildQuery(request: QueryRequest): Promise<UnsignedEntry> {
  const { entrances, windowStart, windowEnd } = request;
  if (blank(request.caseReference)) bad("The case reference is empty.");
  if (blank(request.legalBasis)) bad("The legal basis is empty.");
  if (blank(request.reason)) bad("The reason is empty.");
  // The log's minimum (§10.4 query rule 10), here so that it fails before anything is signed.
  if ([...request.legalBasis.trim()].length < MIN_LEGAL_BASIS_CHARS)
    bad(`The legal basis must name the law (at least ${MIN_LEGAL_BASIS_CHARS} characters).`);
  if ([...request.reason.trim()].length < MIN_REASON_CHARS)
    bad(`The reason must say why (at least ${MIN_REASON_CHARS} characters).`);
  if (entrances.length === 0 || entrances.length > 255) bad("Name 1–255 entrances.");
  if (new Set(entrances).size !== entrances.length) bad("An entrance is named twice.");
  if (
    !Number.isSafeInteger(windowStart) ||
    !Number.isSafeInteger(windowEnd) ||
    windowStart < 0 ||
    windowStart % SLOT_SECONDS !== 0 ||
    windowEnd % SLOT_SECONDS !== 0
  ) {
    bad("The window starts and ends on whole UTC hours.");
  }
  if (windowEnd <= windowStart) bad("The window ends after it starts.");
  if (request.releaseKey.length !== 32 || request.releaseKey.every((b) => b === 0))
    bad("The release key is a 32-byte X25519 public key.");
  return {
    deployment: request.deployment,
    issuedAt: request.issuedAt ?? nowSeconds(),
    body: {
      kind: "exposure-query",
      caseReferenceHash: await sha256(new TextEncoder().encode(request.caseReference)),
      legalBasis: request.legalBasis,
      legalDocumentHash: await sha256(request.legalDocument),
      entrances: [...entrances],
      windowStart,
      windowEnd,
      reason: request.reason,
      releaseKey: new Uint8Array(request.releaseKey),
    },
  };
}

/**
 * A fresh release key pair for one query (§11.3): the public half goes into the query, the
 * secret half stays with the filer (the CLI's release-key file, the console's IndexedDB) and
 * is what decryptQuery opens the releases with.
 */
export function newReleaseKey(): HpkeKeyPair {
  return hpkeKeyPair();
}

/** The officer's first signature, and the draft filed: POST /api/queries. */
export async function fileQuery(
  officer: OfficerOptions,
  entry: UnsignedEntry,
): Promise<{ draftId: string; status: string; entry: LogEntry }> {
  if (entry.body.kind !== "exposure-query") bad("Only exposure queries are filed.");
  const signed = await countersignEntryWith(
    { ...entry, signatures: [] },
    officer.key.publicKey,
    (m) => officer.key.sign(m),
  );
  const answer = await signedCall(signedOptions(officer), queryRoutes.fileQuery, {
    body: { entry: encodeBase64url(encodeEntry(signed)) },
  });
  return { draftId: answer.draftId, status: answer.status, entry: signed };
}

export interface DraftQuery {
  readonly draftId: string;
  /** "expired": it waited past the deployment's draft lifetime; the log would refuse it. */
  readonly status: "awaiting-approval" | "logged" | "expired";
  /** For an expired draft: why it can no longer be logged. */
  readonly expiredReason?: string;
  /** For a draft awaiting approval: when it expires, and the officers it has and needs. */
  readonly expiresAt?: string;
  readonly approvals?: number;
  readonly approvalsNeeded?: number;
  /** The entry as filed (or as logged), decoded; signatures not verified here. */
  readonly entry: LogEntry;
  readonly query: QueryBody;
  readonly filedBy: { readonly accountId: string; readonly label: string };
  /** ISO 8601. */
  readonly filedAt: string;
  readonly approvedBy?: { readonly accountId: string; readonly label: string };
  /** For a logged query: its leaf index. */
  readonly queryIndex?: bigint;
}

function decodeQueryEntry(
  text: unknown,
  deployment: string,
): { entry: LogEntry; query: QueryBody } {
  if (typeof text !== "string")
    throw new LintelError("unexpected-response", "A draft has no entry.");
  let entry: LogEntry;
  try {
    entry = decodeEntry(decodeBase64url(text)).entry;
  } catch {
    throw new LintelError("unexpected-response", "A draft's entry does not decode.");
  }
  if (entry.body.kind !== "exposure-query" || entry.deployment !== deployment) {
    throw new LintelError(
      "unexpected-response",
      "A draft is not an exposure query of this deployment.",
    );
  }
  return { entry, query: entry.body };
}

type ListedDraft = RouteAnswer<typeof queryRoutes.listQueries>["queries"][number];

/** A listed draft, its entry decoded and checked to be an exposure query of this deployment. */
function parseDraft(raw: ListedDraft, deployment: string): DraftQuery {
  const { entry, query } = decodeQueryEntry(raw.entry, deployment);
  const isoOf = (unixSeconds: number) => new Date(unixSeconds * 1000).toISOString();
  return {
    draftId: raw.draftId,
    status: raw.status,
    ...(raw.status === "expired"
      ? { expiredReason: raw.expiredReason ?? "The draft expired." }
      : {}),
    ...(raw.expiresAt !== undefined ? { expiresAt: isoOf(raw.expiresAt) } : {}),
    ...(raw.approvals !== undefined ? { approvals: raw.approvals } : {}),
    ...(raw.approvalsNeeded !== undefined ? { approvalsNeeded: raw.approvalsNeeded } : {}),
    entry,
    query,
    filedBy: raw.filedBy,
    // Unix seconds on the wire (the service's choice); ISO text here for display.
    filedAt: isoOf(raw.filedAt),
    ...(raw.approvedBy ? { approvedBy: raw.approvedBy } : {}),
    ...(raw.queryIndex !== undefined ? { queryIndex: BigInt(raw.queryIndex) } : {}),
  };
}

/** GET /api/queries: the drafts and logged queries, newest first. */
export async function listQueries(officer: OfficerOptions): Promise<DraftQuery[]> {
  const { queries } = await signedCall(signedOptions(officer), queryRoutes.listQueries);
  return queries.map((q) => parseDraft(q, officer.deployment));
}

/** What a second officer must see before approving: everything the log will hold, decoded. */
export interface QueryReview {
  readonly caseReferenceHash: string;
  readonly legalBasis: string;
  readonly legalDocumentHash: string;
  readonly entrances: readonly string[];
  readonly windowStart: Date;
  readonly windowEnd: Date;
  readonly reason: string;
  readonly issuedAt: Date;
  /** Identities the query opens: entrances × hours. */
  readonly identityCount: number;
  /** The filer's signing keys (base64url). */
  readonly signers: readonly string[];
}

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

export function reviewQuery(entry: LogEntry): QueryReview {
  if (entry.body.kind !== "exposure-query") bad("Not an exposure query.");
  const q = entry.body as QueryBody;
  return {
    caseReferenceHash: hex(q.caseReferenceHash),
    legalBasis: q.legalBasis,
    legalDocumentHash: hex(q.legalDocumentHash),
    entrances: q.entrances,
    windowStart: new Date(q.windowStart * 1000),
    windowEnd: new Date(q.windowEnd * 1000),
    reason: q.reason,
    issuedAt: new Date(entry.issuedAt * 1000),
    identityCount: q.entrances.length * ((q.windowEnd - q.windowStart) / SLOT_SECONDS),
    signers: entry.signatures.map((s) => encodeBase64url(s.publicKey)),
  };
}

/**
 * What the approving officer re-enters from their own copy of the case file: the log holds only
 * the hashes, so only these prove the approver looked at the same case and the same order.
 */
export interface ApproverChecks {
  /** The case reference, exactly as in the case file. */
  readonly caseReference: string;
  /** The warrant or order the approver holds. */
  readonly legalDocument: Uint8Array;
}

/**
 * Both of the approver's checks, against the draft's hashes; throws "checks-required" when one
 * is missing and "check-mismatch" when one does not match, so nothing is signed or sent.
 */
export async function verifyApproverChecks(
  entry: LogEntry,
  checks: ApproverChecks | undefined,
): Promise<void> {
  if (entry.body.kind !== "exposure-query") bad("Not an exposure query.");
  const q = entry.body as QueryBody;
  if (!checks || typeof checks.caseReference !== "string" || blank(checks.caseReference)) {
    throw new LintelError(
      "checks-required",
      "Re-enter the case reference from the case file before approving.",
    );
  }
  if (!(checks.legalDocument instanceof Uint8Array) || checks.legalDocument.length === 0) {
    throw new LintelError("checks-required", "Give the legal document you hold before approving.");
  }
  const caseHash = await sha256(new TextEncoder().encode(checks.caseReference));
  if (!constantTimeEqual(caseHash, q.caseReferenceHash)) {
    throw new LintelError(
      "check-mismatch",
      "The case reference does not match the draft's: do not approve.",
    );
  }
  if (!constantTimeEqual(await sha256(checks.legalDocument), q.legalDocumentHash)) {
    throw new LintelError(
      "check-mismatch",
      "The legal document does not match the draft's: do not approve.",
    );
  }
}

/** The service's answer to an approval: logged, or kept until the officers a wide query needs. */
export type ApprovalOutcome =
  | {
      readonly status: "logged";
      readonly queryIndex: bigint;
      readonly proof: string;
      readonly review: QueryReview;
    }
  | {
      readonly status: "awaiting-approval";
      readonly approvals: number;
      readonly approvalsNeeded: number;
      readonly review: QueryReview;
    };

/**
 * An approving signature: checks the approver's re-entered case reference and legal document
 * against the draft's hashes (both required), adds this officer's signature to the draft's exact
 * signed part and POSTs /api/queries/<draftId>/approve. Show {@link reviewQuery} of `draft.entry`
 * first; the same review comes back with the answer.
 */
export async function approveQuery(
  officer: OfficerOptions,
  draft: Pick<DraftQuery, "draftId" | "entry">,
  checks: ApproverChecks,
): Promise<ApprovalOutcome> {
  const review = reviewQuery(draft.entry);
  if (draft.entry.deployment !== officer.deployment) bad("The draft is for another deployment.");
  await verifyApproverChecks(draft.entry, checks);
  const mine = officer.key.publicKey;
  if (draft.entry.signatures.some((s) => constantTimeEqual(s.publicKey, mine))) {
    // The service would refuse it too; no request needed to know.
    throw new LintelError(
      "same-officer",
      "A query is approved by an officer other than its filer.",
    );
  }
  const signed = await countersignEntryWith(draft.entry, officer.key.publicKey, (m) =>
    officer.key.sign(m),
  );
  const answer = await signedCall(signedOptions(officer), queryRoutes.approveQuery, {
    params: { draftId: draft.draftId },
    body: { entry: encodeBase64url(encodeEntry(signed)) },
  });
  if ("status" in answer) {
    return {
      status: "awaiting-approval",
      approvals: answer.approvals,
      approvalsNeeded: answer.approvalsNeeded,
      review,
    };
  }
  const { queryIndex, proof } = answer;
  if (proof === null) {
    throw new LintelError(
      "unexpected-response",
      "The query is logged but the service did not send its proof: fetch it from /api/log/entries/" +
        `${queryIndex}/proof.`,
    );
  }
  return { status: "logged", queryIndex: BigInt(queryIndex), proof, review };
}

export interface WarningRequest {
  readonly deployment: string;
  readonly queryIndex: bigint;
  readonly entranceId: string;
  /** Unix seconds; [windowStart, windowEnd) inside the query's window (no hour alignment needed). */
  readonly windowStart: number;
  readonly windowEnd: number;
  readonly issuedAt?: number;
}

export function buildWarning(request: WarningRequest): UnsignedEntry {
  const { windowStart, windowEnd } = request;
  if (!Number.isSafeInteger(windowStart) || !Number.isSafeInteger(windowEnd) || windowStart < 0) {
    bad("The warning's window is Unix seconds.");
  }
  if (windowEnd <= windowStart) bad("The warning's window ends after it starts.");
  if (request.queryIndex < 0n || request.queryIndex >= 1n << 64n) bad("No such query index.");
  return {
    deployment: request.deployment,
    issuedAt: request.issuedAt ?? nowSeconds(),
    body: {
      kind: "exposure-warning",
      queryIndex: request.queryIndex,
      entranceId: request.entranceId,
      windowStart,
      windowEnd,
    },
  };
}

/** Signs an exposure warning with the officer's key alone and POSTs /api/warnings. */
export async function publishWarning(
  officer: OfficerOptions,
  warning: Omit<WarningRequest, "deployment">,
): Promise<{ index: bigint; entry: LogEntry }> {
  const unsigned = buildWarning({ ...warning, deployment: officer.deployment });
  const entry = await countersignEntryWith(
    { ...unsigned, signatures: [] },
    officer.key.publicKey,
    (m) => officer.key.sign(m),
  );
  const answer = await signedCall(signedOptions(officer), queryRoutes.publishWarning, {
    body: { entry: encodeBase64url(encodeEntry(entry)) },
  });
  return { index: BigInt(answer.index), entry };
}
