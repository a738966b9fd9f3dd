/**
 * The tables of a check-in shard (store.ts says what each column is and why nothing more is
 * kept), as ordered migrations (db/do-migrations.ts). Add a version; never edit a released one.
 */
import type { DoSchema } from "../db/do-migrations.ts";

export const CHECKIN_SCHEMA: DoSchema = {
  name: "checkins",
  migrations: [
    {
      version: 1,
      name: "ciphertexts, idempotency tags, claims and hourly counts",
      up(sql) {
        sql.exec(
          `CREATE TABLE IF NOT EXISTS ciphertexts (id INTEGER PRIMARY KEY, entrance TEXT NOT NULL,
           slot INTEGER NOT NULL, ciphertext BLOB NOT NULL, deletion BLOB NOT NULL,
           recorded_by INTEGER NOT NULL) STRICT`,
        );
        sql.exec(
          "CREATE INDEX IF NOT EXISTS ciphertexts_entrance_slot ON ciphertexts (entrance, slot)",
        );
        sql.exec("CREATE INDEX IF NOT EXISTS ciphertexts_deletion ON ciphertexts (deletion)");
        // An idempotency table of a layout older than versions kept each receipt: drop it,
        // receipts and all (a retry then counts as new, which its request tag still guards).
        const columns = sql
          .exec<{ name: string }>("SELECT name FROM pragma_table_info('idempotency')")
          .toArray();
        if (columns.some((c) => c.name === "receipt")) sql.exec("DROP TABLE idempotency");
        sql.exec(
          `CREATE TABLE IF NOT EXISTS idempotency (key BLOB PRIMARY KEY, request BLOB NOT NULL,
           hour INTEGER NOT NULL) STRICT, WITHOUT ROWID`,
        );
        sql.exec(
          `CREATE TABLE IF NOT EXISTS claims (tag BLOB PRIMARY KEY, binding BLOB NOT NULL,
           hour INTEGER NOT NULL) STRICT, WITHOUT ROWID`,
        );
        sql.exec(
          `CREATE TABLE IF NOT EXISTS counts (entrance TEXT NOT NULL, hour INTEGER NOT NULL,
           count INTEGER NOT NULL, PRIMARY KEY (entrance, hour)) STRICT, WITHOUT ROWID`,
        );
      },
    },
  ],
};
