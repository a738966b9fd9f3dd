/**
 * Streaming decryption (PROTOCOL.md §11.5, steps 6–7 as a pipeline): each identity's
 * ciphertexts are read page by page, each page goes to the pool's threads as soon as it arrives
 * (in jobs of at most `chunk` ciphertexts, packed: work.ts), and each answer is merged into the
 * contacts (merge.ts) as soon as it comes back. A 48-hour query at a busy entrance is some
 * 300,000 ciphertexts; none of the stages holds all of them, nor all their plaintexts.
 *
 * Back-pressure: at most `window` pages are in flight — read but not yet wholly decrypted and
 * merged. When the threads fall that far behind, the next page is not asked for until one is
 * done, so memory is bounded by the window (pages × page size × 338 bytes, both ways) plus the
 * contacts, however long the query.
 *
 * Progress: after every answer, `{ done, total?, elapsedMs, etaMs? }`. `total` is known once the
 * last page has been read; before that the time left is estimated from the identities read so
 * far (their average count stands in for the rest).
 */
import type { ScopeIdentity } from "@lintel/protocol";
import { LintelError } from "../errors.ts";
import { ContactMerger } from "./merge.ts";
import type { DecryptPool } from "./pool.ts";
import type { PackedDecryptJob, PackedDecryptOutcome } from "./work.ts";
import { recordBytesOf } from "./work.ts";

/** Pages in flight by default: enough to keep every thread fed while the next page is fetched. */
export const DEFAULT_WINDOW = 4;
/** Ciphertexts per job: small enough to keep threads evenly busy, large enough to amortise. */
export const STREAM_CHUNK = 100;

export interface StreamIdentity {
  readonly identity: ScopeIdentity;
  /** The combined identity key D (§4.5). */
  readonly identityKey: Uint8Array;
}

/**
 * One page: whole ciphertexts of `ciphertextBytes` each, back to back. The stream owns the
 * buffer once it is yielded (it is transferred to a thread).
 */
export type CiphertextPageSource = (identity: ScopeIdentity) => AsyncIterable<Uint8Array>;

export interface DecryptProgress {
  /** Ciphertexts decrypted and merged. */
  readonly done: number;
  /** All ciphertexts of the query, once the last page has been read. */
  readonly total?: number;
  /** Since the first page was asked for. */
  readonly elapsedMs: number;
  /** Time left at the rate so far; absent until something is done. */
  readonly etaMs?: number;
}

export interface StreamOptions {
  readonly pool: DecryptPool;
  readonly identities: readonly StreamIdentity[];
  readonly pages: CiphertextPageSource;
  /** The size of one ciphertext: the slot ciphertext of a check-in record. */
  readonly ciphertextBytes: number;
  /** Pages in flight at most; default {@link DEFAULT_WINDOW}. */
  readonly window?: number;
  /** Ciphertexts per job at most; default {@link STREAM_CHUNK}. */
  readonly chunk?: number;
  /** Called as each identity's pages start being read (`done` identities before it). */
  readonly onIdentity?: (done: number, of: number) => void;
  /** Called once the last page has been read, with the query's count of ciphertexts. */
  readonly onAllRead?: (total: number) => void;
  readonly onProgress?: (progress: DecryptProgress) => void;
  /** Milliseconds; injectable for tests. */
  readonly now?: () => number;
}

/** Through `decrypt`, for a pool that predates packed jobs: the same answer, packed here. */
async function viaUnpacked(
  pool: DecryptPool,
  job: PackedDecryptJob,
): Promise<PackedDecryptOutcome> {
  const size = job.ciphertextBytes;
  const count = job.ciphertexts.length / size;
  const outcomes = await pool.decrypt({
    identityKey: job.identityKey,
    idBytes: job.idBytes,
    ciphertexts: Array.from({ length: count }, (_, i) =>
      job.ciphertexts.subarray(i * size, (i + 1) * size),
    ),
  });
  const recordBytes = recordBytesOf(size);
  const status = new Uint8Array(count);
  const plaintexts = new Uint8Array(count * recordBytes);
  const codes: string[] = [];
  outcomes.forEach((o, i) => {
    if (o.ok) {
      plaintexts.set(o.plaintext, i * recordBytes);
      return;
    }
    let at = codes.indexOf(o.code);
    if (at < 0) at = codes.push(o.code) - 1;
    status[i] = at + 1;
  });
  return { status, codes, plaintexts, recordBytes };
}

