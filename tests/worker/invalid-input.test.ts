/**
 * Bad input gets a 4xx problem with a stable code and writes nothing (invariant 6). Fields the
 * schema does not know are refused, not silently dropped: a client that sends `email` or `notes`
 * believing they are stored must learn that they are not, and nothing unexpected reaches D1.
 */
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { makeAccount, ok, sampleApplication, signedJson } from "./account-fixtures.ts";
import { count, expectProblem, resetDatabase } from "./helpers.ts";

beforeEach(resetDatabase);

describe("unknown fields in an application (invariant 6)", () => {
  it("refuses a new application with an unknown field, naming the field, and writes nothing", async () => {
    const operator = await makeAccount("operator");
    const res = await signedJson(operator, "POST", "/api/applications", {
      ...sampleApplication(),
      notes: "open late on Fridays",
    });
    const problem = await expectProblem(res, 422, "invalid-body");
    expect(problem.errors).toEqual([{ pointer: "", reason: "unexpected field(s): notes" }]);
    expect(JSON.stringify(problem)).not.toContain("Fridays");
    expect(await count("venues")).toBe(0);
    expect(await count("entrances")).toBe(0);
    expect(await count("venue_events")).toBe(0);
  });

  it("refuses an edit with an unknown field and leaves the application as it was", async () => {
    const operator = await makeAccount("operator");
    const app = await ok<{ id: string }>(
      await signedJson(operator, "POST", "/api/applications", sampleApplication()),
      201,
    );
    const before = await env.DB.prepare("SELECT * FROM venues").all();
    const res = await signedJson(operator, "PUT", `/api/applications/${app.id}`, {
      ...sampleApplication({ address: "2 Harbour Road" }),
      email: "chan@example.org",
    });
    await expectProblem(res, 422, "invalid-body");
    expect((await env.DB.prepare("SELECT * FROM venues").all()).results).toEqual(before.results);
  });
});
