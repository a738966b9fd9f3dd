/** Mutations of the transparency log's defences: refusals cost O(request), the append rate limit, the witness alarm. */
import type { Mutation } from "./types.ts";

export const mutations: readonly Mutation[] = [
  {
    id: "log-refusal-replays-whole-log",
    breaks:
      "A refused request drops the writer's policy and rebuilds it from storage, instead of undoing only its own entries",
    guards: ["8"],
    file: "worker/src/log/writer.ts",
    find: `          } catch (e) {
            request.settle(refused(`,
    replace: `          } catch (e) {
            this.policy = undefined;
            policy = this.currentPolicy();
            request.settle(refused(`,
    project: "worker",
    tests: ["tests/worker/log-writer.test.ts"],
    testNamePattern: "no replay",
  },
  {
    id: "log-policy-journal-not-undone",
    breaks:
      "A request refused midway keeps the changes of its earlier entries (no undo from the journal)",
    guards: ["8", "6"],
    file: "protocol/src/log/entries/policy.ts",
    find: "while (journal.length > mark) journal.pop()!();",
    replace: "journal.length = mark;",
    project: "unit",
    tests: ["protocol/src/log/entries/policy.test.ts"],
    testNamePattern: "all or none",
  },
  {
    id: "log-policy-signers-after-signatures",
    breaks:
      "Every signature is verified before the rules that need no cryptography (claimed signers, what the log holds) are checked",
    guards: ["8"],
    file: "protocol/src/log/entries/policy.ts",
    find: `      this.check(index, entry.body, entry.deployment, entry.issuedAt, claimed);
      // The rules held`,
    replace: `      for (const s of entry.signatures) {
        if (!verifyInContext(s.publicKey, "log entry", decoded.signedPart, s.signature))
          throw violation(index, "a signature does not verify");
      }
      this.check(index, entry.body, entry.deployment, entry.issuedAt, claimed);
      // The rules held`,
    project: "unit",
    tests: ["protocol/src/log/entries/policy.test.ts"],
    testNamePattern: "before verifying any signature",
  },
  {
    id: "log-policy-state-not-stored",
    breaks:
      "The writer no longer stores its policy state with each batch, so a restart replays the whole log",
    guards: ["8"],
    file: "worker/src/log/writer.ts",
    find: "      this.storePolicy(policy);\n      for (const r of requests) r.inTransaction?.();",
    replace: "      for (const r of requests) r.inTransaction?.();",
    project: "worker",
    tests: ["tests/worker/log-writer.test.ts"],
    testNamePattern: "stored policy state",
  },
  {
    id: "log-batch-not-atomic",
    breaks:
      "A batch's leaves, nodes, checkpoint and policy state are written one by one, not in one transaction: a crash midway leaves half a batch",
    guards: ["8"],
    file: "worker/src/log/writer.ts",
    find: "    this.ctx.storage.transactionSync(() => {\n      for (const [idx, entry] of leaves)",
    replace:
      "    ((write: () => void) => write())(() => {\n      for (const [idx, entry] of leaves)",
    project: "worker",
    tests: ["tests/worker/log-writer.test.ts"],
    testNamePattern: "half-written",
  },
  {
    id: "log-append-not-rate-limited",
    breaks: "POST /log/entries takes any number of anonymous requests",
    guards: ["8"],
    file: "worker/src/routes/log.ts",
    find: "    await enforceLimit(c.env, c.req.raw, LIMITS.logAppend);\n",
    replace: "",
    project: "worker",
    tests: ["tests/worker/log-api.test.ts"],
    testNamePattern: "limited to 600",
  },
  {
    id: "log-witness-alarm-not-retried",
    breaks:
      "A witness offer that left a cosignature missing is not tried again until the next append",
    guards: ["2"],
    file: "worker/src/log/writer.ts",
    find: "        await this.ctx.storage.setAlarm(Date.now() + delay);",
    replace: "        void delay;",
    project: "worker",
    tests: ["tests/worker/witness.test.ts"],
    testNamePattern: "witness alarm",
  },
  {
    id: "log-witness-alarm-not-set-after-batch",
    breaks: "A batch's checkpoint is not offered to the witnesses (no alarm set after the batch)",
    guards: ["2"],
    file: "worker/src/log/writer.ts",
    find: "    this.ctx.waitUntil(this.ctx.storage.setAlarm(Date.now()));",
    replace: "",
    project: "worker",
    tests: ["tests/worker/witness.test.ts"],
    testNamePattern: "witness alarm",
  },
  {
    id: "log-witness-alarm-not-set-at-start",
    breaks: "A checkpoint left uncosigned by a crash is not offered again after a restart",
    guards: ["2"],
    file: "worker/src/log/writer.ts",
    find: "      if (this.missingCosignatures() > 0 && (await ctx.storage.getAlarm()) === null)\n        await ctx.storage.setAlarm(Date.now());\n",
    replace: "",
    project: "worker",
    tests: ["tests/worker/witness.test.ts"],
    testNamePattern: "start-up",
  },
];
