/**
 * Claiming a request's ciphertexts before storing them (store.ts, claims): each claim goes to the
 * shard its tag picks, so every ciphertext has one place in the deployment, whatever entrance or
 * idempotency key it comes with. Shards are asked in parallel, each once.
 */
import type { Env } from "../env.ts";
import { checkinStoreAt, claimShardOf } from "./shards.ts";
import type { Claim, ClaimOutcome } from "./store.ts";

export async function claimAll(
  env: Env,
  shards: number,
  claims: readonly Claim[],
  hour: number,
): Promise<ClaimOutcome> {
  const byShard = new Map<number, Claim[]>();
  for (const c of claims) {
    const shard = claimShardOf(c.tag, shards);
    byShard.set(shard, [...(byShard.get(shard) ?? []), c]);
  }
  const outcomes = await Promise.all(
    [...byShard].map(([shard, cs]) => checkinStoreAt(env, shard).claim(cs, hour)),
  );
  if (outcomes.includes("failed")) return "failed";
  return outcomes.includes("taken") ? "taken" : "ok";
}
