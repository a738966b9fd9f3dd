/**
 * A signed page's calls of routes the API contract declares: the device key this browser keeps
 * for the page's role signs the request, and the SDK parses the answer with the route's schema,
 * so a page reads typed answers and never casts one.
 */
import { type InputArgs, LintelError, loadDeviceKey, signedCall } from "@lintel/client-sdk";
import type { RouteAnswer, RouteContract } from "@lintel/contract";
import { deviceKeyName } from "@lintel/protocol";
import type { SignedPage } from "./page.ts";

export async function callSigned<R extends RouteContract>(
  page: SignedPage,
  route: R,
  ...input: InputArgs<R>
): Promise<RouteAnswer<R>> {
  const key = await loadDeviceKey(page.signedIn().storeName);
  // Signed out in another tab: the same failure as a key the service no longer knows.
  if (!key) throw new LintelError("session-expired", "This device is not signed in.");
  const deployment = page.deployment.id;
  const service = { baseUrl: location.origin, deployment, keyName: deviceKeyName(deployment), key };
  return signedCall(service, route, ...input);
}
