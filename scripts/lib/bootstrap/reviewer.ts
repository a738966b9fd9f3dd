/**
 * Asks a running service for a registry reviewer account (POST /api/registry/reviewers), signed
 * with the registry key on the machine that holds it; returns the account and its one-time
 * enrolment code, which the reviewer types into /registry/ on their own device.
 */

import { deviceKeyFromSeed, LintelError, signedCall } from "@lintel/client-sdk";
import { accountRoutes, type RouteAnswer } from "@lintel/contract";
import { decodeBase64url, deviceKeyName } from "@lintel/protocol";

export type NewReviewer = RouteAnswer<typeof accountRoutes.createReviewer>;

export async function requestReviewer(
  serviceUrl: string,
  deployment: string,
  registrySecretKey: string,
  label: string,
): Promise<NewReviewer> {
  const route = accountRoutes.createReviewer;
  // The registry key signs as a device key of this deployment would: the same statement (§6.1).
  const options = {
    baseUrl: serviceUrl,
    deployment,
    keyName: deviceKeyName(deployment),
    key: deviceKeyFromSeed(decodeBase64url(registrySecretKey, 32)),
  };
  try {
    return await signedCall(options, route, { body: { label } });
  } catch (e) {
    if (e instanceof LintelError) throw new Error(`${route.path}: ${e.code}: ${e.message}`);
    throw e;
  }
}
