import type { CheckinStore } from "./checkins/store.ts";
import type { LogWriter } from "./log/writer.ts";
import type { RateLimiter } from "./rate-limit/limiter.ts";

/** The bindings wrangler.toml gives the worker, plus the secrets set with `wrangler secret put`. */
export interface Env {
  readonly DB: D1Database;
  readonly DOCUMENTS: R2Bucket;
  readonly LOG_WRITER: DurableObjectNamespace<LogWriter>;
  readonly RATE_LIMITER: DurableObjectNamespace<RateLimiter>;
  readonly CHECKIN_STORE: DurableObjectNamespace<CheckinStore>;
  readonly ASSETS: Fetcher;
  /** Deployment settings from wrangler.toml; validated by config/deployment.ts. */
  readonly LINTEL_DEPLOYMENT: unknown;
  /** Ed25519 seed (base64url) that signs venue codes and deployment records. */
  readonly REGISTRY_SIGNING_KEY?: string;
  /** Ed25519 seed (base64url) that signs log checkpoints and epoch-key statements. */
  readonly LOG_SIGNING_KEY?: string;
  /** Ed25519 seed (base64url) that signs check-in receipts (PROTOCOL.md §6.2). */
  readonly RECEIPT_SIGNING_KEY?: string;
  /**
   * 32 random bytes (base64url) that encrypt personal data at rest: an applicant's contact person
   * and phone, uploaded documents. Also keys the rate limiter's client hashes and kiosk secrets.
   */
  readonly DATA_KEY?: string;
  /**
   * The health authority's X25519 box public key (base64url, 32 bytes): citizen cards seal the
   * contact record to it (PROTOCOL.md §5.4). Public; published in GET /api/deployment.
   */
  readonly LINTEL_AUTHORITY_BOX_KEY?: string;
  /** Main role: JSON list of witnesses to submit checkpoints to (config/deployment.ts). */
  readonly LINTEL_WITNESSES?: string;
  /** Witness role: JSON {name, logs: [{origin, key}]} (config/deployment.ts). */
  readonly LINTEL_WITNESS?: string;
  /** Witness role: Ed25519 seed (base64url) for cosignatures. */
  readonly WITNESS_SIGNING_KEY?: string;
  /** Main role, optional: JSON {trusteeId: url} overriding the trustees' URLs in wrangler.toml. */
  readonly LINTEL_TRUSTEE_URLS?: string;
  /** Trustee role: JSON {id, logUrl, logKey, witnesses, quorum, registryKey} (config/deployment.ts). */
  readonly LINTEL_TRUSTEE?: string;
  /** Trustee role: this trustee's BLS12-381 key share s_i, 32 bytes big-endian, base64url. */
  readonly TRUSTEE_SHARE_KEY?: string;
  /** Trustee role: Ed25519 seed (base64url) that signs this trustee's release entries. */
  readonly TRUSTEE_SIGNING_KEY?: string;
  /**
   * Trustee role, optional: a service binding to the main service, used instead of the public
   * internet to read the log and append releases (and by tests to reach the log in-process).
   */
  readonly LOG_SERVICE?: Fetcher;
}

/** Who signed the request, once middleware/auth has verified it. */
export interface Principal {
  readonly accountId: string;
  readonly role: AccountRole;
  readonly label: string;
  /** Venue staff: the venue they work for. */
  readonly venueId: string | null;
  readonly deviceId: string;
  /** The device's Ed25519 public key, base64url (an officer's log key too, PROTOCOL.md §11.2). */
  readonly publicKey: string;
  /** When this device stops signing in (idle limit included). */
  readonly deviceExpiresAt: number;
  /** The device's absolute lifetime end, whatever its use. */
  readonly deviceLifetimeEnd: number;
}

export type AccountRole = "registry" | "operator" | "staff" | "officer" | "auditor";

export interface AppBindings {
  Bindings: Env;
  Variables: {
    principal: Principal;
    /** The request body, read once by middleware/auth so that its hash can be checked. */
    body: Uint8Array;
  };
}
