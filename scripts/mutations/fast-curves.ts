/**
 * Loading the fast BLS12-381 backend (mcl-wasm): the subgroup checks it must make when it decodes
 * a point, as @noble/curves does.
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
];
