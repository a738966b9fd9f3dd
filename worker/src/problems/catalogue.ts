/**
 * Every error the service can answer with, keyed by a stable machine-readable code. The code is
 * the contract: clients switch on it, tests assert it, and `/problems/<code>` documents it. The
 * RFC 9457 `type` of each problem is that relative URI, so a person holding a problem document
 * can resolve its type against the service and read what it means.
 */
export const problemCatalogue = {
  "not-found": {
    status: 404,
    title: "Not found",
    description: "No resource exists at this path. Check the path against the API documentation.",
  },
  "method-not-allowed": {
    status: 405,
    title: "Method not allowed",
    description: "The resource exists but does not accept this HTTP method; see the Allow header.",
  },
  "malformed-json": {
    status: 400,
    title: "Malformed JSON",
    description: "The request body is not a single well-formed JSON value.",
  },
  "invalid-body": {
    status: 422,
    title: "Invalid request body",
    description:
      "The body is well-formed JSON but does not match the expected shape. The `errors` member " +
      "lists each offending field as a JSON Pointer (RFC 6901) with a reason; values are never echoed.",
  },
  "unsupported-media-type": {
    status: 415,
    title: "Unsupported media type",
    description: "This endpoint accepts `application/json` bodies only.",
  },
  "payload-too-large": {
    status: 413,
    title: "Payload too large",
    description: "The request body exceeds this endpoint's size limit.",
  },
  "unknown-venue": {
    status: 422,
    title: "Unknown venue",
    description: "The request names a venue or entrance that does not exist or is not approved.",
  },
  "unknown-code": {
    status: 404,
    title: "Unknown code",
    description: "No entrance has this code. Check the characters against the poster.",
  },
  "code-replaced": {
    status: 410,
    title: "Code replaced",
    description:
      "This entrance's code was replaced (the poster was damaged, leaked or photographed). Scan " +
      "the new poster at the entrance; the old one no longer checks anyone in.",
  },
  "manual-code-typo": {
    status: 400,
    title: "Mistyped code",
    description:
      "This is not a valid manual-entry code: it has the wrong length, characters the codes do not " +
      "use, or a check character that does not match (a typing mistake).",
  },
  "log-policy-violation": {
    status: 422,
    title: "Entry refused by the log policy",
    description:
      "The entry is well-formed but breaks a rule of the transparency log (PROTOCOL.md §10.4): a " +
      "missing or wrong signature, a second officer missing, a window too wide, a duplicate. " +
      "`detail` names the rule. Nothing was appended.",
  },
  "log-unavailable": {
    status: 503,
    title: "Log unavailable",
    description:
      "The transparency log could not complete the request. Nothing was appended. Retry later.",
  },
  "database-unavailable": {
    status: 503,
    title: "Database unavailable",
    description: "The service could not reach its database. Retry later.",
  },
  misconfigured: {
    status: 503,
    title: "Service misconfigured",
    description:
      "The deployment's settings or secrets are missing or invalid, so the service refuses to run " +
      "rather than guess. The operator must fix the configuration.",
  },
  internal: {
    status: 500,
    title: "Internal error",
    description: "An unexpected error occurred. Nothing was written. Retry later.",
  },
} as const satisfies Record<string, { status: number; title: string; description: string }>;

export type ProblemCode = keyof typeof problemCatalogue;

export function isProblemCode(code: string): code is ProblemCode {
  return Object.hasOwn(problemCatalogue, code);
}
