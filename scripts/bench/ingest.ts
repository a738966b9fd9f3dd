/**
 * Ingest figures, against a local `wrangler dev` on 127.0.0.1, bounded in count:
 *   ingest.checkins_per_s   — check-ins of 2 slots (2 × 338-byte ciphertexts) from 50
 *                             concurrent clients, each answered only once durable
 *   ingest.p99_ms           — their 99th-percentile latency
 *   ingest.http_floor_per_s — the same concurrency against GET /healthz/live (no storage)
 * Ciphertexts are random bytes with the right header: the service never decrypts, so the cost
 * is the same as for real ones (encryption is the device's, measured in protocol figures).
 */
import { callRoute } from "@lintel/client-sdk";
import { citizenRoutes } from "@lintel/contract";
import { CHECKIN_RECORD_BYTES, ciphertextBytes, encodeBase64url } from "@lintel/protocol";
import type { Figure } from "./protocol.ts";

const CLIENTS = 50;
const CT = ciphertextBytes(CHECKIN_RECORD_BYTES);

interface Run {
  readonly perSecond: number;
  readonly p99: number;
  readonly failures: number;
}

async function load(total: number, request: (i: number) => Promise<Response>): Promise<Run> {
  let next = 0;
  let failures = 0;
  const latencies: number[] = [];
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      for (let i = next++; i < total; i = next++) {
        const t = performance.now();
        const res = await request(i);
        await res.arrayBuffer();
        latencies.push(performance.now() - t);
        if (!res.ok) failures += 1;
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    perSecond: total / seconds,
    p99: latencies[Math.floor(latencies.length * 0.99)] ?? 0,
    failures,
  };
}

function checkinBody(code: string, slot: number): string {
  const ct = () => {
    const bytes = crypto.getRandomValues(new Uint8Array(CT));
    bytes.set([0x45, 1]);
    return encodeBase64url(bytes);
  };
  return JSON.stringify({
    code,
    idempotencyKey: encodeBase64url(crypto.getRandomValues(new Uint8Array(16))),
    deletionHash: encodeBase64url(crypto.getRandomValues(new Uint8Array(32))),
    slots: [
      { slot, ciphertext: ct() },
      { slot: slot + 3600, ciphertext: ct() },
    ],
  });
}

export async function ingestBenchmarks(
  say: (line: string) => void,
  baseUrl: string,
  entrances: readonly string[],
  total = 3000,
): Promise<Record<string, Figure>> {
  const codes = await Promise.all(
    entrances.map(async (id) => {
      const { url } = await callRoute({ baseUrl }, citizenRoutes.entranceCode, { params: { id } });
      return url.slice(url.indexOf("#") + 1);
    }),
  );
  const now = Math.floor(Date.now() / 1000);
  const slot = now - (now % 3600);
  // Warm-up: shards, isolates and connections.
  await load(200, () => fetch(`${baseUrl}/healthz/live`));
  const floor = await load(total, () => fetch(`${baseUrl}/healthz/live`));
  say(`ingest: HTTP floor ${floor.perSecond.toFixed(0)} req/s (p99 ${floor.p99.toFixed(1)} ms)`);
  const post = (i: number) =>
    fetch(`${baseUrl}/api/checkins`, {
      method: "POST",
      // Each simulated client from its own address, as 50 phones would be.
      headers: {
        "content-type": "application/json",
        "cf-connecting-ip": `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
      },
      body: checkinBody(codes[i % codes.length]!, slot),
    });
  await load(200, post);
  const ingest = await load(total, post);
  say(
    `ingest: ${ingest.perSecond.toFixed(0)} check-ins/s (p99 ${ingest.p99.toFixed(1)} ms, ` +
      `${ingest.failures} refused) = ${((100 * ingest.perSecond) / floor.perSecond).toFixed(0)}% of the floor`,
  );
  if (ingest.failures > 0) throw new Error(`ingest: ${ingest.failures} check-ins were refused`);
  return {
    "ingest.checkins_per_s": { value: Math.round(ingest.perSecond), unit: "check-ins/s" },
    "ingest.p99_ms": { value: Math.round(ingest.p99 * 10) / 10, unit: "ms" },
    "ingest.http_floor_per_s": { value: Math.round(floor.perSecond), unit: "req/s" },
  };
}
