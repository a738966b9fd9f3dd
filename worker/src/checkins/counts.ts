/**
 * Check-ins per entrance per hour, gathered from the shards that hold the entrances: what the
 * operator's dashboard shows. Counts only — no shard keeps anything else about who came.
 */

import { loadDeployment } from "../config/deployment.ts";
import type { Env } from "../env.ts";
import { checkinStoreFor, shardOf } from "./shards.ts";
import type { HourCount } from "./store.ts";

export async function hourCounts(
  env: Env,
  entranceIds: readonly string[],
  fromHour: number,
  toHour: number,
): Promise<HourCount[]> {
  const shards = loadDeployment(env.LINTEL_DEPLOYMENT).ingest.shards;
  const byShard = new Map<number, string[]>();
  for (const id of entranceIds) {
    const shard = shardOf(id, shards);
    byShard.set(shard, [...(byShard.get(shard) ?? []), id]);
  }
  const parts = await Promise.all(
    [...byShard.values()].map((ids) => checkinStoreFor(env, ids[0]!).counts(ids, fromHour, toHour)),
  );
  return parts.flat().sort((a, b) => a.hour - b.hour);
}
