/**
 * The authority's big decryption, measured in a process of its own (query.ts starts it):
 * one entrance over 48 hours at 5,000 check-ins an hour, 30 % of them staying into the next
 * hour, so every slot holds 1.3 × 5,000 = 6,500 ciphertexts and the query 312,000. From the
 * released partial keys to the contact list with the SDK's streaming path (decryptStream in the
 * Node pool): partial keys verified and combined, pages read and decrypted as they arrive,
 * records merged. Printed as one JSON line on stdout: wall-clock milliseconds, the count, and
 * the process's peak resident memory (all its threads; process.resourceUsage().maxRSS, which
 * is why this runs in its own process: nothing measured earlier in the bench counts).
 *
 * The ciphertexts come from real encryption (encryptToIdentity), which costs minutes of CPU at
 * this size, so they are made once and kept under `.cache/bench/` (git-ignored): one file per
 * slot, written by worker threads, in a folder named by a hash of the protocol's test vectors,
 * the count and this generator's version — a protocol change makes a new folder. Made ahead,
 * not streamed into the run, so that the encryption's CPU does not share the two cores with the
 * decryption being timed. The run reads each slot's file a page (1,000 ciphertexts, the
 * service's page) at a time, as it would read the service.
 *
 * Run `node --import tsx scripts/bench/decrypt-stream.ts prepare` (makes the cache), then without
 * `prepare` (measures).
 *
 * Environment: LINTEL_BENCH_DECRYPT_N (ciphertexts; default 312,000, rounded to whole check-ins),
 * LINTEL_BENCH_DECRYPT_THREADS (default 2).
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { open } from "node:fs/promises";
import path from "node:path";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import {
  decodeBase64url,
  type EpochKey,
  encodeBase64url,
  encodeCheckInRecord,
  encryptToIdentity,
  epochDay,
  extractPartialKey,
  generateEpochKey,
  generateTrusteeKey,
  identityBytes,
  type KeyShare,
  LOG_TRUSTEE_ID,
  PreparedMasterKey,
  queryScope,
  type Release,
  type ScopeIdentity,
  type TrusteeKey,
} from "@lintel/protocol";
import { useFastCurves } from "@lintel/protocol/fast-curves";
import { ready, xchacha20poly1305 } from "@lintel/protocol/seal";
import {
  combineIdentityKeys,
  createNodeDecryptPool,
  decryptStream,
  SLOT_CIPHERTEXT_BYTES,
} from "../../client-sdk/src/authority/index.ts";
import { repoRoot } from "../lib/paths.ts";

const DEPLOYMENT = "bench";
const ENTRANCE = "bench-door";
/** 2026-11-21T00:00Z: 48 hours, two UTC days. */
const WINDOW_START = 1795219200;
const HOURS = 48;
const SPAN_SHARE = 0.3;
const PAGE = 1000;
const GENERATOR_VERSION = 1;
const SIZE = SLOT_CIPHERTEXT_BYTES;

export const DEFAULT_COUNT = 312_000;

/** Check-ins arriving each hour for `count` ciphertexts: each slot holds 1.3 × that many. */
export function checkInsPerHour(count: number): number {
  return Math.max(1, Math.round(count / (HOURS * (1 + SPAN_SHARE))));
}

/** The i-th check-in arriving in hour `hour` (−1: the hour before the window). */
function checkIn(hour: number, i: number, perHour: number) {
  const spans = i < Math.round(perHour * SPAN_SHARE);
  const hourStart = WINDOW_START + hour * 3600;
  // Spanning stays arrive in the hour's second half and leave in the next hour's first.
  const arrival = hourStart + (spans ? 1800 + (i % 1800) : i % 1800);
  const departure = spans ? hourStart + 3600 + 60 + (i % 1700) : arrival + 600 + (i % 1000);
  return {
    arrival,
    departure,
    record: encodeCheckInRecord({
      recordedBy: i % 7 === 0 ? "companion" : "self",
      companions: i % 5,
      arrival,
      expectedDeparture: departure,
      contactKind: "contact",
      contact: {
        name: `访客 ${hour}-${i}`,
        phone: `+86 138 ${String((hour + 1) * 100_000 + i).padStart(8, "0")}`,
        idNumber: "",
      },
    }),
  };
}

