/**
 * Wrappers that count work as it finishes, for progress: a decrypt pool (identity keys
 * combined, ciphertexts decrypted) and a log source (entry bundles read). They change nothing
 * that passes through them.
 */
import type { LogSource } from "@lintel/protocol";
import type { DecryptPool } from "../src/authority/index.ts";

export interface PoolCounts {
  /** Identities whose key was combined, of those submitted so far. */
  onCombined(done: number, submitted: number): void;
  onDecrypted(done: number, submitted: number): void;
}

export function countingPool(pool: DecryptPool, counts: PoolCounts): DecryptPool {
  const combined = { done: 0, submitted: 0 };
  const decrypted = { done: 0, submitted: 0 };
  return {
    threads: pool.threads,
    // The SDK submits every job of a step before awaiting any, so `submitted` is the step's
    // total by the time the first job finishes.
    combine: async (job) => {
      combined.submitted += job.identities.length;
      const outcomes = await pool.combine(job);
      combined.done += job.identities.length;
      counts.onCombined(combined.done, combined.submitted);
      return outcomes;
    },
    decrypt: async (job) => {
      decrypted.submitted += job.ciphertexts.length;
      const outcomes = await pool.decrypt(job);
      decrypted.done += job.ciphertexts.length;
      counts.onDecrypted(decrypted.done, decrypted.submitted);
      return outcomes;
    },
    // Streaming decryption reports its own progress (with the time left); its packed jobs pass
    // through untouched, so they keep their transferred buffers.
    ...(pool.decryptPacked ? { decryptPacked: pool.decryptPacked.bind(pool) } : {}),
    close: () => pool.close(),
  };
}

/** Entries per bundle in tlog-tiles. */
const BUNDLE_WIDTH = 256n;

/** The tree size in a checkpoint note (its second line), if it reads as one. */
function checkpointSize(note: Uint8Array): bigint | undefined {
  const line = new TextDecoder().decode(note.subarray(0, 512)).split("\n")[1];
  return line && /^\d{1,20}$/.test(line) ? BigInt(line) : undefined;
}

/**
 * Counts entry bundles read against the bundles the checkpoint's tree has. An auditor resuming
 * from saved state reads fewer; the count then ends below its total, which is honest.
 */
export function countingLogSource(
  source: LogSource,
  onBundle: (done: number, of: number) => void,
): LogSource {
  let of = 0;
  // Distinct bundles: an auditor may read a bundle twice (leaves, then the policy's replay).
  const read = new Set<bigint>();
  return {
    location: source.location,
    checkpoint: async () => {
      const note = await source.checkpoint();
      const size = checkpointSize(note);
      if (size !== undefined) of = Number((size + BUNDLE_WIDTH - 1n) / BUNDLE_WIDTH);
      read.clear();
      return note;
    },
    tile: (level, index, width) => source.tile(level, index, width),
    entryBundle: async (index, width) => {
      const bytes = await source.entryBundle(index, width);
      read.add(index);
      onBundle(read.size, Math.max(of, read.size));
      return bytes;
    },
  };
}
