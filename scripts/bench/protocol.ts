/**
 * Protocol figures, measured in Node: medians over repeated runs after a warm-up.
 * BENCHMARKS.md explains each name and records them with the machine and date.
 */
import {
  CHECKIN_RECORD_BYTES,
  combinePartialKeys,
  dayNumber,
  decryptWithIdentityKey,
  ed25519KeyId,
  encodeCheckInRecord,
  encryptCheckIn,
  extractPartialKey,
  formatVerifierKey,
  generateEd25519KeyPair,
  generateEpochKey,
  generateTrusteeKey,
  identityBytes,
  PreparedMasterKey,
  parseVerifierKey,
  signVenueCode,
  type VenueCode,
  venueCodeUrl,
  verifyPartialKey,
  verifyVenueCode,
} from "@lintel/protocol";
import { ready, xchacha20poly1305 } from "@lintel/protocol/seal";
import { codeQrVersion } from "../lib/qr.ts";
import { ed25519Benchmarks } from "./ed25519.ts";

export interface Figure {
  readonly value: number;
  readonly unit: string;
  /** What the figure was measured against, when the name alone does not say (versions, commits). */
  readonly note?: string;
}

export function medianMs(fn: () => unknown, runs: number, warmup = 3): number {
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/** medianMs for an asynchronous operation: each run awaited before the next starts. */
export async function medianAsyncMs(
  fn: () => Promise<unknown>,
  runs: number,
  warmup = 1,
): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/** Like medianMs, but each run gets a fresh value from `setup`, made outside the timing. */
export function medianFreshMs<T>(setup: () => T, fn: (value: T) => unknown, runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs + 2; i++) {
    const value = setup();
    const start = performance.now();
    fn(value);
    if (i >= 2) times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

const round = (n: number) => Math.round(n * 100) / 100;

export async function protocolBenchmarks(
  log: (line: string) => void,
): Promise<Record<string, Figure>> {
  await ready();
  const registry = generateEd25519KeyPair();
  const registryKey = parseVerifierKey(formatVerifierKey("demo/registry", registry.publicKey));
  const now = new Date("2026-11-21T10:20:00Z");
  const code: VenueCode = {
    deployment: "demo",
    venueId: "hbr-lib",
    entranceId: "hbr-main",
    codeVersion: 1,
    venueName: { zh: "海港公共图书馆", en: "Harbour Public Library" },
    entranceName: { zh: "正门", en: "Main entrance" },
    category: "library",
    defaultStayMinutes: 90,
    contactFields: { name: true, phone: true, idNumber: false },
    validFromDay: dayNumber(now) - 1,
    validUntilDay: dayNumber(now) + 365,
    registryKeyId: ed25519KeyId("demo/registry", registry.publicKey),
  };
  const signed = signVenueCode(code, registry.secretKey);
  // The largest code the format allows: every id and name at its byte limit.
  const worst = signVenueCode(
    {
      ...code,
      deployment: "d".repeat(32),
      venueId: "v".repeat(32),
      entranceId: "e".repeat(32),
      venueName: { zh: "图".repeat(20), en: "V".repeat(60) },
      entranceName: { zh: "门".repeat(10), en: "E".repeat(30) },
      codeVersion: 65535,
    },
    registry.secretKey,
  );
  const worstUrl = venueCodeUrl("https://checkin.example.org", worst);
  const url = venueCodeUrl("https://checkin.example.org", signed);
  log("bench: venue code…");
  const verifyCode = medianMs(() => verifyVenueCode(signed, { registry: registryKey, now }), 50);

  const trustees = [generateTrusteeKey(), generateTrusteeKey()];
  const day = Math.floor(now.getTime() / 86_400_000);
  const epoch = generateEpochKey(day);
  const shares = [...trustees, epoch];
  const mpk = PreparedMasterKey.fromShares(shares);
  const record = encodeCheckInRecord({
    recordedBy: "self",
    companions: 0,
    arrival: Math.floor(now.getTime() / 1000),
    expectedDeparture: Math.floor(now.getTime() / 1000) + 5400,
    contactKind: "contact",
    contact: { name: "王小明", phone: "+86 138 0013 8000", idNumber: "" },
  });
  const arrival = Math.floor(now.getTime() / 1000);
  const encryption = (minutes: number, key: PreparedMasterKey) => ({
    deployment: "demo",
    entranceId: "hbr-main",
    slotSeconds: 3600,
    arrival,
    departure: arrival + minutes * 60,
    record,
    masterKeyForDay: () => key,
  });
  log("bench: encryption (cold: a fresh master key and identity each time)…");
  // Cold: the day's master key is verified (proofs of possession) but no identity is cached.
  const fresh = () => PreparedMasterKey.fromShares(shares);
  const coldOne = medianFreshMs(
    fresh,
    (k) => encryptCheckIn(xchacha20poly1305, encryption(30, k)),
    15,
  );
  const cold3 = medianFreshMs(
    fresh,
    (k) => encryptCheckIn(xchacha20poly1305, encryption(150, k)),
    9,
  );
  const prepare = medianMs(fresh, 9);
  log("bench: encryption (identities precomputed while the page renders)…");
  for (const slot of [0, 1, 2]) {
    const start = Math.floor(arrival / 3600) * 3600 + slot * 3600;
    mpk.precomputeIdentity(
      identityBytes({
        deployment: "demo",
        entranceId: "hbr-main",
        slotStart: start,
        slotSeconds: 3600,
      }),
    );
  }
  const warmOne = medianMs(() => encryptCheckIn(xchacha20poly1305, encryption(30, mpk)), 20);
  const warm3 = medianMs(() => encryptCheckIn(xchacha20poly1305, encryption(150, mpk)), 15);

  const slotStart = Math.floor(arrival / 3600) * 3600;
  const id = identityBytes({
    deployment: "demo",
    entranceId: "hbr-main",
    slotStart,
    slotSeconds: 3600,
  });
  log("bench: partial keys…");
  const extract = medianMs(() => extractPartialKey(trustees[0]!.secretShare, id), 20);
  const partial = extractPartialKey(trustees[0]!.secretShare, id);
  const verifyPartial = medianMs(() => verifyPartialKey(trustees[0]!.publicKey, id, partial), 20);

  const records = Number(process.env.LINTEL_BENCH_RECORDS ?? 1000);
  log(`bench: decrypting ${records} records of one slot…`);
  const cts = Array.from(
    { length: records },
    () => encryptCheckIn(xchacha20poly1305, encryption(30, mpk))[0]!.ciphertext,
  );
  const start = performance.now();
  const key = combinePartialKeys(
    mpk,
    id,
    shares.map((s) => extractPartialKey(s.secretShare, id)),
  );
  for (const ct of cts) decryptWithIdentityKey(xchacha20poly1305, key, id, ct);
  const decryptPer = (performance.now() - start) / records;
  const ed25519 = await ed25519Benchmarks(log);

  return {
    ...ed25519,
    "protocol.verify_code_ms": { value: round(verifyCode), unit: "ms" },
    "protocol.encrypt_checkin_1slot_ms": { value: round(warmOne), unit: "ms" },
    "protocol.encrypt_checkin_3slots_ms": { value: round(warm3), unit: "ms" },
    "protocol.encrypt_checkin_1slot_cold_ms": { value: round(coldOne), unit: "ms" },
    "protocol.encrypt_checkin_3slots_cold_ms": { value: round(cold3), unit: "ms" },
    "protocol.prepare_master_key_ms": { value: round(prepare), unit: "ms" },
    "protocol.extract_partial_ms": { value: round(extract), unit: "ms" },
    "protocol.verify_partial_ms": { value: round(verifyPartial), unit: "ms" },
    "protocol.decrypt_record_ms": { value: round(decryptPer), unit: "ms" },
    "protocol.ciphertext_bytes": { value: cts[0]!.length, unit: "bytes" },
    "protocol.record_bytes": { value: CHECKIN_RECORD_BYTES, unit: "bytes" },
    "protocol.code_url_chars": { value: url.length, unit: "chars" },
    "protocol.code_qr_version": { value: codeQrVersion(url), unit: "QR version (EC level M)" },
    "protocol.code_bytes": { value: signed.length, unit: "bytes" },
    "protocol.code_url_chars_worst": { value: worstUrl.length, unit: "chars" },
    "protocol.code_qr_version_worst": {
      value: codeQrVersion(worstUrl),
      unit: "QR version (EC level M)",
    },
  };
}
