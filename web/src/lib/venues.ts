/**
 * The public venue list (GET /api/venues, a page at a time) and one venue's entrances
 * (GET /api/venues/:id), typed by the API contract: the report form, the officers' query form
 * and the landing page read them.
 */
import { callRoute } from "@lintel/client-sdk";
import { type RouteAnswer, venueRoutes } from "@lintel/contract";

export type VenueSummary = RouteAnswer<typeof venueRoutes.listVenues>["venues"][number];
export type VenueDetail = RouteAnswer<typeof venueRoutes.getVenue>;

const service = () => ({ baseUrl: location.origin });

/** The approved venues, in id order, from at most `maxPages` pages (of 50). */
export async function approvedVenues(maxPages: number): Promise<VenueSummary[]> {
  const venues: VenueSummary[] = [];
  let after: string | null = null;
  for (let i = 0; i < maxPages; i++) {
    const page: RouteAnswer<typeof venueRoutes.listVenues> = await callRoute(
      service(),
      venueRoutes.listVenues,
      { query: after === null ? {} : { after } },
    );
    venues.push(...page.venues);
    after = page.next;
    if (after === null) break;
  }
  return venues;
}

/** An approved venue with its entrances (a `not-found` error for any other id). */
export function venueDetail(id: string): Promise<VenueDetail> {
  return callRoute(service(), venueRoutes.getVenue, { params: { id } });
}
