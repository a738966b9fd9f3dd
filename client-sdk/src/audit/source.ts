/**
 * A log served over HTTP(S): the auditor's source for a live log. The auditor itself is pure and
 * lives in @lintel/protocol (log/audit); this file only fetches bytes.
 */
import { type LogSource, SourceError, sourceFromReader } from "@lintel/protocol";
import type { FetchLike } from "../http.ts";

/** A log served over HTTP(S) at `prefix` (e.g. https://checkin.example.org/log). */
export function httpLogSource(
  prefix: string,
  fetchImpl: FetchLike = globalThis.fetch.bind(globalThis),
): LogSource {
  const base = prefix.endsWith("/") ? prefix : `${prefix}/`;
  return sourceFromReader(prefix, async (path) => {
    let res: Response;
    try {
      res = await fetchImpl(new URL(path, base).href, { headers: { accept: "*/*" } });
    } catch (e) {
      throw new SourceError(
        `cannot reach ${base}${path}: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    if (!res.ok) throw new SourceError(`${base}${path} answered ${res.status}`);
    return new Uint8Array(await res.arrayBuffer());
  });
}
