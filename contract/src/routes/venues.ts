/**
 * Public venue facts: the approved venues and each one's entrances, as the signage on the door
 * shows them. Anyone may read them; venues not approved are invisible here.
 */
import * as z from "zod";
import { defineRoute } from "../route.ts";
import { idText, localized } from "../wire.ts";

/** Venues in one page of the public list. */
export const VENUE_PAGE_SIZE = 50;

/** An entrance as the service shows it: its current code version and whether it is in use. */
export const venueEntrance = z.object({
  id: idText,
  label: localized,
  codeVersion: z.number().int().min(0),
  active: z.boolean(),
});

export const venueRoutes = {
  listVenues: defineRoute({
    id: "listVenues",
    method: "GET",
    path: "/api/venues",
    summary: `The approved venues, ${VENUE_PAGE_SIZE} a page in id order; \`next\` continues the list`,
    auth: "public",
    query: z.object({
      /** The previous page's `next`. */
      after: idText.optional(),
    }),
    responses: {
      200: z.object({
        venues: z.array(z.object({ id: idText, name: localized, category: z.string() })),
        next: idText.nullable(),
      }),
    },
    problems: [],
  }),
  getVenue: defineRoute({
    id: "getVenue",
    method: "GET",
    path: "/api/venues/:id",
    summary: "An approved venue's names, category and entrances",
    auth: "public",
    params: z.object({ id: idText }),
    responses: {
      200: z.object({
        id: idText,
        name: localized,
        category: z.string(),
        entrances: z.array(venueEntrance),
      }),
    },
    problems: ["not-found"],
  }),
} as const;
