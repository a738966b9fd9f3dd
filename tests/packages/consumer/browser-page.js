// A page: the SDK's Web Worker pool, each worker the bundle of decrypt-worker.js.
import { createBrowserDecryptPool } from "@lintel/client-sdk";
import { runScenario } from "./scenario.js";

const pool = createBrowserDecryptPool(
  () => new Worker(new URL("./decrypt-worker.js", import.meta.url), { type: "module" }),
  { threads: 2 },
);
runScenario(pool).then(
  (result) => {
    globalThis.lintelResult = result;
  },
  (error) => {
    globalThis.lintelResult = { error: String(error) };
  },
);
