/**
 * The cross-origin surface (worker/src/middleware/cors): only the citizen API answers other
 * origins, never with credentials, and a venue's own web app can check people in through it.
 */
import type { Mutation } from "./types.ts";

const CORS = "worker/src/middleware/cors/index.ts";
const CORS_TESTS = ["worker/src/middleware/cors/cors.test.ts"];

export const mutations: readonly Mutation[] = [
  {
    id: "cors-staff-checkins-opened",
    breaks: "Another origin's page may send and read staff check-ins (a signed, privileged route).",
    guards: ["cross-origin"],
    file: CORS,
    find: '  { path: "/api/checkins", ...JSON_POST },',
    replace:
      '  { path: "/api/checkins", ...JSON_POST },\n  { path: "/api/checkins/staff", methods: ["POST"], requestHeaders: ["content-type", "lintel-statement"] },',
    project: "worker",
    tests: CORS_TESTS,
  },
  {
    id: "cors-credentials-allowed",
    breaks: "Citizen API answers allow credentials, so cookies would become ambient authority.",
    guards: ["cross-origin"],
    file: CORS,
    find: '    res.headers.set("access-control-allow-origin", "*");',
    replace:
      '    res.headers.set("access-control-allow-origin", "*");\n    res.headers.set("access-control-allow-credentials", "true");',
    project: "worker",
    tests: CORS_TESTS,
  },
  {
    id: "corp-same-origin-everywhere",
    breaks: "Citizen API answers say Cross-Origin-Resource-Policy: same-origin, as pages do.",
    guards: ["cross-origin"],
    file: "worker/src/middleware/security-headers/index.ts",
    find: 'crossOrigin(c.req.method, c.req.path) ? "cross-origin" : "same-origin"',
    replace: '"same-origin"',
    project: "worker",
    tests: ["tests/worker/security-headers.test.ts", ...CORS_TESTS],
  },
  {
    id: "cors-middleware-removed",
    breaks:
      "The citizen API answers no CORS: a venue's web app on its own domain checks no one in.",
    guards: ["cross-origin"],
    file: "worker/src/app.ts",
    find: "  app.use(cors(CITIZEN_API));",
    replace: "",
    project: "e2e",
    tests: ["tests/e2e/embedding.test.ts"],
  },
];
