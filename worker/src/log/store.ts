/**
 * The log writer's SQLite statements (its tables: schema.ts; what they hold: writer.ts). The
 * writer decides what to write and when, and wraps each batch in one transaction; this module
 * only reads and writes rows.
 *
 * Indexes and sizes are 64-bit. SQLite's integers reach only 2^63 and the Durable Object SQL API
 * passes JavaScript numbers (exact to 2^53), so every index and size column holds an 8-byte
 * big-endian BLOB (`u64Key`): those sort like the numbers they encode and lose nothing.
 */

/** 8-byte big-endian key: sorts like the number, exact for every u64. */
export function u64Key(n: bigint): ArrayBuffer {
  const out = new ArrayBuffer(8);
  new DataView(out).setBigUint64(0, n);
  return out;
}

export function fromU64Key(key: ArrayBuffer): bigint {
  return new DataView(key).getBigUint64(0);
}

/** The stored policy state is cut into parts below the storage's per-value limit. */
const POLICY_PART_CHARS = 512 * 1024;

export class LogStore {
  constructor(private readonly sql: SqlStorage) {}

  // ── Leaves ──

  /** The number of stored entries. */
  size(): bigint {
    const last = this.sql
      .exec<{ idx: ArrayBuffer }>("SELECT idx FROM leaves ORDER BY idx DESC LIMIT 1")
      .toArray()[0];
    return last ? fromU64Key(last.idx) + 1n : 0n;
  }

  /** Every entry from `index` on, in order (a policy replay). */
  *entriesFrom(index: bigint): Generator<Uint8Array> {
    for (const row of this.sql.exec<{ entry: ArrayBuffer }>(
      "SELECT entry FROM leaves WHERE idx >= ? ORDER BY idx",
      u64Key(index),
    )) {
      yield new Uint8Array(row.entry);
    }
  }

  /** Entries after `index`, with their indexes, in order. */
  *entriesAfter(index: bigint): Generator<{ index: bigint; entry: Uint8Array }> {
    for (const r of this.sql.exec<{ idx: ArrayBuffer; entry: ArrayBuffer }>(
      "SELECT idx, entry FROM leaves WHERE idx > ? ORDER BY idx",
      u64Key(index),
    )) {
      yield { index: fromU64Key(r.idx), entry: new Uint8Array(r.entry) };
    }
  }

  entryAt(index: bigint): Uint8Array | null {
    const row = this.sql
      .exec<{ entry: ArrayBuffer }>("SELECT entry FROM leaves WHERE idx = ?", u64Key(index))
      .toArray()[0];
    return row ? new Uint8Array(row.entry) : null;
  }

  /** Entries [first, end), or fewer where they do not exist yet. */
  entryRange(first: bigint, end: bigint): Uint8Array[] {
    return this.sql
      .exec<{ entry: ArrayBuffer }>(
        "SELECT entry FROM leaves WHERE idx >= ? AND idx < ? ORDER BY idx",
        u64Key(first),
        u64Key(end),
      )
      .toArray()
      .map((r) => new Uint8Array(r.entry));
  }

  insertLeaf(index: bigint, entry: Uint8Array): void {
    this.sql.exec("INSERT INTO leaves (idx, entry) VALUES (?, ?)", u64Key(index), entry);
  }

  // ── Tree nodes ──

  nodeHash(level: number, index: bigint): Uint8Array | null {
    const row = this.sql
      .exec<{ hash: ArrayBuffer }>(
        "SELECT hash FROM nodes WHERE level = ? AND idx = ?",
        level,
        u64Key(index),
      )
      .toArray()[0];
    return row ? new Uint8Array(row.hash) : null;
  }

  /** Hashes of the nodes of one level with indexes [first, end), in order. */
  nodeHashes(level: number, first: bigint, end: bigint): Uint8Array[] {
    return this.sql
      .exec<{ hash: ArrayBuffer }>(
        "SELECT hash FROM nodes WHERE level = ? AND idx >= ? AND idx < ? ORDER BY idx",
        level,
        u64Key(first),
        u64Key(end),
      )
      .toArray()
      .map((r) => new Uint8Array(r.hash));
  }

  insertNode(level: number, index: bigint, hash: Uint8Array): void {
    this.sql.exec(
      "INSERT INTO nodes (level, idx, hash) VALUES (?, ?, ?)",
      level,
      u64Key(index),
      hash,
    );
  }

  // ── Checkpoints and cosignatures ──

