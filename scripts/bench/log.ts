/**
 * Transparency-log figures:
 *   log.append_entries_per_s  — signed entries appended through POST /log/entries of a local
 *                               `wrangler dev` (batches of 100 from 4 concurrent clients),
 *                               policy checks and atomic batch writes included
 *   log.proof_ms              — inclusion + consistency proof from stored subtree hashes at one
 *                               million entries (Node, the algorithm the writer runs over SQLite)
 *   audit.verify_entries_per_s — the auditor over a tiles source of 20,000 opaque entries
 *   audit.verify_lintel_entries_per_s — the same with every entry's signature and policy checked
 *   audit.reaudit_whole_2k_ms / audit.reaudit_resumed_2k_ms — a Lintel log of 2,001 entries grown
 *                               by 10: audited again from entry 0, and resumed from the saved
 *                               policy state (what a trustee does per release)
 */
import {
  auditLog,
  consistencyProofSync,
  decodeBase64url,
  encodeBase64url,
  encodeEntry,
  formatVerifierKey,
  generateEd25519KeyPair,
  inclusionProofSync,
  MemoryTree,
  memoryLogReader,
  parseVerifierKey,
  signEntry,
  sourceFromReader,
} from "@lintel/protocol";
import type { DemoIdentities } from "../lib/demo-identities.ts";
import { DEMO_POLICY, demoLogEntries } from "../lib/seed-log.ts";
import { enrolmentBatches } from "./filler.ts";
import type { Figure } from "./protocol.ts";

const round = (n: number) => Math.round(n * 100) / 100;

function memoryLog(entries: Uint8Array[], origin: string, secret: Uint8Array) {
  return sourceFromReader("memory", memoryLogReader(entries, origin, secret));
}

export async function logBenchmarks(
  log: (line: string) => void,
  baseUrl?: string,
  ids?: DemoIdentities,
): Promise<Record<string, Figure>> {
  const figures: Record<string, Figure> = {};

  log("bench: proofs at one million entries…");
  const tree = new MemoryTree();
  const leaf = new Uint8Array(32);
  for (let i = 0; i < 1_000_000; i++) {
    leaf[0] = i & 255;
    leaf[1] = (i >> 8) & 255;
    leaf[2] = i >> 16;
    tree.appendLeafHash(leaf);
  }
  const runs = 200;
  const start = performance.now();
  for (let i = 0; i < runs; i++) {
    inclusionProofSync(tree, BigInt((i * 4999) % 1_000_000), tree.size);
    consistencyProofSync(tree, BigInt(1 + ((i * 7919) % 999_999)), tree.size);
  }
  figures["log.proof_ms"] = { value: round((performance.now() - start) / runs), unit: "ms" };

  log("bench: auditing 20,000 entries…");
  const secret = generateEd25519KeyPair().secretKey;
  const origin = "bench.example/log";
  const logKey = parseVerifierKey(
    formatVerifierKey(origin, generateEd25519KeyPair(secret).publicKey),
  );
  const opaque = Array.from({ length: 20_000 }, (_, i) =>
    new TextEncoder().encode(`entry ${i} ${"x".repeat(100)}`),
  );
  let t0 = performance.now();
  const opaqueOutcome = await auditLog({
    source: memoryLog(opaque, origin, secret),
    logKey,
    entries: "opaque",
  });
  if (!opaqueOutcome.ok) throw new Error(opaqueOutcome.reason);
  figures["audit.verify_entries_per_s"] = {
    value: Math.round(20_000 / ((performance.now() - t0) / 1000)),
    unit: "entries/s",
  };

  const registry = generateEd25519KeyPair();
  /** A registry-signed officer enrolment of a fresh key: the commonest entry of a grown log. */
  const enrolment = (label: string) =>
    encodeEntry(
      signEntry(
        {
          deployment: "demo",
          issuedAt: 1_763_700_000,
          body: { kind: "officer-enrolment", publicKey: generateEd25519KeyPair().publicKey, label },
        },
        [registry.secretKey],
      ),
    );
  const lintelEntries = [
    encodeEntry(
      signEntry(
        {
          deployment: "demo",
          issuedAt: 1_763_700_000,
          body: {
            kind: "deployment",
            registryKey: registry.publicKey,
            logKey: logKey.publicKey,
            retentionDays: 21,
            approvalsRequired: 2,
            maxWindowHours: 48,
            maxEntrancesPerQuery: 20,
            maxEntranceHoursPerQuery: 48,
            wideQueryApprovals: 3,
            maxEntranceHoursWide: 96,
            maxEntranceHoursPerCase: 192,
            maxQueriesPerCase: 8,
            draftLifetimeSeconds: 86_400,
          },
        },
        [registry.secretKey],
      ),
    ),
    ...Array.from({ length: 2_000 }, (_, i) => enrolment(`O${i}`)),
  ];
  t0 = performance.now();
  const lintelOutcome = await auditLog({
    source: memoryLog(lintelEntries, origin, secret),
    logKey,
    entries: "lintel",
  });
  if (!lintelOutcome.ok) throw new Error(lintelOutcome.reason);
  figures["audit.verify_lintel_entries_per_s"] = {
    value: Math.round(lintelEntries.length / ((performance.now() - t0) / 1000)),
    unit: "entries/s",
  };

  // What a trustee pays per release once the log has grown by ten entries since its last audit:
  // the whole replay (as before keepPolicy) against resuming from its saved policy state.
  log("bench: re-audit after 10 more entries, whole replay vs resumed…");
  const more = [...lintelEntries, ...Array.from({ length: 10 }, (_, i) => enrolment(`late ${i}`))];
  const kept = await auditLog({
    source: memoryLog(lintelEntries, origin, secret),
    logKey,
    entries: "lintel",
    keepPolicy: true,
  });
  if (!kept.ok) throw new Error(kept.reason);
  const reaudit = async (keepPolicy: boolean) => {
    const start = performance.now();
    const outcome = await auditLog({
      source: memoryLog(more, origin, secret),
      logKey,
      entries: "lintel",
      previous: kept.state,
      keepPolicy,
    });
    if (!outcome.ok) throw new Error(outcome.reason);
    return performance.now() - start;
  };
  figures["audit.reaudit_whole_2k_ms"] = { value: round(await reaudit(false)), unit: "ms" };
  figures["audit.reaudit_resumed_2k_ms"] = { value: round(await reaudit(true)), unit: "ms" };

  if (baseUrl && ids) {
    log(`bench: appending to ${baseUrl}/log …`);
    const registrySecret = decodeBase64url(ids.registry.secretKey, 32);
    const status = await fetch(`${baseUrl}/log/checkpoint`);
    if (status.status === 404) {
      await fetch(`${baseUrl}/log/entries`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          entries: demoLogEntries(ids, DEMO_POLICY, {}).map(encodeBase64url),
        }),
      });
    }
    const batches = 40;
    const perBatch = 100;
    const bodies = enrolmentBatches(registrySecret, batches, perBatch, "bench");
    let next = 0;
    t0 = performance.now();
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < bodies.length) {
          const body = bodies[next++]!;
          const res = await fetch(`${baseUrl}/log/entries`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body,
          });
          if (res.status !== 201) throw new Error(`append: ${res.status} ${await res.text()}`);
        }
      }),
    );
    figures["log.append_entries_per_s"] = {
      value: Math.round((batches * perBatch) / ((performance.now() - t0) / 1000)),
      unit: "entries/s",
    };
  }
  return figures;
}
