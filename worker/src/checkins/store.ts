/**
 * Check-in storage: one SQLite-backed Durable Object per shard; each entrance belongs to one
 * shard (shards.ts). Writes are group-committed: every store() call that arrives while a batch
 * is being prepared joins it, and the whole batch is one transactionSync — one durable commit
 * for many check-ins, which is where ingest throughput comes from. A call resolves only after
 * its batch committed (the Durable Object's output gate holds the answer until the write is
 * durable), so no receipt is ever given for rows that could still be lost.
 *
 * Tables (all keyed so that retention and exposure queries read by entrance and slot):
 *   ciphertexts  entrance, slot, ciphertext (fixed 386 bytes), deletion hash, how recorded
 *   idempotency  the receipt given for each idempotency key, so a retry gets the same answer
 *   counts       check-ins per entrance per hour (the operator's view; counts only)
 */
import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env.ts";

export const RECORDED_BY_CODES = { self: 0, proxy: 1, paper: 2 } as const;
export type IngestRecordedBy = keyof typeof RECORDED_BY_CODES;

export interface StoreCheckin {
  readonly entranceId: string;
  readonly idempotencyKey: Uint8Array;
  /** Hex hash of what the key was first used for: a different request under it is a conflict. */
  readonly requestHash: string;
  readonly deletionHash: Uint8Array;
  readonly recordedBy: IngestRecordedBy;
  readonly slots: ReadonlyArray<{ readonly slot: number; readonly ciphertext: Uint8Array }>;
  /** The signed receipt for exactly these rows, made by the worker before storing. */
  readonly receipt: Uint8Array;
  /** The hour (Unix seconds) the check-in is counted in. */
  readonly hour: number;
  readonly maxPerEntranceHour: number;
}

export type StoreOutcome =
  | { readonly ok: true; readonly receipt: Uint8Array; readonly replayed: boolean }
  | { readonly ok: false; readonly reason: "entrance-full" | "conflict" | "failed" };

interface Pending {
  readonly request: StoreCheckin;
  settle(outcome: StoreOutcome): void;
}

export interface HourCount {
  readonly entranceId: string;
  readonly hour: number;
  readonly count: number;
}

/** A uniformly random positive 53-bit integer. */
function randomRowId(): number {
  const [hi, lo] = crypto.getRandomValues(new Uint32Array(2));
  return (hi! & 0x1fffff) * 0x100000000 + lo! + 1;
}

