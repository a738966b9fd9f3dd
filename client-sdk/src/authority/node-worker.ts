/**
 * The body of one Node decryption thread (node-pool.ts): answer each job message with the
 * outcomes of work.ts. Node is imported through a computed specifier for the same reason as in
 * node-pool.ts: the SDK's own type-check knows only browser types.
 */
import { useNodeCurves } from "../curves/node-curves.ts";
import { answerJob, answerTransferables, type JobMessage, type ResultMessage } from "./pool.ts";

interface ParentPort {
  on(event: "message", listener: (message: JobMessage) => void): void;
  postMessage(message: ResultMessage, transfer: ArrayBuffer[]): void;
}

const WORKER_THREADS = "node:worker_threads";
const { parentPort } = (await import(/* @vite-ignore */ WORKER_THREADS)) as {
  parentPort: ParentPort | null;
};

if (parentPort) {
  const port = parentPort;
  // Native blst where its addon is built (a pairing ~6× faster than mcl-wasm), before any job.
  const curvesReady = useNodeCurves();
  port.on("message", (message) => {
    void curvesReady
      .then(() => answerJob(message))
      .then((answer) => port.postMessage(answer, answerTransferables(answer)));
  });
}
