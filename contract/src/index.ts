/**
 * @lintel/contract — the HTTP API declared once: each route's request, answers and problem
 * codes as zod schemas, read by the worker (validation), the SDK and the pages (typed calls),
 * and made into the OpenAPI document.
 */

export {
  canonicalLicenceNumber,
  creditCodeCheckCharacter,
  type LicenceNumberProblem,
  licenceNumber,
  licenceNumberProblem,
} from "./licence.ts";
export {
  type OpenApiDocument,
  type OpenApiInfo,
  openApiDocument,
  openApiPath,
} from "./openapi.ts";
export {
  PROBLEM_MEDIA_TYPE,
  type Problem,
  problemDocumentSchema,
  type ResponseLike,
  readProblem,
} from "./problem.ts";
export { isProblemCode, type ProblemCode, problemCatalogue } from "./problems.ts";
export {
  defineRoute,
  type FailureStatus,
  type HttpMethod,
  isRawAnswer,
  matchRoute,
  mediaTypesOf,
  pathOf,
  problemsOf,
  type RawAnswer,
  type RouteAnswer,
  type RouteAuth,
  type RouteBody,
  type RouteContract,
  type RouteInput,
  type RouteParams,
  type RouteQuery,
  type RouteReply,
  rawAnswer,
} from "./route.ts";
export {
  APPLICATION_STATUSES,
  type ApplicationStatus,
  accountRole,
  accountRoutes,
  allRoutes,
  applicationInput,
  applicationRoutes,
  applicationView,
  CHECKIN_CIPHERTEXT_BYTES,
  citizenRoutes,
  DOCUMENT_KINDS,
  DOCUMENT_MEDIA_TYPES,
  type DocumentKind,
  entranceInput,
  kioskRoutes,
  logRoutes,
  MATCH_KEYS,
  MAX_CHECKIN_SLOTS,
  MAX_DOCUMENT_BYTES,
  type MatchKey,
  metaRoutes,
  operatorRoutes,
  queryRoutes,
  REPORT_KINDS,
  REPORT_STATUSES,
  type ReportKind,
  type ReportStatus,
  registryRoutes,
  routes,
  sealedRelease,
  trusteeRoutes,
  VENUE_PAGE_SIZE,
  venueEntrance,
  venueRoutes,
  witnessRoutes,
} from "./routes/index.ts";
export {
  accountLabel,
  base64urlBytes,
  base64urlText,
  idText,
  type Localized,
  localized,
  plainText,
  unixSeconds,
} from "./wire.ts";
