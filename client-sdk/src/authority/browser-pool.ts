/**
 * The browser pool: module Web Workers running browser-worker.ts. The page (or its bundler)
 * decides how a worker is made — with Vite or esbuild typically
 * `() => new Worker(new URL("./browser-worker.ts", import.meta.url), { type: "module" })` — so
 * this SDK does not fix a build layout.
 */
import { LintelError } from "../errors.ts";
import { type DecryptPool, portPool, type ResultMessage, type WorkerPort } from "./pool.ts";

export interface BrowserPoolOptions {
  /** Web Workers; default one fewer than the device's cores, at least 1 and at most 8. */
  readonly threads?: number;
}

function browserPort(worker: Worker): WorkerPort {
  return {
    post: (message) => worker.postMessage(message),
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

export function createBrowserDecryptPool(
  makeWorker: () => Worker,
  options: BrowserPoolOptions = {},
): DecryptPool {
  const cores = typeof navigator === "undefined" ? 2 : navigator.hardwareConcurrency || 2;
  const threads = options.threads ?? Math.min(8, Math.max(1, cores - 1));
  if (!Number.isInteger(threads) || threads < 1 || threads > 64) {
    throw new LintelError("bad-value", "A pool has 1–64 threads.");
  }
  return portPool(Array.from({ length: threads }, () => browserPort(makeWorker())));
}
