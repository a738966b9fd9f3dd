/**
 * Entrance codes and operator documents: kiosk mode, manual-code look-ups and document storage.
 */
import type { Mutation } from "./types.ts";

export const mutations: readonly Mutation[] = [
  {
    id: "kiosk-requirement-removed",
    breaks: "An entrance in kiosk mode takes the poster's bare code (a photo works for ever).",
    guards: ["fake check-ins"],
    file: "worker/src/routes/checkins.ts",
    find: "if (code.kioskRequired && body.kiosk === undefined && !staffEntrances) {",
    replace: "if (false && code.kioskRequired && body.kiosk === undefined && !staffEntrances) {",
    project: "worker",
    tests: ["tests/worker/checkins.test.ts"],
    testNamePattern: "kiosk mode",
  },
  {
    id: "kiosk-mode-not-stored",
    breaks: "Turning kiosk mode on answers success but the entrance still takes the bare code.",
    guards: ["fake check-ins"],
    file: "worker/src/venues/store.ts",
    find: '.prepare("UPDATE entrances SET kiosk_required = ? WHERE id = ?")\n      .bind(required ? 1 : 0, entranceId)',
    replace:
      '.prepare("UPDATE entrances SET kiosk_required = ? WHERE id = ?")\n      .bind(0, entranceId)',
    project: "worker",
    tests: ["tests/worker/checkins.test.ts"],
    testNamePattern: "kiosk mode",
  },
  {
    id: "manual-code-get-restored",
    breaks:
      "A typed manual code is looked up from the URL path again, naming the venue in access logs.",
    guards: ["5", "URL secrets"],
    file: "worker/src/routes/codes.ts",
    find: '.get("/:manual", () => {',
    replace:
      '.get("/:manual", async (c) => c.json(await lookUpManual(c.env.DB, c.req.param("manual"))))\n  .get("/:never/:more", () => {',
    project: "worker",
    tests: ["tests/worker/codes.test.ts"],
  },
  {
    id: "manual-code-cacheable",
    breaks: "A manual-code answer (which venue someone typed) may be kept by shared caches.",
    guards: ["5"],
    file: "worker/src/routes/codes.ts",
    find: '  .post("/manual", validated(citizenRoutes.manualCode), async (c) => {\n    c.header("cache-control", "no-store");',
    replace:
      '  .post("/manual", validated(citizenRoutes.manualCode), async (c) => {\n    c.header("cache-control", "public, max-age=60");',
    project: "worker",
    tests: ["tests/worker/codes.test.ts"],
  },
  {
    id: "document-replace-unguarded",
    breaks:
      "Concurrent replacements of one document each overwrite the row; all but the last object are orphaned in R2.",
    guards: ["floods", "6"],
    file: "worker/src/venues/document-store.ts",
    find: "AND kind = ? AND object_key = ? AND",
    replace: "AND kind = ? AND (object_key = ? OR 1) AND",
    project: "worker",
    tests: ["tests/worker/documents.test.ts"],
    testNamePattern: "racing",
  },
  {
    id: "document-insert-unguarded",
    breaks:
      "Concurrent first uploads of one document each take the row; all but the last object are orphaned in R2.",
    guards: ["floods", "6"],
    file: "worker/src/venues/document-store.ts",
    find: "ON CONFLICT (venue_id, kind) DO NOTHING",
    replace: "ON CONFLICT (venue_id, kind) DO UPDATE SET object_key = excluded.object_key",
    project: "worker",
    tests: ["tests/worker/documents.test.ts"],
    testNamePattern: "racing",
  },
  {
    id: "document-loser-keeps-object",
    breaks: "An upload that lost its race, or was refused after writing, leaves its object in R2.",
    guards: ["floods", "6"],
    file: "worker/src/venues/document-store.ts",
    find: "if (!won) await env.DOCUMENTS.delete(stored.objectKey);",
    replace: "if (!won) void stored.objectKey;",
    project: "worker",
    tests: ["tests/worker/documents.test.ts"],
    testNamePattern: "racing",
  },
  {
    id: "document-quota-removed",
    breaks: "An operator may store any number of documents of any total size.",
    guards: ["floods"],
    file: "worker/src/routes/applications.ts",
    find: "loadDeployment(c.env.LINTEL_DEPLOYMENT).documents,",
    replace:
      "{ ...loadDeployment(c.env.LINTEL_DEPLOYMENT).documents, maxObjectsPerOperator: 1e9, maxBytesPerOperator: 1e15 },",
    project: "worker",
    tests: ["tests/worker/documents.test.ts"],
    testNamePattern: "quota",
  },
  {
    id: "document-quota-count-checked-early-only",
    breaks:
      "The document count is checked only before the upload's write, so uploads running at once all pass it.",
    guards: ["floods"],
    file: "worker/src/venues/document-store.ts",
    find: "const WITHIN_QUOTA = `(SELECT COUNT(*) ",
    replace: "const WITHIN_QUOTA = `0 * (SELECT COUNT(*) ",
    project: "worker",
    tests: ["tests/worker/documents.test.ts"],
    testNamePattern: "at once: exactly the quota",
  },
  {
    id: "operator-kiosk-switch-inert",
    breaks: "The operator page's kiosk-mode switch never turns kiosk mode on.",
    guards: ["fake check-ins"],
    file: "web/src/lib/operator-kiosk-setup.ts",
    find: "{ required: next },",
    replace: "{ required: false },",
    project: "e2e",
    // The whole file: its tests build on one another (an operator browser, an enrolled kiosk).
    tests: ["tests/e2e/kiosk.test.ts"],
  },
  {
    id: "kiosk-screen-claims-photos-expire",
    breaks:
      "The kiosk screen says a photo of it stops working even where the poster's code still checks in.",
    guards: ["fake check-ins"],
    file: "web/src/pages/kiosk.ts",
    find: "showMode(keys.kioskRequired);",
    replace: "showMode(true);",
    project: "e2e",
    // The whole file: its tests build on one another (an operator browser, an enrolled kiosk).
    tests: ["tests/e2e/kiosk.test.ts"],
  },
  {
    id: "checkin-page-ignores-kiosk-mode",
    breaks:
      "A poster scanned at a kiosk-only entrance opens the check-in form, refused only after the details are typed.",
    guards: ["fake check-ins"],
    file: "web/src/lib/checkin-scan.ts",
    find: "if (current.kioskRequired && scanned.kiosk === undefined) {",
    replace: "if (false && current.kioskRequired && scanned.kiosk === undefined) {",
    project: "e2e",
    // The whole file: its tests build on one another (an operator browser, an enrolled kiosk).
    tests: ["tests/e2e/kiosk.test.ts"],
  },
  {
    id: "document-sweep-grace-removed",
    breaks:
      "The sweep deletes objects of uploads still running, leaving rows that name missing objects.",
    guards: ["6"],
    file: "worker/src/venues/document-store.ts",
    find: "o.uploaded.getTime() / 1000 < now - SWEEP_GRACE_SECONDS",
    replace: "o.uploaded.getTime() / 1000 < now + SWEEP_GRACE_SECONDS",
    project: "worker",
    tests: ["tests/worker/documents.test.ts"],
    testNamePattern: "sweeps",
  },
  {
    id: "document-sweep-removed",
    breaks: "An object a crash left between the R2 write and the row stays in storage for ever.",
    guards: ["floods"],
    file: "worker/src/venues/document-store.ts",
    find: "if (stray.length > 0) await env.DOCUMENTS.delete(stray);",
    replace: "if (stray.length > 0) void stray;",
    project: "worker",
    tests: ["tests/worker/documents.test.ts"],
    testNamePattern: "sweeps",
  },
];
