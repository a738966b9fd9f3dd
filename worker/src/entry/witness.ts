/**
 * A witness's entry point (worker/roles/witness.wrangler.toml), deployed by the organisation that
 * cosigns the log: C2SP tlog-witness `add-checkpoint`, its health check and the problem
 * catalogue. It keeps one row per witnessed log in D1 and needs nothing else: no Durable
 * Objects, no R2, no pages, no Cron trigger.
 */
import type { Env } from "../env.ts";
import { createWitnessApp } from "../witness/app.ts";

const app = createWitnessApp();

export default { fetch: app.fetch } satisfies ExportedHandler<Env>;
