/**
 * `GET /problems` lists every problem code; `GET /problems/:code` documents one. These are the
 * targets of the `type` URIs in problem details, so a client that meets an unknown problem can
 * read what it means.
 */
import { metaRoutes } from "@lintel/contract";
import { Hono } from "hono";
import type { AppBindings } from "../env.ts";
import { reply } from "../middleware/contract/index.ts";
import { isProblemCode, problemCatalogue } from "../problems/catalogue.ts";
import { ProblemError } from "../problems/problem.ts";

export const problemRoutes = new Hono<AppBindings>()
  .get("/", (c) => {
    c.header("cache-control", "public, max-age=3600");
    return reply(
      c,
      metaRoutes.problems,
      200,
      Object.entries(problemCatalogue).map(([code, p]) => ({
        type: `/problems/${code}`,
        code,
        ...p,
      })),
    );
  })
  .get("/:code", (c) => {
    const code = c.req.param("code");
    if (!isProblemCode(code)) throw new ProblemError("not-found", "No such problem type.");
    const p = problemCatalogue[code];
    c.header("cache-control", "public, max-age=3600");
    return reply(c, metaRoutes.problem, 200, { type: `/problems/${code}`, code, ...p });
  });
