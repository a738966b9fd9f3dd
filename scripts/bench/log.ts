/**
 * Transparency-log figures:
 *   log.append_entries_per_s  — signed entries appended through POST /log/entries of a local
 *                               `wrangler dev` (batches of 100 from 4 concurrent clients),
 *                               policy checks and atomic batch writes included
 *   log.proof_ms              — inclusion + consistency proof from stored subtree hashes at one
 *                               million entries (Node, the algorithm the writer runs over SQLite)
 *   audit.verify_entries_per_s — the auditor over a tiles source of 20,000 opaque entries
 *   audit.verify_lintel_entries_per_s — a Lintel log of 2,001 entries with every entry's
 *                               signature and policy checked: median of 3 after one warm-up audit
 *   audit.verify_lintel_first_entries_per_s — that warm-up audit: the process's first Lintel audit
 *   log.refused_append_ms     — one refused POST /log/entries (a logged batch of 100 sent again)
 *                               on a log of 10,000 entries: median of 20, end to end
 *   log.read_during_refusals_ms — p99 of GET /log/checkpoint while 10 such refusals are in flight
 *                               (sent by another process, as an attacker's from another machine)
 *   log.read_quiet_ms         — p99 of the same reads with nothing else in flight
 *   log.read_during_probes_ms — p99 of the same reads while 10 GET /healthz/live are in flight:
 *                               what ten requests of any kind cost the reads on this machine
 *   audit.reaudit_whole_2k_ms / audit.reaudit_resumed_2k_ms — a Lintel log of 2,001 entries grown
 *                               by 10: audited again from entry 0, and resumed from the saved
 *                               policy state (what a trustee does per release)
 */

import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
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
import { TEST_DEPLOYMENT_LIMITS } from "../../client-sdk/src/authority/testing/deployment-limits.ts";
import type { DemoIdentities } from "../lib/demo-identities.ts";
import { DEMO_POLICY, demoLogEntries } from "../lib/seed-log.ts";
import { appendBatches, enrolmentBatches } from "./filler.ts";
import type { FloodSpec } from "./flood.ts";
import type { Figure } from "./protocol.ts";

const floodScript = fileURLToPath(new URL("./flood.ts", import.meta.url));

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
            ...TEST_DEPLOYMENT_LIMITS,
          },
        },
        [registry.secretKey],
      ),
    ),
    ...Array.from({ length: 2_000 }, (_, i) => enrolment(`O${i}`)),
  ];
  // One audit to warm up, then the median of three: a year's log is tens of thousands of entries,
  // over which the first audit's start (JIT, WebCrypto's first use) is spread thin; over 2,001 it
  // is not.
  const lintelAudit = async () => {
    const start = performance.now();
    const outcome = await auditLog({
      source: memoryLog(lintelEntries, origin, secret),
      logKey,
      entries: "lintel",
    });
    if (!outcome.ok) throw new Error(outcome.reason);
    return performance.now() - start;
  };
  const firstAuditMs = await lintelAudit();
  const auditMs = [await lintelAudit(), await lintelAudit(), await lintelAudit()].sort(
    (a, b) => a - b,
  )[1]!;
  figures["audit.verify_lintel_entries_per_s"] = {
    value: Math.round(lintelEntries.length / (auditMs / 1000)),
    unit: "entries/s",
  };
  figures["audit.verify_lintel_first_entries_per_s"] = {
    value: Math.round(lintelEntries.length / (firstAuditMs / 1000)),
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
    Object.assign(figures, await refusalBenchmarks(log, baseUrl, registrySecret, bodies[0]!));
  }
  return figures;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

/**
 * What an anonymous caller can cost the log with requests it refuses, once the log holds 10,000
 * entries: the refusal itself, and the reads that arrive meanwhile.
 */
