/**
 * The pass door staff check: the venue's word of the day, the staff page's offline check of a
 * pass's receipt, and the pass's liveness cue.
 */
import type { Mutation } from "./types.ts";

export const mutations: readonly Mutation[] = [
  {
    id: "day-word-per-deployment",
    breaks:
      "The check-in word leaves the venue out: every venue shows the same word, so a screenshot of a pass from any venue passes at the door.",
    guards: ["fake check-ins", "copied passes"],
    file: "worker/src/checkins/day-word.ts",
    find: "const message = new Uint8Array([...encoder.encode(localDay), ...encoder.encode(venueId)]);",
    replace: "const message = new Uint8Array([...encoder.encode(localDay)]);",
    project: "worker",
    tests: ["tests/worker/checkins.test.ts"],
    testNamePattern: "check-in word",
  },
  {
    id: "pass-word-not-the-entrance-venue",
    breaks:
      "The pass is given a word that is not its venue's, so it never matches the venue's staff view.",
    guards: ["copied passes"],
    file: "worker/src/routes/checkins.ts",
    find: "    env,\n    code.venueId,\n    localDate(",
    replace: '    env,\n    "",\n    localDate(',
    project: "worker",
    tests: ["tests/worker/checkins.test.ts"],
    testNamePattern: "check-in word",
  },
  {
    id: "staff-word-not-their-venue",
    breaks:
      "Staff see a word that is not their own venue's, so they cannot tell another venue's pass.",
    guards: ["copied passes"],
    file: "worker/src/routes/venue-admin.ts",
    find: "word: await dayWord(c.env, venueId, day)",
    replace: 'word: await dayWord(c.env, "", day)',
    project: "worker",
    tests: ["tests/worker/checkins.test.ts"],
    testNamePattern: "check-in word",
  },
  {
    id: "staff-venue-entrances-missing",
    breaks:
      "The staff page is not told its venue's other entrances, so a genuine pass from the next door is refused as another venue's.",
    guards: ["copied passes"],
    file: "worker/src/routes/venue-admin.ts",
    find: "const venueEntrances = p.venueId ? await venueEntranceLabels(c.env.DB, p.venueId) : [];",
    replace:
      "const venueEntrances = p.venueId ? results.map((r) => ({ id: r.id, labelEn: r.labelEn, labelZh: r.labelZh })) : [];",
    project: "worker",
    tests: ["tests/worker/applications.test.ts"],
    testNamePattern: "operator's order",
  },
  {
    id: "pass-check-signature-skipped",
    breaks:
      "The staff page reads a receipt's fields without checking its signature: an altered or forged receipt is accepted.",
    guards: ["fake check-ins", "copied passes"],
    file: "web/src/lib/pass-verdict.ts",
    find: "receipt = verifyReceipt(bytes, context.receiptKey);",
    replace:
      "const d = new DataView(bytes.buffer, bytes.byteOffset); let o = 2; const t = () => { const n = bytes[o]!; const v = new TextDecoder().decode(bytes.subarray(o + 1, o + 1 + n)); o += 1 + n; return v; }; const dep = t(); const ent = t(); receipt = { deployment: dep, entranceId: ent, firstSlot: Number(d.getBigUint64(o)), slotCount: bytes[o + 8]!, ciphertextsHash: bytes.subarray(o + 9, o + 41), storedAt: Number(d.getBigUint64(o + 41)) };",
    project: "unit",
    tests: ["web/src/lib/pass-verdict.test.ts"],
  },
  {
    id: "pass-check-any-deployment",
    breaks: "A receipt made for another deployment passes at this one's doors.",
    guards: ["fake check-ins"],
    file: "web/src/lib/pass-verdict.ts",
    find: "return receipt.deployment === context.deployment ? receipt : null;",
    replace: "return receipt;",
    project: "unit",
    tests: ["web/src/lib/pass-verdict.test.ts"],
  },
  {
    id: "pass-check-any-venue",
    breaks: "A genuine pass from another venue is accepted at this one's door.",
    guards: ["copied passes"],
    file: "web/src/lib/pass-verdict.ts",
    find: 'if (!entrance) return { ok: false, reason: "another-venue" };',
    replace: "",
    project: "unit",
    tests: ["web/src/lib/pass-verdict.test.ts"],
  },
  {
    id: "pass-check-any-day",
    breaks: "A receipt stored on an earlier day is accepted (yesterday's pass, shown again).",
    guards: ["copied passes"],
    file: "web/src/lib/pass-verdict.ts",
    find: "if (localDate(storedAt, context.timeZone) !== localDate(nowSeconds, context.timeZone)) {",
    replace: "if (false) {",
    project: "unit",
    tests: ["web/src/lib/pass-verdict.test.ts"],
  },
  {
    id: "pass-check-day-in-utc",
    breaks:
      "Today is the UTC day, not the deployment's: around local midnight a pass from the day before passes.",
    guards: ["copied passes"],
    file: "web/src/lib/pass-verdict.ts",
    find: "if (localDate(storedAt, context.timeZone) !== localDate(nowSeconds, context.timeZone)) {",
    replace: 'if (localDate(storedAt, "UTC") !== localDate(nowSeconds, "UTC")) {',
    project: "unit",
    tests: ["web/src/lib/pass-verdict.test.ts"],
  },
  {
    id: "pass-check-stay-over-ignored",
    breaks: "A pass whose stay ended is accepted for the rest of the day.",
    guards: ["copied passes"],
    file: "web/src/lib/pass-verdict.ts",
    find: 'if (nowSeconds >= until) return { ok: false, reason: "stay-over", ...facts };',
    replace: "",
    project: "unit",
    tests: ["web/src/lib/pass-verdict.test.ts"],
  },
  {
    id: "pass-check-venue-entrances-not-kept",
    breaks:
      "The staff page never learns its venue's entrances: every pass is refused as another venue's.",
    guards: ["copied passes"],
    file: "web/src/pages/staff.ts",
    find: "venueEntrances = answer.venueEntrances;",
    replace: "",
    project: "e2e",
    tests: ["tests/e2e/pass-check.test.ts"],
  },
  {
    id: "pass-band-stops-stepping",
    breaks:
      "The pass's band no longer changes colour each second: under reduced motion it is a still picture.",
    guards: ["copied passes"],
    file: "web/src/lib/citizen-pass.ts",
    find: "if (band) band.dataset.step = String(Math.floor(now / 1000) % LIVENESS_STEPS);",
    replace: "",
    project: "e2e",
    tests: ["tests/e2e/pass-check.test.ts"],
  },
  {
    id: "pass-clock-stops-under-reduced-motion",
    breaks:
      "The pass's clock stands still under prefers-reduced-motion, so a screenshot looks live.",
    guards: ["copied passes"],
    file: "web/src/lib/citizen-pass.ts",
    find: "clock.textContent = clockText(now, timeZone);",
    replace:
      'if (!clock.textContent || !matchMedia("(prefers-reduced-motion: reduce)").matches) clock.textContent = clockText(now, timeZone);',
    project: "e2e",
    tests: ["tests/e2e/pass-check.test.ts"],
  },
];
