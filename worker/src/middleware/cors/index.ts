/**
 * Cross-origin access to the citizen API, so that a venue's own web app on its own domain can
 * check people in (client-sdk/README.md, "Embedding check-in in your own web app").
 *
 * Why any origin may call these routes: nothing in them is ambient authority. The service sets
 * no cookies and reads none, and `Access-Control-Allow-Credentials` is never sent, so a page on
 * another origin can do exactly what any program with `curl` can already do — read public keys
 * and the log, and send ciphertexts that a code signed by the registry allows. Reading the
 * answers (receipts, problem details) is what a venue app needs.
 *
 * Why every other route stays same-origin (no CORS headers at all, so a browser refuses to let
 * another origin's page read them or send them non-simple requests): they are called by our own
 * consoles (operator, registry, staff, authority pages) with signed requests. A signature is not
 * ambient authority either, but a device key lives in one origin's IndexedDB and is used only by
 * that origin's pages; no outside page has a reason to call these routes, so they are not opened.
 * `/api/entrances/:id/code` stays closed too: its path names an entrance, and from a citizen's
 * browser it would put "this address was at entrance X" into access logs (a venue app builds
 * its entrances' codes in; `POST /api/codes/check` tells it when one was replaced).
 * `POST /log/entries` takes entries signed by the registry, officers or trustees, posted by their
 * tools, never from a citizen's page; the log's reads are open. The trustee role answers CORS
 * on its own routes (trustee/routes.ts) for the authority's console.
 *
 * The list below is the whole cross-origin surface: a route is open only when its method and
 * path match an entry. A preflight is answered 204 with exactly the entry's methods and request
 * headers; other requests get `Access-Control-Allow-Origin: *` (the same for every origin, so no
 * `Vary: Origin`) and the response headers a client must read. Error answers carry them too, so a
 * venue app reads the problem's `code`. The security-headers middleware asks {@link
 * crossOriginRoute} which responses may be embedded by other origins (CORP).
 */
import type { MiddlewareHandler } from "hono";

export type CorsMethod = "GET" | "HEAD" | "POST";

export interface CrossOriginRoute {
  /** Literal segments, `:name` for one segment, a last `*` for one or more segments. */
  readonly path: string;
  readonly methods: readonly CorsMethod[];
  /** Request headers beyond the CORS-safelisted ones that callers of the route send. */
  readonly requestHeaders: readonly string[];
}

const READ: readonly CorsMethod[] = ["GET", "HEAD"];
const JSON_POST = { methods: ["POST"], requestHeaders: ["content-type"] } as const;

/** The citizen API: what a person's device or a venue's app calls to check in and audit. */
export const CITIZEN_API: readonly CrossOriginRoute[] = [
  { path: "/api/deployment", methods: READ, requestHeaders: [] },
  { path: "/api/deployment/*", methods: READ, requestHeaders: [] },
  { path: "/api/epoch-keys", methods: READ, requestHeaders: [] },
  { path: "/api/codes/check", ...JSON_POST },
  { path: "/api/codes/manual", ...JSON_POST },
  { path: "/api/checkins", ...JSON_POST },
  { path: "/api/checkins/delete", ...JSON_POST },
  { path: "/log/*", methods: READ, requestHeaders: [] },
  { path: "/api/log/entries/:index/proof", methods: READ, requestHeaders: [] },
  { path: "/problems", methods: READ, requestHeaders: [] },
  { path: "/problems/:code", methods: READ, requestHeaders: [] },
];

/**
 * Response headers a venue app reads beyond the safelisted ones (Content-Type, which tells a
 * problem from an answer, is safelisted): Retry-After on `429 rate-limited`.
 */
export const EXPOSED_HEADERS: readonly string[] = ["retry-after"];

/** Chromium's ceiling for caching a preflight; the list above changes only with a release. */
export const PREFLIGHT_MAX_AGE_SECONDS = 7200;

function pathMatches(pattern: string, path: string): boolean {
  const want = pattern.split("/");
  const got = path.split("/");
  for (let i = 0; i < want.length; i++) {
    const segment = want[i]!;
    if (segment === "*" && i === want.length - 1) {
      return got.length > i && got.slice(i).every((s) => s !== "");
    }
    if (i >= got.length) return false;
    if (segment.startsWith(":") ? got[i] === "" : segment !== got[i]) return false;
  }
  return want.length === got.length;
}

/** The entry that opens `method` on `path` to other origins, if any. */
export function crossOriginRoute(
  routes: readonly CrossOriginRoute[],
  method: string,
  path: string,
): CrossOriginRoute | undefined {
  return routes.find(
    (r) => r.methods.includes(method.toUpperCase() as CorsMethod) && pathMatches(r.path, path),
  );
}

/**
 * The CORS middleware for `routes`. A preflight (OPTIONS with Access-Control-Request-Method) for
 * a method and path of the list is answered here; any other request passes on, and its answer
 * gets the CORS headers when its method and path are in the list.
 */
export function cors(routes: readonly CrossOriginRoute[]): MiddlewareHandler {
  return async (c, next) => {
    const requested = c.req.header("access-control-request-method");
    if (c.req.method === "OPTIONS" && requested !== undefined) {
      const route = crossOriginRoute(routes, requested, c.req.path);
      // Not open: passes on to the app, whose answer (a 404 problem) carries no CORS headers,
      // so the browser refuses the request it asked about.
      if (route === undefined) return next();
      const headers = new Headers({
        "access-control-allow-origin": "*",
        "access-control-allow-methods": route.methods.join(", "),
        "access-control-max-age": String(PREFLIGHT_MAX_AGE_SECONDS),
      });
      if (route.requestHeaders.length > 0) {
        headers.set("access-control-allow-headers", route.requestHeaders.join(", "));
      }
      return new Response(null, { status: 204, headers });
    }
    await next();
    if (crossOriginRoute(routes, c.req.method, c.req.path) === undefined) return;
    const res = new Response(c.res.body, c.res);
    res.headers.set("access-control-allow-origin", "*");
    res.headers.set("access-control-expose-headers", EXPOSED_HEADERS.join(", "));
    c.res = res;
  };
}
