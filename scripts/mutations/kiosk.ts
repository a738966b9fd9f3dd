/**
 * Kiosk devices and operators' further devices: a kiosk key does one thing, a revoked kiosk or
 * device is refused, and enrolment codes for them are narrow (THREAT_MODEL.md, "Stolen or misused
 * venue devices").
 */
import type { Mutation } from "./types.ts";

const WORKER_TESTS = ["tests/worker/kiosks.test.ts"];

export const mutations: readonly Mutation[] = [
  {
    id: "kiosk-role-passes-every-route",
    breaks: "Every signed route lets a kiosk's key through, whatever roles it names.",
    guards: ["stolen venue devices"],
    file: "worker/src/middleware/auth/index.ts",
    find: "if (!roles.includes(device.role)) {",
    replace: 'if (!roles.includes(device.role) && device.role !== "kiosk") {',
    project: "worker",
    tests: WORKER_TESTS,
    testNamePattern: "every other signed route",
  },
  {
    id: "kiosk-enrols-more-keys",
    breaks: "A kiosk's key may enrol further keys for its account, and list its devices.",
    guards: ["stolen venue devices"],
    file: "worker/src/routes/auth.ts",
    find: '.post("/devices", signedBy(ALL_ROLES),',
    replace: '.post("/devices", signedBy(SELF_ROLES),',
    project: "worker",
    tests: WORKER_TESTS,
    testNamePattern: "nothing else of its account",
  },
  {
    id: "kiosk-for-foreign-entrance",
    breaks: "An operator makes a kiosk bound to an entrance of a venue that is not theirs.",
    guards: ["stolen venue devices"],
    file: "worker/src/routes/kiosks.ts",
    find: "if (door?.active !== 1) {",
    replace: "if (door !== undefined && door.active !== 1) {",
    project: "worker",
    tests: WORKER_TESTS,
    testNamePattern: "own approved venue",
  },
  {
    id: "kiosk-revocation-keeps-account",
    breaks: "Revoking a kiosk signs its device out but leaves its unused code able to enrol one.",
    guards: ["stolen venue devices"],
    file: "worker/src/accounts/kiosk-store.ts",
    find: "UPDATE accounts SET disabled_at = ? WHERE disabled_at IS NULL AND id IN",
    replace: "UPDATE accounts SET disabled_at = ? WHERE 0 AND id IN",
    project: "worker",
    tests: WORKER_TESTS,
    testNamePattern: "once revoked",
  },
  {
    id: "device-code-for-any-role",
    breaks: "Any role, staff and officers included, makes codes that enrol further devices.",
    guards: ["stolen venue devices"],
    file: "worker/src/routes/auth.ts",
    find: '.post("/enrolment-codes", signedBy(["operator"]),',
    replace: '.post("/enrolment-codes", signedBy(ALL_ROLES),',
    project: "worker",
    tests: WORKER_TESTS,
    testNamePattern: "only operators make one",
  },
  {
    id: "device-code-lives-three-days",
    breaks: "A device code, typed there and then, stays usable for three days.",
    guards: ["stolen venue devices"],
    file: "worker/src/routes/auth.ts",
    find: "      DEVICE_CODE_SECONDS,\n",
    replace: "      3 * 86_400,\n",
    project: "worker",
    tests: WORKER_TESTS,
    testNamePattern: "full operator device of the same account",
  },
];
