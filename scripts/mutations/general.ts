/**
 * Mutations of the cross-cutting defences: the request body limit, personal data kept out of the
 * database and pages, and bad input answered with a 4xx and no partial write.
 */
import type { Mutation } from "./types.ts";

export const mutations: readonly Mutation[] = [
  {
    id: "json-body-streaming-limit-removed",
    breaks:
      "readJsonBody reads a body sent without (or with a false) Content-Length to its end before checking its size",
    guards: ["8", "floods"],
    file: "worker/src/middleware/json-body/index.ts",
    find: `    if (total > maxBytes) {
      await reader.cancel();
      throw tooLarge(maxBytes);
    }
`,
    replace: "",
    project: "worker",
    tests: ["tests/worker/body-limit.test.ts"],
  },
];
