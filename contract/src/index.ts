/**
 * @lintel/contract — the HTTP API declared once: each route's request, answers and problem
 * codes as zod schemas, read by the worker (validation), the SDK and the pages (typed calls),
 * and made into the OpenAPI document.
 */
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
  accountLabel,
  accountRole,
  accountRoutes,
  APPLICATION_STATUSES,
  type ApplicationStatus,
  allRoutes,
  applicationView,
  CHECKIN_CIPHERTEXT_BYTES,
  citizenRoutes,
  logRoutes,
  MAX_CHECKIN_SLOTS,
  metaRoutes,
  queryRoutes,
  REPORT_KINDS,
  REPORT_STATUSES,
  type ReportKind,
  type ReportStatus,
  registryRoutes,
  routes,
  sealedRelease,
  trusteeRoutes,
  witnessRoutes,
  VENUE_PAGE_SIZE,
  venueEntrance,
  venueRoutes,
} from "./routes/index.ts";
export {
  base64urlBytes,
  base64urlText,
  idText,
  type Localized,
  localized,
  plainText,
  unixSeconds,
} from "./wire.ts";
