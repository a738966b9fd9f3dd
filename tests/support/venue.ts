/**
 * A venue with an operator, made through the API exactly as an operator and the registry would:
 * an operator account whose device key is a seed held here, an application with its two
 * documents, submitted and approved by the demo registry reviewer. The demo venue has no
 * operator, so tests that need one (staff, kiosks) make their own with this.
 */
import { randomBytes } from "node:crypto";
import {
  type DeviceKey,
  deviceKeyFromSeed,
  type SignedServiceOptions,
  signedJson,
  signedUpload,
} from "@lintel/client-sdk";
import { deviceKeyName, encodeBase64url } from "@lintel/protocol";
import QRCode from "qrcode";

export interface VenueInput {
  readonly name: { readonly en: string; readonly zh: string };
  readonly address: string;
  readonly category: string;
  readonly contact: { readonly person: string; readonly phone: string };
  readonly entrances: ReadonlyArray<{
    readonly label: { readonly en: string; readonly zh: string };
  }>;
}

export interface EntranceCode {
  readonly entranceId: string;
  readonly label: { readonly en: string; readonly zh: string };
  readonly url: string;
}

export interface ApprovedVenue {
  readonly operator: SignedServiceOptions;
  readonly venueId: string;
  readonly entrances: readonly EntranceCode[];
}

/** How a test signs as `key` on the service at `baseUrl`. */
export function signerFor(
  baseUrl: string,
  deployment: string,
  key: DeviceKey,
): SignedServiceOptions {
  return { baseUrl, deployment, keyName: deviceKeyName(deployment), key };
}

export async function approvedVenue(
  registry: SignedServiceOptions,
  input: VenueInput,
  operatorLabel: string,
): Promise<ApprovedVenue> {
  const operatorKey = deviceKeyFromSeed(new Uint8Array(randomBytes(32)));
  const operator = signerFor(registry.baseUrl, registry.deployment, operatorKey);
  await signedJson(operator, "POST", "/api/auth/operators", {
    label: operatorLabel,
    publicKey: encodeBase64url(operatorKey.publicKey),
  });
  const { id: venueId } = await signedJson<{ id: string }>(
    operator,
    "POST",
    "/api/applications",
    input,
  );
  for (const kind of ["licence", "floor-plan"]) {
    await signedUpload(
      operator,
      "PUT",
      `/api/applications/${venueId}/documents/${kind}`,
      await QRCode.toBuffer(kind, { type: "png" }),
      "image/png",
    );
  }
  await signedJson(operator, "POST", `/api/applications/${venueId}/submit`);
  await signedJson(registry, "POST", `/api/registry/applications/${venueId}/approve`);
  const { codes } = await signedJson<{ codes: EntranceCode[] }>(
    operator,
    "GET",
    `/api/venues/${venueId}/codes`,
  );
  return { operator, venueId, entrances: codes };
}

/** A staff member of `entranceIds`: the operator's one-time code. */
export async function staffEnrolmentCode(
  venue: ApprovedVenue,
  label: string,
  entranceIds: readonly string[],
): Promise<string> {
  const { enrolmentCode } = await signedJson<{ enrolmentCode: string }>(
    venue.operator,
    "POST",
    `/api/venues/${venue.venueId}/staff`,
    { label, entranceIds },
  );
  return enrolmentCode;
}

/** A staff device enrolled here in Node with `code`, signing with a key from a fresh seed. */
export async function enrolledStaffDevice(
  venue: ApprovedVenue,
  code: string,
): Promise<SignedServiceOptions> {
  const key = deviceKeyFromSeed(new Uint8Array(randomBytes(32)));
  const staff = signerFor(venue.operator.baseUrl, venue.operator.deployment, key);
  await signedJson(staff, "POST", "/api/auth/enrol", {
    code,
    publicKey: encodeBase64url(key.publicKey),
  });
  return staff;
}
