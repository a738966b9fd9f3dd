/**
 * The hourly Cron trigger: retention (invariant 4) and upkeep.
 *
 *   1. every shard deletes the ciphertexts of slots that ended before the cutoff
 *      (now − retentionDays), and the idempotency records of those hours;
 *   2. the log writer destroys the epoch secrets whose day has left retention (§4.6);
 *   3. when anything was deleted or destroyed, a retention receipt signed by the log key is
 *      appended to the log: the cutoff, how many ciphertexts went and which days' secrets;
 *   4. epoch keys are made and published for the days ahead (epochKeysAheadDays);
 *   5. officer device keys whose device lapsed leave the log's officer set;
 *   6. statement nonces older than their window are dropped.
 *
 * A trustee only drops its old statement nonces; a witness does nothing.
 *
 * Deletion comes before the receipt, so a receipt never claims what has not happened; a failed
 * run is simply repeated by the next hour's.
 */
import { encodeEntry, epochDay, STATEMENT_MAX_SKEW_SECONDS, signEntry } from "@lintel/protocol";
import { removeOfficerKeys } from "../accounts/officer-log.ts";
import { shardName } from "../checkins/shards.ts";
import { loadDeployment } from "../config/deployment.ts";
import { secretSeed } from "../config/secrets.ts";
import type { Env } from "../env.ts";
import { appendToLog } from "../log/append.ts";
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

/** The Cron trigger by role: trustees and witnesses hold no check-ins and no epoch keys. */
export async function runScheduled(
  controller: Pick<ScheduledController, "scheduledTime">,
  env: Env,
): Promise<void> {
  const role = loadDeployment(env.LINTEL_DEPLOYMENT).role;
  if (role === "main") await runRetention(controller, env);
  if (role === "trustee") {
    await env.DB.prepare("DELETE FROM trustee_nonces WHERE seen_at < ?")
      .bind(Math.floor(controller.scheduledTime / 1000) - 2 * STATEMENT_MAX_SKEW_SECONDS)
      .run();
  }
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

  const deleted = await Promise.all(
    Array.from({ length: deployment.ingest.shards }, (_, shard) =>
      shardStub(env, deployment.id, shard).sweep(beforeSlot),
    ),
  );
  const ciphertextsDeleted = deleted.reduce((a, b) => a + b, 0);
  const log = logWriterStub(env, deployment.id);
  const today = epochDay(now);
  const epochDaysDestroyed = await log.destroyExpiredEpochKeys(today, deployment.retentionDays);

  let logged = false;
  if (ciphertextsDeleted > 0 || epochDaysDestroyed.length > 0) {
    const receipt = encodeEntry(
      signEntry(
        {
          deployment: deployment.id,
          issuedAt: Math.min(now, Math.floor(Date.now() / 1000)),
          body: {
            kind: "retention-receipt",
            cutoff,
            ciphertextsDeleted: BigInt(ciphertextsDeleted),
            epochDaysDestroyed,
          },
        },
        [secretSeed(env, "LOG_SIGNING_KEY")],
      ),
    );
    await appendToLog(env, [receipt]);
    logged = true;
  }
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
  const { results } = await env.DB.prepare(
    `SELECT d.public_key AS publicKey FROM devices d JOIN accounts a ON a.id = d.account_id
      WHERE a.role = 'officer' AND (d.revoked_at IS NOT NULL OR d.expires_at <= ?)`,
  )
    .bind(now)
    .all<{ publicKey: string }>();
  const lapsed = results.map((r) => r.publicKey).filter((k) => enrolled.has(k));
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
  const result = await db
    .prepare("DELETE FROM request_nonces WHERE seen_at < ?")
    .bind(now - 2 * STATEMENT_MAX_SKEW_SECONDS)
    .run();
  return result.meta.changes;
}
