/**
 * Who supervises a venue. The regulations split supervision between the local government of a
 * district (属地) and the sector regulator of the venue's trade (行业主管部门). A venue names its
 * district (one of the deployment's, `GET /api/deployment`); its sector follows from its category
 * by the fixed table below. A registry reviewer's scope is a list of districts and a list of
 * sectors, each possibly "every one" (null): a venue is in scope when both its district and its
 * sector are.
 */
import { VENUE_CATEGORIES, type VenueCategory } from "@lintel/protocol";
import * as z from "zod";

/**
 * The sector regulators a deployment knows. A small honest set: a category whose regulator is
 * not one of these (offices, places of worship, anything else) is "other", supervised by the
 * reviewers whose scope includes "other" or every sector.
 */
export const SECTORS = [
  "education",
  "health",
  "transport",
  "commerce",
  "culture-tourism",
  "other",
] as const;
export type Sector = (typeof SECTORS)[number];

/**
 * Category → sector: schools under the education bureau, hospitals under the health commission,
 * stations under transport, shops and restaurants under market regulation (commerce); libraries,
 * hotels, gyms, events and entertainment under culture, sports and tourism.
 */
export const SECTOR_OF_CATEGORY: Readonly<Record<VenueCategory, Sector>> = {
  school: "education",
  hospital: "health",
  transport: "transport",
  restaurant: "commerce",
  shop: "commerce",
  library: "culture-tourism",
  hotel: "culture-tourism",
  gym: "culture-tourism",
  event: "culture-tourism",
  entertainment: "culture-tourism",
  office: "other",
  worship: "other",
  other: "other",
};

export function sectorOf(category: VenueCategory): Sector {
  return SECTOR_OF_CATEGORY[category];
}

/** The categories of some sectors, in the protocol's order. */
export function categoriesOf(sectors: readonly Sector[]): VenueCategory[] {
  return VENUE_CATEGORIES.filter((c) => sectors.includes(SECTOR_OF_CATEGORY[c]));
}

/** A district id, as a deployment declares it. */
export const districtId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,31}$/, "a district id: lower-case letters, digits and hyphens");

const unique = <T>(list: readonly T[]) => new Set(list).size === list.length;

/** A reviewer's scope; null means every district, or every sector. */
export const reviewerScope = z.strictObject({
  districts: z
    .array(districtId)
    .min(1, "at least one district, or null for every district")
    .max(64)
    .refine(unique, "each district once")
    .nullable(),
  sectors: z
    .array(z.enum(SECTORS))
    .min(1, "at least one sector, or null for every sector")
    .refine(unique, "each sector once")
    .nullable(),
});
export type ReviewerScope = z.output<typeof reviewerScope>;

/** Every district and every sector: the first reviewer's, and the default of a new reviewer. */
export const FULL_SCOPE: ReviewerScope = { districts: null, sectors: null };

export function isFullScope(scope: ReviewerScope): boolean {
  return scope.districts === null && scope.sectors === null;
}
