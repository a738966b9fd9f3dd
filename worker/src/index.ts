/**
 * Worker entry point: the HTTP app, the hourly retention Cron trigger, and the Durable Object
 * classes wrangler.toml binds.
 */
import { createApp } from "./app.ts";
import type { Env } from "./env.ts";
import { runScheduled } from "./retention/cron.ts";

export { CheckinStore } from "./checkins/store.ts";
export { LogWriter } from "./log/writer.ts";
export { RateLimiter } from "./rate-limit/limiter.ts";

const app = createApp();

export default {
  fetch: app.fetch,
  async scheduled(controller, env, ctx) {
    ctx.waitUntil(runScheduled(controller, env));
  },
} satisfies ExportedHandler<Env>;
