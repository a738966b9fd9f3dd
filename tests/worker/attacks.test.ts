/**
 * Fake check-ins, replays, malformed input, card cloning and linking (THREAT_MODEL.md) against the
 * check-in API, each with a test that fails if the defence breaks. Impersonation and deletion
 * without the secret are in checkins.test.ts and applications.test.ts (replaced and forged codes,
 * kiosk photos); a dump of every table of every shard, for linking, is shard-dump.test.ts; replays
 * and inflation, replays.test.ts.
 */

import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { deletionTokenHash, encodeBase64url, newDeletionSecret } from "@lintel/protocol";
import fc from "fast-check";
import { beforeEach, describe, expect, it } from "vitest";
import { checkinStoreFor } from "../../worker/src/checkins/shards.ts";
import { applicationIn, makeAccount, ok, signedJson } from "./account-fixtures.ts";
import {
  CIPHERTEXT_BYTES as CT,
  fakeCiphertext as ciphertext,
  currentSlot as slotNow,
} from "./checkin-fixtures.ts";
import { call, expectProblem, resetDatabase } from "./helpers.ts";
import { startDeploymentLog } from "./log-fixtures.ts";
import { storedCiphertexts } from "./storage-wrappers.ts";

function submission(code: string, extra: Record<string, unknown> = {}) {
  return {
    code,
    idempotencyKey: encodeBase64url(crypto.getRandomValues(new Uint8Array(16))),
    deletionHash: encodeBase64url(deletionTokenHash(newDeletionSecret())),
    slots: [{ slot: slotNow(), ciphertext: encodeBase64url(ciphertext()) }],
    ...extra,
  };
}

const post = (body: unknown, ip = "198.51.100.7", headers: Record<string, string> = {}) =>
  call("/api/checkins", {
    method: "POST",
    headers: { "content-type": "application/json", "cf-connecting-ip": ip, ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

async function venueCodes() {
  const operator = await makeAccount("operator");
  const app = await applicationIn("approved", operator);
  const { codes } = await ok<{ codes: Array<{ entranceId: string; url: string }> }>(
    await signedJson(operator, "GET", `/api/venues/${app.id}/codes`),
  );
  return codes.map((c) => ({
    entranceId: c.entranceId,
    code: c.url.slice(c.url.indexOf("#") + 1),
  }));
}

beforeEach(async () => {
  await resetDatabase();
  await startDeploymentLog();
});

describe("1. fake check-ins from a posted code", () => {
  it("limits one network to 300 check-ins an hour", async () => {
    const [door] = await venueCodes();
    const ip = "203.0.113.200";
    const statuses: number[] = [];
    for (let i = 0; i < 301; i++) statuses.push((await post(submission(door!.code), ip)).status);
    expect(statuses.slice(0, 300).every((s) => s === 201)).toBe(true);
    expect(statuses[300]).toBe(429);
  });
});

describe("2. replays", () => {
  it("a captured submission replayed to another entrance is not stored as a second check-in there with the same key", async () => {
    const [a, b] = await venueCodes();
    const captured = submission(a!.code);
    expect((await post(captured)).status).toBe(201);
    // Same body, other entrance's code: its ciphertext is already claimed for a.
    await expectProblem(await post({ ...captured, code: b!.code }), 409, "duplicate-checkin");
    // Exact replay: stored once.
    expect((await post(captured)).status).toBe(200);
    const stored = await storedCiphertexts(a!.entranceId, slotNow());
    expect(stored).toHaveLength(1);
  });
});

describe("4. malformed input", () => {
  it("answers any mangled check-in with a 4xx problem and stores nothing", async () => {
    const [door] = await venueCodes();
    const valid = submission(door!.code);
    const mutation = fc.record({
      field: fc.constantFrom(
        "code",
        "kiosk",
        "idempotencyKey",
        "deletionHash",
        "slots",
        "recordedBy",
        "extra",
      ),
      value: fc.oneof(
        fc.string({ maxLength: 300 }),
        fc.integer(),
        fc.constant(null),
        fc.constant("AAAA"),
        fc.constant(`${door!.code}==`),
        fc.constant(door!.code.toLowerCase()),
        fc.constant(door!.code.slice(0, -5)),
        fc.array(fc.record({ slot: fc.integer(), ciphertext: fc.string({ maxLength: 600 }) }), {
          maxLength: 3,
        }),
      ),
    });
    await fc.assert(
      fc.asyncProperty(mutation, async ({ field, value }) => {
        const body: Record<string, unknown> = { ...valid, idempotencyKey: valid.idempotencyKey };
        body[field] = value;
        body.idempotencyKey =
          field === "idempotencyKey"
            ? value
            : encodeBase64url(crypto.getRandomValues(new Uint8Array(16)));
        const res = await post(body, `192.0.2.${Math.floor(Math.random() * 250) + 1}`);
        const text = await res.text();
        if (res.status === 201) {
          // Only mutations that keep the body valid may pass (e.g. the code in lower case).
          expect(["code", "recordedBy"]).toContain(field);
          return;
        }
        expect(res.status, text).toBeGreaterThanOrEqual(400);
        expect(res.status, text).toBeLessThan(500);
      }),
      { numRuns: 80 },
    );
    await expectProblem(await post("{"), 400, "malformed-json");
  });
});

describe("6. reading anyone's data through a staff or proxy path", () => {
  it("offers staff no route that returns check-ins, and the public delete route reveals nothing", async () => {
    const [door] = await venueCodes();
    const staff = await makeAccount("staff", { venueId: "x", entrances: [door!.entranceId] });
    for (const path of [
      "/api/checkins",
      "/api/checkins/staff",
      `/api/checkins/${door!.entranceId}`,
    ]) {
      const res = await signedJson(staff, "GET", path);
      expect([404, 405]).toContain(res.status);
    }
    const probe = await ok<Record<string, unknown>>(
      await call("/api/checkins/delete", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          entranceId: door!.entranceId,
          deletionSecret: encodeBase64url(newDeletionSecret()),
        }),
      }),
    );
    expect(probe).toEqual({ deleted: 0 });
  });
});

