/**
 * A trustee's entry point (worker/roles/trustee.wrangler.toml), deployed by the organisation that
 * holds the key share: the release API (PROTOCOL.md §11.3), its health check and the problem
 * catalogue, the rate limiter it binds, and an hourly sweep of its statement nonces. No pages, no
 * documents, no check-ins, no log writer: a trustee reads the log over HTTP.
 */
import type { Env } from "../env.ts";
import { createTrusteeApp } from "../trustee/app.ts";
import { sweepTrusteeNonces } from "../trustee/nonces.ts";

export { RateLimiter } from "../rate-limit/limiter.ts";

const app = createTrusteeApp();

export default {
  fetch: app.fetch,
  async scheduled(controller, env, ctx) {
    ctx.waitUntil(sweepTrusteeNonces(env.DB, controller.scheduledTime).then(() => undefined));
  },
} satisfies ExportedHandler<Env>;
