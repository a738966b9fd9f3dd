/**
 * The transparency log's single writer. One Durable Object instance per deployment sequences
 * every append, so entries get gap-free indexes without coordination. Its SQLite storage is
 * written through `transactionSync`, so an append and its tree state land together or not at all.
 *
 * This is the storage skeleton: the leaf table and the size counter. Tree hashes, checkpoints and
 * the tlog-tiles read API build on it.
 */
import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env.ts";

export interface LogStatus {
  /** Number of entries, as a decimal string: sizes are 64-bit and do not fit a JS number. */
  readonly size: string;
}

export class LogWriter extends DurableObject<Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    ctx.blockConcurrencyWhile(async () => {
      this.sql.exec(
        `CREATE TABLE IF NOT EXISTS leaves (
           idx INTEGER PRIMARY KEY,
           entry BLOB NOT NULL
         ) STRICT`,
      );
    });
  }

  status(): LogStatus {
    const row = this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM leaves").one();
    return { size: BigInt(row.n).toString() };
  }

  /** Appends entries atomically and returns the index of the first one. */
  append(entries: readonly Uint8Array[]): string {
    return this.ctx.storage.transactionSync(() => {
      const next = this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM leaves").one().n;
      entries.forEach((entry, i) => {
        this.sql.exec("INSERT INTO leaves (idx, entry) VALUES (?, ?)", next + i, entry);
      });
      return BigInt(next).toString();
    });
  }
}

export function logWriterStub(env: Env, deploymentId: string): DurableObjectStub<LogWriter> {
  return env.LOG_WRITER.get(env.LOG_WRITER.idFromName(`log:${deploymentId}`));
}
