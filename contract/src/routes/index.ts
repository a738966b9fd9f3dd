/** Every route the contract declares, as one table (the order is the OpenAPI document's). */
import type { RouteContract } from "../route.ts";
import { applicationRoutes } from "./applications.ts";
import { citizenRoutes } from "./citizen.ts";
import { logRoutes } from "./log.ts";
import { metaRoutes } from "./meta.ts";
import { operatorRoutes } from "./operator.ts";
import { queryRoutes } from "./queries.ts";
import { trusteeRoutes } from "./trustee.ts";

export {
  applicationInput,
  applicationRoutes,
  applicationView,
  DOCUMENT_KINDS,
  DOCUMENT_MEDIA_TYPES,
  type DocumentKind,
  entranceInput,
  MAX_DOCUMENT_BYTES,
  VENUE_STATUSES,
} from "./applications.ts";
export { CHECKIN_CIPHERTEXT_BYTES, citizenRoutes, MAX_CHECKIN_SLOTS } from "./citizen.ts";

export { logRoutes } from "./log.ts";
export { metaRoutes } from "./meta.ts";
export { operatorRoutes } from "./operator.ts";
export { queryRoutes, sealedRelease } from "./queries.ts";
export { trusteeRoutes } from "./trustee.ts";

export const routes = {
  ...metaRoutes,
  ...citizenRoutes,
  ...logRoutes,
  ...queryRoutes,
  ...trusteeRoutes,
  ...applicationRoutes,
  ...operatorRoutes,
} as const;

export const allRoutes: readonly RouteContract[] = Object.values(routes);
