/** Every route the contract declares, as one table (the order is the OpenAPI document's). */
import type { RouteContract } from "../route.ts";
import { accountRoutes } from "./accounts.ts";
import { amendmentRoutes } from "./amendments.ts";
import { applicationRoutes } from "./applications.ts";
import { citizenRoutes } from "./citizen.ts";
import { inspectionRoutes } from "./inspections.ts";
import { kioskRoutes } from "./kiosks.ts";
import { logRoutes } from "./log.ts";
import { metaRoutes } from "./meta.ts";
import { operatorRoutes, venueReportRoutes } from "./operator.ts";
import { partyRoutes } from "./parties.ts";
import { queryRoutes } from "./queries.ts";
import { registryRoutes } from "./registry.ts";
import { rectificationRoutes, supervisionRoutes } from "./supervision.ts";
import { trusteeRoutes } from "./trustee.ts";
import { venueRequestRoutes } from "./venue-requests.ts";
import { venueRoutes } from "./venues.ts";
import { witnessRoutes } from "./witness.ts";

export { accountRole, accountRoutes } from "./accounts.ts";
export {
  AMENDMENT_STATUSES,
  type AmendmentInput,
  type AmendmentStatus,
  amendmentInput,
  amendmentRoutes,
  amendmentView,
  MAX_ADDED_ENTRANCES,
} from "./amendments.ts";
export {
  APPLICATION_STATUSES,
  type ApplicationStatus,
  applicationInput,
  applicationRoutes,
  applicationView,
  DOCUMENT_KINDS,
  DOCUMENT_MEDIA_TYPES,
  type DocumentKind,
  entranceInput,
  MAX_DOCUMENT_BYTES,
} from "./applications.ts";
export { CHECKIN_CIPHERTEXT_BYTES, citizenRoutes, MAX_CHECKIN_SLOTS } from "./citizen.ts";
export {
  complianceRow,
  INSPECTION_PHOTO_TYPES,
  INSPECTION_RESULTS,
  inspectionRoutes,
  inspectionView,
  MAX_INSPECTION_PHOTO_BYTES,
  MAX_INSPECTION_PHOTOS,
  QUIET_DAYS,
} from "./inspections.ts";
export { kioskRoutes } from "./kiosks.ts";

export { logRoutes } from "./log.ts";
export { metaRoutes } from "./meta.ts";
export {
  OPERATOR_REPLACEMENT_REASONS,
  operatorRoutes,
  venueReport,
  venueReportRoutes,
} from "./operator.ts";
export { partyRoutes, trusteePublicFile, witnessPublicFile } from "./parties.ts";
export { queryRoutes, sealedRelease } from "./queries.ts";
export {
  MATCH_KEYS,
  type MatchKey,
  REPORT_KINDS,
  REPORT_STATUSES,
  type ReportKind,
  type ReportStatus,
  registryRoutes,
} from "./registry.ts";
export {
  RECTIFICATION_DEADLINE,
  RECTIFICATION_STATES,
  rectificationOrder,
  rectificationRoutes,
  supervisionRoutes,
} from "./supervision.ts";
export { trusteeRoutes } from "./trustee.ts";
export {
  VENUE_REQUEST_NOTE_BYTES,
  VENUE_REQUEST_STATES,
  venueRequestRoutes,
  venueRequestView,
} from "./venue-requests.ts";
export { VENUE_PAGE_SIZE, venueEntrance, venueRoutes } from "./venues.ts";
export { witnessRoutes } from "./witness.ts";

export const routes = {
  ...metaRoutes,
  ...citizenRoutes,
  ...logRoutes,
  ...queryRoutes,
  ...trusteeRoutes,
  ...witnessRoutes,
  ...accountRoutes,
  ...venueRoutes,
  ...registryRoutes,
  ...partyRoutes,
  ...supervisionRoutes,
  ...rectificationRoutes,
  ...inspectionRoutes,
  ...amendmentRoutes,
  ...applicationRoutes,
  ...operatorRoutes,
  ...venueReportRoutes,
  ...venueRequestRoutes,
  ...kioskRoutes,
} as const;

export const allRoutes: readonly RouteContract[] = Object.values(routes);
