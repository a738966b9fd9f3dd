/**
 * Venue requests: a venue asks only about its own entrances, an approval is exactly the filed
 * request, signed by the sending officer's device, and the log's policy takes it only from
 * enrolled officers for entrances issued to that venue.
 */
import type { Mutation } from "./types.ts";

const WORKER_TESTS = ["tests/worker/venue-requests.test.ts"];
const POLICY_TESTS = ["protocol/src/log/entries/policy.test.ts"];

export const mutations: readonly Mutation[] = [
  {
    id: "venue-request-foreign-entrance",
    breaks: "A venue asks about another venue's entrance, and an officer might approve it.",
    guards: ["a venue's access to its own records only"],
    file: "worker/src/routes/venue-requests.ts",
    find: "    const foreign = input.entrances.find((e) => !own.has(e));",
    replace: "    const foreign = input.entrances.find(() => false);",
    project: "worker",
    tests: WORKER_TESTS,
    testNamePattern: "is refused for another venue's entrance",
  },
  {
    id: "venue-request-approval-not-compared",
    breaks: "An officer's entry that widens the window or the grants is logged as the approval.",
    guards: ["an approval is exactly the venue's request"],
    file: "worker/src/routes/venue-requests.ts",
    find: "  if (!same) {",
    replace: "  if (false) {",
    project: "worker",
    tests: WORKER_TESTS,
    testNamePattern: "exactly the request",
  },
  {
    id: "venue-request-policy-any-signer",
    breaks: "The log takes a venue request signed by a key that is not an enrolled officer.",
    guards: ["the log policy accepts new entry kinds only when signed as it requires"],
    file: "protocol/src/log/entries/policy.ts",
    find: "        if (signers.length === 0 || signers.some((s) => !this.officers.has(s)))",
    replace: "        if (signers.length === 0)",
    project: "unit",
    tests: POLICY_TESTS,
    testNamePattern: "venue request entries",
  },
  {
    id: "venue-request-policy-foreign-entrance",
    breaks: "The log takes a venue request naming another venue's entrance.",
    guards: ["the log policy accepts new entry kinds only when signed as it requires"],
    file: "protocol/src/log/entries/policy.ts",
    find: "        const foreign = body.entrances.find((e) => this.issuedEntrances.get(e) !== body.venueId);",
    replace: "        const foreign = body.entrances.find((e) => !this.issuedEntrances.has(e));",
    project: "unit",
    tests: POLICY_TESTS,
    testNamePattern: "venue request entries",
  },
];
