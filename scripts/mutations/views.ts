/**
 * The operator and registry pages' views: what a URL may name, Back and Forward, and a failed
 * action that must not leave the status line saying it is still under way.
 */
import type { Mutation } from "./types.ts";

export const mutations: readonly Mutation[] = [
  {
    id: "failure-keeps-status",
    breaks:
      "A failed action leaves the status line saying it is under way (“Preparing the poster…”).",
    guards: ["usability"],
    file: "web/src/lib/ui.ts",
    find: "export function showProblem(region: HTMLElement, e: unknown): void {\n  clearStatus();",
    replace: "export function showProblem(region: HTMLElement, e: unknown): void {",
    project: "e2e",
    // The whole file: its tests build on one another (the first signs the browser in).
    tests: ["tests/e2e/operator-views.test.ts"],
  },
  {
    id: "operator-view-any-venue-id",
    breaks: "Any text in the operator page's ?venue= is taken for a venue id and sent on.",
    guards: ["malformed input"],
    file: "web/src/lib/operator-router.ts",
    find: "if (venue !== null && VENUE_ID.test(venue)) {",
    replace: "if (venue !== null) {",
    project: "unit",
    tests: ["web/src/lib/operator-router.test.ts"],
  },
  {
    id: "registry-view-any-application-id",
    breaks: "Any text in the registry page's ?application= is taken for an application id.",
    guards: ["malformed input"],
    file: "web/src/lib/registry-router.ts",
    find: 'if (id !== null && APPLICATION_ID.test(id)) return { kind: "application", id };',
    replace: 'if (id !== null) return { kind: "application", id };',
    project: "unit",
    tests: ["web/src/lib/registry-router.test.ts"],
  },
  {
    id: "operator-back-ignored",
    breaks: "Back and Forward change the operator page's URL but not the view shown.",
    guards: ["usability"],
    file: "web/src/pages/operator.ts",
    find: 'addEventListener("popstate", () => {\n  view = parseOperatorView(location.search);\n  show(true);\n});',
    replace: "",
    project: "e2e",
    // The whole file: its tests build on one another (the first signs the browser in).
    tests: ["tests/e2e/operator-views.test.ts"],
  },
];
