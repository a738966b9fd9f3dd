/** Every route the contract declares, as one table (the order is the OpenAPI document's). */
import type { RouteContract } from "../route.ts";
import { citizenRoutes } from "./citizen.ts";

export { CHECKIN_CIPHERTEXT_BYTES, citizenRoutes, MAX_CHECKIN_SLOTS } from "./citizen.ts";

export const routes = { ...citizenRoutes } as const;

export const allRoutes: readonly RouteContract[] = Object.values(routes);
