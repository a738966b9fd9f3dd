/**
 * The pages installed and opened with no signal: the service worker's precache, its fallback for
 * the public reads a check-in needs, and the manifest every page links.
 */
import type { Mutation } from "./types.ts";

const E2E_TESTS = ["tests/e2e/offline-start.test.ts"];

export const mutations: readonly Mutation[] = [
  {
    id: "offline-no-precache",
    breaks: "The service worker installs without precaching the pages' shell and scripts.",
    guards: ["offline check-in"],
    file: "web/src/sw.ts",
    find: 'await cache.addAll([...PRECACHED].map((url) => new Request(url, { cache: "reload" })));',
    replace: "void cache;",
    project: "e2e",
    tests: E2E_TESTS,
    testNamePattern: "poster link with no signal",
  },
  {
    id: "offline-no-kept-public-reads",
    breaks: "Offline, the deployment and epoch keys are not answered from the copy kept last time.",
    guards: ["offline check-in"],
    file: "web/src/sw.ts",
    find: "if (kept) return kept;",
    replace: "",
    project: "e2e",
    tests: E2E_TESTS,
    testNamePattern: "poster link with no signal",
  },
  {
    id: "offline-checkin-registers-no-worker",
    breaks: "The check-in page never registers the service worker, so nothing is kept for offline.",
    guards: ["offline check-in"],
    file: "web/src/pages/checkin.ts",
    find: "registerServiceWorker();\nloadExposureWatch();",
    replace: "loadExposureWatch();",
    project: "e2e",
    tests: E2E_TESTS,
    testNamePattern: "poster link with no signal",
  },
  {
    id: "offline-no-manifest-link",
    breaks: "The pages link no web app manifest, so the browser cannot install them.",
    guards: ["offline check-in"],
    file: "scripts/lib/page-shell.ts",
    find: '<link rel="manifest" href="/manifest.webmanifest">',
    replace: "",
    project: "e2e",
    tests: E2E_TESTS,
    testNamePattern: "installable",
  },
];
