/**
 * The SDK's one way to call the service: JSON in and out, problem details turned into
 * {@link LintelError}s carrying the service's stable code. `fetch` is injectable for Node,
 * tests and venue apps with their own networking. Signed requests (auth/signed-fetch.ts) go
 * through the same {@link send}, so every call maps failures the same way.
 */
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

/**
 * The one place a failed answer becomes an error: an RFC 9457 problem keeps the service's
 * `code`; anything else is "unexpected-response".
 */
export async function errorFromResponse(res: Response): Promise<LintelError> {
  const type = res.headers.get("content-type") ?? "";
  if (type.startsWith("application/problem+json")) {
    let problem: unknown;
    try {
      problem = await res.json();
    } catch {
      problem = undefined;
    }
    if (typeof problem === "object" && problem !== null) {
      const { code, detail, title, serviceTime } = problem as Record<string, unknown>;
      return new LintelError(
        typeof code === "string" ? code : "unexpected-response",
        typeof detail === "string" ? detail : typeof title === "string" ? title : "",
        res.status,
        Number.isSafeInteger(serviceTime) ? (serviceTime as number) : undefined,
      );
    }
  }
  return new LintelError("unexpected-response", `The service answered ${res.status}.`, res.status);
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

export async function getJson<T>(options: ServiceOptions, path: string): Promise<T> {
  const res = await send(options, serviceUrl(options, path), {
    headers: { accept: "application/json" },
  });
  return readJson<T>(res);
}

/** POSTs `body` as JSON and returns the JSON answer (any 2xx). */
export async function postJson<T>(
  options: ServiceOptions,
  path: string,
  body: unknown,
): Promise<T> {
  const res = await send(options, serviceUrl(options, path), {
    method: "POST",
    headers: { accept: "application/json", "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return readJson<T>(res);
}
