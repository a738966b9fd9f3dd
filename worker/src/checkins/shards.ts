/**
 * Which shard stores an entrance's check-ins: FNV-1a of the entrance id modulo the configured
 * shard count. Everything of one entrance lives in one shard, so a query or a retention sweep of
 * an entrance touches one object, and unrelated entrances never wait for each other.
 */
import { loadDeployment } from "../config/deployment.ts";
import type { Env } from "../env.ts";
import type { CheckinStore } from "./store.ts";

export function shardOf(entranceId: string, shards: number): number {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(entranceId)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % shards;
}

export function shardName(deploymentId: string, shard: number): string {
  return `checkins:${deploymentId}:${shard}`;
}

export function checkinStoreFor(env: Env, entranceId: string): DurableObjectStub<CheckinStore> {
  const deployment = loadDeployment(env.LINTEL_DEPLOYMENT);
  const shard = shardOf(entranceId, deployment.ingest.shards);
  return env.CHECKIN_STORE.get(env.CHECKIN_STORE.idFromName(shardName(deployment.id, shard)));
}

/** The shard that keeps the claim of a ciphertext: picked by the claim's keyed hash. */
export function claimShardOf(tag: Uint8Array, shards: number): number {
  return (((tag[0]! << 24) | (tag[1]! << 16) | (tag[2]! << 8) | tag[3]!) >>> 0) % shards;
}

export function checkinStoreAt(env: Env, shard: number): DurableObjectStub<CheckinStore> {
  const deployment = loadDeployment(env.LINTEL_DEPLOYMENT);
  return env.CHECKIN_STORE.get(env.CHECKIN_STORE.idFromName(shardName(deployment.id, shard)));
}
