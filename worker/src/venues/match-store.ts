/**
 * Other venues that may be the same venue as an application: those sharing its licence key or
 * its address key (match-keys.ts), and the check that a licence number already holds a
 * registration. A venue holds one registration while it is approved or suspended; the
 * migration's unique index `venues_one_registration` keeps it so whatever runs at once.
 */

import type { MatchKey } from "@lintel/contract";
import { scopeFilter, type VenueScope } from "./scope.ts";
import type { VenueStatus } from "./store.ts";

/** The statuses in which a venue holds its registration. */
export const REGISTERED = "('approved', 'suspended')";

/**
 * SQL true when the venue row in scope (`venues`) has a licence key that another, registered
 * venue has: a guard for a statement on that row.
 */
export const LICENCE_TAKEN = `EXISTS (SELECT 1 FROM venues other
  WHERE other.licence_key = venues.licence_key AND other.id <> venues.id
    AND other.status IN ${REGISTERED})`;

export async function licenceTaken(db: D1Database, venueId: string): Promise<boolean> {
  const row = await db
    .prepare(`SELECT ${LICENCE_TAKEN} AS taken FROM venues WHERE id = ?`)
    .bind(venueId)
    .first<{ taken: number }>();
  return row?.taken === 1;
}

/**
 * SQL true when venue `o` may be the same venue as venue `v` (two aliases of the venues table):
 * another venue, pending or registered, sharing its licence key or its address key. A missing
 * key (NULL) matches nothing.
 */
export const IS_MATCH = `o.id <> v.id AND o.status IN ('submitted', 'approved', 'suspended')
  AND (o.licence_key = v.licence_key OR o.address_key = v.address_key)`;

export interface VenueMatch {
  readonly id: string;
  readonly nameEn: string;
  readonly nameZh: string;
  readonly status: VenueStatus;
  readonly keys: MatchKey[];
}

/** At most this many matches are listed: enough for a reviewer to see a pattern. */
const MAX_MATCHES = 50;

/**
 * Submitted, approved and suspended venues in `scope` other than `venueId` that share one of its
 * keys: a reviewer is not told of venues outside what they supervise.
 */
export async function venueMatches(
  db: D1Database,
  venueId: string,
  scope: VenueScope | null,
): Promise<VenueMatch[]> {
  const other = scopeFilter(scope, "o");
  const { results } = await db
    .prepare(
      `SELECT o.id, o.name_en AS nameEn, o.name_zh AS nameZh, o.status,
              o.licence_key = v.licence_key AS licence, o.address_key = v.address_key AS address
         FROM venues v JOIN venues o ON ${IS_MATCH}
        WHERE v.id = ? AND ${other.sql}
        ORDER BY o.licence_key = v.licence_key DESC, o.updated_at DESC, o.id LIMIT ?`,
    )
    .bind(venueId, ...other.binds, MAX_MATCHES)
    .all<Omit<VenueMatch, "keys"> & { licence: number | null; address: number | null }>();
  return results.map(({ licence, address, ...venue }) => ({
    ...venue,
    keys: [
      ...(licence === 1 ? ["licence" as const] : []),
      ...(address === 1 ? ["address" as const] : []),
    ],
  }));
}
