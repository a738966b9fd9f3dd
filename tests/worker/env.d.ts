import type { D1Migration } from "cloudflare:test";
import type { RoleSettings } from "../../worker/src/env.ts";

// The bindings, the main module and its Durable Object classes come from
// worker/src/env.generated.d.ts (wrangler types); the tests add the migrations to apply.
declare global {
  namespace Cloudflare {
    interface Env extends RoleSettings {
      readonly TEST_MIGRATIONS: D1Migration[];
    }
  }
}
