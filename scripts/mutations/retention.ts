/**
 * Retention (invariant 4): expired ciphertexts and epoch secrets go exactly at the end of
 * retention, and never without a retention receipt in the log first.
 */
import type { Mutation } from "./types.ts";

const RETENTION_TEST = "tests/worker/retention.test.ts";
const CRON = "worker/src/retention/cron.ts";
const EPOCH_KEYS = "worker/src/log/epoch-key-store.ts";

export const mutations: readonly Mutation[] = [
  {
    id: "retention-ciphertexts-kept-a-day-longer",
    breaks: "ciphertexts are deleted a day after their retention ends",
    guards: ["4"],
    file: CRON,
    find: "const beforeSlot = cutoff - slotSeconds + 1;",
    replace: "const beforeSlot = cutoff - 86_400 - slotSeconds + 1;",
    project: "worker",
    tests: [RETENTION_TEST],
    testNamePattern: "exactly when it has been over",
  },
  {
    id: "retention-ciphertexts-deleted-a-day-early",
    breaks: "ciphertexts are deleted a day before their retention ends",
    guards: ["4"],
    file: CRON,
    find: "const beforeSlot = cutoff - slotSeconds + 1;",
    replace: "const beforeSlot = cutoff + 86_400 - slotSeconds + 1;",
    project: "worker",
    tests: [RETENTION_TEST],
    testNamePattern: "exactly when it has been over",
  },
  {
    id: "retention-epoch-secret-kept-a-day-longer",
    breaks: "a day's epoch secret survives one day past d + retentionDays + 1",
    guards: ["4"],
    file: EPOCH_KEYS,
    find: "WHERE secret IS NOT NULL AND day + ? + 1 <= ?",
    replace: "WHERE secret IS NOT NULL AND day + ? + 2 <= ?",
    project: "worker",
    tests: [RETENTION_TEST],
    testNamePattern: "epoch secret exactly when",
  },
  {
    id: "retention-destroy-before-log",
    breaks: "epoch secrets are destroyed before (and whether or not) their receipt is logged",
    guards: ["4"],
    file: EPOCH_KEYS,
    find: "const outcome = await this.append([receipt], destroy);",
    replace: "destroy();\n    const outcome = await this.append([receipt]);",
    project: "worker",
    tests: [RETENTION_TEST],
    testNamePattern: "receipt cannot be logged",
  },
  {
    id: "retention-delete-before-log",
    breaks: "shards delete expired ciphertexts before the retention receipt is logged",
    guards: ["4"],
    file: CRON,
    find: "const held = await Promise.all(shards.map((s) => s.expiredCount(beforeSlot)));",
    replace:
      "await Promise.all(shards.map((s) => s.sweep(beforeSlot)));\n  const held = await Promise.all(shards.map((s) => s.expiredCount(beforeSlot)));",
    project: "worker",
    tests: [RETENTION_TEST],
    testNamePattern: "receipt cannot be logged",
  },
  {
    id: "retention-deletes-without-receipt",
    breaks: "a run whose receipt was refused goes on to delete the ciphertexts",
    guards: ["4"],
    file: CRON,
    find: "if (!retired.ok) throw new Error(`retention: the receipt was not logged",
    replace: "if (!retired.ok) console.error(`retention: the receipt was not logged",
    project: "worker",
    tests: [RETENTION_TEST],
    testNamePattern: "receipt cannot be logged",
  },
  {
    id: "retention-receipt-not-appended",
    breaks:
      "epoch secrets are destroyed and ciphertexts deleted with no retention receipt in the log",
    guards: ["4"],
    file: EPOCH_KEYS,
    find: "const outcome = await this.append([receipt], destroy);",
    replace:
      'destroy();\n    const outcome: AppendOutcome = { ok: true, firstIndex: "0", size: "0", checkpoint: "" };',
    project: "worker",
    tests: [RETENTION_TEST],
  },
  {
    id: "retention-receipt-not-appended-e2e",
    breaks: "the local retention run shreds without a retention receipt in the public log",
    guards: ["4"],
    file: EPOCH_KEYS,
    find: "const outcome = await this.append([receipt], destroy);",
    replace:
      'destroy();\n    const outcome: AppendOutcome = { ok: true, firstIndex: "0", size: "0", checkpoint: "" };',
    project: "e2e",
    tests: ["tests/e2e/retention.test.ts"],
  },
];
