/**
 * The Node pool: `threads` worker_threads (one per core by default), each running
 * node-worker.ts. Node is loaded lazily through a computed specifier so
 * that this SDK still type-checks and bundles for browsers, where the module is never imported.
 *
 * This repository runs TypeScript through tsx. Passing `--import tsx` in a worker's execArgv does
 * not work on Node 20 (the worker's entry is resolved before tsx's hooks take effect: "Unknown
 * file extension .ts"), so a TypeScript worker is started from a two-line bootstrap that
 * registers tsx's API first and then imports the worker file.
 *
 * The published package runs JavaScript, and the worker is its `@lintel/client-sdk/node-worker`
 * export: resolving that name (rather than a path beside this file) still finds the worker when
 * an application has bundled this module into a file of its own, as long as the package is
 * installed where the bundle runs. Elsewhere, pass `workerUrl`.
 */
import { LintelError } from "../errors.ts";
import {
  type DecryptPool,
  type JobMessage,
  portPool,
  type ResultMessage,
  type WorkerPort,
} from "./pool.ts";

/** The part of node:worker_threads used here. */
interface NodeWorker {
  postMessage(message: unknown, transfer?: ArrayBuffer[]): void;
  on(event: "message", listener: (message: ResultMessage) => void): void;
  on(event: "error", listener: (error: Error) => void): void;
  on(event: "exit", listener: (code: number) => void): void;
  terminate(): Promise<number>;
}
interface WorkerThreadsModule {
  Worker: new (
    script: string | URL,
    options?: { eval?: boolean; workerData?: unknown },
  ) => NodeWorker;
}

// Variables, not literals: bundlers and the browser type-check leave them alone.
const WORKER_THREADS = "node:worker_threads";
const OS = "node:os";

interface OsModule {
  availableParallelism?: () => number;
  cpus(): unknown[];
}

/** The machine's cores as Node sees them (os.availableParallelism), 1–64. */
export async function defaultNodeThreads(): Promise<number> {
  const os = (await import(/* @vite-ignore */ OS)) as OsModule;
  const cores = os.availableParallelism?.() ?? os.cpus().length;
  return Math.min(64, Math.max(1, cores || 1));
}

export interface NodePoolOptions {
  /** Worker threads; default one per core ({@link defaultNodeThreads}). */
  readonly threads?: number;
  /**
   * The worker script; default: the package's `@lintel/client-sdk/node-worker` (node-worker.ts
   * beside this file when it runs from source).
   */
  readonly workerUrl?: URL;
  /**
   * For a `.ts` worker script: the module whose `register()` makes Node load TypeScript.
   * Default: tsx's ESM API, resolved from this file.
   */
  readonly typescriptLoader?: string;
}

function tsxApi(): string {
  try {
    return import.meta.resolve("tsx/esm/api");
  } catch {
    return "tsx/esm/api";
  }
}

function defaultWorkerUrl(): URL {
  if (import.meta.url.endsWith(".ts")) return new URL("./node-worker.ts", import.meta.url);
  try {
    return new URL(import.meta.resolve("@lintel/client-sdk/node-worker"));
  } catch {
    return new URL("./node-worker.js", import.meta.url);
  }
}

function bootstrap(loader: string, worker: string): string {
  // Runs as a CommonJS script (eval), hence import() rather than static imports.
  return `import(${JSON.stringify(loader)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(worker)}); });`;
}

function nodePort(worker: NodeWorker): WorkerPort {
  return {
    post: (message: JobMessage, transfer) => worker.postMessage(message, transfer),
    listen(onMessage, onError) {
      worker.on("message", onMessage);
      worker.on("error", onError);
      worker.on("exit", (code) => {
        if (code !== 0) onError(new Error(`a decryption thread exited with code ${code}`));
      });
    },
    terminate: async () => {
      await worker.terminate();
    },
  };
}

export async function createNodeDecryptPool(options: NodePoolOptions = {}): Promise<DecryptPool> {
  const threads = options.threads ?? (await defaultNodeThreads());
  if (!Number.isInteger(threads) || threads < 1 || threads > 64) {
    throw new LintelError("bad-value", "A pool has 1–64 threads.");
  }
  const { Worker } = (await import(/* @vite-ignore */ WORKER_THREADS)) as WorkerThreadsModule;
  const url = options.workerUrl ?? defaultWorkerUrl();
  const start = (): NodeWorker =>
    url.pathname.endsWith(".ts")
      ? new Worker(bootstrap(options.typescriptLoader ?? tsxApi(), url.href), { eval: true })
      : new Worker(url);
  return portPool(Array.from({ length: threads }, () => nodePort(start())));
}
