/**
 * Check-in storage: one SQLite-backed Durable Object per shard; each entrance belongs to one
 * shard (shards.ts). Writes are group-committed: every store() or claim() call that arrives while
 * a batch is being prepared joins it, and the whole batch is one transactionSync — one durable commit
 * for many check-ins, which is where ingest throughput comes from. A failure anywhere in the
 * batch rolls all of it back (every caller is answered "failed"): never a partial write. A call
 * resolves only after its batch committed (the Durable Object's output gate holds the answer
 * until the write is durable), so no receipt is ever given for rows that could still be lost.
 *
 * Nothing stored links two check-ins of one person or one group (companions submit one after
 * another, within the same second): no arrival time, no receipt, no increasing id, and no value
 * shared between rows of different check-ins. Tables (made by schema.ts's migrations), and every
 * column they have (tests/worker/shard-dump.test.ts holds this list and fails on any other column):
 *   ciphertexts  random id, entrance, slot, ciphertext (fixed 338 bytes), deletion hash (one
 *                per check-in, shared only by that check-in's slots), how recorded
 *   idempotency  keyed hashes of the idempotency key and of the key with the request it was
 *                used for, and the hour it was used (for sweeping): a retry is recognised, and the
 *                route signs a fresh receipt for it, so no receipt is kept
 *   claims       a keyed hash of each ciphertext taken, with a keyed hash binding it to the
 *                entrance and idempotency key it came with, and the hour (for sweeping). A claim
 *                lives in the shard its hash picks (not the entrance's), so the same ciphertext is
 *                taken once per deployment, whatever entrance code or key it is posted with, and
 *                still after its check-in was deleted
 *   counts       check-ins per entrance per hour of their first slot (the operator's view)
 */
import { DurableObject } from "cloudflare:workers";
import { migrate } from "../db/do-migrations.ts";
import type { Env } from "../env.ts";
import { CHECKIN_SCHEMA } from "./schema.ts";

export const RECORDED_BY_CODES = { self: 0, proxy: 1, paper: 2 } as const;
export type IngestRecordedBy = keyof typeof RECORDED_BY_CODES;

export interface StoreCheckin {
  readonly entranceId: string;
  /** Keyed hash of the idempotency key (routes/checkins.ts). */
  readonly keyTag: Uint8Array;
  /** Keyed hash of the key with what it was used for: another request under it is a conflict. */
  readonly requestTag: Uint8Array;
  readonly deletionHash: Uint8Array;
  readonly recordedBy: IngestRecordedBy;
  readonly slots: ReadonlyArray<{ readonly slot: number; readonly ciphertext: Uint8Array }>;
  /** The hour (Unix seconds) the request came in: when its idempotency record may be swept. */
  readonly sweepHour: number;
  /** The hour (Unix seconds) of the first slot: where the check-in is counted. */
  readonly countHour: number;
  /** Refused with "entrance-full" when the hour already counts this many. */
  readonly cap: number;
}

export type StoreOutcome =
  | { readonly ok: true; readonly replayed: boolean }
  | { readonly ok: false; readonly reason: "entrance-full" | "conflict" | "failed" };

/** One ciphertext to take: its keyed hash, and a keyed hash of it with its entrance and key. */
export interface Claim {
  readonly tag: Uint8Array;
  readonly binding: Uint8Array;
}

/** A call waiting for the next group commit: a check-in to store, or ciphertexts to claim. */
type Pending =
  | { readonly kind: "store"; readonly request: StoreCheckin; settle(o: StoreOutcome): void }
  | {
      readonly kind: "claim";
      readonly claims: readonly Claim[];
      readonly hour: number;
      settle(o: ClaimOutcome): void;
    };

/** "taken": a ciphertext was already claimed with another binding; nothing was claimed. */
export type ClaimOutcome = "ok" | "taken" | "failed";

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

function sameBytes(a: ArrayBuffer, b: Uint8Array): boolean {
  const x = new Uint8Array(a);
  return x.length === b.length && x.every((v, i) => v === b[i]);
}

