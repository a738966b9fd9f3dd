/**
 * The fast BLS12-381 backends (mcl-wasm; blst in Node) and the work they save: the subgroup checks
 * each must make when it decodes a point, as @noble/curves does; canonical encodings; proofs of possession checked
 * in a batch only with random weights, and remembered only when they verified.
 */
import type { Mutation } from "./types.ts";

export const mutations: readonly Mutation[] = [
  {
    id: "mcl-g1-subgroup-check-off",
    breaks:
      "mcl decodes G1 points outside the prime-order subgroup (small-subgroup points reach pairings and scalar multiplications)",
    guards: ["6", "malformed input"],
    file: "protocol/src/fast-curves/load-mcl.ts",
    find: "mcl.verifyOrderG1(true);",
    replace: "mcl.verifyOrderG1(false);",
    project: "unit",
    tests: ["protocol/src/fast-curves/load-mcl.test.ts"],
  },
  {
    id: "mcl-g2-subgroup-check-off",
    breaks: "mcl decodes G2 points outside the prime-order subgroup",
    guards: ["6", "malformed input"],
    file: "protocol/src/fast-curves/load-mcl.ts",
    find: "mcl.verifyOrderG2(true);",
    replace: "mcl.verifyOrderG2(false);",
    project: "unit",
    tests: ["protocol/src/fast-curves/load-mcl.test.ts"],
  },
  {
    id: "blst-g1-subgroup-check-off",
    breaks:
      "the native blst backend decodes G1 points outside the prime-order subgroup wherever a checked decode is asked for",
    guards: ["6", "malformed input"],
    file: "protocol/src/fast-curves/blst-curves.ts",
    find: "const g1Checked = parseG1(true);",
    replace: "const g1Checked = parseG1(false);",
    project: "unit",
    tests: ["client-sdk/src/curves/node-curves.test.ts"],
  },
  {
    id: "pop-batch-unweighted",
    breaks:
      "proofs of possession are batched without random weights: two invalid proofs whose errors cancel pass together",
    guards: ["1", "single-party decryption"],
    file: "protocol/src/tibe/trustee-key.ts",
    find: "const w = randomWeight();",
    replace: "const w = 1n;",
    project: "unit",
    tests: ["protocol/src/tibe/trustee-key.test.ts"],
  },
  {
    id: "pop-failure-remembered",
    breaks: "a proof of possession that failed is remembered as verified",
    guards: ["1", "single-party decryption"],
    file: "protocol/src/tibe/trustee-key.ts",
    find: "  if (bad >= 0) return open[bad]!;",
    replace:
      "  for (const i of open) if (digests[i]) remember(digests[i]!);\n  if (bad >= 0) return open[bad]!;",
    project: "unit",
    tests: ["protocol/src/tibe/trustee-key.test.ts"],
  },
  {
    id: "fo-check-removed",
    breaks:
      "decryption skips the Fujisaki–Okamoto check U = r·g1, which is also U's subgroup check on the fast backend: a U shifted by a small-order point, with W sealed for it, decrypts",
    guards: ["6", "decryption oracles"],
    file: "protocol/src/tibe/ibe.ts",
    find: "if (r === 0n || !c.g1Equal(c.g1Base(r), uPoint)) throw failed();",
    replace: "if (r === 0n) throw failed();",
    project: "unit",
    tests: [
      "protocol/src/fast-curves/backends.test.ts",
      "client-sdk/src/curves/node-curves.test.ts",
    ],
  },
];
