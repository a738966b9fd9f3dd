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
  "invalid-code": {
    status: 422,
    title: "Not a valid code",
    description:
      "The code is not one this service's registry signed: a fake poster, a sticker over the real " +
      "one, a code of another deployment, or damaged data. Report the poster to the registry.",
  },
  "code-expired": {
    status: 410,
    title: "Code outside its validity",
    description:
      "The code is signed by the registry but outside its validity dates. The venue must print " +
      "its current poster.",
  },
  "venue-closed": {
    status: 409,
    title: "Entrance not taking check-ins",
    description: "The entrance was closed, or the venue is not approved.",
  },
  "bad-deadline": {
    status: 422,
    title: "Deadline out of range",
    description:
      "A rectification deadline is at least one hour and at most 180 days after the order is issued.",
  },
  "venue-suspended": {
    status: 409,
    title: "Venue suspended by the registry",
    description:
      "The registry suspended this venue (a venue-suspension entry in the public log): its codes " +
      "check nobody in until it is reinstated. Nothing was stored. If the venue is open, report it.",
  },
  "bad-inspection-date": {
    status: 422,
    title: "Not a day an inspection could have been",
    description:
      "An inspection is recorded for a real calendar day, today or in the last year, in the " +
      "deployment's time zone.",
  },
  "too-many-photos": {
    status: 409,
    title: "This inspection has all its photos",
    description: "An inspection keeps at most four photos.",
  },
  "bad-request-scope": {
    status: 422,
    title: "Not a request this venue may make",
    description:
      "A venue asks only for its own entrances, and for an hour-aligned window the deployment's " +
      "query rules allow (not in the future, not older than retention, not longer than the " +
      "longest query window). `detail` says which rule the request broke.",
  },
  "bad-release-key": {
    status: 422,
    title: "Release key required, or not allowed",
    description:
      "A venue request carries the X25519 key its contact releases are sealed to exactly when the " +
      "deployment's policy grants contacts: it is required then (32 bytes, not all zeros) and " +
      "refused otherwise. Nothing was stored.",
  },
  "bad-release": {
    status: 422,
    title: "Not the logged release",
    description:
      "An uploaded release must be a sealed release (lintel-release/2) for this venue request's " +
      "log index, by the log or a trustee of the deployment, whose releaseIndex is that holder's " +
      "trustee-release entry for it in the log. Nothing was stored.",
  },
  "request-pending": {
    status: 409,
    title: "A request is already pending",
    description:
      "This venue already has a request the authority has not decided. Wait for its decision " +
      "before filing another.",
  },
  "entrance-retired": {
    status: 410,
    title: "Entrance retired",
    description:
      "An amendment the registry approved retired this entrance (an entrance-retired entry in the " +
      "public log): its codes check nobody in any more. Nothing was stored. The `scanInstead` " +
      "member names the entrance whose code to scan instead (its id and its names in both " +
      "languages), or is null when there is none: then ask the venue's staff.",
  },
  "amendment-pending": {
    status: 409,
    title: "An amendment is already pending",
    description:
      "The venue has an entrance amendment awaiting the registry's decision; a venue has one at a " +
      "time. Wait for the decision, then propose again.",
  },
  "trustee-required": {
    status: 409,
    title: "Trustee still required",
    description:
      "Every check-in is encrypted to every trustee the deployment's settings name, and a query " +
      "is answered only with each one's partial key: removing one of them from the log would " +
      "leave no query answerable. Take it out of the settings first (a new deployment record), " +
      "and remove it once the check-ins encrypted to it have left retention. Nothing was logged.",
  },
  "unknown-entrance": {
    status: 422,
    title: "Not an entrance of this venue",
    description:
      "The amendment names an entrance (to rename, to retire, or to scan instead of a retired one) " +
      "that is not one of this venue's entrances nor one the amendment adds.",
  },
  "bad-amendment": {
    status: 422,
    title: "Amendment not possible",
    description:
      "The amendment changes nothing, names an entrance twice, renames or retires an entrance " +
      "already retired, points a retired entrance to one that is (or is being) retired or to " +
      "itself, or would leave the venue without an open entrance or with more than 50. `detail` " +
      "says which.",
  },
  "manual-code-typo": {
    status: 400,
    title: "Mistyped code",
    description:
      "This is not a valid manual-entry code: it has the wrong length, characters the codes do not " +
      "use, or a check character that does not match (a typing mistake).",
  },
  unauthenticated: {
    status: 401,
    title: "Signed request required",
    description:
      "This endpoint needs a `Lintel-Statement` header: a request statement (PROTOCOL.md §6.1) " +
      "signed by an enrolled device key of an account with access.",
  },
  "bad-statement": {
    status: 401,
    title: "Request statement refused",
    description:
      "The `Lintel-Statement` header is malformed, is not signed by an enrolled device, or was " +
      "made for another deployment, method, path or body. Nothing was done.",
  },
  "statement-expired": {
    status: 401,
    title: "Request statement too old",
    description:
      "The statement's time is more than 300 seconds from the service's clock. Check the device's " +
      "clock and sign the request again.",
  },
  "wrong-audience": {
    status: 401,
    title: "Request statement made for another receiver",
    description:
      "A release statement names the one receiver it is for (a trustee's id and origin, or the " +
      "log). This one names another: a statement is never good at a second receiver. Sign the " +
      "request again for this one.",
  },
  "statement-replayed": {
    status: 401,
    title: "Request statement replayed",
    description:
      "This statement's nonce was already used. Every request needs a freshly signed statement.",
  },
  "session-expired": {
    status: 401,
    title: "Device sign-in expired",
    description:
      "This device key was unused for too long, is past its lifetime or was signed out. Sign in " +
      "again with a new enrolment code (or, for operators, from another signed-in device).",
  },
  forbidden: {
    status: 403,
    title: "Not allowed",
    description:
      "The signed-in account's role or venue does not give access to this resource or action.",
  },
  "enrolment-code-invalid": {
    status: 400,
    title: "Enrolment code not valid",
    description:
      "The enrolment code is unknown, already used or expired. Ask whoever enrolled you for a new one.",
  },
  "key-already-enrolled": {
    status: 409,
    title: "Device key already enrolled",
    description: "This public key is already enrolled; every device needs its own key.",
  },
  "wrong-state": {
    status: 409,
    title: "Not possible in the current state",
    description:
      "The action does not fit the application's or venue's current state (for example editing a " +
      "submitted application, or approving one that was not submitted). `detail` says which.",
  },
  "application-incomplete": {
    status: 422,
    title: "Application incomplete",
    description:
      "An application can be submitted only with its licence number given and its licence " +
      "document and floor plan uploaded. `missing` names what is missing.",
  },
  "licence-registered": {
    status: 409,
    title: "Licence number already registered",
    description:
      "Each venue holds one registration: a venue with this business licence number is already " +
      "approved (or suspended). Nothing was changed. The problem names no other venue or " +
      "operator; contact the registry if this licence number is yours.",
  },
  "unsupported-document": {
    status: 415,
    title: "Unsupported document type",
    description:
      "Documents must be PDF, PNG or JPEG, declared in Content-Type and matching the file's own " +
      "signature bytes.",
  },
  "quota-exceeded": {
    status: 413,
    title: "Storage quota exceeded",
    description:
      "The operator's documents, with this upload, would go over the deployment's quota " +
      "(`maxObjectsPerOperator` documents, `maxBytesPerOperator` bytes, both in the problem). " +
      "Replacing a document counts once; withdraw or replace documents to make room.",
  },
  "code-too-large": {
    status: 422,
    title: "Code would not fit a poster's QR",
    description:
      "The signed code for this entrance would need a QR symbol larger than version 13 at error " +
      "correction M, too dense to scan reliably from a poster. Shorten the venue or entrance name.",
  },
  "rate-limited": {
    status: 429,
    title: "Too many requests",
    description: "This network sent too many requests of this kind. Wait for Retry-After seconds.",
  },
  "bad-slots": {
    status: 422,
    title: "Slots not accepted",
    description:
      "The check-in's slots must be consecutive slot starts, 1–25 of them, beginning in the " +
      "current slot (paper lists: within the last 24 hours). Check the device's clock: the " +
      "problem's `serviceTime` is the service's time in Unix seconds.",
  },
  "kiosk-code-stale": {
    status: 422,
    title: "Kiosk code too old",
    description:
      "A rotating kiosk code is valid for about a minute, so a photo of the screen cannot be used " +
      "later or elsewhere. Scan the code on the kiosk again.",
  },
  "kiosk-code-required": {
    status: 422,
    title: "Kiosk code required",
    description:
      "This entrance checks people in only with the rotating code its kiosk screen shows, so a " +
      "photographed code cannot be used from elsewhere. Scan the code on the screen.",
  },
  "entrance-full": {
    status: 429,
    title: "Entrance at its hourly limit",
    description:
      "This entrance took the deployment's maximum number of check-ins for this hour, which " +
      "stops floods from a posted code. Ask staff; the registry is told of such entrances.",
  },
  "idempotency-conflict": {
    status: 409,
    title: "Idempotency key reused",
    description: "The idempotency key was already used for a different check-in. Use a fresh key.",
  },
  "duplicate-checkin": {
    status: 409,
    title: "Check-in already stored",
    description:
      "These ciphertexts were already taken, with another idempotency key or at another " +
      "entrance: a ciphertext is stored once per deployment. A retry of the same check-in keeps " +
      "its idempotency key; a new check-in is encrypted afresh.",
  },
  "storage-unavailable": {
    status: 503,
    title: "Storage unavailable",
    description:
      "The check-in could not be stored. Nothing was stored; retry with the same idempotency key.",
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
  "bad-entry": {
    status: 422,
    title: "Entry refused",
    description:
      "The log entry sent with this request cannot be filed: it does not decode, is for another " +
      "deployment or kind, is not signed by the sending device's key alone, or breaks a rule of " +
      "exposure queries that does not depend on the log (the window, the entrances, a blank legal " +
      "basis or reason, an issuedAt far from now). `detail` says which.",
  },
  "same-officer": {
    status: 409,
    title: "Second officer required",
    description:
      "A query (or a venue request granting contacts) is approved by officers of other accounts " +
      "than the one who filed it and those who approved it already.",
  },
  "draft-not-pending": {
    status: 409,
    title: "Query already approved",
    description: "This query draft was already approved and is in the log.",
  },
  "draft-expired": {
    status: 409,
    title: "Query draft expired",
    description:
      "The draft waited longer than the deployment's draft lifetime for its approvals; the log " +
      "would refuse it. File the query again.",
  },
  "entry-mismatch": {
    status: 422,
    title: "Not the filed query",
    description:
      "The approved entry must be exactly the filed draft, with the approving device's signature added.",
  },
  "query-not-logged": {
    status: 404,
    title: "No such logged query",
    description:
      "No exposure query is in the log at this index. Keys and ciphertexts are released only for a logged query.",
  },
  "out-of-scope": {
    status: 403,
    title: "Outside the query's scope",
    description: "The entrance or hour asked for is not one the logged query names.",
  },
  "not-an-officer": {
    status: 403,
    title: "Not an enrolled officer",
    description:
      "The request is signed by a key that is not an officer enrolled in the transparency log.",
  },
  "bad-proof": {
    status: 422,
    title: "Proof refused",
    description:
      "The tlog-proof does not verify: a bad checkpoint signature, too few witness cosignatures, an " +
      "inclusion proof that does not lead to the root, or a checkpoint inconsistent with the log.",
  },
  "log-inconsistent": {
    status: 409,
    title: "The log contradicts itself",
    description:
      "The log served a tree that does not extend the one this trustee verified before (a fork or " +
      "a rollback). Nothing is released until an operator has looked; `evidence` holds the proof.",
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