export class CheckinStore extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  private queue: Pending[] = [];
  private flushScheduled = false;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    // Tables first: nothing is served from storage of an older version.
    ctx.blockConcurrencyWhile(async () => {
      migrate(ctx.storage, CHECKIN_SCHEMA);
    });
  }

  /**
   * Takes ciphertexts for one request, all or none: "taken" when any of them was already taken
   * with another binding (another entrance, or another idempotency key — a replay). The same
   * binding again is a retry of the same request and passes. Joins the group commit.
   */
  claim(claims: readonly Claim[], hour: number): Promise<ClaimOutcome> {
    return new Promise((settle) => this.enqueue({ kind: "claim", claims, hour, settle }));
  }

  store(request: StoreCheckin): Promise<StoreOutcome> {
    return new Promise((settle) => this.enqueue({ kind: "store", request, settle }));
  }

  private enqueue(p: Pending): void {
    this.queue.push(p);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      // Let every call already delivered to this object join the batch before committing.
      setTimeout(() => this.flush(), 0);
    }
  }

  private flush(): void {
    const batch = this.queue;
    this.queue = [];
    this.flushScheduled = false;
    const outcomes: Array<StoreOutcome | ClaimOutcome> = [];
    try {
      this.ctx.storage.transactionSync(() => {
        for (const p of batch) outcomes.push(this.apply(p));
      });
    } catch (e) {
      console.error("check-in batch failed", e instanceof Error ? e.name : typeof e);
      for (const p of batch) {
        if (p.kind === "store") p.settle({ ok: false, reason: "failed" });
        else p.settle("failed");
      }
      return;
    }
    for (const [i, p] of batch.entries()) {
      if (p.kind === "store") p.settle(outcomes[i] as StoreOutcome);
      else p.settle(outcomes[i] as ClaimOutcome);
    }
  }

  private apply(p: Pending): StoreOutcome | ClaimOutcome {
    return p.kind === "store" ? this.storeOne(p.request) : this.claimAll(p.claims, p.hour);
  }

  private claimAll(claims: readonly Claim[], hour: number): ClaimOutcome {
    for (const c of claims) {
      const held = this.sql
        .exec<{ binding: ArrayBuffer }>("SELECT binding FROM claims WHERE tag = ?", c.tag)
        .toArray()[0];
      if (held && !sameBytes(held.binding, c.binding)) return "taken";
    }
    for (const c of claims) {
      this.sql.exec(
        "INSERT INTO claims (tag, binding, hour) VALUES (?, ?, ?) ON CONFLICT (tag) DO NOTHING",
        c.tag,
        c.binding,
        hour,
      );
    }
    return "ok";
  }

  private storeOne(r: StoreCheckin): StoreOutcome {
    const earlier = this.sql
      .exec<{ request: ArrayBuffer }>("SELECT request FROM idempotency WHERE key = ?", r.keyTag)
      .toArray()[0];
    if (earlier) {
      if (!sameBytes(earlier.request, r.requestTag)) return { ok: false, reason: "conflict" };
      return { ok: true, replayed: true };
    }
    const counted =
      this.sql
        .exec<{ count: number }>(
          "SELECT count FROM counts WHERE entrance = ? AND hour = ?",
          r.entranceId,
          r.countHour,
        )
        .toArray()[0]?.count ?? 0;
    if (counted >= r.cap) return { ok: false, reason: "entrance-full" };
    for (const s of r.slots) {
      // A random row id: an increasing one would keep arrival order in a dump, linking the
      // submissions of a party of companions.
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
      r.countHour,
    );
    this.sql.exec(
      "INSERT INTO idempotency (key, request, hour) VALUES (?, ?, ?)",
      r.keyTag,
      r.requestTag,
      r.sweepHour,
    );
    return { ok: true, replayed: false };
  }

  /**
   * Deletes a check-in's slots from `fromSlot` on; the caller proved the deletion secret. When
   * that takes the whole check-in (its first slot included), its hour's count goes down by one:
   * the first slot still in the table is the hour it was counted in, so nothing else is kept for
   * this. An early check-out (later slots only) keeps the count: the person did come.
   */
  remove(entranceId: string, deletionHash: Uint8Array, fromSlot: number): number {
    return this.ctx.storage.transactionSync(() => {
      const found = this.sql
        .exec<{ first: number | null; n: number | null }>(
          `SELECT MIN(slot) AS first, SUM(slot >= ?) AS n FROM ciphertexts
            WHERE entrance = ? AND deletion = ?`,
          fromSlot,
          entranceId,
          deletionHash,
        )
        .toArray()[0];
      const n = found?.n ?? 0;
      if (n === 0 || found?.first == null) return 0;
      this.sql.exec(
        "DELETE FROM ciphertexts WHERE entrance = ? AND deletion = ? AND slot >= ?",
        entranceId,
        deletionHash,
        fromSlot,
      );
      if (found.first >= fromSlot) {
        this.sql.exec(
          "UPDATE counts SET count = count - 1 WHERE entrance = ? AND hour = ? AND count > 0",
          entranceId,
          found.first - (found.first % 3600),
        );
      }
      return n;
    });
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
   * idempotency records and claims of those hours. Called only once a retention receipt covering
   * them is in the log (retention/cron.ts); deleting again deletes nothing. Returns how many
   * ciphertexts went.
   */
  sweep(beforeSlot: number): number {
    const n = this.expiredCount(beforeSlot);
    this.ctx.storage.transactionSync(() => {
      this.sql.exec("DELETE FROM ciphertexts WHERE slot < ?", beforeSlot);
      this.sql.exec("DELETE FROM idempotency WHERE hour < ?", beforeSlot);
      this.sql.exec("DELETE FROM claims WHERE hour < ?", beforeSlot);
    });
    return n;
  }

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
}
