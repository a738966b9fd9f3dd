/**
 * A trustee's hourly upkeep: statement nonces matter only while a statement could still be
 * accepted (±STATEMENT_MAX_SKEW_SECONDS, PROTOCOL.md §6.1), so older ones are dropped and the
 * table stays small. A trustee holds no check-ins and no epoch keys: nothing else to retire.
 */
import { STATEMENT_MAX_SKEW_SECONDS } from "@lintel/protocol";

export async function sweepTrusteeNonces(db: D1Database, scheduledTime: number): Promise<number> {
  const result = await db
    .prepare("DELETE FROM trustee_nonces WHERE seen_at < ?")
    .bind(Math.floor(scheduledTime / 1000) - 2 * STATEMENT_MAX_SKEW_SECONDS)
    .run();
  return result.meta.changes;
}
