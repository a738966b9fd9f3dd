/**
 * Public venue facts: `GET /api/venues` lists approved venues (50 a page, `?after=<id>`
 * to page on); `GET /api/venues/:id` returns an approved venue's names, category and
 * entrances with their current code versions. Anyone may read it — it is the signage on the
 * door — and only approved venues are visible.
 */
import { VENUE_PAGE_SIZE, venueRoutes as venueContract } from "@lintel/contract";
import { Hono } from "hono";
import type { AppBindings } from "../env.ts";
import { reply, validated } from "../middleware/contract/index.ts";
import { ProblemError } from "../problems/problem.ts";
import { entrancesOf } from "../venues/application-store.ts";
import { approvedVenue, approvedVenues } from "../venues/store.ts";

/** Kept for routes/auth.ts until it reads its ids from the contract too. */
export { idText as idSchema } from "@lintel/contract";

export const venueRoutes = new Hono<AppBindings>()
  .get("/", validated(venueContract.listVenues), async (c) => {
    const { after } = c.req.valid("query");
    // One more than a page: whether it came tells whether there is a next page.
    const rows = await approvedVenues(c.env.DB, after, VENUE_PAGE_SIZE + 1);
    const page = rows.slice(0, VENUE_PAGE_SIZE);
    c.header("cache-control", "public, max-age=60");
    return reply(c, venueContract.listVenues, 200, {
      venues: page.map((v) => ({
        id: v.id,
        name: { en: v.nameEn, zh: v.nameZh },
        category: v.category,
      })),
      next: rows.length > VENUE_PAGE_SIZE ? (page.at(-1)?.id ?? null) : null,
    });
  })
  .get("/:id", validated(venueContract.getVenue), async (c) => {
    const venue = await approvedVenue(c.env.DB, c.req.valid("param").id);
    if (!venue) throw new ProblemError("not-found", "No such venue.");
    const doors = await entrancesOf(c.env.DB, venue.id);
    c.header("cache-control", "public, max-age=60");
    return reply(c, venueContract.getVenue, 200, {
      id: venue.id,
      name: { en: venue.nameEn, zh: venue.nameZh },
      category: venue.category,
      entrances: doors.map((e) => ({
        id: e.id,
        label: { en: e.labelEn, zh: e.labelZh },
        codeVersion: e.codeVersion,
        active: e.active === 1,
      })),
    });
  });
