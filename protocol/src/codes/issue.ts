/**
 * What a registry puts into a new entrance code. Default stays per category are the suggestion a
 * device uses for automatic check-out when the person does not say; a venue may be given another.
 */
import { ed25519KeyId } from "../keys/verifier-key.ts";
import { dayNumber, type SignedName, type VenueCategory, type VenueCode } from "./venue-code.ts";

export const DEFAULT_STAY_MINUTES: Readonly<Record<VenueCategory, number>> = {
  other: 60,
  restaurant: 90,
  shop: 30,
  library: 90,
  gym: 90,
  office: 480,
  school: 480,
  hospital: 120,
  transport: 30,
  event: 180,
  worship: 90,
  hotel: 720,
  entertainment: 180,
};

/** The registry's key name in its C2SP verifier key: "<deployment>/registry". */
export function registryKeyName(deployment: string): string {
  return `${deployment}/registry`;
}

export interface CodeRequest {
  readonly deployment: string;
  readonly venueId: string;
  readonly entranceId: string;
  readonly version: number;
  readonly venueName: SignedName;
  readonly entranceName: SignedName;
  readonly category: VenueCategory;
  readonly askIdNumber: boolean;
  readonly registryPublicKey: Uint8Array;
  readonly now: Date;
  /** How long a poster stays valid; a year by default. */
  readonly validDays?: number;
}

export function newVenueCode(r: CodeRequest): VenueCode {
  const today = dayNumber(r.now);
  return {
    deployment: r.deployment,
    venueId: r.venueId,
    entranceId: r.entranceId,
    codeVersion: r.version,
    venueName: r.venueName,
    entranceName: r.entranceName,
    category: r.category,
    defaultStayMinutes: DEFAULT_STAY_MINUTES[r.category],
    contactFields: { name: true, phone: true, idNumber: r.askIdNumber },
    // From yesterday, so a device whose clock runs a little slow still accepts a fresh poster.
    validFromDay: today - 1,
    validUntilDay: today + (r.validDays ?? 365),
    registryKeyId: ed25519KeyId(registryKeyName(r.deployment), r.registryPublicKey),
  };
}
