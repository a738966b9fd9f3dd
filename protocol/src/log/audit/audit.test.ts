/**
 * The auditor on a log that is not Lintel's: any C2SP tlog-tiles log with opaque entries, served
 * from memory. Growth verifies; a tampered tile, bundle or checkpoint, a fork and a rollback fail.
 */

import { describe, expect, it } from "vitest";
import { generateEd25519KeyPair } from "../../keys/ed25519.ts";
import { formatVerifierKey, parseVerifierKey } from "../../keys/verifier-key.ts";
import { leafHash } from "../merkle/hashes.ts";
import { decodeEntryBundle, encodeEntryBundle } from "../tiles/tiles.ts";
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

  it("fails when a lower tile and its entries are swapped together under an unchanged upper tile", async () => {
    // Entry 5 replaced in both the level-0 tile and the bundle: the two agree with each other,
    // and the root (computed from the level-1 tile) is unchanged. Only the tile link shows it.
    const forged = new TextEncoder().encode("forged entry");
    const tampered = memoryLog(entries(300), (path, bytes) => {
      if (path === "tile/0/000") {
        const out = bytes.slice();
        out.set(leafHash(forged), 5 * 32);
        return out;
      }
      if (path === "tile/entries/000") {
        const list = decodeEntryBundle(bytes, 256);
        list[5] = forged;
        return encodeEntryBundle(list);
      }
      return bytes;
    });
    const outcome = await auditLog({ source: tampered, logKey });
    expect(outcome.ok ? "" : outcome.reason).toMatch(/tile 0\/0 does not hash to its node/);
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
