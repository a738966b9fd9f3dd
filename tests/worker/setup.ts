import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";

// Each test file starts from the real migrations, as a deployment would.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
