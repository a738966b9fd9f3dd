/**
 * The contract middleware on a route of its own: path parameters, query and body are checked
 * against the route's schemas before the handler runs, and each refusal is the problem the
 * contract promises (the handler never sees a value outside its schema).
 */
import { defineRoute } from "@lintel/contract";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import * as z from "zod";
import { expectProblem } from "../../../../tests/worker/helpers.ts";
import type { AppBindings } from "../../env.ts";
import { onError } from "../../problems/handlers.ts";
import { reply, validated } from "./index.ts";

const route = defineRoute({
  id: "testEcho",
  method: "POST",
  path: "/things/:id",
  summary: "test",
  auth: "public",
  params: z.object({ id: z.string().regex(/^[a-z]{1,8}$/) }),
  query: z.object({ n: z.coerce.number().int().min(1).max(9) }),
  body: z.strictObject({ word: z.string().max(10) }),
  maxBodyBytes: 64,
  responses: { 200: z.object({ id: z.string(), n: z.number(), word: z.string() }) },
  problems: [],
});

let handled = 0;
const app = new Hono<AppBindings>()
  .post("/things/:id", validated(route), (c) => {
    handled++;
    const { id } = c.req.valid("param");
    const { n } = c.req.valid("query");
    const { word } = c.req.valid("json");
    return reply(c, route, 200, { id, n, word });
  })
  .onError(onError);

const post = (path: string, body: string, type = "application/json") =>
  app.request(path, { method: "POST", headers: { "content-type": type }, body });

describe("contract validation middleware", () => {
  it("hands the handler the validated, typed input", async () => {
    const res = await post("/things/abc?n=3", JSON.stringify({ word: "hi" }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: "abc", n: 3, word: "hi" });
  });

  it("refuses each kind of bad input with its problem, before the handler", async () => {
    const before = handled;
    await expectProblem(await post("/things/ABC?n=3", '{"word":"x"}'), 404, "not-found");
    const query = await expectProblem(
      await post("/things/abc?n=0", '{"word":"x"}'),
      422,
      "invalid-body",
    );
    expect(query.errors?.[0]?.pointer).toBe("/n");
    const body = await expectProblem(
      await post("/things/abc?n=3", '{"word":"x","extra":1}'),
      422,
      "invalid-body",
    );
    expect(body.errors?.[0]?.reason).toMatch(/extra/);
    await expectProblem(await post("/things/abc?n=3", "{"), 400, "malformed-json");
    await expectProblem(
      await post("/things/abc?n=3", '{"word":"x"}', "text/plain"),
      415,
      "unsupported-media-type",
    );
    await expectProblem(
      await post("/things/abc?n=3", JSON.stringify({ word: "x".repeat(100) })),
      413,
      "payload-too-large",
    );
    expect(handled).toBe(before);
  });
});
