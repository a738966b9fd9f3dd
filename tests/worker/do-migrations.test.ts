/**
 * Durable Object schema versions (worker/src/db/do-migrations.ts): objects made before versions
 * were kept are adopted without losing a row, migrations run in order each in one transaction,
 * a failed one leaves the object at the version before it, and storage newer than the code is
 * refused.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { CHECKIN_SCHEMA } from "../../worker/src/checkins/schema.ts";
import { CheckinStore } from "../../worker/src/checkins/store.ts";
import {
  type DoMigration,
  type DoSchema,
  latestVersion,
  migrate,
  storedVersion,
} from "../../worker/src/db/do-migrations.ts";
import { LogWriter, logWriterStub } from "../../worker/src/log/writer.ts";
import { enrolment, genesis } from "./log-fixtures.ts";

const freshShard = () =>
  env.CHECKIN_STORE.get(env.CHECKIN_STORE.idFromName(`migration-${crypto.randomUUID()}`));

type Row = Record<string, SqlStorageValue>;
const hex = (v: SqlStorageValue) =>
  v instanceof ArrayBuffer ? [...new Uint8Array(v)].map((b) => b.toString(16)).join(",") : v;
/** Every row of every table but the version table, as comparable values. */
function dump(sql: SqlStorage): Record<string, Row[]> {
  const tables = sql
    .exec<{ name: string }>(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name <> 'schema_version' ORDER BY name",
    )
    .toArray()
    .map((t) => t.name);
  return Object.fromEntries(
    tables.map((t) => [
      t,
      sql
        .exec(`SELECT * FROM "${t}"`)
        .toArray()
        .map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, hex(v)]))),
    ]),
  );
}

/** Turns an object's storage back into what code from before schema versions left. */
function forgetVersions(sql: SqlStorage): void {
  sql.exec("DROP TABLE schema_version");
}

