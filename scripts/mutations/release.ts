/**
 * Mutations of the release path (PROTOCOL.md §6.1 v2, §11.3): who a release statement is for,
 * what a release answer carries, and the checks a holder makes before it releases anything.
 */
import type { Mutation } from "./types.ts";

export const mutations: readonly Mutation[] = [
  {
    id: "release-trustee-audience-unchecked",
    breaks:
      "A trustee takes the audience the statement names instead of its own id and origin, so a statement made for trustee A is good at trustee B.",
    guards: ["1", "statement replay across receivers"],
    file: "worker/src/trustee/release.ts",
    find: "const audience = trusteeAudience(c, role);",
    replace: "const audience = statement.statement.audience ?? trusteeAudience(c, role);",
    project: "worker",
    tests: ["tests/worker/queries.test.ts"],
    testNamePattern: "names its receiver",
  },
  {
    id: "release-trustee-configured-origin-ignored",
    breaks:
      "A trustee takes its audience origin from the request's Host rather than its configured URL, which whoever replays the statement chooses.",
    guards: ["statement replay across receivers"],
    file: "worker/src/trustee/release.ts",
    find: "new URL(role.url ?? c.req.url)",
    replace: "new URL(c.req.url)",
    project: "worker",
    tests: ["tests/worker/queries.test.ts"],
    testNamePattern: "names its receiver",
  },
  {
    id: "release-log-audience-unchecked",
    breaks:
      "The service verifies a statement against whatever audience it names, so the log's release accepts a statement made for a trustee (or for nobody).",
    guards: ["1", "statement replay across receivers"],
    file: "worker/src/middleware/auth/index.ts",
    find: "      ...(audience ? { audience } : {}),",
    replace:
      "      ...(decoded.statement.audience ? { audience: decoded.statement.audience } : {}),",
    project: "worker",
    tests: ["tests/worker/queries.test.ts"],
    testNamePattern: "names its receiver",
  },
  {
    id: "release-keys-unsealed",
    breaks:
      "A release's keys are 'sealed' as their plaintext: anyone who sees the answer (another trustee, a proxy) holds the partial keys.",
    guards: ["1", "release answer observed by a third party"],
    file: "protocol/src/exposure/sealed-release.ts",
    find: "const sealed = await hpkeSeal(releaseKey, info, NO_AAD, plaintext);",
    replace: "const sealed = plaintext;",
    project: "worker",
    tests: ["tests/worker/queries.test.ts"],
    testNamePattern: "sealed to the query's release key",
  },
  {
    id: "release-seal-holder-unbound",
    breaks:
      "The HPKE info of a sealed release leaves out the holder, so one holder's sealed keys pass for another's.",
    guards: ["1", "release answer observed by a third party"],
    file: "protocol/src/exposure/sealed-release.ts",
    find: '.text8(holderId, 32, "holderId")',
    replace: '.text8("", 32, "holderId")',
    project: "worker",
    tests: ["tests/worker/queries.test.ts"],
    testNamePattern: "sealed to the query's release key",
  },
  {
    id: "release-trustee-witness-quorum-ignored",
    breaks:
      "A trustee verifies the query proof's checkpoint under the log key alone, ignoring its configured witness quorum.",
    guards: ["2"],
    file: "worker/src/trustee/release.ts",
    find: "quorum: role.quorum ?? witnesses.length,",
    replace: "quorum: 0,",
    project: "worker",
    tests: ["tests/worker/queries.test.ts"],
    testNamePattern: "witness quorum",
  },
  {
    id: "release-master-key-skips-a-share",
    breaks:
      "The master public key leaves out the last share (the log's epoch share): the trustees together hold a key that decrypts without the log.",
    guards: ["1"],
    file: "protocol/src/tibe/master-key.ts",
    find: "      sum = sum ? c.g1Add(sum, point) : point;",
    replace:
      "      sum = i > 0 && i === shares.length - 1 ? sum : sum ? c.g1Add(sum, point) : point;",
    project: "unit",
    tests: ["protocol/src/tibe/tibe.test.ts"],
  },
  {
    id: "release-trustee-inclusion-unchecked",
    breaks:
      "A trustee does not verify the inclusion proof of the proof's entry, so an entry that is not in the log is taken for the one at its index.",
    guards: ["2"],
    file: "worker/src/trustee/release.ts",
    find: "    verifyInclusion(proof.index, size, leafHash(entry), proof.proof, proof.checkpoint.rootHash);",
    replace: "    void [verifyInclusion, leafHash];",
    project: "worker",
    tests: ["tests/worker/queries.test.ts"],
    testNamePattern: "not in the log",
  },
  {
    id: "release-scope-includes-window-end",
    breaks:
      "A query's scope runs one hour past its window: a release opens an entrance-hour the query does not name.",
    guards: ["3"],
    file: "protocol/src/exposure/scope.ts",
    find: "for (let slotStart = q.windowStart; slotStart < q.windowEnd; slotStart += SLOT_SECONDS) {",
    replace:
      "for (let slotStart = q.windowStart; slotStart <= q.windowEnd; slotStart += SLOT_SECONDS) {",
    project: "unit",
    tests: ["protocol/src/exposure/exposure.test.ts"],
  },
];
