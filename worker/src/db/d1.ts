/**
 * D1 helpers every store uses, for what raw D1 hands back: BLOBs in more than one shape, and
 * uniqueness failures, which are how guarded inserts (nonces, device keys, code versions) report
 * a lost race.
 */

/** D1 hands BLOBs back as ArrayBuffers or, through some paths, as arrays of numbers. */
export function blobBytes(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (Array.isArray(value)) return Uint8Array.from(value as number[]);
  throw new Error("a stored value is not bytes");
}

/** True when a D1 error is a uniqueness failure (a key enrolled twice, a nonce replayed). */
export function isUniqueViolation(e: unknown): boolean {
  return e instanceof Error && /UNIQUE constraint|PRIMARY KEY/i.test(e.message);
}

/**
 * Whether the D1 migrations have run, judged by `table` (a real query: the health check's proof
 * of a database). Throws when the database does not answer.
 */
export async function isMigrated(
  db: D1Database,
  table: "venues" | "trustee_log_state" | "witnessed_logs" = "venues",
): Promise<boolean> {
  const row = await db
    .prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = ?")
    .bind(table)
    .first<{ n: number }>();
  return row?.n === 1;
}
