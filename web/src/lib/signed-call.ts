/**
 * A signed page's typed call of a route of the API contract: signed with the device key this
 * browser keeps for the page's role, answered as the contract says (the SDK's `signedCall`
 * parses every answer with the route's schema), so a page holds no copy of an answer's shape.
 */
import {
  type InputArgs,
  LintelError,
  loadDeviceKey,
  type SignedServiceOptions,
  signedCall,
} from "@lintel/client-sdk";
import type { RouteAnswer, RouteContract } from "@lintel/contract";
import { deviceKeyName } from "@lintel/protocol";
import type { SignedPage } from "./page.ts";

/** The SDK's options for calls signed with the device key kept under `role`. */
export async function signedService(
  role: string,
  deployment: string,
): Promise<SignedServiceOptions> {
  const key = await loadDeviceKey(role);
  if (!key) throw new LintelError("session-expired", "This device is not signed in.");
  return { baseUrl: location.origin, deployment, keyName: deviceKeyName(deployment), key };
}

/** Calls `route` signed by `page`'s device; a signed-out page fails with session-expired. */
export async function callSigned<R extends RouteContract>(
  page: SignedPage,
  route: R,
  ...input: InputArgs<R>
): Promise<RouteAnswer<R>> {
  page.signedIn();
  return signedCall(await signedService(page.role, page.deployment.id), route, ...input);
}
