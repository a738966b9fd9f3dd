/**
 * The registry's supervision of venues: a suspended venue's codes are refused, rectification
 * orders are answered once, identical public reports are merged, and a reporter's reference is
 * kept only as a hash.
 */
import type { Mutation } from "./types.ts";

const WORKER_TESTS = ["tests/worker/supervision.test.ts"];

export const mutations: readonly Mutation[] = [
  {
    id: "suspended-venue-codes-taken",
    breaks: "A suspended venue's codes get the generic closed-entrance refusal, not its own.",
    guards: ["a suspended venue's codes refused with a clear message"],
    file: "worker/src/venues/code-status.ts",
    find: '  if (row.status === "suspended") {',
    replace: "  if (false) {",
    project: "worker",
    tests: WORKER_TESTS,
    testNamePattern: "refuses its codes until it is reinstated",
  },
  {
    id: "rectification-answered-twice",
    breaks: "An operator overwrites an answer the registry already read.",
    guards: ["rectification orders answered once"],
    file: "worker/src/venues/rectification-store.ts",
    find: "WHERE id = ? AND answered_at IS NULL AND closed_at IS NULL",
    replace: "WHERE id = ? AND closed_at IS NULL",
    project: "worker",
    tests: WORKER_TESTS,
    testNamePattern: "seen and answered once by the operator",
  },
  {
    id: "identical-reports-not-merged",
    breaks: "Six identical reports reach the registry's inbox as six rows.",
    guards: ["reports merged"],
    file: "worker/src/venues/report-store.ts",
    find: "       VALUES (?1, ?2, ?3, ?4, ?5, ?6,\n         (SELECT id FROM reports",
    replace: "       VALUES (?1, ?2, ?3, ?4, ?5, ?6,\n         (SELECT NULL FROM reports",
    project: "worker",
    tests: WORKER_TESTS,
    testNamePattern: "merges identical ones",
  },
  {
    id: "report-reference-stored-plain",
    breaks: "The reporter's reference is stored as it was given, so the table can look it up.",
    guards: ["a reporter traced by the reference"],
    file: "worker/src/routes/reports.ts",
    find: "      hash,\n    );",
    replace: "      reference,\n    );",
    project: "worker",
    tests: WORKER_TESTS,
    testNamePattern: "merges identical ones",
  },
];
