/**
 * The hourly Cron trigger: retention (invariant 4) and upkeep.
 *
 *   1. every shard counts the ciphertexts of slots that ended before the cutoff
 *      (now − retentionDays);
 *   2. the log writer appends a retention receipt signed by the log key — the cutoff, that count
 *      and the days whose epoch secrets have left retention (§4.6) — and destroys those secrets in
 *      the same transaction as the receipt; nothing is appended when there is nothing to do;
 *   3. only then every shard deletes those ciphertexts, and the idempotency records of those hours;
 *   4. epoch keys are made and published for the days ahead (epochKeysAheadDays);
 *   5. officer device keys whose device lapsed leave the log's officer set;
 *   6. statement nonces older than their window are dropped.
 *
 * This is the main service's trigger (entry/main.ts); a trustee's own worker only drops its old
 * statement nonces (trustee/nonces.ts) and a witness has no trigger.
 *
 * The receipt comes first, so no deletion is ever missing from the log: it says what is deleted
 * once it is in the log. A run that fails before the receipt deletes and destroys nothing; one
 * that fails after it leaves ciphertexts the next run counts, logs again and deletes (a run is
 * idempotent). A secret is destroyed only by the transaction that logs its receipt.
 *
 * `scheduledTime` is the run's clock. Cloudflare's Cron sets it to the real time; only a local
 * runner (`npm run retention -- --now …`, through wrangler's test-scheduled endpoint, which a
 * deployed worker does not have) can set a later one to show a day being shredded.
 */
import { epochDay, STATEMENT_MAX_SKEW_SECONDS } from "@lintel/protocol";
import { removeOfficerKeys } from "../accounts/officer-log.ts";
import { deleteRequestNonces, lapsedOfficerKeys } from "../accounts/store.ts";
import { shardName } from "../checkins/shards.ts";
import { loadDeployment } from "../config/deployment.ts";
import type { Env } from "../env.ts";
import { logWriterStub } from "../log/writer.ts";

export interface RetentionRun {
  readonly scheduledTime: number;
  readonly cutoff: number;
  readonly ciphertextsDeleted: number;
  readonly epochDaysDestroyed: readonly number[];
  readonly logged: boolean;
}

export function retentionCutoff(scheduledTime: number, retentionDays: number): number {
  return Math.floor(scheduledTime / 1000) - retentionDays * 86_400;
}

export async function runRetention(
  controller: Pick<ScheduledController, "scheduledTime">,
  env: Env,
): Promise<RetentionRun> {
  const deployment = loadDeployment(env.LINTEL_DEPLOYMENT);
  const now = Math.floor(controller.scheduledTime / 1000);
  const cutoff = retentionCutoff(controller.scheduledTime, deployment.retentionDays);
  const slotSeconds = deployment.slotMinutes * 60;
  // A slot is kept until it has *ended* retentionDays ago.
  const beforeSlot = cutoff - slotSeconds + 1;

  const shards = Array.from({ length: deployment.ingest.shards }, (_, shard) =>
    shardStub(env, deployment.id, shard),
  );
  const held = await Promise.all(shards.map((s) => s.expiredCount(beforeSlot)));
  const log = logWriterStub(env, deployment.id);
  const today = epochDay(now);
  const retired = await log.retireExpired({
    cutoff,
    ciphertexts: held.reduce((a, b) => a + b, 0),
    today,
    retentionDays: deployment.retentionDays,
    issuedAt: Math.min(now, Math.floor(Date.now() / 1000)),
  });
  // Without its receipt in the log nothing is deleted: the next run tries again.
  if (!retired.ok) throw new Error(`retention: the receipt was not logged: ${retired.reason}`);
  const epochDaysDestroyed = [...retired.epochDaysDestroyed];
  const deleted = await Promise.all(shards.map((s) => s.sweep(beforeSlot)));
  const ciphertextsDeleted = deleted.reduce((a, b) => a + b, 0);
  const logged = retired.logged;
  await log.ensureEpochKeys(today - 1, today + deployment.epochKeysAheadDays);
  await removeLapsedOfficerKeys(env, now);
  await sweepRequestNonces(env.DB, now);
  console.log(
    `retention: cutoff ${new Date(cutoff * 1000).toISOString()}, ${ciphertextsDeleted} ciphertexts, ` +
      `${epochDaysDestroyed.length} epoch secrets`,
  );
  return {
    scheduledTime: controller.scheduledTime,
    cutoff,
    ciphertextsDeleted,
    epochDaysDestroyed,
    logged,
  };
}

/**
 * An officer device that expired (or was signed out without its removal reaching the log) no
 * longer signs in; its key leaves the log's officer set too, so it cannot sign a query around
 * the API either (PROTOCOL.md §11.2).
 */
export async function removeLapsedOfficerKeys(env: Env, now: number): Promise<number> {
  const deployment = loadDeployment(env.LINTEL_DEPLOYMENT);
  const enrolled = new Set(await logWriterStub(env, deployment.id).officerKeys());
  if (enrolled.size === 0) return 0;
  const lapsed = (await lapsedOfficerKeys(env.DB, now)).filter((k) => enrolled.has(k));
  await removeOfficerKeys(env, lapsed);
  return lapsed.length;
}

function shardStub(env: Env, deploymentId: string, shard: number) {
  return env.CHECKIN_STORE.get(env.CHECKIN_STORE.idFromName(shardName(deploymentId, shard)));
}

/**
 * Statement nonces matter only while a statement could still be accepted (±300 s, PROTOCOL.md
 * §6.1); older ones are dropped so the table stays small.
 */
export async function sweepRequestNonces(db: D1Database, now: number): Promise<number> {
  return deleteRequestNonces(db, now - 2 * STATEMENT_MAX_SKEW_SECONDS);
}
