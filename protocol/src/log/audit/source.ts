/**
 * Where an auditor reads a log from: any C2SP tlog-tiles log, over HTTP(S) or from a directory
 * that mirrors the same paths (checkpoint, tile/…, tile/entries/…). A source only fetches bytes;
 * the auditor trusts nothing it returns until it has checked it.
 */
import { formatEntryBundlePath, formatTilePath } from "../tiles/tiles.ts";

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
