/**
 * The pass door staff check: the venue's word of the day, the staff page's offline check of a
 * pass's receipt, and the pass's liveness cue.
 */
import type { Mutation } from "./types.ts";

export const mutations: readonly Mutation[] = [
  {
    id: "day-word-per-deployment",
    breaks:
      "The check-in word leaves the venue out: every venue shows the same word, so a screenshot of a pass from any venue passes at the door.",
    guards: ["fake check-ins", "screenshot passes"],
    file: "worker/src/checkins/day-word.ts",
    find: "const message = new Uint8Array([...encoder.encode(localDay), ...encoder.encode(venueId)]);",
    replace: "const message = new Uint8Array([...encoder.encode(localDay)]);",
    project: "worker",
    tests: ["tests/worker/checkins.test.ts"],
    testNamePattern: "check-in word",
  },
  {
    id: "pass-word-not-the-entrance-venue",
    breaks:
      "The pass is given a word that is not its venue's, so it never matches the venue's staff view.",
    guards: ["screenshot passes"],
    file: "worker/src/routes/checkins.ts",
    find: "    env,\n    code.venueId,\n    localDate(",
    replace: '    env,\n    "",\n    localDate(',
    project: "worker",
    tests: ["tests/worker/checkins.test.ts"],
    testNamePattern: "check-in word",
  },
  {
    id: "staff-word-not-their-venue",
    breaks:
      "Staff see a word that is not their own venue's, so they cannot tell another venue's pass.",
    guards: ["screenshot passes"],
    file: "worker/src/routes/venue-admin.ts",
    find: "word: await dayWord(c.env, venueId, day)",
    replace: 'word: await dayWord(c.env, "", day)',
    project: "worker",
    tests: ["tests/worker/checkins.test.ts"],
    testNamePattern: "check-in word",
  },
];