interface Keys {
  readonly trustees: ReadonlyArray<TrusteeKey & { readonly id: string }>;
  readonly epochs: readonly EpochKey[];
}

function sharesFor(keys: Keys, day: number): KeyShare[] {
  const epoch = keys.epochs.find((e) => e.day === day);
  if (!epoch) throw new Error(`no epoch key for day ${day}`);
  return [...keys.trustees, epoch].map((k) => ({
    publicKey: k.publicKey,
    proofOfPossession: k.proofOfPossession,
  }));
}

const slotStart = (hour: number) => WINDOW_START + hour * 3600;

/** Slot `hour`'s ciphertexts: the hour's arrivals, then the stays from the hour before. */
function encryptSlot(keys: Keys, hour: number, perHour: number): Uint8Array {
  const start = slotStart(hour);
  const mpk = PreparedMasterKey.fromShares(sharesFor(keys, epochDay(start)));
  const id = identityBytes({
    deployment: DEPLOYMENT,
    entranceId: ENTRANCE,
    slotStart: start,
    slotSeconds: 3600,
  });
  // e(Q_id, mpk) once a slot, as a phone does before the tap: then each encryption is one
  // scalar multiplication and one GT exponentiation.
  mpk.precomputeIdentity(id);
  const spanning = Math.round(perHour * SPAN_SHARE);
  const records = [
    ...Array.from({ length: perHour }, (_, i) => checkIn(hour, i, perHour).record),
    ...Array.from({ length: spanning }, (_, i) => checkIn(hour - 1, i, perHour).record),
  ];
  const out = new Uint8Array(records.length * SIZE);
  records.forEach((r, i) => {
    out.set(encryptToIdentity(xchacha20poly1305, mpk, id, r), i * SIZE);
  });
  return out;
}

// ── the cache ───────────────────────────────────────────────────────────────────────────────

function cacheDir(count: number): string {
  const vectors = readFileSync(path.join(repoRoot, "protocol/vectors/lintel-v1.json"));
  const key = createHash("sha256")
    .update(vectors)
    .update(`\n${count}\n${GENERATOR_VERSION}\n${SIZE}`)
    .digest("hex")
    .slice(0, 16);
  return path.join(repoRoot, ".cache/bench", `decrypt-${count}-${key}`);
}

const b64 = encodeBase64url;

function saveKeys(dir: string, keys: Keys): void {
  const text = JSON.stringify({
    trustees: keys.trustees.map((t) => ({
      id: t.id,
      secretShare: b64(t.secretShare),
      publicKey: b64(t.publicKey),
      proofOfPossession: b64(t.proofOfPossession),
    })),
    epochs: keys.epochs.map((e) => ({
      day: e.day,
      secretShare: b64(e.secretShare),
      publicKey: b64(e.publicKey),
      proofOfPossession: b64(e.proofOfPossession),
    })),
  });
  writeFileSync(path.join(dir, "keys.json"), text);
}

function loadKeys(dir: string): Keys {
  type Raw = Record<"secretShare" | "publicKey" | "proofOfPossession", string>;
  const raw = JSON.parse(readFileSync(path.join(dir, "keys.json"), "utf8")) as {
    trustees: Array<Raw & { id: string }>;
    epochs: Array<Raw & { day: number }>;
  };
  const bytes = (r: Raw) => ({
    secretShare: decodeBase64url(r.secretShare),
    publicKey: decodeBase64url(r.publicKey),
    proofOfPossession: decodeBase64url(r.proofOfPossession),
  });
  return {
    trustees: raw.trustees.map((t) => ({ id: t.id, ...bytes(t) })),
    epochs: raw.epochs.map((e) => ({ day: e.day, ...bytes(e) })),
  };
}

const slotFile = (dir: string, hour: number) => path.join(dir, `slot-${hour}.bin`);

interface GenerateTask {
  readonly lintelBenchDecryptGenerate: true;
  readonly dir: string;
  readonly perHour: number;
}

