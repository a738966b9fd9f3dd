/**
 * Mutations of the public statistics' defences: figures only from a log that verified, the whole
 * log counted, what was verified kept so a rollback is caught, and the page saying so when the
 * log does not verify.
 */
import type { Mutation } from "./types.ts";

export const mutations: readonly Mutation[] = [
  {
    id: "transparency-failed-audit-counted",
    breaks: "The report is made from an audit that failed, instead of stating nothing",
    guards: ["log tampering"],
    file: "client-sdk/src/audit/transparency.ts",
    find: "  if (!outcome.ok) {\n    return outcome.misbehaviour",
    replace: "  if (false as boolean && !outcome.ok) {\n    return outcome.misbehaviour",
    project: "unit",
    tests: ["client-sdk/src/audit/transparency.test.ts"],
    testNamePattern: "states nothing",
  },
  {
    id: "transparency-partial-log-counted",
    breaks: "A report is made from an audit that holds only the entries after a resumed state",
    guards: ["log tampering"],
    file: "client-sdk/src/audit/report.ts",
    find: "  if (lintel.firstIndex !== 0n || BigInt(lintel.entries.length) !== audit.checkpoint.size) {",
    replace: "  if (false as boolean) {",
    project: "unit",
    tests: ["client-sdk/src/audit/report.test.ts"],
    testNamePattern: "does not hold every entry",
  },
  {
    id: "transparency-state-not-kept",
    breaks:
      "What the statistics verified is not kept in the store, so a log that shrank since goes unnoticed",
    guards: ["log tampering"],
    file: "client-sdk/src/audit/transparency.ts",
    find: "  await stored?.commit();",
    replace: "",
    project: "unit",
    tests: ["client-sdk/src/audit/transparency.test.ts"],
    testNamePattern: "with a store",
  },
  {
    id: "transparency-page-failure-silent",
    breaks: "The statistics page says nothing when the log does not verify",
    guards: ["log tampering"],
    file: "web/src/lib/transparency-view.ts",
    find: '    error.dataset.verification = "failed";\n    showMessage(error, {',
    replace: "    return;\n    showMessage(error, {",
    project: "e2e",
    tests: ["tests/e2e/transparency.test.ts"],
    testNamePattern: "does not verify",
  },
];
