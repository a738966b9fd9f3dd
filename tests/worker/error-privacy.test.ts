/**
 * Personal data never reaches server logs or error answers (invariant 5): an unexpected error's
 * message may hold anything a request carried, so it is logged by name only and answered with a
 * bare `internal` problem.
 */
import { Hono } from "hono";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { AppBindings } from "../../worker/src/env.ts";
import { onError } from "../../worker/src/problems/handlers.ts";
import { expectProblem } from "./helpers.ts";

const SECRET = "Zhang San +852 5555 0100";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("an unexpected error (invariant 5)", () => {
  it("is logged by name only and answered 500 internal without its message", async () => {
    const logged: unknown[] = [];
    for (const level of ["error", "warn", "log", "info", "debug"] as const) {
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
        logged.push(...args);
      });
    }
    const app = new Hono<AppBindings>();
    app.get("/boom", () => {
      throw new TypeError(`cannot read the contact of ${SECRET}`);
    });
    app.onError(onError);
    const res = await app.fetch(new Request("http://lintel.test/boom"));
    const problem = await expectProblem(res, 500, "internal");
    expect(JSON.stringify(problem)).not.toContain("5555");
    expect(logged.length).toBeGreaterThan(0);
    expect(
      logged.map((a) => (a instanceof Error ? `${a.message} ${a.stack}` : String(a))),
    ).not.toEqual(expect.arrayContaining([expect.stringContaining("5555")]));
    expect(logged).toContain("TypeError");
  });
});
