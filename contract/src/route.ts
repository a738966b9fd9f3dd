/**
 * The route-table format. One `RouteContract` is everything a caller and the service agree on
 * for one endpoint: method, path (Hono's `:name` placeholders), path parameters, query, body,
 * the JSON answer of each success status and the problem codes it may answer with. The worker
 * validates requests from it, the SDK types and checks answers with it, and the OpenAPI
 * document is made from it, so a change here reaches all three through the compiler.
 */
import type * as z from "zod";
import type { ProblemCode } from "./problems.ts";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** Who may call: anyone, or a request signed by an enrolled device (PROTOCOL.md §6.1). */
export type RouteAuth = "public" | "signed";

/**
 * Content that is not JSON: a C2SP text note or request, a tile's bytes, an uploaded document. Its body is
 * bytes; `mediaType` is its first (or only) media type, `mediaTypes` all it may be.
 */
export interface RawAnswer {
  readonly mediaType: string;
  readonly mediaTypes?: readonly string[];
  readonly description: string;
}

/**
 * Declares non-JSON content of `mediaType`, or of any of several (a document that is a PDF,
 * PNG or JPEG); its body is read as bytes.
 */
export function rawAnswer(
  mediaType: string | readonly [string, ...string[]],
  description: string,
): RawAnswer {
  if (typeof mediaType === "string") return { mediaType, description };
  return { mediaType: mediaType[0], mediaTypes: mediaType, description };
}

/** Every media type raw content may have. */
export function mediaTypesOf(raw: RawAnswer): readonly string[] {
  return raw.mediaTypes ?? [raw.mediaType];
}

export function isRawAnswer(answer: unknown): answer is RawAnswer {
  return typeof answer === "object" && answer !== null && "mediaType" in answer;
}

type AnyObject = z.ZodType<Record<string, unknown>>;

export interface RouteContract {
  /** Unique, stable: the OpenAPI operationId. */
  readonly id: string;
  readonly method: HttpMethod;
  /**
   * The full path with Hono placeholders, e.g. "/api/entrances/:id/code"; a final "*" stands for
   * the rest of the path (C2SP tile paths), given as the parameter `path`.
   */
  readonly path: string;
  readonly summary: string;
  readonly auth: RouteAuth;
  /** Path parameters, as strings in and whatever the schema makes of them out. */
  readonly params?: AnyObject;
  readonly query?: AnyObject;
  /** A JSON body. */
  readonly body?: z.ZodType;
  /**
   * A body that is not JSON (an uploaded document, a C2SP text request): its media types. The handler checks the
   * bytes against them itself, as only it knows what each type's bytes must look like.
   */
  readonly rawBody?: RawAnswer;
  /** The largest body accepted, in bytes (413 payload-too-large beyond it). */
  readonly maxBodyBytes?: number;
  /**
   * The answer of each success status: a JSON schema, a {@link RawAnswer}, or `null` for an
   * answer without a body (204).
   */
  readonly responses: Readonly<
    Partial<Record<200 | 201 | 202 | 204, z.ZodType | RawAnswer | null>>
  >;
  /** The problem codes this route answers with itself (see {@link problemsOf} for the rest). */
  readonly problems: readonly ProblemCode[];
  /**
   * Failures that a protocol outside this service fixes as other documents than problems, by
   * status (C2SP tlog-witness: plain text, and a 409's latest size as text/x.tlog.size). Every
   * other failure of the route is a problem.
   */
  readonly rawFailures?: Readonly<Partial<Record<FailureStatus, RawAnswer>>>;
}

/** The failure statuses a {@link RouteContract.rawFailures} entry may have. */
export type FailureStatus = 400 | 403 | 404 | 409 | 413 | 415 | 422 | 429;

/** Keeps the literal types of a route, so inputs and answers are typed from it. */
export function defineRoute<const R extends RouteContract>(route: R): R {
  return route;
}

/** Problems every route may answer: the service's own failures. */
const ALWAYS: readonly ProblemCode[] = ["internal", "database-unavailable", "misconfigured"];
/** Problems of reading a JSON body (worker middleware/contract). */
const BODY: readonly ProblemCode[] = [
  "unsupported-media-type",
  "payload-too-large",
  "malformed-json",
  "invalid-body",
];
/** Problems of a signed request (worker middleware/auth). */
const SIGNED: readonly ProblemCode[] = [
  "unauthenticated",
  "bad-statement",
  "statement-expired",
  "statement-replayed",
  "session-expired",
  "forbidden",
  "payload-too-large",
];

