/**
 * Schema versions for the SQLite storage of Durable Objects. D1 has wrangler's migrations
 * (worker/migrations); a Durable Object's database is created by the object itself, so each
 * object class declares its tables as an ordered list of migrations and runs `migrate` in its
 * constructor, inside `blockConcurrencyWhile`, before it serves anything.
 *
 * The version reached is one row per schema in `schema_version` (one object may hold several
 * schemas: the log writer keeps its log and the epoch keys). Each migration runs in its own
 * transaction together with the row that records it, so a crash leaves the object at the last
 * version it fully reached, and the next start carries on from there.
 *
 * Objects made before versions were kept have their tables but no row: version 0. A schema's
 * first migration therefore creates its tables only where they are missing, and so adopts such
 * an object as it is.
 */

export interface DoMigration {
  /** 1, 2, 3, … in order, no gaps: the version the object is at once this has run. */
  readonly version: number;
  /** Why this step exists (for the reader; not stored). */
  readonly name: string;
  readonly up: (sql: SqlStorage) => void;
}

export interface DoSchema {
  /** The row of `schema_version` that holds this schema's version. */
  readonly name: string;
  readonly migrations: readonly DoMigration[];
}

/** The newest version a schema knows: what `migrate` brings an object to. */
export function latestVersion(schema: DoSchema): number {
  return schema.migrations.at(-1)?.version ?? 0;
}

/** The version an object's storage is at for this schema (0: never migrated). */
export function storedVersion(storage: DurableObjectStorage, schema: string): number {
  ensureVersionTable(storage.sql);
  const row = storage.sql
    .exec<{ version: number }>("SELECT version FROM schema_version WHERE schema = ?", schema)
    .toArray()[0];
  return row?.version ?? 0;
}

/**
 * Runs every migration the object has not had yet, in order, each in one transaction with its
 * version row; returns the version reached. Refuses storage newer than this code knows: running
 * older code over it could misread or destroy what the newer version wrote.
 */
export function migrate(storage: DurableObjectStorage, schema: DoSchema): number {
  checkOrder(schema);
  const from = storedVersion(storage, schema.name);
  const latest = latestVersion(schema);
  if (from > latest) {
    throw new Error(
      `the ${schema.name} storage is at version ${from}, newer than this code's ${latest}`,
    );
  }
  for (const m of schema.migrations) {
    if (m.version <= from) continue;
    storage.transactionSync(() => {
      m.up(storage.sql);
      storage.sql.exec(
        `INSERT INTO schema_version (schema, version) VALUES (?, ?)
         ON CONFLICT (schema) DO UPDATE SET version = excluded.version`,
        schema.name,
        m.version,
      );
    });
  }
  return latest;
}

function ensureVersionTable(sql: SqlStorage): void {
  sql.exec(
    `CREATE TABLE IF NOT EXISTS schema_version (schema TEXT PRIMARY KEY,
       version INTEGER NOT NULL) STRICT`,
  );
}

function checkOrder(schema: DoSchema): void {
  for (const [i, m] of schema.migrations.entries()) {
    if (m.version !== i + 1) {
      throw new Error(`${schema.name} migration "${m.name}" is version ${m.version}, not ${i + 1}`);
    }
  }
}
