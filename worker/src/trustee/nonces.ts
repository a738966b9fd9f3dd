/**
 * A trustee's hourly upkeep: statement nonces matter only while a statement could still be
 * accepted (±STATEMENT_MAX_SKEW_SECONDS, PROTOCOL.md §6.1), so older ones are dropped and the
 * table stays small. A trustee holds no check-ins and no epoch keys: nothing else to retire.
 */
import { STATEMENT_MAX_SKEW_SECONDS } from "@lintel/protocol";
import { sweepOfficerNonces } from "./store.ts";

export function sweepTrusteeNonces(db: D1Database, scheduledTime: number): Promise<void> {
  return sweepOfficerNonces(db, Math.floor(scheduledTime / 1000) - 2 * STATEMENT_MAX_SKEW_SECONDS);
}
