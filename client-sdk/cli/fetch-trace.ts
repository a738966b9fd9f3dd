/**
 * A fetch that remembers what failed. The SDK turns failures into LintelErrors with a stable
 * code but without the URL; a command line must say which address did not answer (a trustee,
 * the service, the log) and what problem type came back, so the CLI passes this wrapper as the
 * SDK's fetch and reads the failures back when it reports an error.
 */
import type { FetchLike } from "../src/http.ts";

export interface FailedRequest {
  readonly url: string;
  /** Absent when nothing answered. */
  readonly status?: number;
  /** The RFC 9457 `type` and `code` when the answer was a problem document. */
  readonly problemType?: string;
  readonly problemCode?: string;
  /** Why the connection failed, as the runtime said (e.g. ECONNREFUSED). */
  readonly cause?: string;
}

export interface TracedFetch {
  readonly fetch: FetchLike;
  /** Failures in the order they happened. */
  readonly failures: readonly FailedRequest[];
}

function causeOf(e: unknown): string {
  const cause = e instanceof Error && e.cause instanceof Error ? e.cause : e;
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return typeof code === "string" ? code : cause.message;
  }
  return String(cause);
}

async function problemOf(
  res: Response,
): Promise<Pick<FailedRequest, "problemType" | "problemCode">> {
  if (!(res.headers.get("content-type") ?? "").startsWith("application/problem+json")) return {};
  try {
    const body = (await res.clone().json()) as Record<string, unknown>;
    return {
      ...(typeof body.type === "string" ? { problemType: body.type } : {}),
      ...(typeof body.code === "string" ? { problemCode: body.code } : {}),
    };
  } catch {
    return {};
  }
}

export function traceFetch(inner: FetchLike = globalThis.fetch.bind(globalThis)): TracedFetch {
  const failures: FailedRequest[] = [];
  const fetch: FetchLike = async (input, init) => {
    let res: Response;
    try {
      res = await inner(input, init);
    } catch (e) {
      failures.push({ url: input, cause: causeOf(e) });
      throw e;
    }
    if (!res.ok) failures.push({ url: input, status: res.status, ...(await problemOf(res)) });
    return res;
  };
  return { fetch, failures };
}
