import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import {
  consistencyProofSync,
  leafHash,
  rootFromLeafHashes,
  verifyCheckpoint,
  verifyConsistency,
  verifyInclusion,
} from "@lintel/protocol";
import { describe, expect, it } from "vitest";
import { TEST_DEPLOYMENT_LIMITS } from "../../client-sdk/src/authority/testing/deployment-limits.ts";
import { LogStore } from "../../worker/src/log/store.ts";
import { type AppendResult, LogWriter, logWriterStub } from "../../worker/src/log/writer.ts";
import { enrolment, genesis, logVerifierKey } from "./log-fixtures.ts";
import { breakLogStorage, countReplayedEntries, type FaultPoint } from "./storage-wrappers.ts";

let counter = 0;

async function appendOk(
  log: DurableObjectStub<LogWriter>,
  entries: Uint8Array[],
): Promise<AppendResult> {
  const outcome = await log.append(entries);
  if (!outcome.ok) throw new Error(`append ${outcome.kind}: ${outcome.reason}`);
  return outcome;
}
const freshLog = () => logWriterStub(env, `test-${++counter}-${crypto.randomUUID()}`);

const logKey = logVerifierKey;

/** A consistency proof computed from the nodes the writer stored (what tiles serve). */
function storedConsistencyProof(
  log: DurableObjectStub<LogWriter>,
  first: bigint,
  second: bigint,
): Promise<Uint8Array[]> {
  return runInDurableObject(log, (_o, state) => {
    const store = new LogStore(state.storage.sql);
    return consistencyProofSync(
      { getNode: (level, index) => store.nodeHash(level, index)! },
      first,
      second,
    );
  });
}

