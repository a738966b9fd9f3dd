/**
 * `GET /healthz/live`: the worker runs (no storage touched).
 * `GET /healthz`: whether this instance can serve. It checks the settings, the database (a real
 * query, not a ping) and the log writer. 200 with a JSON summary when everything answers; a 503
 * problem naming the failing part otherwise.
 */
import { metaRoutes } from "@lintel/contract";
import { Hono } from "hono";
import { loadDeployment } from "../config/deployment.ts";
import { isMigrated } from "../db/d1.ts";
import type { AppBindings } from "../env.ts";
import { logWriterStub } from "../log/writer.ts";
import { reply, validated } from "../middleware/contract/index.ts";
import { ProblemError } from "../problems/problem.ts";

export const health = new Hono<AppBindings>()
  // Liveness without touching any storage: load balancers, and the HTTP floor in benchmarks.
  .get("/live", validated(metaRoutes.liveness), (c) => {
    c.header("cache-control", "no-store");
    return reply(c, metaRoutes.liveness, 200, { status: "pass" });
  })
  .get("/", validated(metaRoutes.health), async (c) => {
    const deployment = loadDeployment(c.env.LINTEL_DEPLOYMENT);
    let migrated: boolean;
    try {
      migrated = await isMigrated(c.env.DB);
    } catch {
      throw new ProblemError("database-unavailable", "The database did not answer a query.");
    }
    if (!migrated) {
      throw new ProblemError("database-unavailable", "The database has not been migrated.");
    }
    const log = await logWriterStub(c.env, deployment.id).status();
    c.header("cache-control", "no-store");
    return reply(c, metaRoutes.health, 200, {
      status: "pass",
      deployment: deployment.id,
      role: deployment.role,
      checks: { database: "pass", log: "pass" },
      logSize: log.size,
    });
  });