/** Every problem code the route may answer with: its own and those of its middleware. */
export function problemsOf(route: RouteContract): ReadonlySet<ProblemCode> {
  return new Set([
    ...route.problems,
    ...ALWAYS,
    ...(route.body ? BODY : []),
    ...(route.rawBody ? (["payload-too-large"] as const) : []),
    ...(route.params || route.query ? (["invalid-body", "not-found"] as const) : []),
    ...(route.auth === "signed" ? SIGNED : []),
  ]);
}

type Field<R, K extends string> = R extends { readonly [P in K]: infer S extends z.ZodType }
  ? S
  : never;

/** What a caller sends: the fields the route declares, in their JSON form. */
export type RouteInput<R extends RouteContract> = ([Field<R, "params">] extends [never]
  ? unknown
  : { readonly params: z.input<Field<R, "params">> }) &
  ([Field<R, "query">] extends [never] ? unknown : { readonly query: z.input<Field<R, "query">> }) &
  ([Field<R, "body">] extends [never] ? unknown : { readonly body: z.input<Field<R, "body">> }) &
  (R extends { readonly rawBody: RawAnswer }
    ? { readonly bytes: Uint8Array; readonly contentType: string }
    : unknown);

/** The body the worker's handler reads, after validation. */
export type RouteBody<R extends RouteContract> = z.output<Field<R, "body">>;
export type RouteParams<R extends RouteContract> = z.output<Field<R, "params">>;
export type RouteQuery<R extends RouteContract> = z.output<Field<R, "query">>;

type Answers<R extends RouteContract> = R["responses"][keyof R["responses"]];

/** A success answer as the caller reads it (any of the route's success statuses). */
export type RouteAnswer<R extends RouteContract> =
  Answers<R> extends infer S
    ? S extends z.ZodType
      ? z.output<S>
      : S extends RawAnswer
        ? Uint8Array
        : undefined
    : never;

/** A success answer as the handler writes it. */
export type RouteReply<
  R extends RouteContract,
  S extends keyof R["responses"],
> = R["responses"][S] extends infer T ? (T extends z.ZodType ? z.input<T> : undefined) : never;

/** The path with its parameters filled in (each percent-encoded). */
export function pathOf(
  route: RouteContract,
  params: Readonly<Record<string, unknown>> = {},
): string {
  const value = (name: string) => {
    const v = params[name];
    if (v === undefined) throw new TypeError(`${route.id}: path parameter ${name} missing`);
    return String(v);
  };
  return route.path
    .replace(/:([A-Za-z][A-Za-z0-9]*)/g, (_, name: string) => encodeURIComponent(value(name)))
    .replace(/\/\*$/, () => `/${value("path").split("/").map(encodeURIComponent).join("/")}`);
}

/** The route that answers `method` on `pathname`, with its raw path parameters. */
export function matchRoute<R extends RouteContract>(
  routes: readonly R[],
  method: string,
  pathname: string,
): { route: R; params: Record<string, string> } | undefined {
  const parts = pathname.split("/");
  for (const route of routes) {
    if (route.method !== method) continue;
    const pattern = route.path.split("/");
    if (pattern.at(-1) === "*") {
      const fixed = pattern.slice(0, -1);
      if (parts.length <= fixed.length) continue;
      const rest = parts.slice(fixed.length).join("/");
      const head = matchRoute(
        [{ ...route, path: fixed.join("/") }],
        method,
        parts.slice(0, fixed.length).join("/"),
      );
      if (head && rest !== "") return { route, params: { ...head.params, path: rest } };
      continue;
    }
    if (pattern.length !== parts.length) continue;
    const params: Record<string, string> = {};
    const matches = pattern.every((p, i) => {
      const part = parts[i] ?? "";
      if (p.startsWith(":")) {
        if (part === "") return false;
        params[p.slice(1)] = decodeURIComponent(part);
        return true;
      }
      return p === part;
    });
    if (matches) return { route, params };
  }
  return undefined;
}
