import type { LogWriter } from "./log/writer.ts";

/** The bindings wrangler.toml gives the worker, plus the secrets set with `wrangler secret put`. */
export interface Env {
  readonly DB: D1Database;
  readonly DOCUMENTS: R2Bucket;
  readonly LOG_WRITER: DurableObjectNamespace<LogWriter>;
  readonly ASSETS: Fetcher;
  /** Deployment settings from wrangler.toml; validated by config/deployment.ts. */
  readonly LINTEL_DEPLOYMENT: unknown;
  /** Ed25519 seed (base64url) that signs venue codes and deployment records. */
  readonly REGISTRY_SIGNING_KEY?: string;
  /** Ed25519 seed (base64url) that signs log checkpoints. */
  readonly LOG_SIGNING_KEY?: string;
}

export interface AppBindings {
  Bindings: Env;
}
