// Plain Node: the SDK's worker-thread pool, found through the package's own exports.
import { createNodeDecryptPool } from "@lintel/client-sdk";
import { runScenario } from "./scenario.js";

const result = await runScenario(await createNodeDecryptPool({ threads: 2 }));
console.log(JSON.stringify(result));
