/**
 * Reaching into a Durable Object's storage from tests, through `runInDurableObject`, instead of
 * RPC methods that would exist only for tests: read what a shard or the log holds, make the log
 * writer's storage fail one chosen statement (a crash mid-transaction), count what it reads.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { checkinStoreFor } from "../../worker/src/checkins/shards.ts";
import type { CheckinStore } from "../../worker/src/checkins/store.ts";
import type { LogWriter } from "../../worker/src/log/writer.ts";
import { deploymentLog } from "./log-fixtures.ts";

/** Where the log writer's batch transaction can be made to fail: after which of its writes. */
export type FaultPoint = "after-leaves" | "after-nodes" | "after-checkpoint";

/** The first statement of the batch after each point: failing it fails the transaction there. */
const FAULT_STATEMENT: Record<FaultPoint, RegExp> = {
  "after-leaves": /^INSERT INTO nodes\b/,
  "after-nodes": /^INSERT INTO checkpoints\b/,
  "after-checkpoint": /^INSERT INTO policy_state\b/,
};

/** The storage a Durable Object's code sees (the field the log writer reads its SQL through). */
interface WithSql {
  sql: SqlStorage;
}

type Exec = (query: string, bindings: unknown[]) => Iterable<Record<string, SqlStorageValue>>;

/** `sql`, except that every statement goes through `exec`, given the real one to call. */
function wrapSql(
  sql: SqlStorage,
  exec: (query: string, bindings: unknown[], real: Exec) => unknown,
) {
  const real: Exec = (query, bindings) => sql.exec(query, ...bindings);
  return new Proxy(sql, {
    get(target, key) {
      if (key === "exec")
        return (query: string, ...bindings: unknown[]) => exec(query.trim(), bindings, real);
      const value = Reflect.get(target, key, target);
      return typeof value === "function" ? value.bind(target) : value;
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
    (instance as unknown as WithSql).sql = wrapSql(state.storage.sql, (query, bindings, real) => {
      if (FAULT_STATEMENT[point].test(query)) throw new Error(`injected fault ${point}`);
      return real(query, bindings);
    });
  });
  return {
    heal: () =>
      runInDurableObject(log, (instance, state) => {
        (instance as unknown as WithSql).sql = state.storage.sql;
      }),
  };
}

/**
 * Counts the entries a log writer instance reads back to replay its policy from storage: wraps
 * its storage and counts the rows of the replay's query.
 */
export function countReplayedEntries(writer: LogWriter, sql: SqlStorage): () => number {
  let replayed = 0;
  (writer as unknown as WithSql).sql = wrapSql(sql, (query, bindings, real) => {
    const rows = real(query, bindings);
    if (!/^SELECT entry FROM leaves WHERE idx >= \?/.test(query)) return rows;
    const all = [...rows];
    replayed += all.length;
    return all;
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
