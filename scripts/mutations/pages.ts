/**
 * What the pages promise people beyond the protocol: one language at a time (a failure told in
 * the page's language, the service's English detail only to a person reading English) and a
 * status line that never claims work still under way after it failed, and the venue's signed
 * names in the reader's language.
 */
import type { Mutation } from "./types.ts";

export const mutations: readonly Mutation[] = [
  {
    id: "problem-detail-in-every-language",
    breaks: "A Chinese page shows the service's English detail under its own sentence.",
    guards: ["one language at a time"],
    file: "web/src/lib/problems.ts",
    find: '  if (language() !== "en") return [];\n',
    replace: "",
    project: "e2e",
    tests: ["tests/e2e/every-view.test.ts"],
    testNamePattern: "all in Chinese",
  },
  {
    id: "status-keeps-progress-after-failure",
    breaks: "After a refused check-in the status line still says it is encrypting and sending.",
    guards: ["errors beside the action"],
    file: "web/src/lib/ui.ts",
    find: "    settleProgress();\n    delete target.dataset.busy;",
    replace: "    delete target.dataset.busy;",
    project: "e2e",
    tests: ["tests/e2e/checkin.test.ts"],
    testNamePattern: "says beside the button why a check-in was refused",
  },
  {
    id: "signed-venue-name-in-one-language",
    breaks: "The check-in form shows the venue's Chinese name on an English page.",
    guards: ["one language at a time"],
    file: "web/src/lib/checkin-form.ts",
    find: '{ class: "venue-name", id: "venue-name" }, tr(code.venueName))',
    replace: '{ class: "venue-name", id: "venue-name" }, code.venueName.zh)',
    project: "e2e",
    tests: ["tests/e2e/every-view.test.ts"],
    testNamePattern: "all in English",
  },
];
