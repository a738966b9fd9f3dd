/**
 * Fuzzing the signed application endpoints: whatever JSON an operator's device signs, the answer
 * is a 2xx or a 4xx problem — never a 500 — and a refused body writes nothing.
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { makeAccount, sampleApplication, signed, type TestDevice } from "./account-fixtures.ts";
import { count, resetDatabase } from "./helpers.ts";

let operator: TestDevice;

beforeAll(async () => {
  await resetDatabase();
  operator = await makeAccount("operator");
});

/** Mutations of a valid application: fields dropped, retyped, overlong, or hostile text. */
const hostileText = fc.oneof(
  fc.string({ maxLength: 400 }),
  fc.constantFrom(
    "",
    " ",
    "\u0000",
    "\u202e",
    "=1+1",
    "<script>",
    "a".repeat(5000),
    "海".repeat(30),
  ),
);
const anyValue = fc.oneof(
  hostileText,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 3 }),
);
const body = fc.record({
  field: fc.constantFrom("name", "address", "category", "contact", "entrances", "extra"),
  value: anyValue,
  deep: fc.boolean(),
});

describe("POST /api/applications under fuzzing", () => {
  it("answers 201 or a 4xx problem, and writes only when it answers 201", async () => {
    await fc.assert(
      fc.asyncProperty(body, async ({ field, value, deep }) => {
        const app: Record<string, unknown> = sampleApplication();
        if (deep && field === "entrances") app.entrances = [{ label: { en: value, zh: value } }];
        else if (deep && field === "name") app.name = { en: value, zh: "名" };
        else if (deep && field === "contact") app.contact = { person: value, phone: value };
        else app[field] = value;
        const before = await count("venues");
        const res = await signed(operator, "POST", "/api/applications", {
          body: JSON.stringify(app),
        });
        const text = await res.text();
        expect(res.status, text).not.toBe(500);
        if (res.status === 201) {
          expect(await count("venues")).toBe(before + 1);
        } else {
          expect(res.status).toBeGreaterThanOrEqual(400);
          expect(res.status).toBeLessThan(500);
          expect(res.headers.get("content-type")).toContain("application/problem+json");
          expect(await count("venues")).toBe(before);
          // Values are never echoed back.
          if (typeof value === "string" && value.trim().length > 12) {
            expect(text).not.toContain(JSON.stringify(value).slice(1, -1));
          }
        }
      }),
      { numRuns: 60 },
    );
  });
});
