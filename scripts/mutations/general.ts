/**
 * Mutations of the cross-cutting defences: the request body limit, personal data kept out of the
 * database and pages, and bad input answered with a 4xx and no partial write.
 */
import type { Mutation } from "./types.ts";

export const mutations: readonly Mutation[] = [
  {
    id: "json-body-streaming-limit-removed",
    breaks:
      "readJsonBody reads a body sent without (or with a false) Content-Length to its end before checking its size",
    guards: ["8", "floods"],
    file: "worker/src/middleware/json-body/index.ts",
    find: `    if (total > maxBytes) {
      await reader.cancel();
      throw tooLarge(maxBytes);
    }
`,
    replace: "",
    project: "worker",
    tests: ["tests/worker/body-limit.test.ts"],
  },
  {
    id: "at-rest-key-not-from-data-key",
    breaks:
      "the at-rest key (contact person and phone, licence documents) is a fixed key instead of one derived from the DATA_KEY secret, so a leaked database opens with the source code alone",
    guards: ["5", "leaked database"],
    file: "worker/src/crypto/at-rest.ts",
    find: 'const raw = await deriveSubkey(env, "lintel at-rest v1");',
    replace: "const raw = new Uint8Array(32);",
    project: "worker",
    tests: ["tests/worker/at-rest.test.ts"],
  },
  {
    id: "contact-stored-in-clear",
    breaks:
      "an application's contact person and phone are written to D1 as base64 of the plain JSON",
    guards: ["5", "leaked database"],
    file: "worker/src/venues/application-store.ts",
    find: "const sealed = await sealAtRest(env, contactContext(venueId), json);",
    replace: "const sealed = json;",
    project: "worker",
    tests: ["tests/worker/at-rest.test.ts", "tests/worker/applications.test.ts"],
    testNamePattern: "ciphertext|sealed",
  },
  {
    id: "csp-default-src-opened",
    breaks: "the Content-Security-Policy lets a page load anything from anywhere by default",
    guards: ["5", "URL secrets", "injection"],
    file: "worker/src/middleware/security-headers/index.ts",
    find: `"default-src 'none'",`,
    replace: `"default-src *",`,
    project: "worker",
    tests: ["tests/worker/security-headers.test.ts"],
  },
  {
    id: "csp-connect-src-third-party",
    breaks: "pages may send requests (fetch, beacons) to a third-party origin",
    guards: ["5"],
    file: "worker/src/middleware/security-headers/index.ts",
    find: `  "font-src 'self'",
  "connect-src 'self'",
`,
    replace: `  "font-src 'self'",
  "connect-src 'self' https://analytics.example",
`,
    project: "worker",
    tests: ["tests/worker/security-headers.test.ts"],
  },
  {
    id: "csp-frame-ancestors-removed",
    breaks: "pages may be framed by another site (clickjacking of the check-in and officer pages)",
    guards: ["5", "impersonation"],
    file: "worker/src/middleware/security-headers/index.ts",
    find: `  "frame-ancestors 'none'",
`,
    replace: "",
    project: "worker",
    tests: ["tests/worker/security-headers.test.ts"],
  },
  {
    id: "referrer-sent",
    breaks: "a page URL is sent as Referer to other sites",
    guards: ["5", "URL secrets"],
    file: "worker/src/middleware/security-headers/index.ts",
    find: `"referrer-policy": "no-referrer",`,
    replace: `"referrer-policy": "unsafe-url",`,
    project: "worker",
    tests: ["tests/worker/security-headers.test.ts"],
  },
  {
    id: "page-loads-third-party-font",
    breaks:
      "every page (the one template of their HTML) asks a third-party server for a stylesheet",
    guards: ["5"],
    file: "scripts/lib/page-shell.ts",
    find: '<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">',
    replace:
      '<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml"><link rel="stylesheet" href="https://fonts.example.net/css2?family=Noto+Sans">',
    project: "e2e",
    tests: ["tests/e2e/home-page.test.ts"],
    testNamePattern: "verifies every trustee key proof",
  },
  {
    id: "problems-become-500",
    breaks:
      "a refused request (any problem but not-found) is answered 500 internal instead of its 4xx",
    guards: ["6", "malformed input"],
    file: "worker/src/problems/handlers.ts",
    find: "if (err instanceof ProblemError) {",
    replace: 'if (err instanceof ProblemError && err.code === "not-found") {',
    project: "worker",
    tests: ["tests/worker/errors.test.ts"],
  },
  {
    id: "application-unknown-fields-accepted",
    breaks:
      "an application body with fields the schema does not know is accepted (they are silently dropped)",
    guards: ["6", "malformed input"],
    file: "contract/src/routes/applications.ts",
    find: "export const applicationInput = z.strictObject({",
    replace: "export const applicationInput = z.object({",
    project: "worker",
    tests: [
      "tests/worker/applications.test.ts",
      "tests/worker/applications-fuzz.test.ts",
      "tests/worker/invalid-input.test.ts",
    ],
  },
  {
    id: "application-control-characters-accepted",
    breaks:
      "names, addresses and labels may contain control and invisible format characters (bidi overrides)",
    guards: ["6", "injection"],
    file: "contract/src/wire.ts",
    find: ".refine((s) => !forbidden.test(s), ",
    replace: ".refine((s) => s === s || !forbidden.test(s), ",
    project: "worker",
    tests: ["tests/worker/applications.test.ts"],
    testNamePattern: "control characters",
  },
  {
    id: "application-edit-unguarded",
    breaks: "an edit that raced a submission or an approval still rewrites the venue row",
    guards: ["6", "unauthorised check-out/deletion"],
    file: "worker/src/venues/application-store.ts",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the source text, not a template
    find: "updated_at = ? WHERE id = ? AND ${EDITABLE}`,",
    replace: "updated_at = ? WHERE id = ?`,",
    project: "worker",
    tests: ["tests/worker/applications.test.ts"],
    testNamePattern: "whatever was read before",
  },
  {
    id: "invalid-body-passes-through",
    breaks: "a JSON body of the wrong shape reaches the handler instead of a 422 invalid-body",
    guards: ["6", "malformed input"],
    file: "worker/src/middleware/json-body/index.ts",
    find: "  if (!parsed.success) {\n",
    replace: "  if (!parsed.success && parsed.error.issues.length > 99) {\n",
    project: "worker",
    tests: ["tests/worker/errors.test.ts"],
  },
  {
    id: "constant-time-compare-exits-early",
    breaks:
      "constantTimeEqual (kiosk MACs, deletion tokens, statement hashes) stops at the first differing byte, so its time tells how much of a guess was right",
    guards: ["timing"],
    file: "protocol/src/encoding/bytes.ts",
    find: "for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;",
    replace: "for (let i = 0; i < a.length && diff === 0; i++) diff |= a[i]! ^ b[i]!;",
    project: "unit",
    tests: ["protocol/src/encoding/bytes.test.ts"],
  },
  {
    id: "unhandled-error-message-logged",
    breaks:
      "an unexpected error's message, which may hold request data, is written to the server log",
    guards: ["5"],
    file: "worker/src/problems/handlers.ts",
    find: 'console.error("unhandled error", err instanceof Error ? err.name : typeof err);',
    replace: 'console.error("unhandled error", err instanceof Error ? err.message : typeof err);',
    project: "worker",
    tests: ["tests/worker/error-privacy.test.ts"],
  },
  {
    id: "unhandled-error-message-answered",
    breaks: "an unexpected error's message is sent back to the client in the 500 problem",
    guards: ["5"],
    file: "worker/src/problems/handlers.ts",
    find: 'return problemResponse("internal");',
    replace: 'return problemResponse("internal", err instanceof Error ? err.message : undefined);',
    project: "worker",
    tests: ["tests/worker/error-privacy.test.ts"],
  },
];
