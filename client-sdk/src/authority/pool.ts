/**
 * Decrypting in parallel. Every ciphertext costs a pairing (about 18 ms in Node), so a query of
 * thousands of check-ins is worth spreading over threads. A {@link DecryptPool} runs
 * {@link DecryptJob}s somewhere — worker threads in Node (node-pool.ts), Web Workers in a browser
 * (browser-pool.ts), or the calling thread (tests, and a fallback) — and every variant runs the
 * same work.ts, so their answers are identical.
 *
 * The threaded pools share one scheduler over a minimal "port": a job goes to an idle thread, or
 * waits in a queue; the caller splits large identities into several jobs so threads stay busy.
 * Decrypted data only ever travels between the threads of this process.
 */
import { LintelError } from "../errors.ts";
import { type DecryptJob, type DecryptOutcome, decryptJob } from "./work.ts";

export interface DecryptPool {
  /** How many jobs run at once. */
  readonly threads: number;
  decrypt(job: DecryptJob): Promise<DecryptOutcome[]>;
  /** Stops the threads; jobs still queued fail. */
  close(): Promise<void>;
}

/** The calling thread: no parallelism, no setup. */
export function inThreadPool(): DecryptPool {
  return {
    threads: 1,
    decrypt: (job) => decryptJob(job),
    close: async () => {},
  };
}

/** What a thread is sent and answers (both sides of the worker files use these shapes). */
export interface JobMessage {
  readonly id: number;
  readonly job: DecryptJob;
}

export type ResultMessage =
  | { readonly id: number; readonly outcomes: DecryptOutcome[] }
  | { readonly id: number; readonly error: string };

/** One thread, as the scheduler sees it; node-pool.ts and browser-pool.ts adapt theirs. */
export interface WorkerPort {
  post(message: JobMessage): void;
  /** Registers the one handler for answers, and one for the thread failing altogether. */
  listen(onMessage: (message: ResultMessage) => void, onError: (error: Error) => void): void;
  terminate(): Promise<void>;
}

interface Pending {
  readonly job: DecryptJob;
  readonly resolve: (outcomes: DecryptOutcome[]) => void;
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
      port.post({ id, job: pending.job });
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
          current.pending.reject(new LintelError("decrypt-failed", message.error));
        else current.pending.resolve(message.outcomes);
        pump();
      },
      // A thread that dies takes the pool with it: its job's outcome is unknown, and silently
      // running on fewer threads would hide a broken installation.
      (error) => failAll(new LintelError("decrypt-thread-failed", error.message)),
    );
  }

  return {
    threads: ports.length,
    decrypt(job) {
      if (closed) return Promise.reject(closed);
      return new Promise<DecryptOutcome[]>((resolve, reject) => {
        queue.push({ job, resolve, reject });
        pump();
      });
    },
    async close() {
      failAll(new LintelError("pool-closed", "The decryption pool was closed."));
      await Promise.all(ports.map((p) => p.terminate()));
    },
  };
}

/** Answers one job message: the body of every worker thread. */
export async function answerJob(message: JobMessage): Promise<ResultMessage> {
  try {
    return { id: message.id, outcomes: await decryptJob(message.job) };
  } catch (e) {
    return { id: message.id, error: e instanceof Error ? e.message : String(e) };
  }
}
