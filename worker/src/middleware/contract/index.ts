/**
 * Request validation from the API contract (`@lintel/contract`): a route's path parameters,
 * query and JSON body are checked against its schemas before the handler runs, which reads them
 * typed with `c.req.valid("param" | "query" | "json")`. Refusals are the usual problems:
 *   404 not-found             — a path parameter outside its format (nothing by that name)
 *   422 invalid-body          — a query or body of the wrong shape (JSON Pointers, no values)
 *   415, 413, 400             — the body's media type, size and JSON (middleware/json-body)
 * Mount it after middleware/auth on signed routes: auth reads the body first to check its hash.
 *
 * `reply` writes a success answer whose type the contract fixes for that status, so a change of
 * an answer's schema is a compile error in the handler that writes it.
 */
import type {
  RouteBody,
  RouteContract,
  RouteParams,
  RouteQuery,
  RouteReply,
} from "@lintel/contract";
import type { Context, MiddlewareHandler } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type * as z from "zod";
import type { AppBindings } from "../../env.ts";
import { ProblemError } from "../../problems/problem.ts";
import { DEFAULT_MAX_JSON_BYTES, describeIssue, readJsonBody } from "../json-body/index.ts";

type Has<R, K extends string> = R extends { readonly [P in K]: z.ZodType } ? true : false;

/** What `c.req.valid(…)` gives a handler behind {@link validated}. */
export interface ValidatedInput<R extends RouteContract> {
  in: object;
  out: (Has<R, "body"> extends true ? { json: RouteBody<R> } : object) &
    (Has<R, "params"> extends true ? { param: RouteParams<R> } : object) &
    (Has<R, "query"> extends true ? { query: RouteQuery<R> } : object);
}

export function validated<R extends RouteContract>(
  route: R,
): MiddlewareHandler<AppBindings, string, ValidatedInput<R>> {
  return async (c, next) => {
    if (route.params) {
      const params = route.params.safeParse(c.req.param());
      if (!params.success) throw new ProblemError("not-found", "Nothing has this name.");
      c.req.addValidatedData("param", params.data);
    }
    if (route.query) {
      const query = route.query.safeParse(c.req.query());
      if (!query.success) {
        const errors = query.error.issues.slice(0, 20).map(describeIssue);
        throw new ProblemError("invalid-body", "Some query parameters are invalid.", { errors });
      }
      c.req.addValidatedData("query", query.data);
    }
    if (route.body) {
      const body = await readJsonBody(c, route.body, route.maxBodyBytes ?? DEFAULT_MAX_JSON_BYTES);
      c.req.addValidatedData("json", body as Record<string, unknown>);
    }
    await next();
  };
}

type SuccessStatus<R extends RouteContract> = keyof R["responses"] & ContentfulStatusCode;

/** A success answer of `route`, typed by the contract for `status`. */
export function reply<R extends RouteContract, S extends SuccessStatus<R>>(
  c: Context<AppBindings>,
  _route: R,
  status: S,
  body: RouteReply<R, S>,
): Response {
  return c.json(body as unknown as object, status);
}
