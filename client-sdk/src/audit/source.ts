/**
 * Where an auditor reads a log from: any C2SP tlog-tiles log, over HTTP(S) or from a directory
 * that mirrors the same paths (checkpoint, tile/…, tile/entries/…). A source only fetches bytes;
 * the auditor trusts nothing it returns until it has checked it.
 */
import { formatEntryBundlePath, formatTilePath } from "@lintel/protocol";
import type { FetchLike } from "../http.ts";

export interface LogSource {
  /** Where the log is, for messages. */
  readonly location: string;
  checkpoint(): Promise<Uint8Array>;
  tile(level: number, index: bigint, width: number): Promise<Uint8Array>;
  entryBundle(index: bigint, width: number): Promise<Uint8Array>;
}

export class SourceError extends Error {
  override readonly name = "SourceError";
}

/** Reads `path` relative to the log's prefix; implementations differ only here. */
export type ReadPath = (path: string) => Promise<Uint8Array>;

export function sourceFromReader(location: string, read: ReadPath): LogSource {
  return {
    location,
    checkpoint: () => read("checkpoint"),
    tile: (level, index, width) => read(formatTilePath({ level, index, width })),
    entryBundle: (index, width) => read(formatEntryBundlePath({ index, width })),
  };
}

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
