/**
 * Exposure-query figures (PROTOCOL.md §11.5), measured in Node:
 *
 *   query.decrypt_10k_s    10,000 real check-in ciphertexts spread over the 8 identities of a
 *                          2-entrance × 4-hour scope: from the released partial keys and the
 *                          fetched ciphertexts to the list of contacts — partial keys verified and
 *                          combined, the Node pool of 2 worker threads started, every ciphertext
 *                          decrypted and decoded, identical records merged. Wall clock, seconds.
 *   query.combine_48_ms    verify and combine the partial keys of 48 identities (2 entrances ×
 *                          24 hours) with 2 trustees and the day's epoch key, master key included,
 *                          in the calling thread.
 *   query.combine_48_pool_ms  the same in the Node pool of 2 worker threads (pool already
 *                          started): what the officer waits, with the page's thread left free.
 *
 *   query.decrypt_300k_min  312,000 ciphertexts of one entrance over 48 hours (5,000 check-ins an
 *                          hour, 30 % of them spanning two slots), decrypted with 2 threads
 *                          from the released partial keys to the contact list through the
 *                          SDK's streaming path. Wall clock, minutes.
 *   query.decrypt_300k_rss_mb  that process's peak resident memory, all threads (maxRSS).
 *   query.decrypt_stream_ms_per_ct  the same run's wall clock × threads ÷ ciphertexts: the
 *                          cost of one ciphertext in one thread, pairing and all overhead.
 *   (decrypt-stream.ts, run in processes of their own; LINTEL_BENCH_DECRYPT_N picks another
 *   size — the figures are then named by it, e.g. query.decrypt_20k_min — and 0 skips them.)
 *
 * The 10,000 ciphertexts are made first, untimed, by real encryption (encryptCheckIn) in two
 * worker threads: this file is also the body of those threads (see the end), so the benchmark
 * stays one file. Needs no dev server.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import {
  encodeCheckInRecord,
  encryptCheckIn,
  epochDay,
  extractPartialKey,
  generateEpochKey,
  generateTrusteeKey,
  type KeyShare,
  LOG_TRUSTEE_ID,
  PreparedMasterKey,
  queryScope,
  type Release,
  type ScopeIdentity,
} from "@lintel/protocol";
import { useFastCurves } from "@lintel/protocol/fast-curves";
import { ready, xchacha20poly1305 } from "@lintel/protocol/seal";
import {
  collectContacts,
  combineIdentityKeys,
  createNodeDecryptPool,
  decryptIdentities,
} from "../../client-sdk/src/authority/index.ts";
import { repoRoot } from "../lib/paths.ts";
import { DEFAULT_COUNT, type StreamRun } from "./decrypt-stream.ts";
import type { Figure } from "./protocol.ts";

const DEPLOYMENT = "bench";
const ENTRANCES = ["bench-a", "bench-b"];
/** 2026-11-21T08:00Z: a 4-hour window on one UTC day. */
const WINDOW_START = 1795248000;
const HOURS = 4;
const CIPHERTEXTS = 10_000;
const THREADS = 2;

interface CheckInSpec {
  readonly entranceId: string;
  readonly arrival: number;
  readonly departure: number;
  readonly record: Uint8Array;
}

interface EncryptTask {
  readonly lintelBenchQueryEncrypt: true;
  readonly shares: readonly KeyShare[];
  readonly checkIns: readonly CheckInSpec[];
}

interface Encrypted {
  readonly entranceId: string;
  readonly slotStart: number;
  readonly ciphertext: Uint8Array;
}

function encryptAll(task: EncryptTask): Encrypted[] {
  const mpk = PreparedMasterKey.fromShares(task.shares);
  const out: Encrypted[] = [];
  for (const c of task.checkIns) {
    for (const s of encryptCheckIn(xchacha20poly1305, {
      deployment: DEPLOYMENT,
      entranceId: c.entranceId,
      slotSeconds: 3600,
      arrival: c.arrival,
      departure: c.departure,
      record: c.record,
      masterKeyForDay: () => mpk,
    })) {
      out.push({ entranceId: c.entranceId, slotStart: s.slotStart, ciphertext: s.ciphertext });
    }
  }
  return out;
}

