/**
 * What a venue's category decides: the default stay (from the protocol's table, used for
 * automatic check-out) and whether visitors must also give an ID number. Only categories where
 * the seed regulations require identity (overnight stays, hospitals) ask for it; everywhere else
 * a name and a phone number are enough.
 *
 * A category also decides the venue's sector: which regulator supervises it, and so which
 * registry reviewers (venues/scope.ts). The fixed table is `SECTOR_OF_CATEGORY` in
 * @lintel/contract (contract/src/scope.ts), shared with the pages that name sectors.
 */
import { DEFAULT_STAY_MINUTES, VENUE_CATEGORIES, type VenueCategory } from "@lintel/protocol";

const ASKS_ID_NUMBER: ReadonlySet<VenueCategory> = new Set(["hotel", "hospital"]);

export interface CategoryRules {
  readonly defaultStayMinutes: number;
  readonly askIdNumber: boolean;
}

export function categoryRules(category: VenueCategory): CategoryRules {
  return {
    defaultStayMinutes: DEFAULT_STAY_MINUTES[category],
    askIdNumber: ASKS_ID_NUMBER.has(category),
  };
}

export { SECTOR_OF_CATEGORY, type Sector, sectorOf } from "@lintel/contract";
export { VENUE_CATEGORIES, type VenueCategory };
