/**
 * The SDK's one way to call the service: a typed client derived from the API contract
 * (`@lintel/contract`). A call names a route of the contract; its inputs are typed by the
 * route's schemas and its answer is parsed with the route's answer schema, so what a caller gets
 * is what the contract says or an "unexpected-response" error. Problem answers become
 * {@link LintelError}s through the contract's one problem parser. `fetch` is injectable for
 * Node, tests and venue apps with their own networking. Signed requests (auth/signed-fetch.ts)
 * go through the same {@link send} and {@link readAnswer}.
 */
import {
  isRawAnswer,
  type Problem,
  pathOf,
  type RawAnswer,
  type RouteAnswer,
  type RouteContract,
  type RouteInput,
  readProblem,
} from "@lintel/contract";
import type * as z from "zod";
import { LintelError } from "./errors.ts";

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface ServiceOptions {
  /** Base URL of the Lintel service, e.g. "https://checkin.example.org". */
  readonly baseUrl: string;
  readonly fetch?: FetchLike;
}

/** Where `path` (with any query string) on the service is. */
export function serviceUrl(options: ServiceOptions, path: string): URL {
  return new URL(path, options.baseUrl);
}

/** The error a problem answer stands for, keeping the service's code. */
export function errorOfProblem(problem: Problem): LintelError {
  return new LintelError(
    problem.code,
    problem.message,
    problem.status,
    problem.serviceTime,
    problem.retryAfterSeconds,
    problem.scanInstead,
  );
}

/**
 * The one place a failed answer becomes an error: an RFC 9457 problem keeps the service's
 * `code`; anything else is "unexpected-response".
 */
export async function errorFromResponse(res: Response): Promise<LintelError> {
  return errorOfProblem(await readProblem(res));
}

/**
 * Sends one request. Resolves with a 2xx response; a failure to reach the service is "network",
 * any other answer the error {@link errorFromResponse} makes of it.
 */
export async function send(
  options: ServiceOptions,
  url: URL,
  init: RequestInit,
): Promise<Response> {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  let res: Response;
  try {
    res = await doFetch(url.href, init);
  } catch {
    throw new LintelError("network", "The service could not be reached.");
  }
  if (!res.ok) throw await errorFromResponse(res);
  return res;
}

/** The JSON body of a successful response; anything but `application/json` is refused. */
export async function readJson<T>(res: Response): Promise<T> {
  const type = res.headers.get("content-type") ?? "";
  if (!type.startsWith("application/json")) {
    throw new LintelError(
      "unexpected-response",
      "The service did not answer with JSON.",
      res.status,
    );
  }
  return (await res.json()) as T;
}

/** A 2xx answer of `route`, parsed with the contract's schema for its status. */
export async function readAnswer<R extends RouteContract>(
  route: R,
  res: Response,
): Promise<RouteAnswer<R>> {
  const schema = (
    route.responses as Readonly<Record<number, z.ZodType | RawAnswer | null | undefined>>
  )[res.status];
  if (schema === null) return undefined as RouteAnswer<R>;
  if (isRawAnswer(schema)) {
    return new Uint8Array(await res.arrayBuffer()) as unknown as RouteAnswer<R>;
  }
  if (schema === undefined) {
    throw new LintelError(
      "unexpected-response",
      `The service answered ${res.status}, which ${route.id} does not.`,
      res.status,
    );
  }
  const parsed = schema.safeParse(await readJson<unknown>(res));
  if (!parsed.success) {
    throw new LintelError(
      "unexpected-response",
      `The service's answer to ${route.id} is not what the API contract says.`,
      res.status,
    );
  }
  return parsed.data as RouteAnswer<R>;
}

/** A route's inputs, optional when it has none. */
export type InputArgs<R extends RouteContract> =
  object extends RouteInput<R> ? [input?: RouteInput<R>] : [input: RouteInput<R>];

interface LooseInput {
  readonly params?: Readonly<Record<string, unknown>>;
  readonly query?: Readonly<Record<string, unknown>>;
  readonly body?: unknown;
  /** A raw body (a route with `rawBody`: an uploaded document) and its media type. */
  readonly bytes?: Uint8Array;
  readonly contentType?: string;
}

/**
 * The bytes a call sends and their media type: a JSON body as `JSON.stringify` writes it, or a
 * raw body copied once (the bytes signed are the bytes sent, whatever the caller does with its
 * array); undefined for a call without a body.
 */
export function requestBodyOf(
  input: LooseInput,
): { bytes: Uint8Array<ArrayBuffer>; contentType: string } | undefined {
  if (input.bytes !== undefined) {
    return {
      bytes: new Uint8Array(input.bytes),
      contentType: input.contentType ?? "application/octet-stream",
    };
  }
  if (input.body === undefined) return undefined;
  return {
    // Copied into an ArrayBuffer of its own: some TextEncoder typings allow a shared buffer.
    bytes: new Uint8Array(new TextEncoder().encode(JSON.stringify(input.body))),
    contentType: "application/json",
  };
}

/** The path and query string of a call (the path parameters percent-encoded). */
export function requestPath(route: RouteContract, input: LooseInput = {}): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(input.query ?? {})) {
    if (value !== undefined) query.set(name, String(value));
  }
  const search = query.size > 0 ? `?${query}` : "";
  return pathOf(route, input.params) + search;
}

/** Calls a public route of the contract and returns its answer, parsed. */
export async function callRoute<R extends RouteContract>(
  options: ServiceOptions,
  route: R,
  ...[input]: InputArgs<R>
): Promise<RouteAnswer<R>> {
  const loose = (input ?? {}) as LooseInput;
  const headers: Record<string, string> = { accept: "application/json" };
  const raw = loose.bytes === undefined ? undefined : requestBodyOf(loose);
  // A JSON body goes as text: an injected fetch (a venue app's own) may expect a string.
  const body = raw ? raw.bytes : loose.body === undefined ? undefined : JSON.stringify(loose.body);
  if (raw) headers["content-type"] = raw.contentType;
  else if (body !== undefined) headers["content-type"] = "application/json";
  const res = await send(options, serviceUrl(options, requestPath(route, loose)), {
    method: route.method,
    headers,
    ...(body === undefined ? {} : { body }),
  });
  return readAnswer(route, res);
}
