/**
 * The log writer's tables (writer.ts says what each holds), as ordered migrations
 * (db/do-migrations.ts): the log itself, and the epoch keys kept beside it (epoch-key-store.ts). Add
 * a version; never edit a released one.
 */
import type { DoSchema } from "../db/do-migrations.ts";

export const LOG_SCHEMA: DoSchema = {
  name: "log",
  migrations: [
    {
      version: 1,
      name: "leaves, nodes, checkpoints, witness state, the log's releases, policy state",
      up(sql) {
        sql.exec(
          `CREATE TABLE IF NOT EXISTS leaves (idx BLOB PRIMARY KEY, entry BLOB NOT NULL) STRICT, WITHOUT ROWID`,
        );
        sql.exec(
          `CREATE TABLE IF NOT EXISTS nodes (level INTEGER NOT NULL, idx BLOB NOT NULL, hash BLOB NOT NULL,
           PRIMARY KEY (level, idx)) STRICT, WITHOUT ROWID`,
        );
        sql.exec(
          `CREATE TABLE IF NOT EXISTS checkpoints (size BLOB PRIMARY KEY, note TEXT NOT NULL) STRICT, WITHOUT ROWID`,
        );
        // Witnesses: the size each last cosigned, and the cosignature lines collected per size.
        sql.exec(
          `CREATE TABLE IF NOT EXISTS witness_sizes (name TEXT PRIMARY KEY, size BLOB NOT NULL) STRICT`,
        );
        sql.exec(
          `CREATE TABLE IF NOT EXISTS cosignatures (size BLOB NOT NULL, name TEXT NOT NULL, line TEXT NOT NULL,
           PRIMARY KEY (size, name)) STRICT, WITHOUT ROWID`,
        );
        // The index of the log's own release entry per query (log/epoch-release.ts).
        sql.exec(
          `CREATE TABLE IF NOT EXISTS epoch_releases (query_idx BLOB PRIMARY KEY, release_idx BLOB NOT NULL) STRICT, WITHOUT ROWID`,
        );
        // The key commitments c_i the log's release committed to (PROTOCOL.md §11.3): once e_d
        // is destroyed they are all that is left to show a later answer is the logged release.
        sql.exec(
          `CREATE TABLE IF NOT EXISTS epoch_release_commitments (query_idx BLOB PRIMARY KEY, commitments BLOB NOT NULL) STRICT, WITHOUT ROWID`,
        );
        sql.exec(
          `CREATE TABLE IF NOT EXISTS policy_state (part INTEGER PRIMARY KEY, text TEXT NOT NULL) STRICT`,
        );
      },
    },
  ],
};

export const EPOCH_KEY_SCHEMA: DoSchema = {
  name: "epoch-keys",
  migrations: [
    {
      version: 1,
      name: "epoch keys: secret share until retention destroys it, signed statement, published",
      up(sql) {
        sql.exec(
          `CREATE TABLE IF NOT EXISTS epoch_keys (day INTEGER PRIMARY KEY, secret BLOB,
           statement BLOB NOT NULL, published INTEGER NOT NULL DEFAULT 0,
           destroyed_at INTEGER) STRICT`,
        );
      },
    },
  ],
};
