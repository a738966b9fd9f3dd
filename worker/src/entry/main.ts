/**
 * The main service's entry point (wrangler.toml): the whole HTTP API with the pages, the hourly
 * retention Cron trigger, and the three Durable Object classes it binds. Trustees and witnesses
 * deploy their own entries (trustee.ts, witness.ts), which import none of this.
 */
import { createApp } from "../app.ts";
import type { Env } from "../env.ts";
import { runRetention } from "../retention/cron.ts";

export { CheckinStore } from "../checkins/store.ts";
export { LogWriter } from "../log/writer.ts";
export { RateLimiter } from "../rate-limit/limiter.ts";

const app = createApp();

export default {
  fetch: app.fetch,
  async scheduled(controller, env, ctx) {
    ctx.waitUntil(runRetention(controller, env).then(() => undefined));
  },
} satisfies ExportedHandler<Env>;
