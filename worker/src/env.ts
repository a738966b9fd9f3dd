/**
 * What a worker's `env` holds. The main service's bindings, its vars and its four secrets are
 * generated from wrangler.toml by `wrangler types` (env.generated.d.ts, `npm run types`; the
 * secrets' names from worker/roles/main.secrets.example; scripts/env-types.test.ts fails when the
 * file is stale). Below are the settings that live outside wrangler.toml: optional ones of the
 * main service, and those of the trustee's and the witness's own workers, whose configs bind a
 * subset of the service's bindings (scripts/deploy-bundles.test.ts). Each is parsed and validated
 * where it is used (config/deployment.ts, config/secrets.ts), never trusted as typed here.
 */
import type { ReviewerScope } from "@lintel/contract";
import type { VenueScope } from "./venues/scope.ts";

export type Env = Cloudflare.Env & RoleSettings;

/** The settings and secrets not in wrangler.toml (see Env). */
export interface RoleSettings {
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
  /** A registry reviewer's districts and sectors (null for every other role). */
  readonly scope: ReviewerScope | null;
  /**
   * The venues this account may supervise, resolved from `scope` (venues/scope.ts); null: no
   * limit by scope (a full-scope reviewer, and every other role, which venues/access.ts limits
   * otherwise).
   */
  readonly venues: VenueScope | null;
  /** The device's Ed25519 public key, base64url (an officer's log key too, PROTOCOL.md §11.2). */
  readonly publicKey: string;
  /** When this device stops signing in (idle limit included). */
  readonly deviceExpiresAt: number;
  /** The device's absolute lifetime end, whatever its use. */
  readonly deviceLifetimeEnd: number;
}

/** "kiosk": a screen bound to one entrance; its key fetches that entrance's kiosk screen only. */
export type AccountRole = "registry" | "operator" | "staff" | "officer" | "auditor" | "kiosk";

export interface AppBindings {
  Bindings: Env;
  Variables: {
    principal: Principal;
    /** The request body, read once by middleware/auth so that its hash can be checked. */
    body: Uint8Array;
  };
}
