/**
 * Entrance amendments: one pending per venue, proposals checked against the venue's entrances and
 * a poster's QR, an approval undone when the log refuses it, and a retired entrance's code refused
 * naming where to scan instead.
 */
import type { Mutation } from "./types.ts";

const WORKER_TESTS = ["tests/worker/amendments.test.ts"];

export const mutations: readonly Mutation[] = [
  {
    id: "amendment-second-pending-kept",
    breaks:
      "A venue holds two pending amendments, which the registry could approve one over the other.",
    guards: ["6"],
    file: "worker/migrations/0010_entrance_amendments.sql",
    find: "CREATE UNIQUE INDEX `entrance_amendments_one_pending`",
    replace: "CREATE INDEX `entrance_amendments_one_pending`",
    project: "worker",
    tests: WORKER_TESTS,
    testNamePattern: "one pending amendment at a time",
  },
  {
    id: "retired-entrance-code-closed-only",
    breaks: "A retired entrance's code gets the generic closed-entrance refusal, with no pointer.",
    guards: ["a person at a closed entrance told where to scan"],
    file: "worker/src/venues/code-status.ts",
    find: "  if (row.retiredAt !== null) throw retiredProblem(row);",
    replace: "",
    project: "worker",
    tests: WORKER_TESTS,
    testNamePattern: "adds, renames and retires entrances",
  },
  {
    id: "amendment-pointer-foreign",
    breaks: "A retired entrance may point to another venue's entrance.",
    guards: ["6"],
    file: "worker/src/venues/amendment-plan.ts",
    find: "  if (!byId.has(pointer)) throw unknown(at);",
    replace: "",
    project: "worker",
    tests: WORKER_TESTS,
    testNamePattern: "stable problem code",
  },
  {
    id: "amendment-pointer-retired",
    breaks: "A retired entrance may point to an entrance that is retired too.",
    guards: ["6"],
    file: "worker/src/venues/amendment-plan.ts",
    find: "retired.has(r.replacedBy) || (!added.has(r.replacedBy) && !open.has(r.replacedBy))",
    replace: "false",
    project: "worker",
    tests: WORKER_TESTS,
    testNamePattern: "stable problem code",
  },
  {
    id: "amendment-last-entrance-retired",
    breaks: "An amendment retires every entrance of the venue.",
    guards: ["6"],
    file: "worker/src/venues/amendment-plan.ts",
    find: "  if (openAfter < 1) {",
    replace: "  if (openAfter < 0) {",
    project: "worker",
    tests: WORKER_TESTS,
    testNamePattern: "stable problem code",
  },
  {
    id: "amendment-names-not-fit-checked",
    breaks: "Names no poster's QR can carry are accepted at proposal and fail only at approval.",
    guards: ["6"],
    file: "worker/src/routes/amendments.ts",
    find: "checkNamesFitPosters(c.env",
    replace: "void (c.env",
    project: "worker",
    tests: WORKER_TESTS,
    testNamePattern: "no poster code could carry",
  },
  {
    id: "amendment-approval-kept-when-log-refuses",
    breaks: "An approval the log refused stays applied: entrances and codes the log never saw.",
    guards: ["6"],
    file: "worker/src/routes/amendments.ts",
    find: "        await undoApproval(db, approval);",
    replace: "",
    project: "worker",
    tests: WORKER_TESTS,
    testNamePattern: "is undone",
  },
  {
    id: "checkin-page-scan-instead-dropped",
    breaks: "The check-in page refuses a retired entrance's code without naming where to scan.",
    guards: ["a person at a closed entrance told where to scan"],
    file: "web/src/lib/citizen-text.ts",
    find: '  if (e instanceof LintelError && code === "entrance-retired") return [retiredNode(e)];\n',
    replace: "",
    project: "e2e",
    tests: ["tests/e2e/amendments.test.ts"],
  },
];
