/**
 * The registry's supervision of approved venues (every call signed by a registry device):
 * suspending a venue, whose codes are then refused at every entrance, and reinstating it. Each
 * change is a registry-signed entry in the public log (PROTOCOL.md §10.3) and is undone when the
 * log refuses it.
 */
import { SUSPENSION_REASONS } from "@lintel/protocol";
import * as z from "zod";
import { defineRoute } from "../route.ts";
import { idText } from "../wire.ts";
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
