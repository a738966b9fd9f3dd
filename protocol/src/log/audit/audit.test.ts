/**
 * The auditor on a log that is not Lintel's: any C2SP tlog-tiles log with opaque entries, served
 * from memory. Growth verifies; a tampered tile, bundle or checkpoint, a fork and a rollback fail.
 */

import { describe, expect, it } from "vitest";
import { generateEd25519KeyPair } from "../../keys/ed25519.ts";
import { formatVerifierKey, parseVerifierKey } from "../../keys/verifier-key.ts";
import { auditLog } from "./audit.ts";
import { memoryLogReader } from "./memory-log.ts";
import { sourceFromReader } from "./source.ts";

const origin = "example.org/some-other-log";
const key = generateEd25519KeyPair();
const logKey = parseVerifierKey(formatVerifierKey(origin, key.publicKey));

function memoryLog(
  entries: Uint8Array[],
  tamper?: (path: string, bytes: Uint8Array) => Uint8Array,
) {
  const read = memoryLogReader(entries, origin, key.secretKey);
  return sourceFromReader("memory", async (path) =>
    tamper ? tamper(path, await read(path)) : read(path),
  );
}

const entries = (n: number, tag = "") =>
  Array.from({ length: n }, (_, i) => new TextEncoder().encode(`${tag}entry ${i}`));

describe("auditing any tlog-tiles log", () => {
  it("treats foreign entries as opaque and verifies growth across runs", async () => {
    const first = await auditLog({ source: memoryLog(entries(300)), logKey });
    expect(first).toMatchObject({ ok: true, entryPolicy: "opaque", newEntries: 300n });
    if (!first.ok) return;
    const second = await auditLog({
      source: memoryLog(entries(600)),
      logKey,
      previous: first.state,
    });
    expect(second).toMatchObject({ ok: true, newEntries: 300n });
  });

  it.each([
    "checkpoint",
    "tile/0/000",
    "tile/0/001.p/44",
    "tile/1/000.p/1",
    "tile/entries/001.p/44",
  ])("fails when a byte of %s changes", async (target) => {
    const tampered = memoryLog(entries(300), (path, bytes) => {
      if (path !== target) return bytes;
      const out = bytes.slice();
      out[Math.floor(out.length / 2)]! ^= 1;
      return out;
    });
    const outcome = await auditLog({ source: tampered, logKey });
    expect(outcome.ok).toBe(false);
  });

  it("proves a fork and a rollback with two signed checkpoints", async () => {
    const seen = await auditLog({ source: memoryLog(entries(10)), logKey });
    if (!seen.ok) throw new Error(seen.reason);
    const forked = await auditLog({
      source: memoryLog(entries(12, "x")),
      logKey,
      previous: seen.state,
    });
    expect(forked.ok ? undefined : forked.misbehaviour?.kind).toBe("fork");
    const rolled = await auditLog({ source: memoryLog(entries(9)), logKey, previous: seen.state });
    expect(rolled.ok ? undefined : rolled.misbehaviour?.kind).toBe("rollback");
  });
});
