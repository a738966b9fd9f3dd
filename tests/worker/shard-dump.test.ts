/**
 * What a leaked check-in shard shows (worker/src/checkins/store.ts). Several parties check in
 * — each a head with companions, every person a submission of their own sent one after another,
 * as the SDK does — plus staff proxy and paper check-ins. Then EVERY table of EVERY shard is
 * dumped, and the D1 tables compared with before:
 *   - each shard table has exactly the columns listed here (an added arrival-time column fails);
 *   - no value of a non-coarse column occurs twice anywhere in the dump, except a check-in's
 *     deletion hash on that check-in's own slots (so nothing links companions or two visits),
 *     and no two row ids are adjacent;
 *   - the coarse columns (entrance, slot, hour) hold only slot and hour starts: no seconds;
 *   - no receipt, signature or storedAt given to a device is kept;
 *   - D1 gains nothing from a citizen's check-in, and from staff ones only the statement nonces
 *     every signed request leaves (random, swept after the replay window).
 * And the group commit: a batch with a failing check-in leaves none of the batch written.
 */

import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { decodeBase64url, hashCiphertexts } from "@lintel/protocol";
import { beforeEach, describe, expect, it } from "vitest";
import { checkinStoreAt, checkinStoreFor } from "../../worker/src/checkins/shards.ts";
import type { CheckinStore, StoreCheckin } from "../../worker/src/checkins/store.ts";
import { loadDeployment } from "../../worker/src/config/deployment.ts";
import { makeAccount, ok, signedJson } from "./account-fixtures.ts";
import {
  approvedVenue,
  body,
  checkIn,
  currentSlot,
  fakeCiphertext,
  fragment,
  HOUR,
} from "./checkin-fixtures.ts";
import { resetDatabase } from "./helpers.ts";
import { startDeploymentLog } from "./log-fixtures.ts";

/** Every column a shard may keep. Adding one (an arrival time, a receipt…) must fail here. */
const SHARD_SCHEMA: Record<string, readonly string[]> = {
  ciphertexts: ["id", "entrance", "slot", "ciphertext", "deletion", "recorded_by"],
  idempotency: ["key", "request", "hour"],
  claims: ["tag", "binding", "hour"],
  counts: ["entrance", "hour", "count"],
  // The shard's schema version (worker/src/db/do-migrations.ts): the same in every shard.
  schema_version: ["schema", "version"],
};
/** Columns whose values everyone at the entrance in that hour shares. */
const COARSE = new Set(["entrance", "slot", "hour", "count", "recorded_by", "schema", "version"]);

type Value = string | number | null;
interface Dump {
  tables: Record<string, { columns: string[]; rows: Array<Record<string, Value>> }>;
}

const hex = (b: ArrayBuffer | Uint8Array) => Buffer.from(b as Uint8Array).toString("hex");
const shardCount = () => loadDeployment(env.LINTEL_DEPLOYMENT).ingest.shards;

function dumpShard(stub: DurableObjectStub<CheckinStore>): Promise<Dump> {
  return runInDurableObject(stub, (_, state) => {
    const sql = state.storage.sql;
    const names = sql
      .exec<{ name: string }>(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'",
      )
      .toArray()
      .map((t) => t.name);
    const tables: Dump["tables"] = {};
    for (const name of names) {
      const columns = sql
        .exec<{ name: string }>(`SELECT name FROM pragma_table_info('${name}')`)
        .toArray()
        .map((c) => c.name);
      const rows = sql
        .exec(`SELECT * FROM "${name}"`)
        .toArray()
        .map((row) =>
          Object.fromEntries(
            Object.entries(row).map(([k, v]) => [
              k,
              v instanceof ArrayBuffer ? `x:${hex(v)}` : (v as Value),
            ]),
          ),
        );
      tables[name] = { columns, rows };
    }
    return { tables };
  });
}

async function dumpAllShards(): Promise<Dump[]> {
  return Promise.all(
    Array.from({ length: shardCount() }, (_, i) => dumpShard(checkinStoreAt(env, i))),
  );
}

async function wipeShards(): Promise<void> {
  for (let i = 0; i < shardCount(); i++) {
    await runInDurableObject(checkinStoreAt(env, i), (_, state) => {
      for (const t of Object.keys(SHARD_SCHEMA)) {
        if (t !== "schema_version") state.storage.sql.exec(`DELETE FROM ${t}`);
      }
    });
  }
}

