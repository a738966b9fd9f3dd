/**
 * What a device remembers about a Lintel log between audits, per log origin — the citizen's
 * exposure check and the authority's decryption both keep it:
 *
 *  - the audit state (PROTOCOL.md §10.6): the last checkpoint it verified, so the next audit
 *    notices a log that forked or shrank since — the reason to keep anything at all — and the
 *    log policy's state after it, so the next audit replays only the new entries (`keepPolicy`);
 *  - the log's full tiles and full entry bundles. tlog-tiles never changes a full tile, and the
 *    callers re-read every entry from index 0 on every run, so keeping them is what makes a
 *    later audit download only the checkpoint, the partial tiles at the right edge and whatever
 *    became full since. Only what a successful audit verified is kept; a tile that disagrees with
 *    a later checkpoint makes that audit fail.
 *
 * Records are public data only (nothing about the person or the officer) in a {@link KeyedStore}:
 * memory, or the "exposure-audit" object store of the "lintel" IndexedDB database.
 */
import {
  type AuditOptions,
  type AuditOutcome,
  type AuditState,
  auditLog,
  formatEntryBundlePath,
  formatTilePath,
  type LogSource,
  TILE_WIDTH,
} from "@lintel/protocol";
import { indexedDbStore, type KeyedStore, memoryStore } from "../citizen/store.ts";

/** One record: the audit state of a log, or one full tile or entry bundle of it. */
export type ExposureAuditRecord =
  | { readonly id: string; readonly kind: "state"; readonly state: AuditState }
  | { readonly id: string; readonly kind: "tile"; readonly bytes: Uint8Array };

export type ExposureAuditStore = KeyedStore<ExposureAuditRecord>;

/** A store that lasts as long as the page or process. */
export function memoryExposureAuditStore(): ExposureAuditStore {
  return memoryStore<ExposureAuditRecord>();
}

/**
 * The browser's store: database "lintel", object store "exposure-audit" — the public log's
 * audit state and full tiles, nothing about the person.
 */
export function indexedDbExposureAuditStore(): ExposureAuditStore {
  return indexedDbStore("exposure-audit", isExposureAuditRecord);
}

/** Whether a stored value is a record this SDK wrote (for stores that read back unknown data). */
export function isExposureAuditRecord(value: unknown): value is ExposureAuditRecord {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  if (typeof v.id !== "string") return false;
  if (v.kind === "tile") return v.bytes instanceof Uint8Array;
  if (v.kind !== "state" || typeof v.state !== "object" || v.state === null) return false;
  const s = v.state as Record<string, unknown>;
  return (
    s.format === "lintel-audit-state/1" &&
    typeof s.origin === "string" &&
    typeof s.size === "string" &&
    typeof s.rootHash === "string" &&
    Array.isArray(s.frontier) &&
    typeof s.checkpoint === "string"
  );
}

const stateId = (origin: string) => `state ${origin}`;
const tilePrefix = (origin: string) => `tile ${origin} `;

/** What was kept for one log. */
export interface SavedAudit {
  readonly state?: AuditState;
  /** Full tiles and bundles by tlog-tiles path ("tile/0/001", "tile/entries/000"). */
  readonly tiles: ReadonlyMap<string, Uint8Array>;
}

export async function loadAudit(store: ExposureAuditStore, origin: string): Promise<SavedAudit> {
  const tiles = new Map<string, Uint8Array>();
  let state: AuditState | undefined;
  for (const record of await store.list()) {
    if (record.kind === "state" && record.id === stateId(origin)) state = record.state;
    else if (record.kind === "tile" && record.id.startsWith(tilePrefix(origin))) {
      tiles.set(record.id.slice(tilePrefix(origin).length), record.bytes);
    }
  }
  return state ? { state, tiles } : { tiles };
}

/**
 * Keeps what a successful audit verified: the new full tiles first, then the state, so that an
 * interruption between the two leaves the previous state, which the kept tiles extend.
 */
export async function saveAudit(
  store: ExposureAuditStore,
  state: AuditState,
  newTiles: ReadonlyMap<string, Uint8Array>,
): Promise<void> {
  for (const [path, bytes] of newTiles) {
    await store.put({ id: `${tilePrefix(state.origin)}${path}`, kind: "tile", bytes });
  }
  await store.put({ id: stateId(state.origin), kind: "state", state });
}

/** A source that answers full tiles and bundles from `kept` and notes the ones it downloads. */
export interface CachingSource {
  readonly source: LogSource;
  /** Full tiles and bundles downloaded by this source, by path. */
  readonly downloaded: ReadonlyMap<string, Uint8Array>;
  /** Requests that went to the log (checkpoint, tiles and bundles, full or partial). */
  readonly requests: () => number;
}

export function cachingSource(
  inner: LogSource,
  kept: ReadonlyMap<string, Uint8Array>,
): CachingSource {
  const downloaded = new Map<string, Uint8Array>();
  let requests = 0;
  async function read(path: string, full: boolean, fetch: () => Promise<Uint8Array>) {
    const hit = full ? kept.get(path) : undefined;
    if (hit) return hit;
    requests++;
    const bytes = await fetch();
    if (full) downloaded.set(path, bytes);
    return bytes;
  }
  return {
    source: {
      location: inner.location,
      checkpoint: () => {
        requests++;
        return inner.checkpoint();
      },
      tile: (level, index, width) =>
        read(formatTilePath({ level, index, width }), width === TILE_WIDTH, () =>
          inner.tile(level, index, width),
        ),
      entryBundle: (index, width) =>
        read(formatEntryBundlePath({ index, width }), width === TILE_WIDTH, () =>
          inner.entryBundle(index, width),
        ),
    },
    downloaded,
    requests: () => requests,
  };
}

export interface StoredAudit {
  readonly outcome: AuditOutcome;
  /** Keeps what this audit verified; call it only once the caller accepts the log. */
  commit(): Promise<void>;
  /** Requests that went to the log. */
  readonly requests: () => number;
}

/**
 * Audits the log at `source` from what `store` kept for `origin` (the previous state, the full
 * tiles, the policy state), with `keepPolicy`. Nothing is saved until `commit()`.
 */
export async function auditWithStore(
  store: ExposureAuditStore,
  origin: string,
  source: LogSource,
  options: Omit<AuditOptions, "source" | "previous" | "keepPolicy">,
): Promise<StoredAudit> {
  const saved = await loadAudit(store, origin);
  const cache = cachingSource(source, saved.tiles);
  const outcome = await auditLog({
    ...options,
    source: cache.source,
    ...(saved.state ? { previous: saved.state } : {}),
    keepPolicy: true,
  });
  return {
    outcome,
    requests: cache.requests,
    commit: async () => {
      if (outcome.ok) await saveAudit(store, outcome.state, cache.downloaded);
    },
  };
}
