/**
 * The browser pool: module Web Workers running browser-worker.ts. The page (or its bundler)
 * decides how a worker is made — with Vite or esbuild typically
 * `() => new Worker(new URL("./browser-worker.ts", import.meta.url), { type: "module" })` — so
 * this SDK does not fix a build layout.
 */
import { LintelError } from "../errors.ts";
import { type DecryptPool, portPool, type ResultMessage, type WorkerPort } from "./pool.ts";

export interface BrowserPoolOptions {
  /**
   * Web Workers; default as many as the device has cores (navigator.hardwareConcurrency), at
   * most 64. Decryption is all the workers do while the page waits, and the page's own thread
   * only merges records between their answers.
   */
  readonly threads?: number;
}

function browserPort(worker: Worker): WorkerPort {
  return {
    post: (message, transfer) => worker.postMessage(message, transfer),
    listen(onMessage, onError) {
      worker.addEventListener("message", (event: MessageEvent<ResultMessage>) =>
        onMessage(event.data),
      );
      worker.addEventListener("error", (event: ErrorEvent) =>
        onError(new Error(event.message || "a decryption worker failed")),
      );
    },
    terminate: async () => worker.terminate(),
  };
}

/** The device's cores as the browser reports them (2 when it does not say), 1–64. */
export function defaultBrowserThreads(): number {
  const cores = typeof navigator === "undefined" ? 2 : navigator.hardwareConcurrency || 2;
  return Math.min(64, Math.max(1, cores));
}

export function createBrowserDecryptPool(
  makeWorker: () => Worker,
  options: BrowserPoolOptions = {},
): DecryptPool {
  const threads = options.threads ?? defaultBrowserThreads();
  if (!Number.isInteger(threads) || threads < 1 || threads > 64) {
    throw new LintelError("bad-value", "A pool has 1–64 threads.");
  }
  return portPool(Array.from({ length: threads }, () => browserPort(makeWorker())));
}