  insertCheckpoint(size: bigint, note: string): void {
    this.sql.exec("INSERT INTO checkpoints (size, note) VALUES (?, ?)", u64Key(size), note);
  }

  newestCheckpoint(): { size: bigint; note: string } | null {
    const row = this.sql
      .exec<{ size: ArrayBuffer; note: string }>(
        "SELECT size, note FROM checkpoints ORDER BY size DESC LIMIT 1",
      )
      .toArray()[0];
    return row ? { size: fromU64Key(row.size), note: row.note } : null;
  }

  checkpointNote(size: bigint): string {
    return this.sql
      .exec<{ note: string }>("SELECT note FROM checkpoints WHERE size = ?", u64Key(size))
      .one().note;
  }

  /** The cosignature lines collected for the checkpoint of `size`, by witness name. */
  cosignatureLines(size: bigint): string[] {
    return this.sql
      .exec<{ line: string }>(
        "SELECT line FROM cosignatures WHERE size = ? ORDER BY name",
        u64Key(size),
      )
      .toArray()
      .map((r) => r.line);
  }

  /** The witnesses that cosigned the checkpoint of `size`. */
  cosigners(size: bigint): string[] {
    return this.sql
      .exec<{ name: string }>("SELECT name FROM cosignatures WHERE size = ?", u64Key(size))
      .toArray()
      .map((r) => r.name);
  }

  /** The size a witness last cosigned (or said it holds), or null if never heard from. */
  witnessSize(name: string): bigint | null {
    const row = this.sql
      .exec<{ size: ArrayBuffer }>("SELECT size FROM witness_sizes WHERE name = ?", name)
      .toArray()[0];
    return row ? fromU64Key(row.size) : null;
  }

  setWitnessSize(name: string, size: bigint): void {
    this.sql.exec(
      "INSERT OR REPLACE INTO witness_sizes (name, size) VALUES (?, ?)",
      name,
      u64Key(size),
    );
  }

  /** A witness's cosignature line; call with `setWitnessSize` in one transaction. */
  insertCosignature(size: bigint, name: string, line: string): void {
    this.sql.exec(
      "INSERT OR REPLACE INTO cosignatures (size, name, line) VALUES (?, ?, ?)",
      u64Key(size),
      name,
      line,
    );
  }

  // ── Policy state ──

  /** The stored policy state (JSON), or "" when none is stored. */
  policyText(): string {
    return this.sql
      .exec<{ text: string }>("SELECT text FROM policy_state ORDER BY part")
      .toArray()
      .map((r) => r.text)
      .join("");
  }

  /** Replaces the stored policy state; call inside the batch's transaction. */
  replacePolicyText(text: string): void {
    this.sql.exec("DELETE FROM policy_state");
    for (let i = 0; i * POLICY_PART_CHARS < text.length; i++) {
      this.sql.exec(
        "INSERT INTO policy_state (part, text) VALUES (?, ?)",
        i,
        text.slice(i * POLICY_PART_CHARS, (i + 1) * POLICY_PART_CHARS),
      );
    }
  }

  // ── The log's own epoch-share releases (epoch-release.ts) ──

  epochRelease(queryIndex: bigint): bigint | undefined {
    const row = this.sql
      .exec<{ release_idx: ArrayBuffer }>(
        "SELECT release_idx FROM epoch_releases WHERE query_idx = ?",
        u64Key(queryIndex),
      )
      .toArray()[0];
    return row ? fromU64Key(row.release_idx) : undefined;
  }

  /** Remembers the release entry of a query; the first one stays. */
  rememberEpochRelease(queryIndex: bigint, releaseIndex: bigint): void {
    this.sql.exec(
      "INSERT OR IGNORE INTO epoch_releases (query_idx, release_idx) VALUES (?, ?)",
      u64Key(queryIndex),
      u64Key(releaseIndex),
    );
  }

  releaseCommitments(queryIndex: bigint): Uint8Array | undefined {
    const row = this.sql
      .exec<{ commitments: ArrayBuffer }>(
        "SELECT commitments FROM epoch_release_commitments WHERE query_idx = ?",
        u64Key(queryIndex),
      )
      .toArray()[0];
    return row ? new Uint8Array(row.commitments) : undefined;
  }

  rememberReleaseCommitments(queryIndex: bigint, commitments: Uint8Array): void {
    this.sql.exec(
      "INSERT OR REPLACE INTO epoch_release_commitments (query_idx, commitments) VALUES (?, ?)",
      u64Key(queryIndex),
      commitments,
    );
  }
}
