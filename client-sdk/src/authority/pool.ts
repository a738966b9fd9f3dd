/**
 * Decrypting in parallel. Every ciphertext costs a pairing (about 18 ms in Node), so a query of
 * thousands of check-ins is worth spreading over threads; so does checking and combining the
 * partial keys before it (four pairing checks an identity). A {@link DecryptPool} runs
 * {@link DecryptJob}s and {@link CombineJob}s somewhere — worker threads in Node (node-pool.ts), Web Workers in a browser
 * (browser-pool.ts), or the calling thread (tests, and a fallback) — and every variant runs the
 * same work.ts, so their answers are identical.
 *
 * The threaded pools share one scheduler over a minimal "port": a job goes to an idle thread, or
 * waits in a queue; the caller splits large identities into several jobs so threads stay busy.
 * Decrypted data only ever travels between the threads of this process.
 */
import { isProtocolError } from "@lintel/protocol";
import { useFastCurves } from "@lintel/protocol/fast-curves";
import { LintelError } from "../errors.ts";
import {
  type CombineJob,
  type CombineOutcome,
  combineJob,
  type DecryptJob,
  type DecryptOutcome,
  decryptJob,
  decryptPackedJob,
  type PackedDecryptJob,
  type PackedDecryptOutcome,
} from "./work.ts";

export interface DecryptPool {
  /** How many jobs run at once. */
  readonly threads: number;
  decrypt(job: DecryptJob): Promise<DecryptOutcome[]>;
  /**
   * The same work packed (work.ts): the pool takes the job's ciphertexts buffer (it is
   * transferred to the thread, so the caller must not use it again). Optional so that pools
   * written before it still work: streaming decryption falls back to `decrypt` without it.
   */
  decryptPacked?(job: PackedDecryptJob): Promise<PackedDecryptOutcome>;
  combine(job: CombineJob): Promise<CombineOutcome[]>;
  /** Stops the threads; jobs still queued fail. */
  close(): Promise<void>;
}

/** The calling thread: no parallelism, no setup; answers and fails exactly as a thread would. */
export function inThreadPool(): DecryptPool {
  const run = async (work: Work) => {
    const answer = await answerJob({ id: 0, ...work });
    if ("error" in answer) throw new LintelError(answer.code ?? "decrypt-failed", answer.error);
    return answer.outcomes;
  };
  return {
    threads: 1,
    decrypt: (job) => run({ kind: "decrypt", job }) as Promise<DecryptOutcome[]>,
    decryptPacked: (job) => run({ kind: "decrypt-packed", job }) as Promise<PackedDecryptOutcome>,
    combine: (job) => run({ kind: "combine", job }) as Promise<CombineOutcome[]>,
    close: async () => {},
  };
}

/** What a thread is sent and answers (both sides of the worker files use these shapes). */
type Work =
  | { readonly kind: "decrypt"; readonly job: DecryptJob }
  | { readonly kind: "decrypt-packed"; readonly job: PackedDecryptJob }
  | { readonly kind: "combine"; readonly job: CombineJob };

type Outcomes = DecryptOutcome[] | CombineOutcome[] | PackedDecryptOutcome;

export type JobMessage = Work & { readonly id: number };

export type ResultMessage =
  | { readonly id: number; readonly outcomes: Outcomes }
  /** `code`: the protocol's error code when the work itself refused its input. */
  | { readonly id: number; readonly error: string; readonly code?: string };

/** One thread, as the scheduler sees it; node-pool.ts and browser-pool.ts adapt theirs. */
export interface WorkerPort {
  /** `transfer`: buffers that move to the thread with the message (postMessage's list). */
  post(message: JobMessage, transfer: ArrayBuffer[]): void;
  /** Registers the one handler for answers, and one for the thread failing altogether. */
  listen(onMessage: (message: ResultMessage) => void, onError: (error: Error) => void): void;
  terminate(): Promise<void>;
}

interface Pending {
  readonly work: Work;
  readonly resolve: (outcomes: Outcomes) => void;
  readonly reject: (error: Error) => void;
}

