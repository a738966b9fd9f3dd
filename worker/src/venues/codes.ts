/**
 * Issuing entrance codes (PROTOCOL.md §3): one signed code per entrance and version, made when
 * the registry approves a venue and again whenever a code is replaced. A code whose QR would be
 * larger than a poster can carry (§3.3) is refused before anything is stored.
 */
import {
  CODE_REPLACEMENT_REASONS,
  codeQrVersion,
  ED25519_SIGNATURE_BYTES,
  encodeEntry,
  encodeVenueCodePayload,
  MAX_POSTER_QR_VERSION,
  manualCodeFor,
  newVenueCode,
  signEntry,
  signVenueCode,
  type VenueCategory,
  type VenueCode,
  venueCodeUrl,
} from "@lintel/protocol";
import { loadDeployment } from "../config/deployment.ts";
import { secretPublicKey, secretSeed } from "../config/secrets.ts";
import type { Env } from "../env.ts";
import { ProblemError } from "../problems/problem.ts";
import type { VenueRow } from "./store.ts";

export { CODE_REPLACEMENT_REASONS };
export type ReplacementReason = (typeof CODE_REPLACEMENT_REASONS)[number];

export interface CodeVenue {
  readonly id: string;
  readonly nameEn: string;
  readonly nameZh: string;
  readonly category: string;
  readonly askIdNumber: boolean;
}

/** What a code needs of a stored venue. */
export function codeVenue(venue: VenueRow): CodeVenue {
  return {
    id: venue.id,
    nameEn: venue.nameEn,
    nameZh: venue.nameZh,
    category: venue.category,
    askIdNumber: venue.askIdNumber === 1,
  };
}

export interface CodeEntrance {
  readonly id: string;
  readonly labelEn: string;
  readonly labelZh: string;
}

export interface IssuedEntranceCode {
  readonly entranceId: string;
  readonly version: number;
  readonly signed: Uint8Array;
  readonly manualCode: string;
  readonly url: string;
}

function entranceCode(
  env: Env,
  venue: CodeVenue,
  entrance: CodeEntrance,
  version: number,
  now: Date,
): VenueCode {
  return newVenueCode({
    deployment: loadDeployment(env.LINTEL_DEPLOYMENT).id,
    venueId: venue.id,
    entranceId: entrance.id,
    version,
    venueName: { zh: venue.nameZh, en: venue.nameEn },
    entranceName: { zh: entrance.labelZh, en: entrance.labelEn },
    category: venue.category as VenueCategory,
    askIdNumber: venue.askIdNumber,
    registryPublicKey: secretPublicKey(env, "REGISTRY_SIGNING_KEY"),
    now,
  });
}

function tooLargeForPoster(url: string): boolean {
  return codeQrVersion(url) > MAX_POSTER_QR_VERSION;
}

export function issueEntranceCode(
  env: Env,
  origin: string,
  venue: CodeVenue,
  entrance: CodeEntrance,
  version: number,
  now: Date,
): IssuedEntranceCode {
  const signed = signVenueCode(
    entranceCode(env, venue, entrance, version, now),
    secretSeed(env, "REGISTRY_SIGNING_KEY"),
  );
  const url = venueCodeUrl(origin, signed);
  if (tooLargeForPoster(url)) {
    throw new ProblemError(
      "code-too-large",
      `The code for entrance ${entrance.id} would need a QR larger than version ${MAX_POSTER_QR_VERSION}.`,
    );
  }
  return { entranceId: entrance.id, version, signed, manualCode: manualCodeFor(signed), url };
}

/**
 * Refuses, when an operator saves an application, names its codes could not carry on a poster
 * (PROTOCOL.md §3.3): each entrance's code is laid out as the registry would issue it, with a
 * signature's worth of zero bytes (the size is what counts), so the operator learns now rather
 * than at approval.
 */
export function checkNamesFitPosters(
  env: Env,
  origin: string,
  venue: CodeVenue,
  entrances: readonly CodeEntrance[],
): void {
  const now = new Date();
  for (const [index, entrance] of entrances.entries()) {
    const payload = encodeVenueCodePayload(entranceCode(env, venue, entrance, 1, now));
    const unsigned = new Uint8Array(payload.length + ED25519_SIGNATURE_BYTES);
    unsigned.set(payload);
    if (tooLargeForPoster(venueCodeUrl(origin, unsigned))) {
      throw new ProblemError(
        "code-too-large",
        `The venue's name and entrance ${index + 1}'s name, in both languages, are too long for a poster's QR code (version ${MAX_POSTER_QR_VERSION} at most): shorten them.`,
      );
    }
  }
}

/** The registry-signed log entry that announces a replacement (PROTOCOL.md §10.3). */
export function codeReplacementEntry(
  env: Env,
  venueId: string,
  entranceId: string,
  newVersion: number,
  reason: ReplacementReason,
  issuedAt: number,
): Uint8Array {
  const deployment = loadDeployment(env.LINTEL_DEPLOYMENT).id;
  return encodeEntry(
    signEntry(
      {
        deployment,
        issuedAt,
        body: { kind: "code-replacement", venueId, entranceId, newVersion, reason },
      },
      [secretSeed(env, "REGISTRY_SIGNING_KEY")],
    ),
  );
}

/**
 * The registry-signed entries that tell the log these entrances are issued (PROTOCOL.md §10.3):
 * the log refuses a query naming an entrance it never saw issued.
 */
export function entranceIssuedEntries(
  env: Env,
  venueId: string,
  entranceIds: readonly string[],
  issuedAt: number,
): Uint8Array[] {
  const deployment = loadDeployment(env.LINTEL_DEPLOYMENT).id;
  const registry = secretSeed(env, "REGISTRY_SIGNING_KEY");
  return entranceIds.map((entranceId) =>
    encodeEntry(
      signEntry({ deployment, issuedAt, body: { kind: "entrance-issued", venueId, entranceId } }, [
        registry,
      ]),
    ),
  );
}
