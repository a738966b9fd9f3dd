/** What the service says about itself: the OpenAPI document and the problem catalogue. */
import * as z from "zod";
import { defineRoute } from "../route.ts";

/** Every role's health answer; only the main service has a log writer to check. */
const health = z.object({
  status: z.literal("pass"),
  deployment: z.string(),
  role: z.enum(["main", "trustee", "witness"]),
  checks: z.object({ database: z.literal("pass"), log: z.literal("pass").optional() }),
  /** The log's size, decimal text (u64): the main service only. */
  logSize: z
    .string()
    .regex(/^[0-9]+$/)
    .optional(),
});

const problemType = z.object({
  type: z.string(),
  code: z.string(),
  status: z.number().int(),
  title: z.string(),
  description: z.string(),
});

export const metaRoutes = {
  health: defineRoute({
    id: "getHealth",
    method: "GET",
    path: "/healthz",
    summary:
      "Whether this instance can serve: its settings, a real database query and (main service) the log writer",
    auth: "public",
    responses: { 200: health },
    // A 503 names the failing part: an unmigrated or silent database, or settings for another role.
    problems: ["database-unavailable", "misconfigured"],
  }),
  liveness: defineRoute({
    id: "getLiveness",
    method: "GET",
    path: "/healthz/live",
    summary: "The worker runs (no storage touched): for load balancers",
    auth: "public",
    responses: { 200: z.object({ status: z.literal("pass") }) },
    problems: [],
  }),
  openApi: defineRoute({
    id: "getOpenApi",
    method: "GET",
    path: "/api/openapi.json",
    summary: "This document: the OpenAPI 3.1 description of every declared route",
    auth: "public",
    responses: {
      200: z.looseObject({
        openapi: z.string(),
        info: z.looseObject({}),
        paths: z.looseObject({}),
      }),
    },
    problems: [],
  }),
  problems: defineRoute({
    id: "listProblems",
    method: "GET",
    path: "/problems",
    summary: "Every problem code the service answers with, and what it means",
    auth: "public",
    responses: { 200: z.array(problemType) },
    problems: [],
  }),
  problem: defineRoute({
    id: "getProblem",
    method: "GET",
    path: "/problems/:code",
    summary: "One problem code: the target of a problem document's `type`",
    auth: "public",
    params: z.object({ code: z.string().min(1).max(64) }),
    responses: { 200: problemType },
    problems: ["not-found"],
  }),
} as const;