describe("11. linking two check-ins of one device", () => {
  it("stores only fixed-size ciphertexts and per-check-in random values: no address, agent or time", async () => {
    const [door] = await venueCodes();
    await post(submission(door!.code), "198.51.100.99", {
      "user-agent": "Phone/1.0 (unique-agent-42)",
    });
    await post(submission(door!.code), "198.51.100.99", {
      "user-agent": "Phone/1.0 (unique-agent-42)",
    });
    const dump = await runInDurableObject(checkinStoreFor(env, door!.entranceId), (_, state) => {
      const tables = state.storage.sql
        .exec<{ name: string; sql: string }>(
          "SELECT name, sql FROM sqlite_master WHERE type = 'table'",
        )
        .toArray();
      const rows = state.storage.sql
        .exec<{ entrance: string; ciphertext: ArrayBuffer; deletion: ArrayBuffer }>(
          "SELECT entrance, ciphertext, deletion FROM ciphertexts WHERE entrance = ?",
          door!.entranceId,
        )
        .toArray();
      return { tables, rows };
    });
    const ciphertextTable = dump.tables.find((t) => t.name === "ciphertexts")!.sql;
    expect(ciphertextTable).not.toMatch(/\b(ip|client|agent|address|created_at|arrival|time)\b/i);
    expect(dump.rows).toHaveLength(2);
    expect(dump.rows.every((r) => r.ciphertext.byteLength === CT)).toBe(true);
    expect(Buffer.from(dump.rows[0]!.deletion).equals(Buffer.from(dump.rows[1]!.deletion))).toBe(
      false,
    );
    const everything = JSON.stringify(dump.tables);
    expect(everything).not.toContain("198.51.100.99");
    // And nothing about the check-ins reaches D1.
    for (const table of ["venues", "entrances", "accounts", "reports", "venue_events"]) {
      const text = JSON.stringify((await env.DB.prepare(`SELECT * FROM ${table}`).all()).results);
      expect(text).not.toContain("198.51.100.99");
      expect(text).not.toContain("unique-agent-42");
    }
  });
});
