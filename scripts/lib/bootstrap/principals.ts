/**
 * The main service's `principals` rows: the registry's, the log's and every trustee's public key,
 * which `GET /api/deployment` publishes and signs into the deployment record that devices encrypt
 * to (PROTOCOL.md §6.4). The service reads them from its D1, not from the log, so the genesis
 * step writes them as SQL for `wrangler d1 execute` beside the log's first entries (DEPLOY.md §4).
 * Only public keys: the same values the genesis entries carry.
 */
import { insertOrIgnore } from "../sql.ts";
import type { ServicePublic, TrusteePublic } from "./keys.ts";

export interface PrincipalRows {
  readonly service: ServicePublic;
  readonly trustees: readonly TrusteePublic[];
  /** Each trustee's display name, by id (wrangler.toml's [[vars.LINTEL_DEPLOYMENT.trustees]]). */
  readonly trusteeNames: Readonly<Record<string, string>>;
}

export function principalsSql(input: PrincipalRows): string {
  const row = (id: string, role: string, label: string, publicKey: string, pop: string | null) =>
    insertOrIgnore("principals", {
      id,
      role,
      label,
      public_key: publicKey,
      proof_of_possession: pop,
    });
  const d = input.service.deployment;
  return `${[
    row("registry", "registry", `${d} registry`, input.service.registryKey, null),
    row("log", "log", `${d} transparency log`, input.service.logKey, null),
    ...input.trustees.map((t) =>
      row(t.id, "trustee", input.trusteeNames[t.id] ?? t.id, t.shareKey, t.proofOfPossession),
    ),
  ].join("\n")}\n`;
}