/** D1's rows, as text; a staff device's `last_used_at` left out (the device's, not a check-in's). */
async function dumpD1(): Promise<Record<string, string[]>> {
  const { results } = await env.DB.prepare(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name NOT LIKE 'd1_%'",
  ).all<{ name: string }>();
  const out: Record<string, string[]> = {};
  for (const { name } of results) {
    const rows = (await env.DB.prepare(`SELECT * FROM "${name}"`).all()).results;
    out[name] = rows
      .map((r) => JSON.stringify(name === "devices" ? { ...r, last_used_at: null } : r))
      .sort();
  }
  return out;
}

beforeEach(async () => {
  await resetDatabase();
  await startDeploymentLog();
  await wipeShards();
});

describe("a leaked shard", () => {
  it("keeps only the listed columns, and nothing that links the check-ins of one party", async () => {
    const { app, codes } = await approvedVenue();
    const staff = await makeAccount("staff", {
      venueId: app.id,
      entrances: [codes[0]!.entranceId],
    });
    const before = await dumpD1();
    const slot = currentSlot();
    /** Submission index → party; ciphertext hex → submission index. */
    const partyOf: number[] = [];
    const submissionOf = new Map<string, number>();
    const answers: Array<{ receipt: string; storedAt: number }> = [];
    /** What each submission sent that the shard must not keep as it is or as a plain hash. */
    const sent: Array<{ key: Uint8Array; cts: Uint8Array[] }> = [];
    const send = async (party: number, code: string, staffKind?: "proxy" | "paper") => {
      const first = staffKind === "paper" ? slot - 5 * HOUR : slot;
      const cts = [fakeCiphertext(), fakeCiphertext()];
      const b = body(code, staffKind ? { recordedBy: staffKind } : {}, [
        { slot: first, ciphertext: cts[0]! },
        { slot: first + HOUR, ciphertext: cts[1]! },
      ]);
      const res = staffKind
        ? await signedJson(staff, "POST", "/api/checkins/staff", b)
        : await checkIn(b);
      answers.push(await ok<{ receipt: string; storedAt: number }>(res, 201));
      for (const ct of cts) submissionOf.set(`x:${hex(ct)}`, partyOf.length);
      sent.push({ key: decodeBase64url(b.idempotencyKey), cts });
      partyOf.push(party);
    };
    // Four parties of three (head and two companions, back to back), two at each entrance.
    for (let party = 0; party < 4; party++) {
      const code = fragment(codes[party % 2]!.url);
      for (let person = 0; person < 3; person++) await send(party, code);
    }
    // Staff check in a party of two by proxy, and a paper-list party of two.
    for (let person = 0; person < 2; person++) await send(4, fragment(codes[0]!.url), "proxy");
    for (let person = 0; person < 2; person++) await send(5, fragment(codes[0]!.url), "paper");

    const shards = await dumpAllShards();
    // 1. The schema allowlist, in every shard.
    for (const dump of shards) {
      expect(
        Object.fromEntries(Object.entries(dump.tables).map(([n, t]) => [n, t.columns])),
      ).toEqual(SHARD_SCHEMA);
    }
    const rows = shards.flatMap((d) =>
      Object.entries(d.tables).flatMap(([table, t]) => t.rows.map((row) => ({ table, row }))),
    );
    const stored = rows.filter((r) => r.table === "ciphertexts");
    expect(stored).toHaveLength(partyOf.length * 2);
    expect(rows.filter((r) => r.table === "idempotency")).toHaveLength(partyOf.length);
    expect(rows.filter((r) => r.table === "claims")).toHaveLength(partyOf.length * 2);

    // 2. No non-coarse value twice, except a deletion hash on its own check-in's slots.
    const seen = new Map<
      string,
      Array<{ table: string; column: string; submission: number | undefined }>
    >();
    for (const { table, row } of rows) {
      const submission =
        table === "ciphertexts" ? submissionOf.get(row.ciphertext as string) : undefined;
      if (table === "ciphertexts") expect(submission).toBeDefined();
      for (const [column, value] of Object.entries(row)) {
        if (COARSE.has(column) || value === null) continue;
        const key = String(value);
        seen.set(key, [...(seen.get(key) ?? []), { table, column, submission }]);
      }
    }
    for (const [value, where] of seen) {
      if (where.length === 1) continue;
      const linksOneCheckIn =
        where.every((w) => w.table === "ciphertexts" && w.column === "deletion") &&
        new Set(where.map((w) => w.submission)).size === 1;
      expect(linksOneCheckIn, `${value.slice(0, 20)}… in ${JSON.stringify(where)}`).toBe(true);
    }

    // Row ids are random: no two adjacent (an increasing id keeps the order of arrival).
    const ids = stored.map((r) => r.row.id as number).sort((a, b) => a - b);
    for (let i = 1; i < ids.length; i++) expect(ids[i]! - ids[i - 1]!).toBeGreaterThan(2 ** 20);

    // 3. Coarse values are slot and hour starts: no seconds of arrival.
    for (const { row } of rows) {
      for (const column of ["slot", "hour"]) {
        if (column in row) expect((row[column] as number) % HOUR).toBe(0);
      }
    }

    // 4. Nothing a device was given is kept: no receipt, signature or storedAt; nor what it sent
    //    (the idempotency key, plain hashes of its ciphertexts), which a device or an
    //    eavesdropper could match.
    const everything = JSON.stringify(shards);
    for (const { key, cts } of sent) {
      expect(everything).not.toContain(hex(key));
      expect(everything).not.toContain(hex(hashCiphertexts(cts)));
      for (const ct of cts) expect(everything).not.toContain(hex(hashCiphertexts([ct])));
    }
    for (const a of answers) {
      const receipt = decodeBase64url(a.receipt);
      expect(everything).not.toContain(hex(receipt.subarray(receipt.length - 64)));
      expect(everything).not.toContain(hex(receipt.subarray(0, 32)));
      // (An hour start is a coarse value every check-in of that hour shares.)
      if (a.storedAt % HOUR === 0) continue;
      for (const { row } of rows) expect(Object.values(row)).not.toContain(a.storedAt);
    }

    // 5. D1: citizens' check-ins add nothing; staff ones only their statements' nonces.
    const after = await dumpD1();
    for (const [table, list] of Object.entries(after)) {
      if (table === "request_nonces") continue;
      expect(list, table).toEqual(before[table]);
    }
    expect(after.request_nonces!.length - before.request_nonces!.length).toBe(4);
  });
});

