/** What the service says about itself: the OpenAPI document and the problem catalogue. */
import * as z from "zod";
import { defineRoute } from "../route.ts";

const problemType = z.object({
  type: z.string(),
  code: z.string(),
  status: z.number().int(),
  title: z.string(),
  description: z.string(),
});

export const metaRoutes = {
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