const BOOT = (file: string) =>
  `import("tsx/esm/api").then((t) => { t.register(); return import(${JSON.stringify(file)}); });`;

/** Makes the missing slot files in `threads` worker threads; a slot file appears whole or not. */
async function generate(dir: string, perHour: number, threads: number, say: (s: string) => void) {
  const missing = Array.from({ length: HOURS }, (_, h) => h).filter(
    (h) => !existsSync(slotFile(dir, h)),
  );
  if (missing.length === 0) return;
  say(`decrypt bench: encrypting ${missing.length} slots × ${perHour * 1.3} ciphertexts…`);
  const started = performance.now();
  let made = 0;
  await Promise.all(
    Array.from(
      { length: threads },
      () =>
        new Promise<void>((resolve, reject) => {
          const task: GenerateTask = { lintelBenchDecryptGenerate: true, dir, perHour };
          const worker = new Worker(BOOT(import.meta.url), { eval: true, workerData: task });
          const next = () => {
            const hour = missing.shift();
            if (hour === undefined) {
              void worker.terminate().then(() => resolve());
              return;
            }
            worker.postMessage(hour);
          };
          worker.on("message", () => {
            made++;
            const s = (performance.now() - started) / 1000;
            say(`decrypt bench: ${made} slots made in ${s.toFixed(0)} s`);
            next();
          });
          worker.once("error", reject);
          next();
        }),
    ),
  );
}

// ── the measured run ────────────────────────────────────────────────────────────────────────