/** Check-ins of 20–110 minutes at random times of the window: 1–3 ciphertexts each. */
function checkIns(count: number): CheckInSpec[] {
  const specs: CheckInSpec[] = [];
  for (let i = 0; i < count; i++) {
    const arrival = WINDOW_START + Math.floor(Math.random() * (HOURS * 3600 - 1800));
    const departure = Math.min(
      arrival + 1200 + Math.floor(Math.random() * 5400),
      WINDOW_START + HOURS * 3600,
    );
    specs.push({
      entranceId: ENTRANCES[i % ENTRANCES.length]!,
      arrival,
      departure,
      record: encodeCheckInRecord({
        recordedBy: i % 7 === 0 ? "companion" : "self",
        companions: i % 5,
        arrival,
        expectedDeparture: departure,
        contactKind: "contact",
        contact: {
          name: `访客 ${i}`,
          phone: `+86 138 ${String(i).padStart(8, "0")}`,
          idNumber: "",
        },
      }),
    });
  }
  return specs;
}

const BOOT = (file: string) =>
  `import("tsx/esm/api").then((t) => { t.register(); return import(${JSON.stringify(file)}); });`;

async function encryptInThreads(shares: KeyShare[], specs: CheckInSpec[]): Promise<Encrypted[]> {
  const parts = Array.from({ length: THREADS }, (_, t) =>
    specs.filter((_, i) => i % THREADS === t),
  );
  const results = await Promise.all(
    parts.map(
      (part) =>
        new Promise<Encrypted[]>((resolve, reject) => {
          const task: EncryptTask = { lintelBenchQueryEncrypt: true, shares, checkIns: part };
          const worker = new Worker(BOOT(import.meta.url), { eval: true, workerData: task });
          worker.once("message", (m: Encrypted[]) => {
            resolve(m);
            void worker.terminate();
          });
          worker.once("error", reject);
        }),
    ),
  );
  return results.flat();
}

function releasesFor(
  trustees: readonly { id: string; secretShare: Uint8Array }[],
  epochSecret: Uint8Array,
  scope: readonly ScopeIdentity[],
): { trusteeReleases: Release[]; logRelease: Release } {
  const release = (trusteeId: string, secret: Uint8Array): Release => ({
    trusteeId,
    queryIndex: 1n,
    releaseIndex: 2n,
    partialKeys: scope.map((id) => extractPartialKey(secret, id.idBytes)),
  });
  return {
    trusteeReleases: trustees.map((t) => release(t.id, t.secretShare)),
    logRelease: release(LOG_TRUSTEE_ID, epochSecret),
  };
}

/** decrypt-stream.ts in a process of its own: its progress on our stderr, its answer on stdout. */
function runStreamBench(mode: "prepare" | "measure"): Promise<string> {
  const file = path.join(repoRoot, "scripts/bench/decrypt-stream.ts");
  const args = ["--import", "tsx", file, ...(mode === "prepare" ? ["prepare"] : [])];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: repoRoot,
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve(out) : reject(new Error(`decrypt-stream.ts ${mode} exited ${code}`)),
    );
  });
}

/** query.decrypt_300k_*: the streaming decryption at the size of a busy entrance's 48 hours. */
export async function streamBenchmarks(
  log: (line: string) => void,
): Promise<Record<string, Figure>> {
  const count = Number(process.env.LINTEL_BENCH_DECRYPT_N ?? DEFAULT_COUNT);
  if (count === 0) return {};
  await runStreamBench("prepare");
  const lines = (await runStreamBench("measure")).trim().split("\n");
  const run = JSON.parse(lines.at(-1)!) as StreamRun;
  const name = count === DEFAULT_COUNT ? "300k" : `${Math.round(count / 1000)}k`;
  const perCiphertext = (run.wallMs * run.threads) / run.ciphertexts;
  log(
    `bench: ${run.ciphertexts} ciphertexts → ${run.contacts} contacts in ${(run.wallMs / 60_000).toFixed(2)} min ` +
      `(${perCiphertext.toFixed(2)} ms a ciphertext a thread), peak RSS ${run.maxRssMb.toFixed(0)} MB ` +
      `(${run.startRssMb.toFixed(0)} MB with the threads started, before the first page)`,
  );
  return {
    [`query.decrypt_${name}_min`]: { value: Math.round(run.wallMs / 600) / 100, unit: "min" },
    [`query.decrypt_${name}_rss_mb`]: { value: Math.round(run.maxRssMb), unit: "MB" },
    "query.decrypt_stream_ms_per_ct": {
      value: Math.round(perCiphertext * 100) / 100,
      unit: "ms",
    },
  };
}

