/**
 * Venue requests: a venue asks only about its own entrances, an approval is exactly the filed
 * request, signed by the sending officer's device, and the log's policy takes it only from
 * enrolled officers for entrances issued to that venue. A request granting contacts needs the
 * officers a query needs, names the venue's own key, and opens nothing outside its scope.
 */
import type { Mutation } from "./types.ts";

const WORKER_TESTS = ["tests/worker/venue-requests.test.ts"];
const CONTACTS_TESTS = ["tests/worker/venue-request-contacts.test.ts"];
const POLICY_TESTS = ["protocol/src/log/entries/policy.test.ts"];

export const mutations: readonly Mutation[] = [
  {
    id: "venue-request-left-claim-kept",
    breaks:
      "An approval whose worker stopped between the log append and the record stays claimed: pending to everyone, approvable by no one.",
    guards: ["a venue request is always decided or decidable"],
    file: "worker/src/venues/venue-request-claims.ts",
    find: "  if (!isLeftClaim(row, at)) return row;",
    replace: "  return row;",
    project: "worker",
    tests: WORKER_TESTS,
    testNamePattern: "stopped between the append and the record",
  },
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
  {
    id: "venue-request-contacts-one-officer",
    breaks: "The log takes a venue request granting contacts with a single officer's approval.",
    guards: ["contact data only after as many officers as a query"],
    file: "protocol/src/log/entries/policy.ts",
    find: "    if (people.size < d.approvalsRequired) {\n      throw violation(\n        index,\n        `a venue request granting contacts",
    replace:
      "    if (people.size < 1) {\n      throw violation(\n        index,\n        `a venue request granting contacts",
    project: "unit",
    tests: POLICY_TESTS,
    testNamePattern: "granting contacts need the officers",
  },
  {
    id: "venue-request-release-without-contacts",
    breaks:
      "The trustees and the log may release keys for a venue request that grants no contacts.",
    guards: ["contact data only where the policy allows it"],
    file: "protocol/src/log/entries/policy.ts",
    find: '        if (body.grants.includes("contacts")) this.checkContactsRequest(index, body, signers, d);',
    replace: "        this.checkContactsRequest(index, body, signers, d);",
    project: "unit",
    tests: POLICY_TESTS,
    testNamePattern: "granting contacts need the officers",
  },
  {
    id: "venue-request-approval-any-release-key",
    breaks: "An approval sealing the venue's releases to another key than the venue's is logged.",
    guards: ["contacts are released to the venue's own device key"],
    file: "worker/src/routes/venue-requests.ts",
    find: "    encodeBase64url(body.releaseKey) === (row.releaseKey ?? encodeBase64url(new Uint8Array(32)));",
    replace: "    true;",
    project: "worker",
    tests: CONTACTS_TESTS,
    testNamePattern: "needs two officers",
  },
  {
    id: "venue-request-same-officer-twice",
    breaks: "One officer's second approval of a contacts request counts as another officer's.",
    guards: ["contact data only after as many officers as a query"],
    file: "worker/src/routes/venue-requests.ts",
    find: "      if (accounts.has(p.accountId)) {",
    replace: "      if (false) {",
    project: "worker",
    tests: CONTACTS_TESTS,
    testNamePattern: "needs two officers",
  },
  {
    id: "venue-request-ciphertexts-any-scope",
    breaks:
      "A venue (or an officer) reads the ciphertexts of entrances and hours outside its approved request (or query).",
    guards: ["a venue's access to its own records only"],
    file: "worker/src/queries/ciphertext-page.ts",
    find: "  if (!inScope(scope, query.entrance, slot)) {",
    replace: "  if (false) {",
    project: "worker",
    tests: CONTACTS_TESTS,
    testNamePattern: "needs two officers",
  },
  {
    id: "venue-request-releases-unchecked",
    breaks: "The service keeps, for the venue, a release that is not the holder's logged one.",
    guards: ["every release is the one the log recorded"],
    file: "worker/src/routes/venue-requests.ts",
    find: "      if (logged === null || logged !== r.releaseIndex) {",
    replace: "      if (false) {",
    project: "worker",
    tests: CONTACTS_TESTS,
    testNamePattern: "needs two officers",
  },
];
