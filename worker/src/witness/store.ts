/**
 * The witness's state in D1 (C2SP tlog-witness): per log origin, the size and root hash it last
 * cosigned. The stored size advances by compare-and-swap in one statement, so concurrent
 * requests from the same old size cannot both succeed.
 */
import { EMPTY_ROOT } from "@lintel/protocol";

export interface Stored {
  readonly size: bigint;
  readonly rootHash: Uint8Array;
}

/** The size and root this witness last cosigned for a log (size 0 before the first). */
export async function stored(db: D1Database, origin: string): Promise<Stored> {
  const row = await db
    .prepare("SELECT size, root_hash FROM witnessed_logs WHERE origin = ?")
    .bind(origin)
    .first<{ size: string; root_hash: ArrayBuffer }>();
  return row
    ? { size: BigInt(row.size), rootHash: new Uint8Array(row.root_hash) }
    : { size: 0n, rootHash: EMPTY_ROOT };
}

/** Advances the stored size from `from` to `to`; false when another request got there first. */
export async function advance(
  db: D1Database,
  origin: string,
  from: Stored,
  to: Stored,
): Promise<boolean> {
  const now = Math.floor(Date.now() / 1000);
  const result =
    from.size === 0n
      ? await db
          .prepare(
            "INSERT INTO witnessed_logs (origin, size, root_hash, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT(origin) DO UPDATE SET size = excluded.size, root_hash = excluded.root_hash, updated_at = excluded.updated_at WHERE witnessed_logs.size = '0'",
          )
          .bind(origin, to.size.toString(), to.rootHash, now)
          .run()
      : await db
          .prepare(
            "UPDATE witnessed_logs SET size = ?, root_hash = ?, updated_at = ? WHERE origin = ? AND size = ?",
          )
          .bind(to.size.toString(), to.rootHash, now, origin, from.size.toString())
          .run();
  return result.meta.changes === 1;
}
