/**
 * The service worker's periodic background check: it notifies only what is new, in the language
 * the pages kept for it, and stops once notifications are no longer allowed.
 */
import type { Mutation } from "./types.ts";

const E2E_TESTS = ["tests/e2e/citizen-device.test.ts"];
const PERIODIC = "runs in the service worker";

export const mutations: readonly Mutation[] = [
  {
    id: "periodic-check-notifies-unseen-again",
    breaks: "Each periodic check notifies every unseen finding again, not only what is new.",
    guards: ["background check"],
    file: "web/src/sw.ts",
    find: "exposureNotification(findings.fresh,",
    replace: "exposureNotification(findings.unseen,",
    project: "e2e",
    tests: E2E_TESTS,
    testNamePattern: PERIODIC,
  },
  {
    id: "periodic-check-ignores-chosen-language",
    breaks: "The worker's notification is in the deployment's default language, not the person's.",
    guards: ["background check"],
    file: "web/src/lib/language-store.ts",
    find: 'return value === "en" || value === "zh" ? value : DEFAULT_LANGUAGE;',
    replace: "return DEFAULT_LANGUAGE;",
    project: "e2e",
    tests: E2E_TESTS,
    testNamePattern: PERIODIC,
  },
  {
    id: "periodic-check-outlives-notifications",
    breaks: "The periodic check stays registered after notifications are turned off.",
    guards: ["background check"],
    file: "web/src/lib/periodic-check.ts",
    find: "    await sync.unregister(PERIODIC_CHECK_TAG);\n",
    replace: "",
    project: "e2e",
    tests: E2E_TESTS,
    testNamePattern: PERIODIC,
  },
];
