/**
 * The hourly Cron trigger. Retention (deleting expired ciphertexts and destroying the day's epoch
 * secret, both recorded in the log) hangs off this handler; today it records that it ran.
 */
import { STATEMENT_MAX_SKEW_SECONDS } from "@lintel/protocol";
import { loadDeployment } from "../config/deployment.ts";
import type { Env } from "../env.ts";

export interface RetentionRun {
  readonly scheduledTime: number;
  readonly cutoff: number;
}

export function retentionCutoff(scheduledTime: number, retentionDays: number): number {
  return Math.floor(scheduledTime / 1000) - retentionDays * 86_400;
}

export async function runRetention(
  controller: ScheduledController,
  env: Env,
): Promise<RetentionRun> {
  const deployment = loadDeployment(env.LINTEL_DEPLOYMENT);
  const run = {
    scheduledTime: controller.scheduledTime,
    cutoff: retentionCutoff(controller.scheduledTime, deployment.retentionDays),
  };
  console.log(`retention: cutoff ${new Date(run.cutoff * 1000).toISOString()}`);
  await sweepRequestNonces(env.DB, Math.floor(controller.scheduledTime / 1000));
  return run;
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
