/**
 * An officer's side of venue requests (PROTOCOL.md §11.7): list them, refuse one with a reason,
 * or approve one by signing its `venue-request` entry with this device's key — the entry says
 * exactly what the venue asked for, under the grants the request was filed with, and the service
 * logs it. Nothing here releases a key: a venue never reads a check-in.
 */
import { type RouteAnswer, venueRequestRoutes } from "@lintel/contract";
import {
  countersignEntryWith,
  decodeBase64url,
  type EntryBody,
  encodeBase64url,
  encodeEntry,
  type LogEntry,
  NO_RELEASE_KEY,
} from "@lintel/protocol";
import { signedCall } from "../auth/signed-fetch.ts";
import { type OfficerOptions, signedOptions } from "./officer.ts";

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

/** Signs the request's entry with this device and has the service log it. */
export async function approveVenueRequest(
  officer: OfficerOptions,
  request: VenueRequest,
  now = Math.floor(Date.now() / 1000),
): Promise<{ request: VenueRequest; entry: LogEntry }> {
  const entry = await countersignEntryWith(
    { deployment: officer.deployment, issuedAt: now, body: venueRequestEntryBody(request) },
    officer.key.publicKey,
    (m) => officer.key.sign(m),
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