describe("log writer Durable Object", () => {
  it("appends, signs a checkpoint whose root matches the entries, and proves inclusion", async () => {
    const log = freshLog();
    const entries = [genesis(), enrolment("A"), enrolment("B")];
    const result = await appendOk(log, entries);
    expect(result).toMatchObject({ firstIndex: "0", size: "3" });
    const { checkpoint } = verifyCheckpoint(result.checkpoint, {
      logKey: logKey(),
      witnesses: [],
      quorum: 0,
    });
    expect(checkpoint.size).toBe(3n);
    expect(checkpoint.rootHash).toEqual(rootFromLeafHashes(entries.map(leafHash)));
    const { proof } = (await log.inclusionBundle(1n))!;
    expect(() =>
      verifyInclusion(1n, 3n, leafHash(entries[1]!), proof, checkpoint.rootHash),
    ).not.toThrow();
  });

  it("gives concurrent appends gap-free, unique indexes and one consistent history", async () => {
    const log = freshLog();
    await appendOk(log, [genesis()]);
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => appendOk(log, [enrolment(`O${i}`), enrolment(`P${i}`)])),
    );
    const firsts = results.map((r) => BigInt(r.firstIndex)).sort((a, b) => (a < b ? -1 : 1));
    expect(firsts).toEqual(Array.from({ length: 40 }, (_, i) => 1n + 2n * BigInt(i)));
    expect((await log.status()).size).toBe("81");
    // Fewer checkpoints than requests: concurrent appends shared batches.
    const checkpoints = await runInDurableObject(
      log,
      (_o, state) =>
        state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM checkpoints").one().n,
    );
    expect(checkpoints).toBeLessThan(41);
    // Every checkpoint is consistent with the newest one: no fork inside the writer.
    const sizes = [...new Set(results.map((r) => BigInt(r.size)))];
    for (const size of sizes) {
      const proof = await storedConsistencyProof(log, size, 81n);
      const older = results.find((r) => BigInt(r.size) === size)!;
      const a = verifyCheckpoint(older.checkpoint, {
        logKey: logKey(),
        witnesses: [],
        quorum: 0,
      }).checkpoint;
      const b = verifyCheckpoint((await log.status()).checkpoint!, {
        logKey: logKey(),
        witnesses: [],
        quorum: 0,
      }).checkpoint;
      expect(() => verifyConsistency(size, 81n, a.rootHash, b.rootHash, proof)).not.toThrow();
    }
  });

  it("refuses entries that break the policy without disturbing the rest of the batch", async () => {
    const log = freshLog();
    await appendOk(log, [genesis()]);
    const [bad, good] = await Promise.all([log.append([genesis()]), log.append([enrolment("ok")])]);
    expect(bad).toMatchObject({ ok: false, kind: "refused" });
    expect(bad.ok ? "" : bad.reason).toMatch(/only the first entry/);
    expect(good.ok).toBe(true);
    expect((await log.status()).size).toBe("2");
  });

  it("refuses an entry dated in the future (it would make every later entry look backdated)", async () => {
    const log = freshLog();
    await appendOk(log, [genesis()]);
    const { entry } = await import("./log-fixtures.ts");
    const { generateEd25519KeyPair } = await import("@lintel/protocol");
    const { registrySecret } = await import("./log-fixtures.ts");
    const future = entry(
      {
        kind: "officer-enrolment",
        publicKey: generateEd25519KeyPair().publicKey,
        label: "From the future",
      },
      [registrySecret()],
      Math.floor(Date.now() / 1000) + 3600,
    );
    const outcome = await log.append([future]);
    expect(outcome).toMatchObject({ ok: false, kind: "refused" });
    expect(outcome.ok ? "" : outcome.reason).toMatch(/future/);
  });

  it("refuses a first entry that names another registry", async () => {
    const log = freshLog();
    const { generateEd25519KeyPair, encodeEntry, signEntry } = await import("@lintel/protocol");
    const other = generateEd25519KeyPair();
    const rogue = encodeEntry(
      signEntry(
        {
          deployment: "demo",
          issuedAt: Math.floor(Date.now() / 1000),
          body: {
            kind: "deployment",
            registryKey: other.publicKey,
            logKey: other.publicKey,
            ...TEST_DEPLOYMENT_LIMITS,
          },
        },
        [other.secretKey],
      ),
    );
    const outcome = await log.append([rogue]);
    expect(outcome).toMatchObject({ ok: false, kind: "refused" });
    expect(outcome.ok ? "" : outcome.reason).toMatch(/pinned/);
    expect((await log.status()).size).toBe("0");
  });

  it.each(["after-leaves", "after-nodes", "after-checkpoint"] as FaultPoint[])(
    "leaves nothing half-written after a crash %s",
    async (fault) => {
      const log = freshLog();
      const first = await appendOk(log, [genesis(), enrolment()]);
      const broken = await breakLogStorage(log, fault);
      const outcome = await log.append([enrolment(), enrolment()]);
      expect(outcome).toMatchObject({ ok: false, kind: "failed" });
      expect(outcome.ok ? "" : outcome.reason).toMatch(/injected fault/);
      await broken.heal();
      const counts = await runInDurableObject(log, (_o, state) => ({
        leaves: state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM leaves").one().n,
        nodes: state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM nodes").one().n,
        checkpoints: state.storage.sql
          .exec<{ n: number }>("SELECT COUNT(*) AS n FROM checkpoints")
          .one().n,
      }));
      // Two leaves: leaf nodes 0,1 and their parent = 3 nodes; one checkpoint.
      expect(counts).toEqual({ leaves: 2, nodes: 3, checkpoints: 1 });
      expect((await log.status()).checkpoint).toBe(first.checkpoint);
      // The writer carries on from the last durable state.
      expect(await appendOk(log, [enrolment()])).toMatchObject({ firstIndex: "2", size: "3" });
    },
  );

  it("refuses appends to a grown log from its policy in memory: no replay, the same policy object", async () => {
    const log = freshLog();
    await appendOk(log, [genesis()]);
    for (let i = 0; i < 3; i++)
      await appendOk(
        log,
        Array.from({ length: 100 }, (_, j) => enrolment(`G${i}/${j}`)),
      );
    const returning = enrolment("Returning");
    await runInDurableObject(log, async (object, state) => {
      const writer = object as unknown as LogWriter;
      const replayed = countReplayedEntries(writer, state.storage.sql);
      const policyOf = () => (object as unknown as { policy: unknown }).policy;
      const before = policyOf();
      expect(before).toBeDefined();
      // Malformed, forged, a second deployment entry, and a request refused at its last entry.
      for (const request of [
        [new Uint8Array(20)],
        [genesis()],
        [enrolment("fine"), returning, genesis()],
      ]) {
        expect(await writer.append(request)).toMatchObject({ ok: false, kind: "refused" });
        expect(policyOf()).toBe(before);
      }
      expect(replayed()).toBe(0);
      // The refused request's enrolments were undone: the same entry is accepted now.
      expect(await writer.append([returning])).toMatchObject({ ok: true, firstIndex: "301" });
      expect(policyOf()).toBe(before);
      expect(replayed()).toBe(0);
    });
    expect((await log.status()).size).toBe("302");
  });

  it("refuses a request whose entries pass one by one but not together, changing nothing", async () => {
    const log = freshLog();
    await appendOk(log, [genesis()]);
    const twice = enrolment("Twice");
    const outcome = await log.append([twice, twice]);
    expect(outcome).toMatchObject({ ok: false, kind: "refused" });
    expect(outcome.ok ? "" : outcome.reason).toMatch(/already enrolled/);
    expect(await appendOk(log, [twice])).toMatchObject({ firstIndex: "1", size: "2" });
  });

  it("starts again from the stored policy state, and replays only when that is missing", async () => {
    const log = freshLog();
    const first = enrolment("First");
    await appendOk(log, [genesis(), first, ...Array.from({ length: 50 }, () => enrolment())]);
    await runInDurableObject(log, async (_object, state) => {
      // A restart: a new instance over the same storage.
      const restarted = new LogWriter(state, env);
      await state.blockConcurrencyWhile(async () => {});
      const restartedReplays = countReplayedEntries(restarted, state.storage.sql);
      expect(await restarted.append([first])).toMatchObject({ ok: false, kind: "refused" });
      expect(await restarted.append([enrolment()])).toMatchObject({ ok: true, size: "53" });
      expect(restartedReplays()).toBe(0);

      // Without a stored state (a writer from before it was kept): one replay, then stored.
      state.storage.sql.exec("DELETE FROM policy_state");
      const upgraded = new LogWriter(state, env);
      await state.blockConcurrencyWhile(async () => {});
      const upgradedReplays = countReplayedEntries(upgraded, state.storage.sql);
      expect(await upgraded.append([first])).toMatchObject({ ok: false, kind: "refused" });
      expect(upgradedReplays()).toBe(53);
      const parts = state.storage.sql
        .exec<{ n: number }>("SELECT COUNT(*) AS n FROM policy_state")
        .one().n;
      expect(parts).toBeGreaterThan(0);
      const again = new LogWriter(state, env);
      await state.blockConcurrencyWhile(async () => {});
      const againReplays = countReplayedEntries(again, state.storage.sql);
      expect(await again.append([enrolment()])).toMatchObject({ ok: true, size: "54" });
      expect(againReplays()).toBe(0);
    });
  });

  it("stores indexes as 64-bit keys that sort like numbers", async () => {
    const { u64Key, fromU64Key } = await import("../../worker/src/log/store.ts");
    for (const n of [0n, 255n, 256n, 2n ** 53n + 1n, 2n ** 63n, 2n ** 64n - 1n])
      expect(fromU64Key(u64Key(n))).toBe(n);
    const keys = [2n ** 64n - 1n, 256n, 2n ** 53n + 1n, 1n].map((n) => new Uint8Array(u64Key(n)));
    const sorted = [...keys].sort((a, b) => {
      for (let i = 0; i < 8; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
      return 0;
    });
    expect(sorted.map((k) => fromU64Key(k.buffer as ArrayBuffer))).toEqual([
      1n,
      256n,
      2n ** 53n + 1n,
      2n ** 64n - 1n,
    ]);
  });
});
