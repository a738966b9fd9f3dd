/**
 * Reaching into a Durable Object's storage from tests, through `runInDurableObject`, instead of
 * RPC methods that would exist only for tests: read what a shard or the log holds, make the log
 * writer's store fail one chosen write (a crash mid-transaction), count what it reads back.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { checkinStoreFor } from "../../worker/src/checkins/shards.ts";
import type { CheckinStore } from "../../worker/src/checkins/store.ts";
import { LogStore } from "../../worker/src/log/store.ts";
import type { LogWriter } from "../../worker/src/log/writer.ts";
import { deploymentLog } from "./log-fixtures.ts";

/** Where the log writer's batch transaction can be made to fail: after which of its writes. */
export type FaultPoint = "after-leaves" | "after-nodes" | "after-checkpoint";

/** The first write of the batch after each point: failing it fails the transaction there. */
const FAULT_WRITE: Record<FaultPoint, keyof LogStore> = {
  "after-leaves": "insertNode",
  "after-nodes": "insertCheckpoint",
  "after-checkpoint": "replacePolicyText",
};

/** The store a log writer reads and writes through (its one door to storage). */
interface WithStore {
  store: LogStore;
}

/** `store`, except that calls of `method` go through `around`. */
function intercept(
  store: LogStore,
  method: keyof LogStore,
  around: (call: () => unknown) => unknown,
): LogStore {
  return new Proxy(store, {
    get(target, key) {
      const value = Reflect.get(target, key, target);
      if (typeof value !== "function") return value;
      const bound = (...args: unknown[]) => value.apply(target, args);
      return key === method ? (...args: unknown[]) => around(() => bound(...args)) : bound;
    },
  });
}

/**
 * Makes the log writer's storage throw at `point` of every batch transaction until `heal` is
 * called; nothing in the writer knows about it.
 */
export async function breakLogStorage(
  log: DurableObjectStub<LogWriter>,
  point: FaultPoint,
): Promise<{ heal(): Promise<void> }> {
  await runInDurableObject(log, (instance, state) => {
    (instance as unknown as WithStore).store = intercept(
      new LogStore(state.storage.sql),
      FAULT_WRITE[point],
      () => {
        throw new Error(`injected fault ${point}`);
      },
    );
  });
  return {
    heal: () =>
      runInDurableObject(log, (instance, state) => {
        (instance as unknown as WithStore).store = new LogStore(state.storage.sql);
      }),
  };
}

/** Counts the entries a log writer instance reads back to replay its policy from storage. */
export function countReplayedEntries(writer: LogWriter, sql: SqlStorage): () => number {
  let replayed = 0;
  (writer as unknown as WithStore).store = intercept(new LogStore(sql), "entriesFrom", (call) => {
    const entries = [...(call() as Iterable<Uint8Array>)];
    replayed += entries.length;
    return entries;
  });
  return () => replayed;
}

/** The ciphertexts a shard holds for one entrance and slot, read from its storage. */
export function storedCiphertexts(entranceId: string, slot: number): Promise<Uint8Array[]> {
  const stub: DurableObjectStub<CheckinStore> = checkinStoreFor(env, entranceId);
  return runInDurableObject(stub, (_instance, state) =>
    state.storage.sql
      .exec<{ ciphertext: ArrayBuffer }>(
        "SELECT ciphertext FROM ciphertexts WHERE entrance = ? AND slot = ? ORDER BY id",
        entranceId,
        slot,
      )
      .toArray()
      .map((r) => new Uint8Array(r.ciphertext)),
  );
}

/** Days whose epoch secret the deployment's log still holds. */
export function heldEpochDays(): Promise<number[]> {
  return runInDurableObject(deploymentLog(), (_instance, state) =>
    state.storage.sql
      .exec<{ day: number }>("SELECT day FROM epoch_keys WHERE secret IS NOT NULL ORDER BY day")
      .toArray()
      .map((r) => r.day),
  );
}
