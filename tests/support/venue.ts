/**
 * A venue with an operator, made through the API exactly as an operator and the registry would:
 * an operator account whose device key is a seed held here, an application with its two
 * documents, submitted and approved by the demo registry reviewer. The demo venue has no
 * operator, so tests that need one (staff, kiosks) make their own with this. Each venue applies
 * with a licence number of its own (the service registers a licence number once) unless the
 * input names one.
 */
import { randomBytes } from "node:crypto";
import {
  type DeviceKey,
  deviceKeyFromSeed,
  type SignedServiceOptions,
  signedCall,
} from "@lintel/client-sdk";
import {
  accountRoutes,
  applicationRoutes,
  DOCUMENT_KINDS,
  operatorRoutes,
  type RouteAnswer,
  type RouteInput,
  registryRoutes,
} from "@lintel/contract";
import { deviceKeyName, encodeBase64url } from "@lintel/protocol";
import QRCode from "qrcode";
import { freshLicenceNumber } from "./licence.ts";

/** What an operator applies with: the contract's application body. */
export type VenueInput = RouteInput<typeof applicationRoutes.createApplication>["body"];

/** An entrance's current code, as the operator's poster page gets it. */
export type EntranceCode = RouteAnswer<typeof operatorRoutes.venueCodes>["codes"][number];

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

export interface Application {
  readonly operator: SignedServiceOptions;
  readonly venueId: string;
}

/**
 * A new operator's application with its documents, submitted unless `submit` is false.
 * `beforeSubmit`, when given, runs on the draft with its documents, before it is submitted (to
 * edit it as an operator would, say to put the entrances in another order).
 */
export async function operatorApplication(
  service: { readonly baseUrl: string; readonly deployment: string },
  input: VenueInput,
  operatorLabel: string,
  options: {
    readonly submit?: boolean;
    readonly beforeSubmit?: (operator: SignedServiceOptions, venueId: string) => Promise<void>;
  } = {},
): Promise<Application> {
  const operatorKey = deviceKeyFromSeed(new Uint8Array(randomBytes(32)));
  const operator = signerFor(service.baseUrl, service.deployment, operatorKey);
  await signedCall(operator, accountRoutes.signUpOperator, {
    body: { label: operatorLabel, publicKey: encodeBase64url(operatorKey.publicKey) },
  });
  const { id: venueId } = await signedCall(operator, applicationRoutes.createApplication, {
    body: { ...input, licenceNumber: input.licenceNumber ?? freshLicenceNumber() },
  });
  for (const kind of DOCUMENT_KINDS) {
    await signedCall(operator, applicationRoutes.uploadDocument, {
      params: { id: venueId, kind },
      bytes: await QRCode.toBuffer(kind, { type: "png" }),
      contentType: "image/png",
    });
  }
  await options.beforeSubmit?.(operator, venueId);
  if (options.submit !== false) {
    await signedCall(operator, applicationRoutes.submitApplication, { params: { id: venueId } });
  }
  return { operator, venueId };
}

/** An application as `operatorApplication` makes it, approved by `registry`. */
export async function approvedVenue(
  registry: SignedServiceOptions,
  input: VenueInput,
  operatorLabel: string,
  beforeSubmit?: (operator: SignedServiceOptions, venueId: string) => Promise<void>,
): Promise<ApprovedVenue> {
  const { operator, venueId } = await operatorApplication(registry, input, operatorLabel, {
    ...(beforeSubmit ? { beforeSubmit } : {}),
  });
  await signedCall(registry, registryRoutes.approveApplication, { params: { id: venueId } });
  const { codes } = await signedCall(operator, operatorRoutes.venueCodes, {
    params: { id: venueId },
  });
  return { operator, venueId, entrances: codes };
}

/** A staff member of `entranceIds`: the operator's one-time code. */
export async function staffEnrolmentCode(
  venue: ApprovedVenue,
  label: string,
  entranceIds: readonly string[],
): Promise<string> {
  const { enrolmentCode } = await signedCall(venue.operator, operatorRoutes.addStaff, {
    params: { id: venue.venueId },
    body: { label, entranceIds: [...entranceIds] },
  });
  return enrolmentCode;
}

/** A staff device enrolled here in Node with `code`, signing with a key from a fresh seed. */
export async function enrolledStaffDevice(
  venue: ApprovedVenue,
  code: string,
): Promise<SignedServiceOptions> {
  const key = deviceKeyFromSeed(new Uint8Array(randomBytes(32)));
  const staff = signerFor(venue.operator.baseUrl, venue.operator.deployment, key);
  await signedCall(staff, accountRoutes.enrol, {
    body: { code, publicKey: encodeBase64url(key.publicKey) },
  });
  return staff;
}
