/**
 * The HTTP surface of a witness's own worker: `add-checkpoint`, health and the problem catalogue,
 * with the same security headers and problem details as the main service.
 */
import { Hono } from "hono";
import type { AppBindings } from "../env.ts";
import { securityHeaders } from "../middleware/security-headers/index.ts";
import { onError, onNotFound } from "../problems/handlers.ts";
import { problemRoutes } from "../routes/problems.ts";
import { roleHealth } from "../routes/role-health.ts";
import { witnessRoutes } from "./add-checkpoint.ts";

export function createWitnessApp() {
  const app = new Hono<AppBindings>();
  app.use(securityHeaders());
  app.route("/healthz", roleHealth("witness"));
  app.route("/problems", problemRoutes);
  app.route("/witness", witnessRoutes);
  app.notFound(onNotFound);
  app.onError(onError);
  return app;
}
