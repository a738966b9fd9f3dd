/**
 * Rectification orders (责令限期整改):
 *
 *   POST /api/registry/venues/:id/rectifications            {findings, deadline}: the registry
 *                                                            orders an approved or suspended
 *                                                            venue to rectify by the deadline
 *   POST /api/registry/venues/:id/rectifications/:rid/close  the registry closes an order
 *   GET  /api/venues/:id/rectifications                      the venue's orders (its operator,
 *                                                            registry), each open, overdue,
 *                                                            answered or closed
 *   POST /api/venues/:id/rectifications/:rid/answer          {answer}: the operator's, once
 *
 * Each route is signed on its own: these apps share prefixes with others (registry.ts,
 * venue-admin.ts), and a prefix-wide middleware would check those routes' signatures twice.
 */
import { rectificationRoutes as orders, RECTIFICATION_DEADLINE } from "@lintel/contract";
import { Hono } from "hono";
import { newId } from "../accounts/ids.ts";
import type { AppBindings } from "../env.ts";
import { principalOf, signedBy } from "../middleware/auth/index.ts";
import { reply, validated } from "../middleware/contract/index.ts";
import { ProblemError } from "../problems/problem.ts";
import { requireStatus, venueFor } from "../venues/access.ts";
import {
  answerRectification,
  closeRectification,
  issueRectification,
  type RectificationRow,
  rectificationById,
  rectificationState,
  rectificationsOf,
} from "../venues/rectification-store.ts";

const registryOnly = signedBy(["registry"]);

function orderView(row: RectificationRow, now: number) {
  return {
    id: row.id,
    venueId: row.venueId,
    findings: row.findings,
    deadline: row.deadline,
    issuedAt: row.issuedAt,
    state: rectificationState(row, now),
    answer: row.answer,
    answeredAt: row.answeredAt,
    closedAt: row.closedAt,
  };
}

async function orderOf(db: D1Database, venueId: string, id: string): Promise<RectificationRow> {
  const row = await rectificationById(db, venueId, id);
  if (!row) throw new ProblemError("not-found", "No such rectification order for this venue.");
  return row;
}

/** The registry's side of rectification orders, mounted beside the routes above. */
export const registryRectificationRoutes = new Hono<AppBindings>()
  .post(
    "/venues/:id/rectifications",
    registryOnly,
    validated(orders.issueRectification),
    async (c) => {
      const p = principalOf(c);
      const db = c.env.DB;
      const venue = await venueFor(db, p, c.req.valid("param").id);
      requireStatus(venue, "approved", "suspended");
      const { findings, deadline } = c.req.valid("json");
      const at = Math.floor(Date.now() / 1000);
      if (
        deadline < at + RECTIFICATION_DEADLINE.min ||
        deadline > at + RECTIFICATION_DEADLINE.max
      ) {
        throw new ProblemError(
          "bad-deadline",
          "The deadline must be at least an hour and at most 180 days from now.",
        );
      }
      const id = newId("o");
      await issueRectification(db, { id, venueId: venue.id, findings, deadline }, p.accountId, at);
      const row = await orderOf(db, venue.id, id);
      return reply(c, orders.issueRectification, 201, orderView(row, at));
    },
  )
  .post(
    "/venues/:id/rectifications/:rid/close",
    registryOnly,
    validated(orders.closeRectification),
    async (c) => {
      const p = principalOf(c);
      const db = c.env.DB;
      const { id, rid } = c.req.valid("param");
      const venue = await venueFor(db, p, id);
      const row = await orderOf(db, venue.id, rid);
      const at = Math.floor(Date.now() / 1000);
      if (!(await closeRectification(db, row, p.accountId, at))) {
        throw new ProblemError("wrong-state", "This order is closed already.");
      }
      return reply(
        c,
        orders.closeRectification,
        200,
        orderView(await orderOf(db, venue.id, rid), at),
      );
    },
  );

/** The venue's side: its operator (and the registry) read the orders; the operator answers. */
export const venueRectificationRoutes = new Hono<AppBindings>()
  .get(
    "/:id/rectifications",
    signedBy(["operator", "registry"]),
    validated(orders.listRectifications),
    async (c) => {
      const db = c.env.DB;
      const venue = await venueFor(db, principalOf(c), c.req.valid("param").id);
      const now = Math.floor(Date.now() / 1000);
      c.header("cache-control", "no-store");
      const rows = await rectificationsOf(db, venue.id);
      return reply(c, orders.listRectifications, 200, {
        orders: rows.map((r) => orderView(r, now)),
      });
    },
  )
  .post(
    "/:id/rectifications/:rid/answer",
    signedBy(["operator"]),
    validated(orders.answerRectification),
    async (c) => {
      const p = principalOf(c);
      const db = c.env.DB;
      const { id, rid } = c.req.valid("param");
      const venue = await venueFor(db, p, id);
      const row = await orderOf(db, venue.id, rid);
      const at = Math.floor(Date.now() / 1000);
      if (!(await answerRectification(db, row, c.req.valid("json").answer, p.accountId, at))) {
        throw new ProblemError("wrong-state", "This order was answered or closed already.");
      }
      return reply(
        c,
        orders.answerRectification,
        200,
        orderView(await orderOf(db, venue.id, rid), at),
      );
    },
  );
