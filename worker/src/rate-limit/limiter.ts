/**
 * Rate limits for the public endpoints that anyone can call without an account (reports,
 * operator sign-up, enrolment-code redemption). A Durable Object keeps fixed-window counters in
 * memory only: nothing about who called is ever written to storage, and a restart forgets all.
 * Clients are keyed by an HMAC of their address under a key derived from DATA_KEY and the day,
 * so even the in-memory map holds no address.
 */
import { DurableObject } from "cloudflare:workers";
import { encodeBase64url } from "@lintel/protocol";
import { deriveSubkey } from "../crypto/at-rest.ts";
import type { Env } from "../env.ts";
import { ProblemError } from "../problems/problem.ts";

interface Window {
  start: number;
  count: number;
}

export class RateLimiter extends DurableObject<Env> {
  private readonly windows = new Map<string, Window>();

  /** Counts one hit; returns the seconds to wait when over `limit` in the current window, else 0. */
  hit(key: string, limit: number, windowSeconds: number, weight = 1): number {
    const now = Math.floor(Date.now() / 1000);
    const start = now - (now % windowSeconds);
    let w = this.windows.get(key);
    if (!w || w.start !== start) {
      if (this.windows.size > 100_000) this.sweep(start);
      w = { start, count: 0 };
      this.windows.set(key, w);
    }
    w.count += weight;
    return w.count > limit ? start + windowSeconds - now : 0;
  }

  private sweep(currentStart: number): void {
    for (const [k, w] of this.windows) if (w.start < currentStart) this.windows.delete(k);
  }
}

export interface Limit {
  readonly bucket: string;
  readonly limit: number;
  readonly windowSeconds: number;
  /**
   * Hits per client and window this isolate lets through on its own count before it asks the
   * shared object. Ordinary callers (a phone checks in a few times an hour) then never pay the
   * round trip; a flood from one address crosses it at once. The price: an address spread over
   * many isolates gets this many extra hits per isolate.
   */
  readonly localAllowance?: number;
}

export const LIMITS = {
  reports: { bucket: "reports", limit: 10, windowSeconds: 3600 },
  operatorSignUp: { bucket: "operator-sign-up", limit: 5, windowSeconds: 3600 },
  enrolment: { bucket: "enrolment", limit: 10, windowSeconds: 3600 },
  // A person checks in a few times an hour, but each companion is its own submission and a
  // venue's shared Wi-Fi puts many people behind one address.
  checkins: { bucket: "checkins", limit: 300, windowSeconds: 3600, localAllowance: 30 },
  // A trustee audits the whole log before each release: officers ask a few times per query.
  trusteeRelease: { bucket: "trustee-release", limit: 60, windowSeconds: 3600 },
  // POST /log/entries needs no account (entries carry their authors' signatures). Authors post
  // a few batches of up to 100 entries; seeding a large deployment stays well inside this.
  logAppend: { bucket: "log-append", limit: 600, windowSeconds: 3600, localAllowance: 30 },
} as const satisfies Record<string, Limit>;

let cachedHmac: { raw: Uint8Array; key: Promise<CryptoKey> } | undefined;

async function hmacKey(env: Env): Promise<CryptoKey> {
  const raw = await deriveSubkey(env, "lintel rate-limit v1");
  if (cachedHmac?.raw !== raw) {
    cachedHmac = {
      raw,
      key: crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]),
    };
  }
  return cachedHmac.key;
}

/** The client's key in every bucket: an HMAC of its address and the day (exported for tests). */
export async function clientKey(env: Env, request: Request): Promise<string> {
  const address = request.headers.get("cf-connecting-ip") ?? "unknown";
  const day = Math.floor(Date.now() / 86_400_000);
  const key = await hmacKey(env);
  const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${day}|${address}`));
  return encodeBase64url(new Uint8Array(mac).subarray(0, 16));
}

/** Throws `rate-limited` (429 with Retry-After) when this client is over the bucket's limit. */
const localWindows = new Map<string, Window>();

/**
 * Counts a hit in this isolate. Returns 0 while the client is within its local allowance (no
 * need to ask the shared object), else the weight to report: the whole local count the first
 * time it is crossed, so the shared count misses none of the hits let through, then 1.
 */
function localWeight(key: string, limit: Limit): number {
  if (!limit.localAllowance) return 1;
  const now = Math.floor(Date.now() / 1000);
  const start = now - (now % limit.windowSeconds);
  const w = localWindows.get(key);
  if (!w || w.start !== start) {
    if (localWindows.size > 100_000) localWindows.clear();
    localWindows.set(key, { start, count: 1 });
    return limit.localAllowance >= 1 ? 0 : 1;
  }
  w.count += 1;
  if (w.count <= limit.localAllowance) return 0;
  return w.count === limit.localAllowance + 1 ? w.count : 1;
}

/** The object counting `client` in `limit`'s bucket (exported for tests). */
export function limiterStub(
  env: Env,
  limit: Limit,
  client: string,
): DurableObjectStub<RateLimiter> {
  // Shard by client so that no single object carries every caller of a busy bucket.
  const shard = client.charCodeAt(0) % 8;
  return env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(`${limit.bucket}/${shard}`));
}

export async function enforceLimit(env: Env, request: Request, limit: Limit): Promise<void> {
  const client = await clientKey(env, request);
  const weight = localWeight(`${limit.bucket}|${client}`, limit);
  if (weight === 0) return;
  const wait = await limiterStub(env, limit, client).hit(
    `${limit.bucket}|${client}`,
    limit.limit,
    limit.windowSeconds,
    weight,
  );
  if (wait > 0) {
    throw new ProblemError(
      "rate-limited",
      "Too many requests from this network; try again later.",
      {},
      { "retry-after": String(wait) },
    );
  }
}
