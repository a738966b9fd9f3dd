/**
 * The HTTP surface. Every response passes the security-headers middleware, and the citizen API
 * the CORS middleware (its route list is the whole cross-origin surface); every error leaves
 * as RFC 9457 problem details (problems/handlers.ts). Paths the API does not claim fall through
 * to the static pages in web/public, and a miss there is a `not-found` problem too.
 */
import { Hono } from "hono";
import type { AppBindings } from "./env.ts";
import { CITIZEN_API, cors, crossOriginRoute } from "./middleware/cors/index.ts";
import { securityHeaders } from "./middleware/security-headers/index.ts";
import { onError, onNotFound } from "./problems/handlers.ts";
import { problemResponse } from "./problems/problem.ts";
import { registryAmendmentRoutes, venueAmendmentRoutes } from "./routes/amendments.ts";
import { applicationRoutes } from "./routes/applications.ts";
import { authRoutes, registryAccountRoutes } from "./routes/auth.ts";
import { checkinRoutes, epochKeyRoutes } from "./routes/checkins.ts";
import { codeCheckRoutes } from "./routes/code-check.ts";
import { entranceCodeRoutes, manualCodeRoutes } from "./routes/codes.ts";
import { deploymentRoutes } from "./routes/deployment.ts";
import { health } from "./routes/health.ts";
import { registryInspectionRoutes, venueInspectionRoutes } from "./routes/inspections.ts";
import { kioskScreenRoutes, venueKioskRoutes } from "./routes/kiosks.ts";
import { logRoutes } from "./routes/log.ts";
import { openApiRoutes } from "./routes/openapi.ts";
import { problemRoutes } from "./routes/problems.ts";
import { entryProofRoutes, queryRoutes, warningRoutes } from "./routes/queries.ts";
import { registryRectificationRoutes, venueRectificationRoutes } from "./routes/rectifications.ts";
import { registryRoutes } from "./routes/registry.ts";
import { registryPartyRoutes } from "./routes/registry-parties.ts";
import { registryReviewerRoutes } from "./routes/registry-reviewers.ts";
import { reportRoutes } from "./routes/reports.ts";
import { supervisionRoutes } from "./routes/supervision.ts";
import { staffRoutes, venueAdminRoutes } from "./routes/venue-admin.ts";
import { venueReportRoutes } from "./routes/venue-reports.ts";
import { venueRequestOfficerRoutes, venueRequestVenueRoutes } from "./routes/venue-requests.ts";
import { venueRoutes } from "./routes/venues.ts";

export function createApp() {
  const app = new Hono<AppBindings>();
  // The citizen API answers every origin (a venue's own web app checks people in); every other
  // route, privileged or page, stays same-origin. middleware/cors says why.
  app.use(
    securityHeaders({
      crossOriginResource: (method, path) =>
        crossOriginRoute(CITIZEN_API, method, path) !== undefined,
    }),
  );
  app.use(cors(CITIZEN_API));
  app.route("/healthz", health);
  app.route("/api/deployment", deploymentRoutes);
  app.route("/api/openapi.json", openApiRoutes);
  app.route("/api/auth", authRoutes);
  app.route("/api/registry/accounts", registryAccountRoutes);
  app.route("/api/registry/reviewers", registryReviewerRoutes);
  app.route("/api/registry", registryPartyRoutes);
  app.route("/api/registry", supervisionRoutes);
  app.route("/api/registry", registryRectificationRoutes);
  app.route("/api/registry", registryInspectionRoutes);
  app.route("/api/registry", registryAmendmentRoutes);
  app.route("/api/registry", registryRoutes);
  app.route("/api/applications", applicationRoutes);
  app.route("/api/venues", venueRectificationRoutes);
  app.route("/api/venues", venueAmendmentRoutes);
  app.route("/api/venues", venueReportRoutes);
  app.route("/api/venues", venueInspectionRoutes);
  app.route("/api/venues", venueRequestVenueRoutes);
  app.route("/api/venue-requests", venueRequestOfficerRoutes);
  app.route("/api/venues", venueAdminRoutes);
  app.route("/api/venues", venueKioskRoutes);
  app.route("/api/kiosk", kioskScreenRoutes);
  app.route("/api/venues", venueRoutes);
  app.route("/api/staff", staffRoutes);
  app.route("/api/codes", codeCheckRoutes);
  app.route("/api/checkins", checkinRoutes);
  app.route("/api/epoch-keys", epochKeyRoutes);
  app.route("/api/entrances", entranceCodeRoutes);
  app.route("/api/codes", manualCodeRoutes);
  app.route("/api/reports", reportRoutes);
  app.route("/api/queries", queryRoutes);
  app.route("/api/warnings", warningRoutes);
  app.route("/api/log/entries", entryProofRoutes);
  app.route("/problems", problemRoutes);
  app.route("/log", logRoutes);
  app.all("/api/*", onNotFound);
  app.on(["GET", "HEAD"], "*", async (c) => {
    const res = await c.env.ASSETS.fetch(c.req.raw);
    if (res.status === 404) return problemResponse("not-found");
    return res;
  });
  app.notFound(onNotFound);
  app.onError(onError);
  return app;
}
