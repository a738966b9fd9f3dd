/**
 * One registration per venue: a licence number is checked, a second registration of one is
 * refused at submit and at approval, and the reviewer is shown possible duplicates.
 */
import type { Mutation } from "./types.ts";

const WORKER_TESTS = ["tests/worker/duplicates.test.ts"];

export const mutations: readonly Mutation[] = [
  {
    id: "licence-check-character-ignored",
    breaks: "A unified social credit code with a wrong check character is taken as typed.",
    guards: ["repeated or false registrations"],
    file: "contract/src/licence.ts",
    find: 'return creditCodeCheckCharacter(canonical.slice(0, 17)) === canonical[17] ? null : "check";',
    replace: "return null;",
    project: "worker",
    tests: WORKER_TESTS,
    testNamePattern: "check character",
  },
  {
    id: "submit-ignores-registered-licence",
    breaks: "An application whose licence number another venue is registered with is submitted.",
    guards: ["repeated or false registrations"],
    file: "worker/src/venues/application-store.ts",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the source text, not a template
    find: "AND licence_key IS NOT NULL AND NOT ${LICENCE_TAKEN}",
    replace: "AND licence_key IS NOT NULL",
    project: "worker",
    tests: WORKER_TESTS,
    testNamePattern: "submit",
  },
  {
    id: "second-registration-approved",
    breaks: "Two venues with one licence number are both approved.",
    guards: ["repeated or false registrations"],
    file: "worker/migrations/0006_venue_match_keys.sql",
    find: "CREATE UNIQUE INDEX `venues_one_registration`",
    replace: "CREATE INDEX `venues_one_registration`",
    project: "worker",
    tests: WORKER_TESTS,
    testNamePattern: "approv",
  },
  {
    id: "address-match-ignored",
    breaks: "The reviewer is not shown other venues at the same address.",
    guards: ["repeated or false registrations"],
    file: "worker/src/venues/match-store.ts",
    find: "AND (o.licence_key = v.licence_key OR o.address_key = v.address_key)`;",
    replace: "AND o.licence_key = v.licence_key`;",
    project: "worker",
    tests: WORKER_TESTS,
    testNamePattern: "lists pending and registered venues",
  },
  {
    id: "duplicate-flag-not-shown",
    breaks: "The registry's application view does not show possible duplicates.",
    guards: ["repeated or false registrations"],
    file: "web/src/lib/registry-detail.ts",
    find: "renderMatches(page, matches, view.id, open);",
    replace: "",
    project: "e2e",
    tests: ["tests/e2e/duplicates.test.ts"],
    testNamePattern: "flagged to the reviewer",
  },
];
