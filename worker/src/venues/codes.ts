/**
 * Issuing entrance codes (PROTOCOL.md §3): one signed code per entrance and version, made when
 * the registry approves a venue and again whenever a code is replaced. A code whose QR would be
 * larger than a poster can carry (§3.3) is refused before anything is stored.
 */
import {
  CODE_REPLACEMENT_REASONS,
  codeQrVersion,
  encodeEntry,
  MAX_POSTER_QR_VERSION,
  manualCodeFor,
  newVenueCode,
  signEntry,
  signVenueCode,
  type VenueCategory,
  venueCodeUrl,
} from "@lintel/protocol";
import { loadDeployment } from "../config/deployment.ts";
import { secretPublicKey, secretSeed } from "../config/secrets.ts";
import type { Env } from "../env.ts";
import { ProblemError } from "../problems/problem.ts";
import { codeEntranceName } from "./application-schema.ts";

export { CODE_REPLACEMENT_REASONS };
export type ReplacementReason = (typeof CODE_REPLACEMENT_REASONS)[number];

export interface CodeVenue {
  readonly id: string;
  readonly nameZh: string;
  readonly category: string;
  readonly askIdNumber: boolean;
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

export function issueEntranceCode(
  env: Env,
  origin: string,
  venue: CodeVenue,
  entrance: CodeEntrance,
  version: number,
  now: Date,
): IssuedEntranceCode {
  const deployment = loadDeployment(env.LINTEL_DEPLOYMENT).id;
  const signed = signVenueCode(
    newVenueCode({
      deployment,
      venueId: venue.id,
      entranceId: entrance.id,
      version,
      venueName: venue.nameZh,
      entranceName: codeEntranceName({ en: entrance.labelEn, zh: entrance.labelZh }),
      category: venue.category as VenueCategory,
      askIdNumber: venue.askIdNumber,
      registryPublicKey: secretPublicKey(env, "REGISTRY_SIGNING_KEY"),
      now,
    }),
    secretSeed(env, "REGISTRY_SIGNING_KEY"),
  );
  const url = venueCodeUrl(origin, signed);
  if (codeQrVersion(url) > MAX_POSTER_QR_VERSION) {
    throw new ProblemError(
      "code-too-large",
      `The code for entrance ${entrance.id} would need a QR larger than version ${MAX_POSTER_QR_VERSION}.`,
    );
  }
  return { entranceId: entrance.id, version, signed, manualCode: manualCodeFor(signed), url };
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
