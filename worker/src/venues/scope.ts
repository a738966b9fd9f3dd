/**
 * Which venues a registry reviewer supervises (contract/src/scope.ts says what a scope is). The
 * stored scope (two JSON columns of `accounts`) is resolved once per request, by middleware/auth,
 * into a `VenueScope`: district ids and venue categories. `venues/access.ts` refuses one venue
 * outside it; the registry's lists filter their SQL with `scopeFilter`.
 */
import {
  categoriesOf,
  isFullScope,
  type ReviewerScope,
  reviewerScope,
  type Sector,
} from "@lintel/contract";
import type { Deployment } from "../config/deployment.ts";
import { sectorOf, type VenueCategory } from "./categories.ts";

export { sectorOf };

/** A partial scope resolved against the deployment; null stands for every venue. */
export interface VenueScope {
  /** The districts in scope; null: every one. */
  readonly districts: readonly string[] | null;
  /** Whether a venue without a district (from before districts: the first district's) is in. */
  readonly unassigned: boolean;
  /** The categories of the sectors in scope; null: every one. */
  readonly categories: readonly VenueCategory[] | null;
}

/** The stored columns of an account's scope, null meaning every district or sector. */
export interface StoredScope {
  readonly scopeDistricts: string | null;
  readonly scopeSectors: string | null;
}

export function readScope(row: StoredScope): ReviewerScope {
  const parsed = reviewerScope.safeParse({
    districts: row.scopeDistricts === null ? null : JSON.parse(row.scopeDistricts),
    sectors: row.scopeSectors === null ? null : JSON.parse(row.scopeSectors),
  });
  // Written only through `storedScope`: anything else is a damaged row, and a reviewer with a
  // damaged scope must not fall back to seeing everything.
  if (!parsed.success) throw new Error("an account's stored scope does not parse");
  return parsed.data;
}

export function storedScope(scope: ReviewerScope): [string | null, string | null] {
  return [
    scope.districts === null ? null : JSON.stringify(scope.districts),
    scope.sectors === null ? null : JSON.stringify(scope.sectors),
  ];
}

export function resolveScope(scope: ReviewerScope, deployment: Deployment): VenueScope | null {
  if (isFullScope(scope)) return null;
  const first = deployment.districts[0]!.id;
  return {
    districts: scope.districts,
    unassigned: scope.districts === null || scope.districts.includes(first),
    categories: scope.sectors === null ? null : categoriesOf(scope.sectors as Sector[]),
  };
}

export function inScope(
  scope: VenueScope | null,
  venue: { readonly district: string | null; readonly category: VenueCategory },
): boolean {
  if (scope === null) return true;
  const district =
    scope.districts === null ||
    (venue.district === null ? scope.unassigned : scope.districts.includes(venue.district));
  const sector = scope.categories === null || scope.categories.includes(venue.category);
  return district && sector;
}

/** A SQL condition on the venue row `alias`, with its bound values, for lists. */
export function scopeFilter(
  scope: VenueScope | null,
  alias: string,
): { readonly sql: string; readonly binds: readonly string[] } {
  if (scope === null) return { sql: "1", binds: [] };
  const parts: string[] = [];
  const binds: string[] = [];
  if (scope.districts !== null) {
    const listed = `${alias}.district IN (${scope.districts.map(() => "?").join(", ")})`;
    parts.push(scope.unassigned ? `(${listed} OR ${alias}.district IS NULL)` : listed);
    binds.push(...scope.districts);
  }
  if (scope.categories !== null) {
    // A sector with no category left (never, with the fixed table) matches nothing.
    parts.push(
      scope.categories.length === 0
        ? "0"
        : `${alias}.category IN (${scope.categories.map(() => "?").join(", ")})`,
    );
    binds.push(...scope.categories);
  }
  return { sql: parts.length === 0 ? "1" : `(${parts.join(" AND ")})`, binds };
}

/** A venue's district id: a venue from before districts is the first district's. */
export function districtOf(deployment: Deployment, district: string | null): string {
  return district ?? deployment.districts[0]!.id;
}
