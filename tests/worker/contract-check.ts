/**
 * Every answer a worker test sees, held against the API contract (`@lintel/contract`): a route
 * the contract declares must answer one of its success statuses with a body its schema accepts
 * exactly (no member the schema does not name), a problem whose code it lists, or a failure its
 * protocol fixes in another media type (`rawFailures`, C2SP tlog-witness's text). Every mounted
 * route is declared (contract.test.ts); what matches none is a page, an asset or a 404.
 */
import {
  allRoutes,
  isRawAnswer,
  matchRoute,
  mediaTypesOf,
  type ProblemCode,
  problemsOf,
  type RawAnswer,
} from "@lintel/contract";
import type * as z from "zod";

export async function checkAgainstContract(request: Request, res: Response): Promise<void> {
  const url = new URL(request.url);
  const method = request.method === "HEAD" ? "GET" : request.method;
  const found = matchRoute(allRoutes, method, url.pathname);
  if (!found || request.method === "HEAD") return;
  const { route } = found;
  const where = `${route.method} ${route.path} answered ${res.status}`;
  const type = res.headers.get("content-type") ?? "";
  if (type.startsWith("application/problem+json")) {
    const { code } = JSON.parse(await res.clone().text()) as { code: ProblemCode };
    if (!problemsOf(route).has(code)) {
      throw new Error(`${where} with problem ${code}, which the contract does not list`);
    }
    return;
  }
  // `null` declares an answer without a body (204): only a missing entry is undeclared.
  const responses = route.responses as Record<number, z.ZodType | RawAnswer | null | undefined>;
  const schema =
    res.status in responses
      ? responses[res.status]
      : (route.rawFailures as Record<number, RawAnswer | undefined> | undefined)?.[res.status];
  if (schema === undefined) throw new Error(`${where}, a status the contract does not declare`);
  if (isRawAnswer(schema)) {
    if (!mediaTypesOf(schema).some((t) => type.startsWith(t))) {
      throw new Error(`${where} with ${type}; the contract declares ${mediaTypesOf(schema)}`);
    }
    return;
  }
  // Read as text only now: a raw answer (a PDF) is bytes, not text.
  const text = await res.clone().text();
  if (schema === null) {
    if (text !== "") throw new Error(`${where} with a body; the contract declares none`);
    return;
  }
  if (!type.startsWith("application/json")) throw new Error(`${where} with ${type}, not JSON`);
  const body: unknown = JSON.parse(text);
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new Error(`${where} outside its schema: ${JSON.stringify(parsed.error.issues)}`);
  }
  // Object schemas drop members they do not name: an answer equal to its parse has none.
  if (!sameJson(JSON.parse(JSON.stringify(parsed.data)), body)) {
    throw new Error(`${where} with members the contract does not declare`);
  }
}

/** Deep equality of two JSON values, member order aside. */
function sameJson(a: unknown, b: unknown): boolean {
  if (typeof a !== "object" || a === null || typeof b !== "object" || b === null) return a === b;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  return (
    keysA.length === keysB.length &&
    keysA.every(
      (k) =>
        Object.hasOwn(b, k) &&
        sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
    )
  );
}