describe("the group commit", () => {
  it("writes none of a batch when one of its check-ins fails", async () => {
    const { codes } = await approvedVenue();
    const entranceId = codes[0]!.entranceId;
    const slot = currentSlot();
    const request = (slots: Array<{ slot: number; ciphertext: Uint8Array }>): StoreCheckin => ({
      entranceId,
      keyTag: crypto.getRandomValues(new Uint8Array(16)),
      requestTag: crypto.getRandomValues(new Uint8Array(16)),
      deletionHash: crypto.getRandomValues(new Uint8Array(32)),
      recordedBy: "self",
      slots,
      sweepHour: slot,
      countHour: slot,
      cap: 1000,
    });
    const good = () => request([{ slot, ciphertext: fakeCiphertext() }]);
    // The last check-in's second slot breaks the table's STRICT typing midway through its writes.
    const broken = request([
      { slot, ciphertext: fakeCiphertext() },
      { slot: "later" as unknown as number, ciphertext: fakeCiphertext() },
    ]);
    const stub = checkinStoreFor(env, entranceId);
    // Called inside the object in one turn, so all three join one batch.
    const outcomes = await runInDurableObject(stub, (instance) => {
      const store = instance as CheckinStore;
      return Promise.all([store.store(good()), store.store(good()), store.store(broken)]);
    });
    expect(outcomes).toEqual([
      { ok: false, reason: "failed" },
      { ok: false, reason: "failed" },
      { ok: false, reason: "failed" },
    ]);
    const dump = await dumpShard(stub);
    expect(dump.tables.ciphertexts!.rows).toEqual([]);
    expect(dump.tables.idempotency!.rows).toEqual([]);
    expect(dump.tables.counts!.rows).toEqual([]);
    // The same check-ins in a batch of their own are stored.
    const alone = await runInDurableObject(stub, (instance) => {
      const store = instance as CheckinStore;
      return Promise.all([store.store(good()), store.store(good())]);
    });
    expect(alone).toEqual([
      { ok: true, replayed: false },
      { ok: true, replayed: false },
    ]);
  });
});
