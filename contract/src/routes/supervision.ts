/**
 * The registry's supervision of approved venues (every call signed by a registry device):
 * suspending a venue, whose codes are then refused at every entrance, and reinstating it. Each
 * change is a registry-signed entry in the public log (PROTOCOL.md §10.3) and is undone when the
 * log refuses it.
 */
import { SUSPENSION_REASONS } from "@lintel/protocol";
import * as z from "zod";
import { defineRoute } from "../route.ts";
import { idText, plainText, unixSeconds } from "../wire.ts";
import { applicationView } from "./applications.ts";

const venueParams = z.object({ id: idText });
const LOGGED_CHANGE_PROBLEMS = [
  "not-found",
  "wrong-state",
  "log-policy-violation",
  "log-unavailable",
] as const;

export const supervisionRoutes = {
  suspendVenue: defineRoute({
    id: "suspendVenue",
    method: "POST",
    path: "/api/registry/venues/:id/suspend",
    summary:
      "Suspends an approved venue for a reason: its codes are refused at check-in until it is reinstated; logged as a venue-suspension entry",
    auth: "signed",
    params: venueParams,
    body: z.strictObject({ reason: z.enum(SUSPENSION_REASONS) }),
    maxBodyBytes: 1024,
    responses: { 200: applicationView },
    problems: LOGGED_CHANGE_PROBLEMS,
  }),
  reinstateVenue: defineRoute({
    id: "reinstateVenue",
    method: "POST",
    path: "/api/registry/venues/:id/reinstate",
    summary:
      "Reinstates a suspended venue: its current codes check people in again; logged as a venue-reinstatement entry",
    auth: "signed",
    params: venueParams,
    responses: { 200: applicationView },
    problems: LOGGED_CHANGE_PROBLEMS,
  }),
};

/** What a rectification order's columns say about it now. */
export const RECTIFICATION_STATES = ["open", "overdue", "answered", "closed"] as const;

/** The shortest and longest time an operator may be given to rectify, in seconds. */
export const RECTIFICATION_DEADLINE = { min: 3600, max: 180 * 86_400 } as const;

export const rectificationOrder = z.object({
  id: idText,
  venueId: idText,
  findings: z.string(),
  deadline: unixSeconds,
  issuedAt: unixSeconds,
  state: z.enum(RECTIFICATION_STATES),
  answer: z.string().nullable(),
  answeredAt: unixSeconds.nullable(),
  closedAt: unixSeconds.nullable(),
});
const orderParams = z.object({ id: idText, rid: idText });

/**
 * Rectification orders (责令限期整改): the registry orders an approved or suspended venue to fix
 * its findings by a deadline; the operator answers; the registry closes the order.
 */
export const rectificationRoutes = {
  issueRectification: defineRoute({
    id: "issueRectification",
    method: "POST",
    path: "/api/registry/venues/:id/rectifications",
    summary: "Registry: orders a venue to rectify its findings by a deadline",
    auth: "signed",
    params: venueParams,
    body: z.strictObject({
      findings: plainText(2000, "findings", { multiline: true }),
      deadline: unixSeconds,
    }),
    maxBodyBytes: 4096,
    responses: { 201: rectificationOrder },
    problems: ["not-found", "wrong-state", "bad-deadline"],
  }),
  closeRectification: defineRoute({
    id: "closeRectification",
    method: "POST",
    path: "/api/registry/venues/:id/rectifications/:rid/close",
    summary: "Registry: closes a rectification order, answered or not",
    auth: "signed",
    params: orderParams,
    responses: { 200: rectificationOrder },
    problems: ["not-found", "wrong-state"],
  }),
  listRectifications: defineRoute({
    id: "listRectifications",
    method: "GET",
    path: "/api/venues/:id/rectifications",
    summary: "A venue's rectification orders, newest first (its operator, registry)",
    auth: "signed",
    params: venueParams,
    responses: { 200: z.object({ orders: z.array(rectificationOrder) }) },
    problems: ["not-found"],
  }),
  answerRectification: defineRoute({
    id: "answerRectification",
    method: "POST",
    path: "/api/venues/:id/rectifications/:rid/answer",
    summary: "The venue's operator answers an open or overdue rectification order, once",
    auth: "signed",
    params: orderParams,
    body: z.strictObject({ answer: plainText(2000, "answer", { multiline: true }) }),
    maxBodyBytes: 4096,
    responses: { 200: rectificationOrder },
    problems: ["not-found", "wrong-state"],
  }),
};