/** One slot's file, a page at a time, each page a fresh buffer (it is transferred on). */
async function* filePages(file: string): AsyncGenerator<Uint8Array> {
  const handle = await open(file, "r");
  try {
    for (;;) {
      const page = new Uint8Array(PAGE * SIZE);
      const { bytesRead } = await handle.read(page, 0, page.length, null);
      if (bytesRead === 0) return;
      yield bytesRead === page.length ? page : page.slice(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}

function releasesFor(keys: Keys, scope: readonly ScopeIdentity[]) {
  const release = (trusteeId: string, secretOf: (s: ScopeIdentity) => Uint8Array): Release => ({
    trusteeId,
    queryIndex: 1n,
    releaseIndex: 2n,
    partialKeys: scope.map((s) => extractPartialKey(secretOf(s), s.idBytes)),
  });
  return {
    trusteeReleases: keys.trustees.map((t) => release(t.id, () => t.secretShare)),
    logRelease: release(
      LOG_TRUSTEE_ID,
      (s) => keys.epochs.find((e) => e.day === epochDay(s.slotStart))!.secretShare,
    ),
  };
}

export interface StreamRun {
  readonly ciphertexts: number;
  readonly contacts: number;
  readonly threads: number;
  readonly wallMs: number;
  readonly maxRssMb: number;
  /** The highest process.memoryUsage().rss seen, sampled every 200 ms during the run. */
  readonly sampledRssMb: number;
  /** RSS with the threads started and the keys combined, before the first page: the floor. */
  readonly startRssMb: number;
}

/** The cache for `count`, made where missing (keys, then slot files). */
async function prepare(count: number, threads: number, say: (s: string) => void) {
  await ready();
  const dir = cacheDir(count);
  mkdirSync(dir, { recursive: true });
  if (!existsSync(path.join(dir, "keys.json"))) {
    const day0 = epochDay(WINDOW_START);
    saveKeys(dir, {
      trustees: ["trustee-a", "trustee-b"].map((id) => ({ id, ...generateTrusteeKey() })),
      epochs: [day0, day0 + 1].map((d) => generateEpochKey(d)),
    });
  }
  await generate(dir, checkInsPerHour(count), threads, say);
}

async function measure(count: number, threads: number, say: (s: string) => void) {
  await ready();
  const perHour = checkInsPerHour(count);
  const dir = cacheDir(count);
  const keys = loadKeys(dir);
  const scope = queryScope(DEPLOYMENT, {
    entrances: [ENTRANCE],
    windowStart: WINDOW_START,
    windowEnd: WINDOW_START + HOURS * 3600,
  });
  const releases = releasesFor(keys, scope);
  const hourOf = new Map(scope.map((s, h) => [s.slotStart, h]));
  const expectedCiphertexts = scope.reduce(
    (n, _, h) => n + statSync(slotFile(dir, h)).size / SIZE,
    0,
  );
  let sampled = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    sampled = Math.max(sampled, process.memoryUsage().rss);
  }, 200);
  say(`decrypt bench: decrypting ${expectedCiphertexts} ciphertexts in ${threads} threads…`);
  const started = performance.now();
  const pool = await createNodeDecryptPool({ threads });
  let contacts = 0;
  let ciphertexts = 0;
  let startRss = 0;
  try {
    const combined = await combineIdentityKeys(
      {
        trustees: keys.trustees.map((t) => ({
          id: t.id,
          publicKey: t.publicKey,
          proofOfPossession: t.proofOfPossession,
        })),
        epochKeys: new Map(keys.epochs.map((e) => [e.day, e])),
        scope,
        ...releases,
      },
      pool,
    );
    startRss = process.memoryUsage().rss;
    let lastSaid = 0;
    const merger = await decryptStream({
      pool,
      identities: combined.flatMap((k) => (k.status === "ready" ? [k] : [])),
      ciphertextBytes: SIZE,
      pages: (identity) => filePages(slotFile(dir, hourOf.get(identity.slotStart)!)),
      onProgress: (p) => {
        if (p.elapsedMs - lastSaid < 15_000) return;
        lastSaid = p.elapsedMs;
        const eta = p.etaMs === undefined ? "" : `, about ${Math.round(p.etaMs / 1000)} s left`;
        say(
          `decrypt bench: ${p.done}/${p.total ?? "?"} in ${Math.round(p.elapsedMs / 1000)} s${eta}`,
        );
      },
    });
    const failures = merger.failures();
    if (Object.keys(failures).length > 0) {
      throw new Error(`ciphertexts failed: ${JSON.stringify(failures)}`);
    }
    ciphertexts = merger.ciphertexts;
    contacts = (await merger.contacts()).length;
  } finally {
    await pool.close();
  }
  const wallMs = performance.now() - started;
  clearInterval(sampler);
  sampled = Math.max(sampled, process.memoryUsage().rss);
  const spanning = Math.round(perHour * SPAN_SHARE);
  if (ciphertexts !== expectedCiphertexts || contacts !== HOURS * perHour + spanning) {
    throw new Error(`decrypted ${ciphertexts} ciphertexts to ${contacts} contacts`);
  }
  const run: StreamRun = {
    ciphertexts,
    contacts,
    threads,
    wallMs,
    // Kilobytes on Linux.
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    sampledRssMb: sampled / 1024 / 1024,
    startRssMb: startRss / 1024 / 1024,
  };
  return run;
}

// ── entry points: the measuring process, and the body of a generating thread ───────────────

const task = workerData as GenerateTask | undefined;
if (!isMainThread && task?.lintelBenchDecryptGenerate && parentPort) {
  await useFastCurves();
  await ready();
  const keys = loadKeys(task.dir);
  const port = parentPort;
  port.on("message", (hour: number) => {
    const bytes = encryptSlot(keys, hour, task.perHour);
    const file = slotFile(task.dir, hour);
    writeFileSync(`${file}.tmp`, bytes);
    renameSync(`${file}.tmp`, file);
    port.postMessage(hour);
  });
} else if (
  isMainThread &&
  process.argv[1] &&
  import.meta.url.endsWith(path.basename(process.argv[1]))
) {
  const count = Number(process.env.LINTEL_BENCH_DECRYPT_N ?? DEFAULT_COUNT);
  const threads = Number(process.env.LINTEL_BENCH_DECRYPT_THREADS ?? 2);
  const say = (line: string) => process.stderr.write(`${line}\n`);
  // Two processes: making the cache must not count in the measured one's peak memory.
  if (process.argv[2] === "prepare") await prepare(count, threads, say);
  else process.stdout.write(`${JSON.stringify(await measure(count, threads, say))}\n`);
}
