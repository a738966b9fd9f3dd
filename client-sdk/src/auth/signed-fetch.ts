/**
 * Privileged calls: each request carries a `Lintel-Statement` header (PROTOCOL.md §6.1), a
 * statement signed with the caller's device key that binds the deployment, the key id, the
 * method, the path with its query string, the time and the SHA-256 of the exact body bytes.
 * The body is built once, signed and sent as those same bytes. Errors are mapped like every other
 * SDK call (http.ts): the service's problem code, "network" or "unexpected-response".
 *
 * Building the statement can also throw the protocol's ProtocolError: "field-too-long" for a
 * deployment over 32 bytes or a path over 200, "bad-value" for a key name that cannot name a
 * verifier key; and whatever the device key's `sign` rejects with.
 */

import type { RouteAnswer, RouteContract } from "@lintel/contract";
import {
  ed25519KeyId,
  encodeBase64url,
  type StatementAudience,
  signRequestWith,
} from "@lintel/protocol";
import { LintelError } from "../errors.ts";
import {
  type InputArgs,
  readAnswer,
  readJson,
  requestBodyOf,
  requestPath,
  type ServiceOptions,
  send,
  serviceUrl,
} from "../http.ts";
import type { DeviceKey } from "./device-key.ts";

/** The request header that carries the signed statement, as base64url. */
export const STATEMENT_HEADER = "Lintel-Statement";

export interface SignedServiceOptions extends ServiceOptions {
  /** The deployment id the service expects in statements (its `/api/deployment` `id`). */
  readonly deployment: string;
  /** The name of the key's verifier key (§2.2); with the public key it gives the key id. */
  readonly keyName: string;
  readonly key: DeviceKey;
  /** The one receiver the statement is for, where several share a path (a release, §6.1 v2). */
  readonly audience?: StatementAudience;
}

export type SignedMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** The key id a statement names: the C2SP key hash of `keyName` and the device's public key. */
function statementKeyId(options: Pick<SignedServiceOptions, "keyName" | "key">): Uint8Array {
  return ed25519KeyId(options.keyName, options.key.publicKey);
}

async function sendSigned(
  options: SignedServiceOptions,
  method: SignedMethod,
  path: string,
  body: Uint8Array<ArrayBuffer> | undefined,
  headers: Record<string, string>,
): Promise<Response> {
  const url = serviceUrl(options, path);
  // A statement is only ever sent to the service it was made for.
  if (url.origin !== new URL(options.baseUrl).origin) {
    throw new LintelError("bad-request", "A signed request goes to the service's own origin.");
  }
  if (body !== undefined && method === "GET") {
    throw new LintelError("bad-request", "A GET request has no body.");
  }
  const statement = await signRequestWith(
    {
      deployment: options.deployment,
      keyId: statementKeyId(options),
      method,
      // What the request line carries: the normalised path and the query string, if any.
      path: url.pathname + url.search,
      body: body ?? new Uint8Array(0),
      now: new Date(),
      ...(options.audience ? { audience: options.audience } : {}),
    },
    (message) => options.key.sign(message),
  );
  return send(options, url, {
    method,
    headers: { ...headers, [STATEMENT_HEADER]: encodeBase64url(statement) },
    ...(body === undefined ? {} : { body }),
  });
}

async function readSignedJson<T>(res: Response): Promise<T> {
  // An action with nothing to report (204 No Content) resolves to undefined.
  if (res.status === 204) return undefined as T;
  return readJson<T>(res);
}

/**
 * A signed call with an optional JSON body (sent as `application/json`, exactly the bytes of
 * `JSON.stringify(body)`), answered with JSON. A 204 answer resolves to undefined.
 */
export async function signedJson<T>(
  options: SignedServiceOptions,
  method: SignedMethod,
  path: string,
  body?: unknown,
): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  let bytes: Uint8Array<ArrayBuffer> | undefined;
  if (body !== undefined) {
    bytes = new TextEncoder().encode(JSON.stringify(body));
    headers["content-type"] = "application/json";
  }
  return readSignedJson<T>(await sendSigned(options, method, path, bytes, headers));
}

/**
 * A signed call of a route of the API contract; its answer is parsed with the route's schema.
 * A route with a raw body (an upload) takes `bytes` and `contentType` in place of `body`.
 */
export async function signedCall<R extends RouteContract>(
  options: SignedServiceOptions,
  route: R,
  ...[input]: InputArgs<R>
): Promise<RouteAnswer<R>> {
  const loose = (input ?? {}) as Parameters<typeof requestBodyOf>[0];
  const headers: Record<string, string> = { accept: "application/json" };
  const body = requestBodyOf(loose);
  if (body) headers["content-type"] = body.contentType;
  const res = await sendSigned(
    options,
    route.method,
    requestPath(route, loose),
    body?.bytes,
    headers,
  );
  return readAnswer(route, res);
}

/** A signed call whose body is `bytes` of type `contentType` (a logo, a PDF), answered with JSON. */
export async function signedUpload<T>(
  options: SignedServiceOptions,
  method: SignedMethod,
  path: string,
  bytes: Uint8Array,
  contentType: string,
): Promise<T> {
  // Copied once: the bytes signed are the bytes sent, whatever the caller does with its array.
  const body = new Uint8Array(bytes);
  const res = await sendSigned(options, method, path, body, {
    accept: "application/json",
    "content-type": contentType,
  });
  return readSignedJson<T>(res);
}

/** A signed GET of something that is not JSON (a poster PDF, an export). */
export async function signedGetBytes(
  options: SignedServiceOptions,
  path: string,
): Promise<{ bytes: Uint8Array; contentType: string }> {
  const res = await sendSigned(options, "GET", path, undefined, { accept: "*/*" });
  return {
    bytes: new Uint8Array(await res.arrayBuffer()),
    contentType: res.headers.get("content-type") ?? "application/octet-stream",
  };
}
