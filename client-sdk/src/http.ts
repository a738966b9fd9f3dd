/**
 * The SDK's one way to call the service: JSON in and out, problem details turned into
 * {@link LintelError}s carrying the service's stable code. `fetch` is injectable for Node,
 * tests and venue apps with their own networking.
 */
import { LintelError } from "./errors.ts";

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface ServiceOptions {
  /** Base URL of the Lintel service, e.g. "https://checkin.example.org". */
  readonly baseUrl: string;
  readonly fetch?: FetchLike;
}

export async function getJson<T>(options: ServiceOptions, path: string): Promise<T> {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  let res: Response;
  try {
    res = await doFetch(new URL(path, options.baseUrl).href, {
      headers: { accept: "application/json" },
    });
  } catch {
    throw new LintelError("network", "The service could not be reached.");
  }
  const type = res.headers.get("content-type") ?? "";
  if (!res.ok) {
    if (type.startsWith("application/problem+json")) {
      const problem = (await res.json()) as { code?: string; detail?: string; title?: string };
      throw new LintelError(
        problem.code ?? "unexpected-response",
        problem.detail ?? problem.title ?? "",
        res.status,
      );
    }
    throw new LintelError("unexpected-response", `The service answered ${res.status}.`, res.status);
  }
  if (!type.startsWith("application/json")) {
    throw new LintelError(
      "unexpected-response",
      "The service did not answer with JSON.",
      res.status,
    );
  }
  return (await res.json()) as T;
}
