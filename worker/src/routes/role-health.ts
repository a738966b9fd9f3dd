/**
 * `GET /healthz` of a trustee or a witness, which have no log writer of their own: the settings
 * must name the role this entry serves, and the role's own table must answer a real query (so an
 * unmigrated database is a 503, not a 200). `GET /healthz/live` touches no storage.
 */
import { metaRoutes } from "@lintel/contract";
import { Hono } from "hono";
import { type Deployment, loadDeployment } from "../config/deployment.ts";
import { isMigrated } from "../db/d1.ts";
import type { AppBindings } from "../env.ts";
import { reply, validated } from "../middleware/contract/index.ts";
import { ProblemError } from "../problems/problem.ts";

const ROLE_TABLE = { trustee: "trustee_log_state", witness: "witnessed_logs" } as const;

export function roleHealth(role: Exclude<Deployment["role"], "main">) {
  return new Hono<AppBindings>()
    .get("/live", validated(metaRoutes.liveness), (c) => {
      c.header("cache-control", "no-store");
      return reply(c, metaRoutes.liveness, 200, { status: "pass" });
    })
    .get("/", validated(metaRoutes.health), async (c) => {
      const deployment = loadDeployment(c.env.LINTEL_DEPLOYMENT);
      if (deployment.role !== role) {
        throw new ProblemError(
          "misconfigured",
          `This is the ${role} entry point, but LINTEL_DEPLOYMENT.role is "${deployment.role}".`,
        );
      }
      let migrated: boolean;
      try {
        migrated = await isMigrated(c.env.DB, ROLE_TABLE[role]);
      } catch {
        migrated = false;
      }
      if (!migrated) {
        throw new ProblemError(
          "database-unavailable",
          "The database did not answer, or has not been migrated.",
        );
      }
      c.header("cache-control", "no-store");
      return reply(c, metaRoutes.health, 200, {
        status: "pass",
        deployment: deployment.id,
        role,
        checks: { database: "pass" },
      });
    });
}
