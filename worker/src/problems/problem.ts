/**
 * RFC 9457 problem details. Every error response of the service is built here, so each has the
 * `application/problem+json` media type, the catalogue's status and title, a stable `code`
 * extension member, and a `detail` written for people. Details never carry request values: they
 * could be personal data, and the invariant is that none reaches an error message.
 */
import { type ProblemCode, problemCatalogue } from "./catalogue.ts";

export const PROBLEM_MEDIA_TYPE = "application/problem+json";

/** Extension members may not shadow the standard ones (RFC 9457 §3.1) or our `code`. */
const RESERVED_MEMBERS = new Set(["type", "title", "status", "detail", "instance", "code"]);

export interface ProblemDocument {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly code: ProblemCode;
  readonly detail?: string;
  readonly [extension: string]: unknown;
}

export class ProblemError extends Error {
  override readonly name = "ProblemError";
  constructor(
    readonly code: ProblemCode,
    readonly detail?: string,
    readonly extensions: Readonly<Record<string, unknown>> = {},
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(detail ?? problemCatalogue[code].title);
  }
}

export function problemDocument(
  code: ProblemCode,
  detail?: string,
  extensions: Readonly<Record<string, unknown>> = {},
): ProblemDocument {
  const { status, title } = problemCatalogue[code];
  const extra = Object.fromEntries(
    Object.entries(extensions).filter(([name]) => !RESERVED_MEMBERS.has(name)),
  );
  return {
    type: `/problems/${code}`,
    title,
    status,
    code,
    ...(detail === undefined ? {} : { detail }),
    ...extra,
  };
}

export function problemResponse(
  code: ProblemCode,
  detail?: string,
  extensions: Readonly<Record<string, unknown>> = {},
  headers: Readonly<Record<string, string>> = {},
): Response {
  const doc = problemDocument(code, detail, extensions);
  return new Response(JSON.stringify(doc), {
    status: doc.status,
    headers: { ...headers, "content-type": PROBLEM_MEDIA_TYPE, "cache-control": "no-store" },
  });
}
