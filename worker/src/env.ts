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
  /** Main role: JSON list of witnesses to submit checkpoints to (config/deployment.ts). */
  readonly LINTEL_WITNESSES?: string;
  /** Witness role: JSON {name, logs: [{origin, key}]} (config/deployment.ts). */
  readonly LINTEL_WITNESS?: string;
  /** Witness role: Ed25519 seed (base64url) for cosignatures. */
  readonly WITNESS_SIGNING_KEY?: string;
}

export interface AppBindings {
  Bindings: Env;
}