describe("Durable Object schema versions", () => {
  it("adopts a check-in shard made before versions, keeping every row", async () => {
    const stub = freshShard();
    await runInDurableObject(stub, async (instance, state) => {
      const store = instance as unknown as CheckinStore;
      expect(
        await store.claim([{ tag: new Uint8Array([1]), binding: new Uint8Array([2]) }], 0),
      ).toBe("ok");
      const stored = await store.store({
        entranceId: "door",
        keyTag: new Uint8Array([3]),
        requestTag: new Uint8Array([4]),
        deletionHash: new Uint8Array([5]),
        recordedBy: "self",
        slots: [{ slot: 7200, ciphertext: new Uint8Array(338).fill(9) }],
        sweepHour: 7200,
        countHour: 7200,
        cap: 10,
      });
      expect(stored).toEqual({ ok: true, replayed: false });
      const before = dump(state.storage.sql);
      expect(before.ciphertexts).toHaveLength(1);
      forgetVersions(state.storage.sql);
      expect(storedVersion(state.storage, CHECKIN_SCHEMA.name)).toBe(0);

      const upgraded = new CheckinStore(state, env);
      await state.blockConcurrencyWhile(async () => {});
      expect(storedVersion(state.storage, CHECKIN_SCHEMA.name)).toBe(latestVersion(CHECKIN_SCHEMA));
      expect(dump(state.storage.sql)).toEqual(before);
      // And it works on: the same request is a replay, the count is the one stored before.
      expect(
        await upgraded.store({
          entranceId: "door",
          keyTag: new Uint8Array([3]),
          requestTag: new Uint8Array([4]),
          deletionHash: new Uint8Array([5]),
          recordedBy: "self",
          slots: [{ slot: 7200, ciphertext: new Uint8Array(338).fill(9) }],
          sweepHour: 7200,
          countHour: 7200,
          cap: 10,
        }),
      ).toEqual({ ok: true, replayed: true });
      expect(upgraded.counts(["door"], 0, 10_000)).toEqual([
        { entranceId: "door", hour: 7200, count: 1 },
      ]);
    });
  });

  it("adopts a log writer made before versions, keeping the log, its policy and epoch keys", async () => {
    const log = logWriterStub(env, `migration-${crypto.randomUUID()}`);
    const officer = enrolment("Before");
    const appended = await log.append([genesis(), officer]);
    expect(appended.ok).toBe(true);
    await runInDurableObject(log, async (_instance, state) => {
      state.storage.sql.exec(
        "INSERT INTO epoch_keys (day, secret, statement) VALUES (1, X'01', X'02')",
      );
      const before = dump(state.storage.sql);
      forgetVersions(state.storage.sql);
      const upgraded = new LogWriter(state, env);
      await state.blockConcurrencyWhile(async () => {});
      expect(storedVersion(state.storage, "log")).toBe(1);
      expect(storedVersion(state.storage, "epoch-keys")).toBe(1);
      expect(dump(state.storage.sql)).toEqual(before);
      expect(upgraded.status().size).toBe("2");
      // The policy came back with the log: the enrolled officer cannot be enrolled again.
      expect(await upgraded.append([officer])).toMatchObject({
        ok: false,
        kind: "refused",
      });
    });
  });

  describe("migrate", () => {
    const v1: DoMigration = {
      version: 1,
      name: "notes",
      up: (sql) => sql.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)"),
    };
    const v2: DoMigration = {
      version: 2,
      name: "notes get a day",
      up: (sql) => {
        sql.exec("ALTER TABLE notes ADD COLUMN day INTEGER NOT NULL DEFAULT 0");
        sql.exec("UPDATE notes SET day = length(text)");
      },
    };
    const scratch = (migrations: DoMigration[]): DoSchema => ({ name: "scratch", migrations });

    it("brings an object at version N−1 to N, in order, without losing rows", async () => {
      await runInDurableObject(freshShard(), (_instance, state) => {
        expect(migrate(state.storage, scratch([v1]))).toBe(1);
        state.storage.sql.exec("INSERT INTO notes (id, text) VALUES (1, 'kept'), (2, 'also')");
        expect(migrate(state.storage, scratch([v1, v2]))).toBe(2);
        expect(storedVersion(state.storage, "scratch")).toBe(2);
        expect(
          state.storage.sql.exec("SELECT id, text, day FROM notes ORDER BY id").toArray(),
        ).toEqual([
          { id: 1, text: "kept", day: 4 },
          { id: 2, text: "also", day: 4 },
        ]);
        // Run again: nothing left to do, nothing done twice.
        expect(migrate(state.storage, scratch([v1, v2]))).toBe(2);
        // The object's own schema is untouched by another schema's versions.
        expect(storedVersion(state.storage, CHECKIN_SCHEMA.name)).toBe(1);
      });
    });

    it("undoes a migration that fails halfway and stays at the version before it", async () => {
      await runInDurableObject(freshShard(), (_instance, state) => {
        migrate(state.storage, scratch([v1]));
        const broken: DoMigration = {
          version: 2,
          name: "fails after its first statement",
          up: (sql) => {
            sql.exec("ALTER TABLE notes ADD COLUMN day INTEGER NOT NULL DEFAULT 0");
            sql.exec("INSERT INTO no_such_table VALUES (1)");
          },
        };
        expect(() => migrate(state.storage, scratch([v1, broken]))).toThrow();
        expect(storedVersion(state.storage, "scratch")).toBe(1);
        const columns = state.storage.sql
          .exec<{ name: string }>("SELECT name FROM pragma_table_info('notes')")
          .toArray()
          .map((c) => c.name);
        expect(columns).toEqual(["id", "text"]);
        // Fixed, it runs.
        expect(migrate(state.storage, scratch([v1, v2]))).toBe(2);
      });
    });

    it("refuses storage newer than the code, and migrations out of order", async () => {
      await runInDurableObject(freshShard(), (_instance, state) => {
        migrate(state.storage, scratch([v1, v2]));
        expect(() => migrate(state.storage, scratch([v1]))).toThrow(/newer than this code/);
        expect(() => migrate(state.storage, scratch([v2, v1]))).toThrow(/not 1/);
        expect(storedVersion(state.storage, "scratch")).toBe(2);
      });
    });
  });
});