export class CheckinStore extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  private queue: Pending[] = [];
  private flushScheduled = false;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    ctx.blockConcurrencyWhile(async () => {
      this.sql.exec(
        `CREATE TABLE IF NOT EXISTS ciphertexts (id INTEGER PRIMARY KEY, entrance TEXT NOT NULL,
           slot INTEGER NOT NULL, ciphertext BLOB NOT NULL, deletion BLOB NOT NULL,
           recorded_by INTEGER NOT NULL) STRICT`,
      );
      this.sql.exec(
        "CREATE INDEX IF NOT EXISTS ciphertexts_entrance_slot ON ciphertexts (entrance, slot)",
      );
      this.sql.exec("CREATE INDEX IF NOT EXISTS ciphertexts_deletion ON ciphertexts (deletion)");
      this.sql.exec(
        `CREATE TABLE IF NOT EXISTS idempotency (key BLOB PRIMARY KEY, request TEXT NOT NULL,
           receipt BLOB NOT NULL, hour INTEGER NOT NULL) STRICT, WITHOUT ROWID`,
      );
      this.sql.exec(
        `CREATE TABLE IF NOT EXISTS counts (entrance TEXT NOT NULL, hour INTEGER NOT NULL,
           count INTEGER NOT NULL, PRIMARY KEY (entrance, hour)) STRICT, WITHOUT ROWID`,
      );
    });
  }

  store(request: StoreCheckin): Promise<StoreOutcome> {
    return new Promise((settle) => {
      this.queue.push({ request, settle });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        // Let every call already delivered to this object join the batch before committing.
        setTimeout(() => this.flush(), 0);
      }
    });
  }

  private flush(): void {
    const batch = this.queue;
    this.queue = [];
    this.flushScheduled = false;
    const outcomes: StoreOutcome[] = [];
    try {
      this.ctx.storage.transactionSync(() => {
        for (const { request } of batch) outcomes.push(this.storeOne(request));
      });
    } catch (e) {
      console.error("check-in batch failed", e instanceof Error ? e.name : typeof e);
      for (const p of batch) p.settle({ ok: false, reason: "failed" });
      return;
    }
    for (const [i, p] of batch.entries()) p.settle(outcomes[i]!);
  }

  private storeOne(r: StoreCheckin): StoreOutcome {
    const earlier = this.sql
      .exec<{ receipt: ArrayBuffer; request: string }>(
        "SELECT receipt, request FROM idempotency WHERE key = ?",
        r.idempotencyKey,
      )
      .toArray()[0];
    if (earlier) {
      if (earlier.request !== r.requestHash) return { ok: false, reason: "conflict" };
      return { ok: true, receipt: new Uint8Array(earlier.receipt), replayed: true };
    }
    const counted =
      this.sql
        .exec<{ count: number }>(
          "SELECT count FROM counts WHERE entrance = ? AND hour = ?",
          r.entranceId,
          r.hour,
        )
        .toArray()[0]?.count ?? 0;
    // The cap stops floods from a posted code; staff checking people in are never turned away.
    if (r.recordedBy === "self" && counted >= r.maxPerEntranceHour) {
      return { ok: false, reason: "entrance-full" };
    }
    for (const s of r.slots) {
      // A random row id: an increasing one would keep arrival order in a dump, linking the
      // submissions of a party of companions (ANCHORS 11).
      this.sql.exec(
        "INSERT INTO ciphertexts (id, entrance, slot, ciphertext, deletion, recorded_by) VALUES (?, ?, ?, ?, ?, ?)",
        randomRowId(),
        r.entranceId,
        s.slot,
        s.ciphertext,
        r.deletionHash,
        RECORDED_BY_CODES[r.recordedBy],
      );
    }
    this.sql.exec(
      `INSERT INTO counts (entrance, hour, count) VALUES (?, ?, 1)
       ON CONFLICT (entrance, hour) DO UPDATE SET count = count + 1`,
      r.entranceId,
      r.hour,
    );
    this.sql.exec(
      "INSERT INTO idempotency (key, request, receipt, hour) VALUES (?, ?, ?, ?)",
      r.idempotencyKey,
      r.requestHash,
      r.receipt,
      r.hour,
    );
    return { ok: true, receipt: r.receipt, replayed: false };
  }

  /** Deletes a check-in's slots from `fromSlot` on; the caller proved the deletion secret. */
  remove(entranceId: string, deletionHash: Uint8Array, fromSlot: number): number {
    const where = "WHERE entrance = ? AND deletion = ? AND slot >= ?";
    const found =
      this.sql
        .exec<{ n: number }>(
          `SELECT COUNT(*) AS n FROM ciphertexts ${where}`,
          entranceId,
          deletionHash,
          fromSlot,
        )
        .toArray()[0]?.n ?? 0;
    this.sql.exec(`DELETE FROM ciphertexts ${where}`, entranceId, deletionHash, fromSlot);
    return found;
  }

  counts(entranceIds: readonly string[], fromHour: number, toHour: number): HourCount[] {
    const out: HourCount[] = [];
    for (const entrance of entranceIds) {
      for (const row of this.sql.exec<{ hour: number; count: number }>(
        "SELECT hour, count FROM counts WHERE entrance = ? AND hour >= ? AND hour < ? ORDER BY hour",
        entrance,
        fromHour,
        toHour,
      )) {
        out.push({ entranceId: entrance, hour: row.hour, count: row.count });
      }
    }
    return out;
  }

  /** Retention: how many ciphertexts of slots that started before `beforeSlot` are held. */
  expiredCount(beforeSlot: number): number {
    return (
      this.sql
        .exec<{ n: number }>("SELECT COUNT(*) AS n FROM ciphertexts WHERE slot < ?", beforeSlot)
        .toArray()[0]?.n ?? 0
    );
  }

  /**
   * Retention: deletes every ciphertext of a slot that started before `beforeSlot`, and the
   * idempotency records of those hours. Called only once a retention receipt covering them is in
   * the log (retention/cron.ts); deleting again deletes nothing. Returns how many ciphertexts went.
   */
  sweep(beforeSlot: number): number {
    const n = this.expiredCount(beforeSlot);
    this.ctx.storage.transactionSync(() => {
      this.sql.exec("DELETE FROM ciphertexts WHERE slot < ?", beforeSlot);
      this.sql.exec("DELETE FROM idempotency WHERE hour < ?", beforeSlot);
    });
    return n;
  }

  /** What a slot holds: ciphertexts only (exposure queries, tests). */
  /**
   * One page of a slot's ciphertexts for an exposure query (PROTOCOL.md §11.4), in row-id order.
   * Row ids are random, so the order says nothing about arrival; `after` is the last id of the
   * previous page.
   */
  slotCiphertextPage(
    entranceId: string,
    slot: number,
    after: number | null,
    limit: number,
  ): { ciphertexts: Uint8Array[]; next: number | null } {
    const rows = this.sql
      .exec<{ id: number; ciphertext: ArrayBuffer }>(
        `SELECT id, ciphertext FROM ciphertexts WHERE entrance = ? AND slot = ? AND id > ?
          ORDER BY id LIMIT ?`,
        entranceId,
        slot,
        after ?? 0,
        limit + 1,
      )
      .toArray();
    const page = rows.slice(0, limit);
    return {
      ciphertexts: page.map((r) => new Uint8Array(r.ciphertext)),
      next: rows.length > limit ? page[page.length - 1]!.id : null,
    };
  }

  slotCiphertexts(entranceId: string, slot: number): Uint8Array[] {
    return this.sql
      .exec<{ ciphertext: ArrayBuffer }>(
        "SELECT ciphertext FROM ciphertexts WHERE entrance = ? AND slot = ? ORDER BY id",
        entranceId,
        slot,
      )
      .toArray()
      .map((r) => new Uint8Array(r.ciphertext));
  }
}
