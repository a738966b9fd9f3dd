/** Exposure warnings and access transparency on the citizen's device (PROTOCOL.md §11.6). */
export {
  type ExposureAuditRecord,
  type ExposureAuditStore,
  indexedDbExposureAuditStore,
  isExposureAuditRecord,
  memoryExposureAuditStore,
} from "../../audit/log-store.ts";
export { type CheckExposureOptions, checkExposure, type ExposureCheck } from "./check.ts";
export {
  type CoveredVisit,
  type ExposureReport,
  matchExposure,
  type QuerySigner,
  type VisitVenueRequest,
  type VisitWarning,
} from "./match.ts";
