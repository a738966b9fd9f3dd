/**
 * Epoch keys (PROTOCOL.md §4.6), kept by the log writer because they are the log's own key
 * share. A day's key is generated once, stored, then published: its statement signed by the log
 * key and an `epoch-key` entry appended to the log. The order makes publication retryable: a key
 * stored but not yet published is published on the next call, and a key is never made twice for
 * a day (the log policy also refuses a second one).
 *
 * The secret halves stay in this Durable Object's storage only, and are destroyed at the end of
 * retention (`retire`, called by retention/) together with the receipt that records it: with them
 * gone, a day's ciphertexts can never be decrypted.
 */
import {
  ed25519PublicKey,
  encodeEntry,
  generateEpochKey,
  signEntry,
  signEpochStatement,
  verifyEpochStatement,
} from "@lintel/protocol";
import { loadDeployment } from "../config/deployment.ts";
import { secretSeed } from "../config/secrets.ts";
import type { Env } from "../env.ts";
import type { AppendOutcome } from "./writer.ts";

export interface PublishedEpochKey {
  readonly day: number;
  /** The log-signed epoch statement (§4.6). */
  readonly statement: Uint8Array;
}

/** What a retention run asks the log to record (and, for epoch secrets, to do). */
export interface RetireRequest {
  /** Unix seconds: every ciphertext of a slot that ended before it is deleted after the receipt. */
  readonly cutoff: number;
  /** How many such ciphertexts the shards still hold (counted before the receipt). */
  readonly ciphertexts: number;
  /** UTC day number of the run; secrets of days d with d + retentionDays + 1 ≤ today go. */
  readonly today: number;
  readonly retentionDays: number;
  readonly issuedAt: number;
}

export type RetireOutcome =
  | {
      readonly ok: true;
      /** False when there was nothing to record: no ciphertexts held and no secret to destroy. */
      readonly logged: boolean;
      readonly epochDaysDestroyed: readonly number[];
    }
  | { readonly ok: false; readonly reason: string };

/** An append whose `inTransaction` step commits in the same storage transaction as the entries. */
export type AppendWith = (
  entries: readonly Uint8Array[],
  inTransaction?: () => void,
) => Promise<AppendOutcome>;

/** A receipt names at most 255 days (PROTOCOL.md §10.3); any more wait for the next run. */
const RECEIPT_MAX_DAYS = 255;

export type EnsureOutcome =
  | { readonly ok: true; readonly generated: number; readonly published: number }
  | { readonly ok: false; readonly reason: string };

export class EpochKeyStore {
  constructor(
    private readonly sql: SqlStorage,
    private readonly env: Env,
    private readonly append: AppendWith,
  ) {}

  /** Makes sure every day in [fromDay, toDay] has a key, and that every such key is in the log. */
  async ensure(fromDay: number, toDay: number): Promise<EnsureOutcome> {
    const deployment = loadDeployment(this.env.LINTEL_DEPLOYMENT).id;
    const logKey = secretSeed(this.env, "LOG_SIGNING_KEY");
    let generated = 0;
    for (let day = fromDay; day <= toDay; day++) {
      const exists = this.sql.exec("SELECT 1 FROM epoch_keys WHERE day = ?", day).toArray();
      if (exists.length > 0) continue;
      const key = generateEpochKey(day);
      const statement = signEpochStatement(
        { deployment, day, publicKey: key.publicKey, proofOfPossession: key.proofOfPossession },
        logKey,
      );
      this.sql.exec(
        "INSERT INTO epoch_keys (day, secret, statement) VALUES (?, ?, ?)",
        day,
        key.secretShare,
        statement,
      );
      generated += 1;
    }
    const unpublished = this.sql
      .exec<{ day: number; statement: ArrayBuffer }>(
        "SELECT day, statement FROM epoch_keys WHERE published = 0 AND day BETWEEN ? AND ? ORDER BY day",
        fromDay,
        toDay,
      )
      .toArray();
    if (unpublished.length === 0) return { ok: true, generated, published: 0 };
    const now = Math.floor(Date.now() / 1000);
    let published = 0;
    // One entry per append: the log refuses a batch as a whole, so a day already in the log
    // (published, but its flag lost) must not take a new day down with it.
    for (const row of unpublished) {
      // The statement this store signed, read back through the protocol's own verifier.
      const { publicKey, proofOfPossession } = verifyEpochStatement(
        new Uint8Array(row.statement),
        ed25519PublicKey(logKey),
      );
      const entry = encodeEntry(
        signEntry(
          {
            deployment,
            issuedAt: now,
            body: { kind: "epoch-key", day: row.day, publicKey, proofOfPossession },
          },
          [logKey],
        ),
      );
      const outcome = await this.append([entry]);
      if (!outcome.ok && !/already published/.test(outcome.reason)) {
        return { ok: false, reason: outcome.reason };
      }
      this.sql.exec("UPDATE epoch_keys SET published = 1 WHERE day = ?", row.day);
      published += 1;
    }
    return { ok: true, generated, published };
  }

