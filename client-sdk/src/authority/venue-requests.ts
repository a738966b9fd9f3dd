/**
 * An officer's side of venue requests (PROTOCOL.md §11.7): list them, refuse one with a reason,
 * or approve one by signing its `venue-request` entry with this device's key — the entry says
 * exactly what the venue asked for, under the grants the request was filed with (and, granting
 * contacts, the venue's release key), and the service logs it once it has the officers it needs.
 * For an approved contacts request, the officer asks every trustee and the log for their
 * releases and hands them, still sealed to the venue's key, to the service for the venue: the
 * officer never opens them.
 */
import { type RouteAnswer, venueRequestRoutes } from "@lintel/contract";
import {
  countersignEntryWith,
  decodeBase64url,
  decodeEntry,
  type EntryBody,
  encodeBase64url,
  encodeEntry,
  type LogEntry,
  NO_RELEASE_KEY,
} from "@lintel/protocol";
import { signedCall } from "../auth/signed-fetch.ts";
import { LintelError } from "../errors.ts";
import type { AuthorityDeployment } from "./deployment.ts";
import { type OfficerOptions, signedOptions } from "./officer.ts";
import { fetchProof, verifyEntryProof } from "./proof.ts";
import { collectSealedReleases } from "./releases.ts";

export type VenueRequest = RouteAnswer<
  typeof venueRequestRoutes.officerVenueRequests
>["requests"][number];

/** Pending requests (oldest first), then the newest decided ones. */
export async function listVenueRequests(officer: OfficerOptions): Promise<VenueRequest[]> {
  const answer = await signedCall(signedOptions(officer), venueRequestRoutes.officerVenueRequests);
  return answer.requests;
}

export function refuseVenueRequest(
  officer: OfficerOptions,
  requestId: string,
  reason: string,
): Promise<VenueRequest> {
  return signedCall(signedOptions(officer), venueRequestRoutes.refuseVenueRequest, {
    params: { rid: requestId },
    body: { reason },
  });
}

/** The entry an approval logs: the request's own fields, as the service will compare them. */
export function venueRequestEntryBody(request: VenueRequest): EntryBody {
  return {
    kind: "venue-request",
    venueId: request.venueId,
    entrances: request.entrances.map((e) => e.id),
    windowStart: request.windowStart,
    windowEnd: request.windowEnd,
    reason: request.reason,
    grants: request.grants,
    releaseKey: request.releaseKey ? decodeBase64url(request.releaseKey, 32) : NO_RELEASE_KEY,
  };
}

/**
 * Signs the request's entry with this device and has the service log it — or, for a contacts
 * request still short of officers, keep it: then `request.state` is still "pending", with one
 * more approval. A later officer signs the kept entry (`approvalEntry`), never new bytes.
 */
export async function approveVenueRequest(
  officer: OfficerOptions,
  request: VenueRequest,
  now = Math.floor(Date.now() / 1000),
): Promise<{ request: VenueRequest; entry: LogEntry }> {
  const unsigned = request.approvalEntry
    ? decodeEntry(decodeBase64url(request.approvalEntry)).entry
    : { deployment: officer.deployment, issuedAt: now, body: venueRequestEntryBody(request) };
  const entry = await countersignEntryWith(unsigned, officer.key.publicKey, (m) =>
    officer.key.sign(m),
  );
  const approved = await signedCall(
    signedOptions(officer),
    venueRequestRoutes.approveVenueRequest,
    {
      params: { rid: request.id },
      body: { entry: encodeBase64url(encodeEntry(entry)) },
    },
  );
  return { request: approved, entry };
}

/**
 * For an approved request granting contacts: asks every trustee of the signed record and the log
 * for their releases (with the approval's verified proof), and uploads the answers, still sealed
 * to the venue's key, for the venue. `onAnswer` hears each holder as it answers.
 */
export async function forwardVenueRequestReleases(
  officer: OfficerOptions,
  deployment: AuthorityDeployment,
  request: VenueRequest,
  onAnswer?: (answered: number, of: number) => void,
): Promise<VenueRequest> {
  if (request.state !== "approved" || !request.grants.includes("contacts") || !request.logIndex) {
    throw new LintelError(
      "wrong-state",
      "Only an approved request granting contacts has releases.",
    );
  }
  const proof = await fetchProof(
    officer,
    BigInt(request.logIndex),
    { deployment: deployment.id, logKey: deployment.logKey, witnesses: deployment.witnesses },
    { cosignatures: deployment.witnesses.length },
    verifyEntryProof,
  );
  const body = proof.entry.body;
  if (
    body.kind !== "venue-request" ||
    body.venueId !== request.venueId ||
    !body.grants.includes("contacts") ||
    encodeBase64url(body.releaseKey) !== request.releaseKey
  ) {
    throw new LintelError("bad-proof", "The logged entry is not this venue's contacts request.");
  }
  const releases = await collectSealedReleases(officer, deployment, proof, onAnswer);
  return signedCall(signedOptions(officer), venueRequestRoutes.uploadVenueRequestReleases, {
    params: { rid: request.id },
    body: { releases },
  });
}