async function refusalBenchmarks(
  log: (line: string) => void,
  baseUrl: string,
  registrySecret: Uint8Array,
  loggedBatch: string,
): Promise<Record<string, Figure>> {
  const size = async () => {
    const note = await (await fetch(`${baseUrl}/log/checkpoint`)).text();
    return Number(note.split("\n")[1]);
  };
  const target = 10_000;
  const missing = Math.max(0, target - (await size()));
  log(`bench: growing the log by ${missing} entries to ${target}…`);
  // One batch signed, then sent: signing them all first would leave the connection idle for long
  // enough that the server closes it.
  for (let b = 0; b < Math.ceil(missing / 100); b++) {
    const batch = enrolmentBatches(registrySecret, 1, 100, `refusal bench ${b}`);
    // A kept-alive connection the server closed meanwhile fails before the request is sent.
    await appendBatches(baseUrl, batch).catch(() => appendBatches(baseUrl, batch));
  }
  const refuse = async () => {
    const start = performance.now();
    const res = await fetch(`${baseUrl}/log/entries`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: loggedBatch,
    });
    await res.arrayBuffer();
    if (res.status !== 422) throw new Error(`a logged batch sent again: ${res.status}`);
    return performance.now() - start;
  };
  log(`bench: refused appends at ${await size()} entries…`);
  const refusals: number[] = [];
  for (let i = 0; i < 20; i++) refusals.push(await refuse());

  /** Four readers take `count` checkpoints; each read's time. */
  const readCheckpoints = async (count: number, reads: number[] = []) => {
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (reads.length < count) {
          const start = performance.now();
          const res = await fetch(`${baseUrl}/log/checkpoint`);
          await res.arrayBuffer();
          if (res.status !== 200) throw new Error(`checkpoint: ${res.status}`);
          reads.push(performance.now() - start);
        }
      }),
    );
    return reads;
  };
  log("bench: checkpoint reads with nothing else in flight…");
  const quiet = await readCheckpoints(400);

  // Ten callers of another process each keep one refused append in flight while four readers
  // take 100 checkpoints; then the same with ten callers of the cheapest request there is (the
  // liveness probe, no storage), so the figure can be read against what any ten requests in
  // flight cost the reads on this machine. The attack stays inside the rate limit: it has
  // LIMITS.logAppend (600 an hour) less what the benchmarks appended before it.
  const bodyFile = path.join(mkdtempSync(path.join(os.tmpdir(), "lintel-bench-")), "batch.json");
  writeFileSync(bodyFile, loggedBatch);
  log("bench: checkpoint reads while 10 refusals are in flight…");
  const reads = await whileFlooded(
    {
      url: `${baseUrl}/log/entries`,
      method: "POST",
      bodyFile,
      expect: 422,
      callers: 10,
      perCaller: 500,
    },
    () => readCheckpoints(400),
  );
  log("bench: checkpoint reads while 10 liveness probes are in flight…");
  const control = await whileFlooded(
    { url: `${baseUrl}/healthz/live`, method: "GET", expect: 200, callers: 10, perCaller: 10_000 },
    () => readCheckpoints(400),
  );
  rmSync(path.dirname(bodyFile), { recursive: true, force: true });
  return {
    "log.refused_append_ms": { value: round(percentile(refusals, 50)), unit: "ms" },
    "log.read_during_refusals_ms": { value: round(percentile(reads, 99)), unit: "ms" },
    // The same reads with nothing else in flight: the floor the figure above is read against.
    "log.read_quiet_ms": { value: round(percentile(quiet, 99)), unit: "ms" },
    // The same reads while ten liveness probes are in flight: what any ten requests cost them.
    "log.read_during_probes_ms": { value: round(percentile(control, 99)), unit: "ms" },
  };
}

/**
 * Runs `during` while another process (bench/flood.ts) keeps `spec` requests in flight. Throws if
 * the flood ran out before `during` finished, or got an answer it did not expect.
 */
async function whileFlooded<T>(spec: FloodSpec, during: () => Promise<T>): Promise<T> {
  const child = spawn(process.execPath, [...process.execArgv, floodScript, JSON.stringify(spec)], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout! });
  const next = () =>
    new Promise<string>((resolve, reject) => {
      lines.once("line", resolve);
      child.once("exit", (code) => reject(new Error(`flood exited with ${code}`)));
    });
  const started = await next();
  if (started !== "started") throw new Error(`flood: ${started}`);
  const result = await during();
  const summary = next();
  child.stdin!.end();
  const { sent, unexpected } = JSON.parse(await summary) as { sent: number; unexpected: number[] };
  if (unexpected.length > 0) throw new Error(`flood: answers ${unexpected.join(", ")}`);
  if (sent >= spec.callers * spec.perCaller)
    throw new Error(`flood: all ${sent} requests were answered before the reads were done`);
  return result;
}
