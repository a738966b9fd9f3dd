/**
 * The HTTP surface of a trustee's own worker: its release API, health and the problem catalogue,
 * with the same security headers and problem details as the main service. Nothing else of the
 * service is mounted, so a trustee's bundle carries none of it.
 */
import { Hono } from "hono";
import type { AppBindings } from "../env.ts";
import { securityHeaders } from "../middleware/security-headers/index.ts";
import { onError, onNotFound } from "../problems/handlers.ts";
import { problemRoutes } from "../routes/problems.ts";
import { roleHealth } from "../routes/role-health.ts";
import { trusteeRoutes } from "./routes.ts";

export function createTrusteeApp() {
  const app = new Hono<AppBindings>();
  app.use(securityHeaders());
  app.route("/healthz", roleHealth("trustee"));
  app.route("/problems", problemRoutes);
  app.route("/trustee", trusteeRoutes);
  app.notFound(onNotFound);
  app.onError(onError);
  return app;
}