/** The scheduler: each port runs one job at a time; the rest wait in order. */
export function portPool(ports: readonly WorkerPort[]): DecryptPool {
  if (ports.length === 0) throw new LintelError("bad-value", "A pool needs at least one thread.");
  const queue: Pending[] = [];
  const idle: WorkerPort[] = [...ports];
  const running = new Map<WorkerPort, { id: number; pending: Pending }>();
  let nextId = 1;
  let closed: Error | undefined;

  const pump = () => {
    while (idle.length > 0 && queue.length > 0) {
      const port = idle.pop()!;
      const pending = queue.shift()!;
      const id = nextId++;
      running.set(port, { id, pending });
      port.post({ id, ...pending.work }, transferables(pending.work));
    }
  };

  const failAll = (error: Error) => {
    closed ??= error;
    for (const { pending } of running.values()) pending.reject(error);
    running.clear();
    for (const pending of queue.splice(0)) pending.reject(error);
  };

  for (const port of ports) {
    port.listen(
      (message) => {
        const current = running.get(port);
        if (!current || current.id !== message.id) return;
        running.delete(port);
        idle.push(port);
        if ("error" in message)
          current.pending.reject(new LintelError(message.code ?? "decrypt-failed", message.error));
        else current.pending.resolve(message.outcomes);
        pump();
      },
      // A thread that dies takes the pool with it: its job's outcome is unknown, and silently
      // running on fewer threads would hide a broken installation.
      (error) => failAll(new LintelError("decrypt-thread-failed", error.message)),
    );
  }

  const run = (work: Work) => {
    if (closed) return Promise.reject(closed);
    return new Promise<Outcomes>((resolve, reject) => {
      queue.push({ work, resolve, reject });
      pump();
    });
  };

  return {
    threads: ports.length,
    // The thread answers a job with the outcomes of its own kind (answerJob).
    decrypt: (job) => run({ kind: "decrypt", job }) as Promise<DecryptOutcome[]>,
    decryptPacked: (job) => run({ kind: "decrypt-packed", job }) as Promise<PackedDecryptOutcome>,
    combine: (job) => run({ kind: "combine", job }) as Promise<CombineOutcome[]>,
    async close() {
      failAll(new LintelError("pool-closed", "The decryption pool was closed."));
      await Promise.all(ports.map((p) => p.terminate()));
    },
  };
}

/**
 * A buffer may be transferred only when the view covers all of it: a view into a larger buffer
 * (Node's pooled Buffers, a page's subarray) would take its neighbours away from the sender.
 */
function ownBuffer(bytes: Uint8Array): ArrayBuffer[] {
  const { buffer } = bytes;
  return buffer instanceof ArrayBuffer &&
    bytes.byteOffset === 0 &&
    bytes.byteLength === buffer.byteLength
    ? [buffer]
    : [];
}

/** What moves rather than being copied when the work is posted: a packed job's ciphertexts. */
export function transferables(work: Work): ArrayBuffer[] {
  return work.kind === "decrypt-packed" ? ownBuffer(work.job.ciphertexts) : [];
}

/** What moves back with an answer: a packed outcome's two buffers. */
export function answerTransferables(answer: ResultMessage): ArrayBuffer[] {
  if (!("outcomes" in answer) || Array.isArray(answer.outcomes)) return [];
  return [...ownBuffer(answer.outcomes.status), ...ownBuffer(answer.outcomes.plaintexts)];
}

/** Answers one job message: the body of every worker thread. */
let fastCurves: Promise<boolean> | undefined;

export async function answerJob(message: JobMessage): Promise<ResultMessage> {
  // Every pairing of a decryption runs ~3× faster on mcl-wasm; where it cannot load, the
  // reference backend gives the same answers.
  fastCurves ??= useFastCurves();
  await fastCurves;
  try {
    const outcomes =
      message.kind === "decrypt"
        ? await decryptJob(message.job)
        : message.kind === "decrypt-packed"
          ? await decryptPackedJob(message.job)
          : combineJob(message.job);
    return { id: message.id, outcomes };
  } catch (e) {
    const error = e instanceof Error ? e.message : String(e);
    return isProtocolError(e) ? { id: message.id, error, code: e.code } : { id: message.id, error };
  }
}
