/**
 * Epoch keys (PROTOCOL.md §4.6), kept by the log writer because they are the log's own key
 * share. A day's key is generated once, stored, then published: its statement signed by the log
 * key and an `epoch-key` entry appended to the log. The order makes publication retryable: a key
 * stored but not yet published is published on the next call, and a key is never made twice for
 * a day (the log policy also refuses a second one).
 *
 * The secret halves stay in this Durable Object's storage only, and are destroyed at the end of
 * retention (retention/): with them gone, a day's ciphertexts can never be decrypted.
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

export type EnsureOutcome =
  | { readonly ok: true; readonly generated: number; readonly published: number }
  | { readonly ok: false; readonly reason: string };

export class EpochKeyStore {
  constructor(
    private readonly sql: SqlStorage,
    private readonly env: Env,
    private readonly append: (entries: readonly Uint8Array[]) => Promise<AppendOutcome>,
  ) {
    sql.exec(
      `CREATE TABLE IF NOT EXISTS epoch_keys (day INTEGER PRIMARY KEY, secret BLOB,
         statement BLOB NOT NULL, published INTEGER NOT NULL DEFAULT 0,
         destroyed_at INTEGER) STRICT`,
    );
  }

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
   * Destroys every epoch secret whose day has left retention (§4.6: from day d + retention + 1
   * on). The row stays — its public statement is history — with the secret column emptied.
   * Returns the days destroyed now.
   */
  destroyExpired(today: number, retentionDays: number): number[] {
    const days = this.sql
      .exec<{ day: number }>(
        "SELECT day FROM epoch_keys WHERE secret IS NOT NULL AND day + ? + 1 <= ? ORDER BY day",
        retentionDays,
        today,
      )
      .toArray()
      .map((r) => r.day);
    const at = Math.floor(Date.now() / 1000);
    for (const day of days) {
      this.sql.exec("UPDATE epoch_keys SET secret = NULL, destroyed_at = ? WHERE day = ?", at, day);
    }
    return days;
  }

  /** The day's epoch secret, or null once destroyed (or never made). */
  secret(day: number): Uint8Array | null {
    const row = this.sql
      .exec<{ secret: ArrayBuffer | null }>("SELECT secret FROM epoch_keys WHERE day = ?", day)
      .toArray()[0];
    return row?.secret ? new Uint8Array(row.secret) : null;
  }

  /** Days whose secret still exists (retention tests; trustee release later). */
  heldDays(): number[] {
    return this.sql
      .exec<{ day: number }>("SELECT day FROM epoch_keys WHERE secret IS NOT NULL ORDER BY day")
      .toArray()
      .map((r) => r.day);
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
