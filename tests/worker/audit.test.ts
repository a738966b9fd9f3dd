/**
 * The auditor library against the real log writer, inside workerd: honest growth verifies; any
 * stored byte changed, a rewritten history (fork) or a shrunken log is caught, and a fork or
 * rollback yields a proof of misbehaviour made of two validly signed checkpoints.
 */

import { runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import type { AuditState } from "@lintel/protocol";
import {
  auditLog,
  decodeBase64url,
  ed25519PublicKey,
  verifyCheckpoint,
  verifyConsistency,
} from "@lintel/protocol";
import { beforeEach, describe, expect, it } from "vitest";
import { httpLogSource } from "../../client-sdk/src/audit/source.ts";
import { loadDeployment } from "../../worker/src/config/deployment.ts";
import {
  deploymentLog,
  enrolment,
  genesis,
  logVerifierKey,
  registrySecret,
  wipeDeploymentLog,
} from "./log-fixtures.ts";

const _deployment = loadDeployment(env.LINTEL_DEPLOYMENT);
const logKey = logVerifierKey;
const source = httpLogSource("http://lintel.test/log", (url, init) =>
  exports.default.fetch(new Request(url, init)),
);
const log = deploymentLog;

const wipe = wipeDeploymentLog;

async function append(entries: Uint8Array[]): Promise<void> {
  const outcome = await log().append(entries);
  if (!outcome.ok) throw new Error(outcome.reason);
}

async function audit(previous?: AuditState) {
  return auditLog({
    source,
    logKey: logKey(),
    registryKey: ed25519PublicKey(registrySecret()),
    ...(previous ? { previous } : {}),
  });
}

const key = (n: bigint) => {
  const b = new ArrayBuffer(8);
  new DataView(b).setBigUint64(0, n);
  return b;
};

beforeEach(wipe);

describe("auditing the log", () => {
  it("verifies an honest log, then its growth from the saved state", async () => {
    await append([genesis(), ...Array.from({ length: 300 }, (_, i) => enrolment(`O${i}`))]);
    const first = await audit();
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    expect(first.entryPolicy).toBe("lintel");
    expect(first.state.size).toBe("301");
    await append([enrolment("late")]);
    const second = await audit(first.state);
    expect(second).toMatchObject({ ok: true, newEntries: 1n });
    // 301 signatures checked: generous on a loaded machine.
  });

  it("fails when any stored entry byte, node hash or checkpoint byte changes", async () => {
    await append([genesis(), enrolment("a"), enrolment("b")]);
    const before = await audit();
    expect(before.ok).toBe(true);

    await runInDurableObject(log(), (_i, state) => {
      const row = state.storage.sql
        .exec<{ entry: ArrayBuffer }>("SELECT entry FROM leaves WHERE idx = ?", key(1n))
        .one();
      const bytes = new Uint8Array(row.entry);
      bytes[50]! ^= 1;
      state.storage.sql.exec("UPDATE leaves SET entry = ? WHERE idx = ?", bytes, key(1n));
    });
    const entryChanged = await audit();
    expect(entryChanged).toMatchObject({ ok: false });
    expect(entryChanged.ok ? "" : entryChanged.reason).toMatch(/entry 1 does not match/);

    await wipe();
    await append([genesis(), enrolment("a"), enrolment("b")]);
    await runInDurableObject(log(), (_i, state) => {
      // Tiles serve every eighth level; a changed leaf hash is what a reader of tiles would get.
      const row = state.storage.sql
        .exec<{ hash: ArrayBuffer }>("SELECT hash FROM nodes WHERE level = 0 AND idx = ?", key(2n))
        .one();
      const bytes = new Uint8Array(row.hash);
      bytes[0]! ^= 1;
      state.storage.sql.exec(
        "UPDATE nodes SET hash = ? WHERE level = 0 AND idx = ?",
        bytes,
        key(2n),
      );
    });
    const nodeChanged = await audit();
    expect(nodeChanged.ok ? "" : nodeChanged.reason).toMatch(/hash tiles do not produce the root/);

    await wipe();
    await append([genesis()]);
    await runInDurableObject(log(), (_i, state) => {
      const note = state.storage.sql
        .exec<{ note: string }>("SELECT note FROM checkpoints")
        .one().note;
      state.storage.sql.exec("UPDATE checkpoints SET note = ?", note.replace(/\n1\n/, "\n2\n"));
    });
    const checkpointChanged = await audit();
    expect(checkpointChanged.ok ? "" : checkpointChanged.reason).toMatch(
      /checkpoint does not verify/,
    );
  });

  it("detects a fork and keeps two signed, inconsistent checkpoints as proof", async () => {
    await append([genesis(), enrolment("a"), enrolment("b")]);
    const seen = await audit();
    if (!seen.ok) throw new Error(seen.reason);
    // The operator rewrites history: same log key, a different third entry, then more.
    await wipe();
    await append([genesis(), enrolment("a2"), enrolment("b2"), enrolment("c2")]);
    const forked = await audit(seen.state);
    expect(forked.ok).toBe(false);
    if (forked.ok) return;
    expect(forked.reason).toMatch(/forked/);
    const proof = forked.misbehaviour!;
    expect(proof.kind).toBe("fork");
    // A third party checks the evidence: both notes verify, and no consistency proof links them.
    const [a, b] = proof.checkpoints.map(
      (n) => verifyCheckpoint(n, { logKey: logKey(), witnesses: [], quorum: 0 }).checkpoint,
    );
    expect(a!.size).toBe(3n);
    expect(b!.size).toBe(4n);
    const path = proof.consistencyProof!.map((p) => decodeBase64url(p, 32));
    expect(() => verifyConsistency(a!.size, b!.size, a!.rootHash, b!.rootHash, path)).toThrow();
  });

  it("detects a log that shrank (rollback)", async () => {
    await append([genesis(), enrolment("a"), enrolment("b")]);
    const seen = await audit();
    if (!seen.ok) throw new Error(seen.reason);
    await wipe();
    await append([genesis(), enrolment("a")]);
    const rolled = await audit(seen.state);
    expect(rolled.ok ? "" : rolled.reason).toMatch(/shrank from 3 to 2/);
    expect(rolled.ok ? undefined : rolled.misbehaviour?.kind).toBe("rollback");
  });

  it("re-checks every entry against the log policy, not only the hashes", async () => {
    await append([genesis()]);
    // A dishonest writer skips its own policy check and appends an enrolment signed by a
    // stranger: hashes and checkpoint are all correct, only the policy is broken.
    const { generateEd25519KeyPair, encodeEntry, signEntry } = await import("@lintel/protocol");
    const stranger = generateEd25519KeyPair();
    const rogue = encodeEntry(
      signEntry(
        {
          deployment: "demo",
          issuedAt: Math.floor(Date.now() / 1000),
          body: {
            kind: "officer-enrolment",
            publicKey: stranger.publicKey,
            label: "Self-appointed",
          },
        },
        [stranger.secretKey],
      ),
    );
    await runInDurableObject(log(), (instance) => {
      const writer = instance as unknown as {
        policy: unknown;
        writeBatch(r: { entries: Uint8Array[] }[], policy: unknown): unknown;
      };
      writer.writeBatch([{ entries: [rogue] }], writer.policy);
    });
    const outcome = await audit();
    expect(outcome.ok ? "" : outcome.reason).toMatch(
      /entry 1 breaks the Lintel log policy.*registry alone/,
    );
  });
});
