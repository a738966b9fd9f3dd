/**
 * The registry's own powers: only a reviewer of full scope makes or re-enrols accounts and enrols
 * or removes trustees and witnesses; no trustee every check-in is encrypted to is removed; a
 * trustee removal the log refuses leaves its published share; the review queue narrows to venues
 * whose entrance change waits; the public report page sends nothing before the entrances load.
 */
import type { Mutation } from "./types.ts";

const SCOPE_TESTS = ["tests/worker/scopes.test.ts"];
const PARTY_TESTS = ["tests/worker/registry-parties.test.ts"];

export const mutations: readonly Mutation[] = [
  {
    id: "account-made-by-partial-scope",
    breaks:
      "A reviewer of one district makes officer and auditor accounts for the whole deployment.",
    guards: ["registry scopes"],
    file: "worker/src/routes/auth.ts",
    find: '    requireFullScope(p, "make officer, auditor and registry accounts");\n',
    replace: "",
    project: "worker",
    tests: SCOPE_TESTS,
    testNamePattern: "a full-scope reviewer sets another's",
  },
  {
    id: "account-reenrolled-by-partial-scope",
    breaks: "A reviewer of one district signs in as any officer by re-enrolling the account.",
    guards: ["registry scopes"],
    file: "worker/src/routes/auth.ts",
    find: '    requireFullScope(p, "re-enrol officers, auditors and registry reviewers");\n',
    replace: "",
    project: "worker",
    tests: SCOPE_TESTS,
    testNamePattern: "a full-scope reviewer sets another's",
  },
  {
    id: "trustee-removed-while-required",
    breaks:
      "A trustee every check-in is encrypted to is removed from the log: no query is answerable.",
    guards: ["queries answerable"],
    file: "worker/src/routes/registry-parties.ts",
    find: "    if (loadDeployment(c.env.LINTEL_DEPLOYMENT).trustees.some((t) => t.id === trusteeId)) {",
    replace: "    if (false) {",
    project: "worker",
    tests: PARTY_TESTS,
    testNamePattern: "settings name is refused",
  },
  {
    id: "party-removed-by-partial-scope",
    breaks: "A reviewer of one sector removes the deployment's witness.",
    guards: ["registry scopes"],
    file: "worker/src/routes/registry-parties.ts",
    find: '    requireFullScope(principalOf(c), "remove witnesses");\n',
    replace: "",
    project: "worker",
    tests: PARTY_TESTS,
    testNamePattern: "are for reviewers of full scope only, and for registry devices only",
  },
  {
    id: "trustee-share-lost-when-log-refuses",
    breaks: "A trustee removal the log refuses still takes the trustee's published share away.",
    guards: ["log and deployment agree"],
    file: "worker/src/routes/registry-parties.ts",
    find: "      if (withdrawn) await restoreTrusteeShare(db, withdrawn);",
    replace: "      void withdrawn;",
    project: "worker",
    tests: PARTY_TESTS,
    testNamePattern: "log refuses keeps its published share",
  },
  {
    id: "queue-amendment-filter-ignored",
    breaks: "The queue narrowed to entrance changes waiting lists every venue of the status.",
    guards: ["registry queue"],
    file: "worker/src/venues/store.ts",
    find: 'filter.amendmentPending ? AMENDMENT_PENDING : "1"',
    replace: 'filter.amendmentPending ? "1" : "1"',
    project: "worker",
    tests: ["tests/worker/amendments.test.ts"],
    testNamePattern: "flags a venue whose entrance change waits",
  },
  {
    id: "report-sent-before-entrances",
    breaks: "Send works before the entrances load, so a report names the whole venue by accident.",
    guards: ["reports name the entrance"],
    file: "web/src/pages/report.ts",
    find: "    submit.disabled = true;\n",
    replace: "",
    project: "e2e",
    tests: ["tests/e2e/supervision.test.ts"],
    testNamePattern: "cannot be sent before the venue's entrances have loaded",
  },
];
