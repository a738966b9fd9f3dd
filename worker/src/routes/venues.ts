/**
 * Public venue facts: `GET /api/venues` lists approved venues (50 a page, `?after=<id>`
 * to page on); `GET /api/venues/:id` returns an approved venue's names, category and
 * entrances with their current code versions. Anyone may read it — it is the signage on the
 * door — and only approved venues are visible.
 */
import { Hono } from "hono";
import * as z from "zod";
import type { AppBindings } from "../env.ts";
import { ProblemError } from "../problems/problem.ts";
import { entrancesOf } from "../venues/application-store.ts";
import { approvedVenue, approvedVenues } from "../venues/store.ts";

export const idSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, "an identifier of 1–64 characters");

const PAGE_SIZE = 50;

export const venueRoutes = new Hono<AppBindings>()
  .get("/", async (c) => {
    const after = idSchema.optional().safeParse(c.req.query("after"));
    if (!after.success)
      throw new ProblemError("not-found", "The `after` cursor is not a venue id.");
    const rows = await approvedVenues(c.env.DB, after.data, PAGE_SIZE + 1);
    const page = rows.slice(0, PAGE_SIZE);
    c.header("cache-control", "public, max-age=60");
    return c.json({
      venues: page.map((v) => ({
        id: v.id,
        name: { en: v.nameEn, zh: v.nameZh },
        category: v.category,
      })),
      next: rows.length > PAGE_SIZE ? page.at(-1)?.id : null,
    });
  })
  .get("/:id", async (c) => {
    const id = idSchema.safeParse(c.req.param("id"));
    if (!id.success) throw new ProblemError("not-found", "No such venue.");
    const venue = await approvedVenue(c.env.DB, id.data);
    if (!venue) throw new ProblemError("not-found", "No such venue.");
    const doors = await entrancesOf(c.env.DB, venue.id);
    c.header("cache-control", "public, max-age=60");
    return c.json({
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
