/**
 * Mutations of check-in ingest: what a leaked shard may show, the group commit, replays and
 * inflation, clock skew. Each removes one defence; the named tests must then fail.
 */
import type { Mutation } from "./types.ts";

const STORE = "worker/src/checkins/store.ts";
const SCHEMA = "worker/src/checkins/schema.ts";
const ROUTE = "worker/src/routes/checkins.ts";
const SHARD_DUMP = "tests/worker/shard-dump.test.ts";
const REPLAYS = "tests/worker/replays.test.ts";

export const mutations: readonly Mutation[] = [
  {
    id: "ingest-arrival-column",
    breaks: "The shard keeps each check-in's arrival second next to its ciphertexts.",
    guards: ["7", "linking", "leaked database"],
    file: SCHEMA,
    find: "recorded_by INTEGER NOT NULL) STRICT`",
    replace:
      "recorded_by INTEGER NOT NULL, arrival INTEGER NOT NULL DEFAULT (unixepoch())) STRICT`",
    project: "worker",
    tests: [SHARD_DUMP],
  },
  {
    id: "ingest-receipt-kept",
    breaks: "The idempotency table keeps the receipt's storedAt (the second it was given).",
    guards: ["7", "linking", "leaked database"],
    file: SCHEMA,
    find: "request BLOB NOT NULL,\n           hour INTEGER NOT NULL) STRICT, WITHOUT ROWID",
    replace:
      "request BLOB NOT NULL,\n           hour INTEGER NOT NULL, stored_at INTEGER DEFAULT (unixepoch())) STRICT, WITHOUT ROWID",
    project: "worker",
    tests: [SHARD_DUMP],
  },
  {
    id: "ingest-sequential-row-ids",
    breaks: "Ciphertext rows get increasing ids, which keep the order (and adjacency) of arrival.",
    guards: ["7", "linking", "leaked database"],
    file: STORE,
    find: "        randomRowId(),\n",
    replace: "        null,\n",
    project: "worker",
    tests: [SHARD_DUMP],
    testNamePattern: "leaked shard",
  },
  {
    id: "ingest-idempotency-key-kept",
    breaks: "The shard keeps the idempotency key as sent, which a captured request matches.",
    guards: ["7", "leaked database"],
    file: "worker/src/checkins/tags.ts",
    find: "keyTag: await tag(key, idempotencyKey),",
    replace: "keyTag: idempotencyKey,",
    project: "worker",
    tests: [SHARD_DUMP],
    testNamePattern: "leaked shard",
  },
  {
    id: "ingest-claim-unkeyed",
    breaks:
      "Ciphertext claims are plain SHA-256 hashes, which anyone holding a ciphertext matches.",
    guards: ["7", "leaked database"],
    file: "worker/src/checkins/tags.ts",
    find: "tag: await tag(key, ct),",
    replace: 'tag: new Uint8Array(await crypto.subtle.digest("SHA-256", ct)),',
    project: "worker",
    tests: [SHARD_DUMP],
    testNamePattern: "leaked shard",
  },
  {
    id: "ingest-commit-per-checkin",
    breaks:
      "The group commit becomes one transaction per check-in: a failure midway keeps the rest.",
    guards: ["6"],
    file: STORE,
    find: "this.ctx.storage.transactionSync(() => {\n        for (const p of batch) outcomes.push(this.apply(p));\n      });",
    replace:
      "for (const p of batch) {\n        outcomes.push(this.ctx.storage.transactionSync(() => this.apply(p)));\n      }",
    project: "worker",
    tests: [SHARD_DUMP],
    testNamePattern: "group commit",
  },
  {
    id: "ingest-commit-none",
    breaks: "The group commit writes without a transaction.",
    guards: ["6"],
    file: STORE,
    find: "this.ctx.storage.transactionSync(() => {\n        for (const p of batch) outcomes.push(this.apply(p));\n      });",
    replace: "for (const p of batch) outcomes.push(this.apply(p));",
    project: "worker",
    tests: [SHARD_DUMP],
    testNamePattern: "group commit",
  },
  {
    id: "ingest-duplicate-claim-ignored",
    breaks:
      "A ciphertext already taken (other key, other entrance, or deleted since) is taken again.",
    guards: ["replay", "floods"],
    file: STORE,
    find: 'if (held && !sameBytes(held.binding, c.binding)) return "taken";',
    replace: "",
    project: "worker",
    tests: [REPLAYS],
    testNamePattern: "captured submission",
  },
  {
    id: "ingest-duplicate-refusal-skipped",
    breaks: "The route stores a check-in whose ciphertexts were refused as already taken.",
    guards: ["replay", "floods"],
    file: ROUTE,
    find: 'if (claimed === "taken") {',
    replace: 'if (claimed === "taken" && claims.length < 0) {',
    project: "worker",
    tests: [REPLAYS],
    testNamePattern: "captured submission",
  },
  {
    id: "ingest-claim-unbound-to-entrance",
    breaks:
      "A claim's binding leaves out the entrance: the same body is taken at another entrance.",
    guards: ["replay"],
    file: "worker/src/checkins/tags.ts",
    find: "binding: await tag(key, ct, entrance, idempotencyKey),",
    replace: "binding: await tag(key, ct, idempotencyKey),",
    project: "worker",
    tests: [REPLAYS],
    testNamePattern: "another entrance",
  },
  {
    id: "ingest-counts-not-lowered",
    breaks: "Deleting a whole check-in leaves it in the operator's count.",
    guards: ["floods"],
    file: STORE,
    find: "if (found.first >= fromSlot) {",
    replace: "if (found.first < 0) {",
    project: "worker",
    tests: [REPLAYS],
    testNamePattern: "counts follow deletions",
  },
  {
    id: "ingest-staff-cap-skipped",
    breaks: "Staff proxy and paper check-ins are never refused at the hourly cap.",
    guards: ["floods"],
    file: STORE,
    find: "if (counted >= r.cap) return",
    replace: 'if (r.recordedBy === "self" && counted >= r.cap) return',
    project: "worker",
    tests: [REPLAYS],
    testNamePattern: "hourly cap",
  },
  {
    id: "ingest-skew-tolerance-removed",
    breaks:
      "A first slot a little ahead of the service's clock (a fast phone at the boundary) is refused.",
    guards: ["clock skew"],
    file: ROUTE,
    find: "const ahead = first > current && first - now <= CLOCK_SKEW_SECONDS;",
    replace: "const ahead = false;",
    project: "worker",
    tests: [REPLAYS],
    testNamePattern: "clock skew",
  },
  {
    id: "ingest-skew-time-not-told",
    breaks: "bad-slots no longer tells the service's time, so devices cannot correct their clocks.",
    guards: ["clock skew"],
    file: ROUTE,
    find: 'throw new ProblemError("bad-slots", why, { serviceTime: now });',
    replace: 'throw new ProblemError("bad-slots", why);',
    project: "worker",
    tests: [REPLAYS],
    testNamePattern: "clock skew",
  },
  {
    id: "ingest-queue-drops-ahead-of-service",
    breaks:
      "The offline queue refuses for good a check-in refused only because its slot has not started on the service (a fast phone clock).",
    guards: ["clock skew"],
    file: "client-sdk/src/citizen/queue.ts",
    find: "return (prepared.slots[0] ?? 0) > current;",
    replace: "return prepared.slots.length < 0 && current < 0;",
    project: "unit",
    tests: ["client-sdk/src/citizen/skew.test.ts"],
  },
  {
    id: "ingest-sdk-clock-not-corrected",
    breaks:
      "The SDK ignores the service's time in receipts, so a fast phone keeps encrypting for the next hour.",
    guards: ["clock skew"],
    file: "client-sdk/src/citizen/checkin.ts",
    find: "  clock.observe(receipt.storedAt);\n",
    replace: "",
    project: "unit",
    tests: ["client-sdk/src/citizen/skew.test.ts"],
  },
  {
    id: "ingest-card-rescan-window-removed",
    breaks:
      "The staff device checks in the same citizen card twice when it is scanned twice in a row.",
    guards: ["card cloning", "floods"],
    file: "client-sdk/src/citizen/proxy.ts",
    find: "if (tag !== undefined && recentCards.has(tag)) {",
    replace: "if (tag !== undefined && recentCards.size < 0) {",
    project: "unit",
    tests: ["client-sdk/src/citizen/proxy.test.ts"],
  },
];