  /**
   * Retention's log step (§4.6, §10.3): appends a retention receipt naming the cutoff, the
   * ciphertexts held before it and every day whose secret has left retention (from day
   * d + retention + 1 on), and destroys those secrets in the same storage transaction as the
   * receipt's leaf. So a secret is never destroyed without its receipt in the log, and a receipt
   * never names a secret still held: a failed append destroys nothing, and the next run names the
   * same days again. The row stays — its public statement is history — with the secret emptied.
   */
  async retire(request: RetireRequest): Promise<RetireOutcome> {
    const days = this.sql
      .exec<{ day: number }>(
        "SELECT day FROM epoch_keys WHERE secret IS NOT NULL AND day + ? + 1 <= ? ORDER BY day LIMIT ?",
        request.retentionDays,
        request.today,
        RECEIPT_MAX_DAYS,
      )
      .toArray()
      .map((r) => r.day);
    if (request.ciphertexts === 0 && days.length === 0) {
      return { ok: true, logged: false, epochDaysDestroyed: [] };
    }
    const receipt = encodeEntry(
      signEntry(
        {
          deployment: loadDeployment(this.env.LINTEL_DEPLOYMENT).id,
          issuedAt: request.issuedAt,
          body: {
            kind: "retention-receipt",
            cutoff: request.cutoff,
            ciphertextsDeleted: BigInt(request.ciphertexts),
            epochDaysDestroyed: days,
          },
        },
        [secretSeed(this.env, "LOG_SIGNING_KEY")],
      ),
    );
    const at = Math.floor(Date.now() / 1000);
    const destroy = () => {
      for (const day of days) {
        this.sql.exec(
          "UPDATE epoch_keys SET secret = NULL, destroyed_at = ? WHERE day = ?",
          at,
          day,
        );
      }
    };
    const outcome = await this.append([receipt], destroy);
    if (!outcome.ok) return { ok: false, reason: outcome.reason };
    return { ok: true, logged: true, epochDaysDestroyed: days };
  }

  /** The day's epoch secret, or null once destroyed (or never made). */
  secret(day: number): Uint8Array | null {
    const row = this.sql
      .exec<{ secret: ArrayBuffer | null }>("SELECT secret FROM epoch_keys WHERE day = ?", day)
      .toArray()[0];
    return row?.secret ? new Uint8Array(row.secret) : null;
  }

  published(fromDay: number, toDay: number): PublishedEpochKey[] {
    return this.sql
      .exec<{ day: number; statement: ArrayBuffer }>(
        "SELECT day, statement FROM epoch_keys WHERE published = 1 AND day BETWEEN ? AND ? ORDER BY day",
        fromDay,
        toDay,
      )
      .toArray()
      .map((r) => ({ day: r.day, statement: new Uint8Array(r.statement) }));
  }
}
