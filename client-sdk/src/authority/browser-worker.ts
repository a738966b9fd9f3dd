/**
 * The entry of one browser decryption Web Worker (a module worker; see browser-pool.ts). The
 * SDK is type-checked with the DOM library, not the worker one, so the worker's global scope is
 * described here by the two members it uses.
 */
import { answerJob, answerTransferables, type JobMessage, type ResultMessage } from "./pool.ts";

interface WorkerScope {
  addEventListener(type: "message", listener: (event: MessageEvent<JobMessage>) => void): void;
  postMessage(message: ResultMessage, transfer: ArrayBuffer[]): void;
}

const scope = globalThis as unknown as WorkerScope;
scope.addEventListener("message", (event) => {
  void answerJob(event.data).then((answer) =>
    scope.postMessage(answer, answerTransferables(answer)),
  );
});
