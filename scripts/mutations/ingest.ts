/**
 * Mutations of check-in ingest: what a leaked shard may show, the group commit, replays and
 * inflation, clock skew. Each removes one defence; the named tests must then fail.
 */
import type { Mutation } from "./types.ts";

const STORE = "worker/src/checkins/store.ts";
const ROUTE = "worker/src/routes/checkins.ts";
const SHARD_DUMP = "tests/worker/shard-dump.test.ts";
const REPLAYS = "tests/worker/replays.test.ts";

export const mutations: readonly Mutation[] = [
  {
    id: "ingest-arrival-column",
    breaks: "The shard keeps each check-in's arrival second next to its ciphertexts.",
    guards: ["7", "attack 11", "attack 12"],
    file: STORE,
    find: "recorded_by INTEGER NOT NULL) STRICT`",
    replace:
      "recorded_by INTEGER NOT NULL, arrival INTEGER NOT NULL DEFAULT (unixepoch())) STRICT`",
    project: "worker",
    tests: [SHARD_DUMP],
  },
  {
    id: "ingest-receipt-kept",
    breaks: "The idempotency table keeps the receipt's storedAt (the second it was given).",
    guards: ["7", "attack 11", "attack 12"],
    file: STORE,
    find: "request BLOB NOT NULL,\n           hour INTEGER NOT NULL) STRICT, WITHOUT ROWID",
    replace:
      "request BLOB NOT NULL,\n           hour INTEGER NOT NULL, stored_at INTEGER DEFAULT (unixepoch())) STRICT, WITHOUT ROWID",
    project: "worker",
    tests: [SHARD_DUMP],
  },
  {
    id: "ingest-commit-per-checkin",
    breaks:
      "The group commit becomes one transaction per check-in: a failure midway keeps the rest.",
    guards: ["6"],
    file: STORE,
    find: "this.ctx.storage.transactionSync(() => {\n        for (const { request } of batch) outcomes.push(this.storeOne(request));\n      });",
    replace:
      "for (const { request } of batch) {\n        outcomes.push(this.ctx.storage.transactionSync(() => this.storeOne(request)));\n      }",
    project: "worker",
    tests: [SHARD_DUMP],
    testNamePattern: "group commit",
  },
  {
    id: "ingest-commit-none",
    breaks: "The group commit writes without a transaction.",
    guards: ["6"],
    file: STORE,
    find: "this.ctx.storage.transactionSync(() => {\n        for (const { request } of batch) outcomes.push(this.storeOne(request));\n      });",
    replace: "for (const { request } of batch) outcomes.push(this.storeOne(request));",
    project: "worker",
    tests: [SHARD_DUMP],
    testNamePattern: "group commit",
  },
];
