/**
 * Entrance codes and operator documents: kiosk mode, manual-code look-ups and document storage.
 */
import type { Mutation } from "./types.ts";

export const mutations: readonly Mutation[] = [
  {
    id: "kiosk-requirement-removed",
    breaks: "An entrance in kiosk mode takes the poster's bare code (a photo works for ever).",
    guards: ["attack 1"],
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
    guards: ["attack 1"],
    file: "worker/src/routes/venue-admin.ts",
    find: '.prepare("UPDATE entrances SET kiosk_required = ? WHERE id = ?")\n        .bind(required ? 1 : 0, door.id)',
    replace:
      '.prepare("UPDATE entrances SET kiosk_required = ? WHERE id = ?")\n        .bind(0, door.id)',
    project: "worker",
    tests: ["tests/worker/checkins.test.ts"],
    testNamePattern: "kiosk mode",
  },
  {
    id: "manual-code-get-restored",
    breaks:
      "A typed manual code is looked up from the URL path again, naming the venue in access logs.",
    guards: ["invariant 5", "attack 15"],
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
    guards: ["invariant 5"],
    file: "worker/src/routes/codes.ts",
    find: '  .post("/manual", async (c) => {\n    c.header("cache-control", "no-store");',
    replace:
      '  .post("/manual", async (c) => {\n    c.header("cache-control", "public, max-age=60");',
    project: "worker",
    tests: ["tests/worker/codes.test.ts"],
  },
];
