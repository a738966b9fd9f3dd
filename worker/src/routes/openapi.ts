/**
 * `GET /api/openapi.json`: the OpenAPI 3.1 document of every route the contract declares
 * (`@lintel/contract`), made from the same schemas the service validates requests with.
 */
import { allRoutes, metaRoutes, type OpenApiDocument, openApiDocument } from "@lintel/contract";
import { Hono } from "hono";
import type { AppBindings } from "../env.ts";
import { reply } from "../middleware/contract/index.ts";

let document: OpenApiDocument | undefined;

export const openApiRoutes = new Hono<AppBindings>().get("/", (c) => {
  // Made once per isolate: it depends on the code only.
  document ??= openApiDocument(allRoutes, { title: "Lintel", version: "1" });
  c.header("cache-control", "public, max-age=300");
  return reply(c, metaRoutes.openApi, 200, document);
});