export async function queryBenchmarks(
  log: (line: string) => void,
): Promise<Record<string, Figure>> {
  await ready();
  const trustees = ["trustee-a", "trustee-b"].map((id) => ({ id, ...generateTrusteeKey() }));
  const epoch = generateEpochKey(epochDay(WINDOW_START));
  const shares: KeyShare[] = [...trustees, epoch].map((k) => ({
    publicKey: k.publicKey,
    proofOfPossession: k.proofOfPossession,
  }));
  const holders = trustees.map((t) => ({
    id: t.id,
    publicKey: t.publicKey,
    proofOfPossession: t.proofOfPossession,
  }));
  const epochKeys = new Map([[epoch.day, shares[2]!]]);

  // query.combine_48_ms
  const dayScope = queryScope(DEPLOYMENT, {
    entrances: ENTRANCES,
    windowStart: epoch.day * 86_400,
    windowEnd: (epoch.day + 1) * 86_400,
  });
  const dayReleases = releasesFor(trustees, epoch.secretShare, dayScope);
  log(`bench: verify and combine ${dayScope.length} identities…`);
  const combineInput = { trustees: holders, epochKeys, scope: dayScope, ...dayReleases };
  const combineTimes: number[] = [];
  for (let run = 0; run < 3; run++) {
    const start = performance.now();
    await combineIdentityKeys(combineInput);
    combineTimes.push(performance.now() - start);
  }
  combineTimes.sort((a, b) => a - b);
  const combinePool = await createNodeDecryptPool({ threads: THREADS });
  const combinePoolTimes: number[] = [];
  try {
    await combineIdentityKeys(combineInput, combinePool); // threads warmed up, untimed
    for (let run = 0; run < 3; run++) {
      const start = performance.now();
      await combineIdentityKeys(combineInput, combinePool);
      combinePoolTimes.push(performance.now() - start);
    }
  } finally {
    await combinePool.close();
  }
  combinePoolTimes.sort((a, b) => a - b);

  // query.decrypt_10k_s
  const scope = queryScope(DEPLOYMENT, {
    entrances: ENTRANCES,
    windowStart: WINDOW_START,
    windowEnd: WINDOW_START + HOURS * 3600,
  });
  log(`bench: encrypting ${CIPHERTEXTS} check-in ciphertexts in ${THREADS} threads (untimed)…`);
  const made = performance.now();
  const encrypted = (await encryptInThreads(shares, checkIns(Math.ceil(CIPHERTEXTS / 1.6)))).slice(
    0,
    CIPHERTEXTS,
  );
  if (encrypted.length < CIPHERTEXTS) throw new Error(`only ${encrypted.length} ciphertexts made`);
  log(`bench: made ${encrypted.length} in ${((performance.now() - made) / 1000).toFixed(1)} s`);
  const byIdentity = new Map<string, Uint8Array[]>();
  for (const e of encrypted) {
    const k = `${e.entranceId}|${e.slotStart}`;
    byIdentity.set(k, [...(byIdentity.get(k) ?? []), e.ciphertext]);
  }
  const releases = releasesFor(trustees, epoch.secretShare, scope);

  log(
    `bench: decrypting ${CIPHERTEXTS} ciphertexts over ${scope.length} identities, ${THREADS} threads…`,
  );
  const start = performance.now();
  const pool = await createNodeDecryptPool({ threads: THREADS });
  let contacts: Awaited<ReturnType<typeof collectContacts>>;
  let decrypted = 0;
  try {
    const keys = await combineIdentityKeys(
      { trustees: holders, epochKeys, scope, ...releases },
      pool,
    );
    const outcomes = await decryptIdentities(
      pool,
      keys.flatMap((k) =>
        k.status === "ready"
          ? [
              {
                identity: k.identity,
                identityKey: k.identityKey,
                ciphertexts:
                  byIdentity.get(`${k.identity.entranceId}|${k.identity.slotStart}`) ?? [],
              },
            ]
          : [],
      ),
    );
    decrypted = outcomes.reduce((n, o) => n + o.outcomes.filter((x) => x.ok).length, 0);
    contacts = await collectContacts(outcomes);
  } finally {
    await pool.close();
  }
  const seconds = (performance.now() - start) / 1000;
  if (decrypted !== CIPHERTEXTS) throw new Error(`only ${decrypted} of ${CIPHERTEXTS} decrypted`);
  log(`bench: ${decrypted} records → ${contacts.length} contacts in ${seconds.toFixed(1)} s`);

  return {
    ...(await streamBenchmarks(log)),
    "query.decrypt_10k_s": { value: Math.round(seconds * 100) / 100, unit: "s" },
    "query.combine_48_ms": {
      value: Math.round(combineTimes[1]! * 100) / 100,
      unit: "ms",
    },
    "query.combine_48_pool_ms": {
      value: Math.round(combinePoolTimes[1]! * 100) / 100,
      unit: "ms",
    },
  };
}

// The body of an encryption thread (see encryptInThreads).
const task = workerData as EncryptTask | undefined;
if (!isMainThread && task?.lintelBenchQueryEncrypt && parentPort) {
  await useFastCurves();
  await ready();
  parentPort.postMessage(encryptAll(task));
}
