/** Stand-ins for what a device submits: the service checks sizes and headers, never decrypts. */
import type { citizenRoutes, RouteInput } from "@lintel/contract";
import {
  CHECKIN_RECORD_BYTES,
  ciphertextBytes,
  deletionTokenHash,
  encodeBase64url,
  newDeletionSecret,
} from "@lintel/protocol";
import {
  type Application,
  applicationIn,
  makeAccount,
  ok,
  signedJson,
} from "./account-fixtures.ts";
import { call } from "./helpers.ts";

export const CIPHERTEXT_BYTES = ciphertextBytes(CHECKIN_RECORD_BYTES);
export const HOUR = 3600;

/** Random bytes of a check-in ciphertext's size, with the v1 header (type 0x45, version 1). */
export function fakeCiphertext(): Uint8Array {
  const ct = crypto.getRandomValues(new Uint8Array(CIPHERTEXT_BYTES));
  ct.set([0x45, 1]);
  return ct;
}

/** The start of the current one-hour slot, Unix seconds. */
export function currentSlot(): number {
  const now = Math.floor(Date.now() / 1000);
  return now - (now % HOUR);
}

export interface Venue {
  app: Application;
  codes: Array<{ entranceId: string; url: string; manualCode: string }>;
}

export async function approvedVenue(): Promise<
  Venue & { operator: Awaited<ReturnType<typeof makeAccount>> }
> {
  const operator = await makeAccount("operator");
  const app = await applicationIn("approved", operator);
  const { codes } = await ok<{ codes: Venue["codes"] }>(
    await signedJson(operator, "GET", `/api/venues/${app.id}/codes`),
  );
  return { app, codes, operator };
}

export const fragment = (url: string) => url.slice(url.indexOf("#") + 1);

/** A check-in body as the API contract declares it; `overrides` may break it on purpose. */
export function body(
  code: string,
  overrides: Record<string, unknown> = {},
  slots = [{ slot: currentSlot(), ciphertext: fakeCiphertext() }],
) {
  const valid: RouteInput<typeof citizenRoutes.checkIn>["body"] = {
    code,
    idempotencyKey: encodeBase64url(crypto.getRandomValues(new Uint8Array(16))),
    deletionHash: encodeBase64url(deletionTokenHash(newDeletionSecret())),
    slots: slots.map((s) => ({ slot: s.slot, ciphertext: encodeBase64url(s.ciphertext) })),
  };
  return { ...valid, ...overrides };
}

export const checkIn = (b: unknown) =>
  call("/api/checkins", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "cf-connecting-ip": `198.51.100.${Math.floor(Math.random() * 250) + 1}`,
    },
    body: JSON.stringify(b),
  });