/** Splits a page into jobs; a page no larger than a chunk goes as it is (no copy). */
function chunksOf(page: Uint8Array, size: number, chunk: number): Uint8Array[] {
  const bytes = size * chunk;
  if (page.length <= bytes) return [page];
  const out: Uint8Array[] = [];
  // Copies, each with a buffer of its own, so each can be transferred.
  for (let at = 0; at < page.length; at += bytes) out.push(page.slice(at, at + bytes));
  return out;
}

/**
 * Decrypts every identity's pages in the pool and merges them; resolves with the merger once
 * every page is done. The first failure (a thread dying, a source throwing) stops the reading
 * of pages, waits for the jobs already sent, and rejects.
 */
export async function decryptStream(options: StreamOptions): Promise<ContactMerger> {
  const { pool, identities, pages, ciphertextBytes: size } = options;
  const window = options.window ?? DEFAULT_WINDOW;
  const chunk = options.chunk ?? STREAM_CHUNK;
  if (!Number.isInteger(window) || window < 1) {
    throw new LintelError("bad-value", "The window is at least one page.");
  }
  if (!Number.isInteger(chunk) || chunk < 1) {
    throw new LintelError("bad-value", "A job is at least one ciphertext.");
  }
  const now = options.now ?? (() => performance.now());
  const decrypt = (job: PackedDecryptJob) =>
    pool.decryptPacked ? pool.decryptPacked(job) : viaUnpacked(pool, job);
  const merger = new ContactMerger();
  const started = now();
  let read = 0;
  let identitiesRead = 0;
  let total: number | undefined;
  let done = 0;
  let inFlight = 0;
  let failure: unknown;
  let wake: (() => void) | undefined;
  const pending = new Set<Promise<void>>();

  const report = () => {
    if (!options.onProgress) return;
    const elapsedMs = now() - started;
    // Until every page is read, the identities not yet read are guessed at the average so far.
    const expected =
      total ??
      (identitiesRead > 0
        ? Math.max(read, (read / identitiesRead) * identities.length)
        : undefined);
    const etaMs =
      done > 0 && expected !== undefined
        ? (elapsedMs / done) * Math.max(0, expected - done)
        : undefined;
    options.onProgress({
      done,
      ...(total !== undefined ? { total } : {}),
      elapsedMs,
      ...(etaMs !== undefined ? { etaMs } : {}),
    });
  };

  const send = (identity: StreamIdentity, page: Uint8Array) => {
    const count = page.length / size;
    inFlight++;
    const jobs = chunksOf(page, size, chunk).map(async (ciphertexts) => {
      const outcome = await decrypt({
        identityKey: identity.identityKey,
        idBytes: identity.identity.idBytes,
        ciphertexts,
        ciphertextBytes: size,
      });
      if (failure !== undefined) return;
      merger.add(identity.identity, outcome);
      done += outcome.status.length;
      report();
    });
    const settled = Promise.all(jobs).then(
      () => {},
      (e: unknown) => {
        failure ??= e;
      },
    );
    const tracked = settled.finally(() => {
      inFlight--;
      pending.delete(tracked);
      wake?.();
    });
    pending.add(tracked);
    return count;
  };

  const room = async () => {
    while (inFlight >= window && failure === undefined) {
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = undefined;
    }
  };

  try {
    for (const [i, identity] of identities.entries()) {
      if (failure !== undefined) break;
      options.onIdentity?.(i, identities.length);
      for await (const page of pages(identity.identity)) {
        if (page.length % size !== 0) {
          throw new LintelError("unexpected-response", "A page holds a partial ciphertext.");
        }
        if (page.length > 0) read += send(identity, page);
        // Asked for only when there is room: this is the back-pressure on the source.
        await room();
        if (failure !== undefined) break;
      }
      identitiesRead++;
    }
    if (failure === undefined) {
      total = read;
      options.onAllRead?.(total);
    }
  } catch (e) {
    failure ??= e;
  }
  while (pending.size > 0) await Promise.all(pending);
  if (failure !== undefined) throw failure;
  // The last word is always the whole count, whichever answer came back last.
  report();
  return merger;
}
