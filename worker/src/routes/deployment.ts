/**
 * `GET /api/deployment`: the public facts a client needs before it trusts anything else —
 * names, retention, slot length, the registry's, log's and receipt verifying keys and the
 * trustees' keys with their proofs of possession. Clients verify those proofs themselves; this answer is a convenience,
 * and the signed records it mirrors are the authority.
 */

import { citizenRoutes } from "@lintel/contract";
import {
  authorityKeyId,
  decodeBase64url,
  encodeBase64url,
  formatVerifierKey,
  PROOF_OF_POSSESSION_BYTES,
  registryKeyName,
  SHARE_KEY_BYTES,
  signDeploymentRecord,
} from "@lintel/protocol";
import { Hono } from "hono";
import { loadDeployment, loadWitnesses, trusteeUrl } from "../config/deployment.ts";
import { activePrincipals, type PrincipalRole } from "../config/principals-store.ts";
import { secretPublicKey, secretSeed } from "../config/secrets.ts";
import type { AppBindings, Env } from "../env.ts";
import { reply } from "../middleware/contract/index.ts";

/** The C2SP verifier key for a secret's public half, or null when that secret is not configured. */
function verifierKeyOf(
  env: Env,
  name: string,
  secret: "LOG_SIGNING_KEY" | "RECEIPT_SIGNING_KEY",
): string | null {
  try {
    return formatVerifierKey(name, secretPublicKey(env, secret));
  } catch {
    return null;
  }
}

/** The authority's box key for citizen cards, with its key id (§5.4); null when not configured. */
function authorityBox(text: string | undefined) {
  try {
    const publicKey = decodeBase64url(text ?? "", 32);
    return {
      boxPublicKey: encodeBase64url(publicKey),
      keyId: encodeBase64url(authorityKeyId(publicKey)),
    };
  } catch {
    return null;
  }
}

/**
 * The registry-signed deployment record (PROTOCOL.md §6.4), or null while a key it needs is not
 * configured or a configured trustee has not been enrolled with its key.
 */
function deploymentRecord(
  env: Env,
  deploymentId: string,
  trusteeIds: readonly string[],
  keys: ReadonlyMap<string, { publicKey: string; proofOfPossession: string | null }>,
): string | null {
  try {
    const trustees = [...trusteeIds].sort().map((id) => {
      const key = keys.get(id);
      if (!key?.proofOfPossession) throw new Error(`trustee ${id} not enrolled`);
      return {
        id,
        publicKey: decodeBase64url(key.publicKey, SHARE_KEY_BYTES),
        proofOfPossession: decodeBase64url(key.proofOfPossession, PROOF_OF_POSSESSION_BYTES),
      };
    });
    const record = signDeploymentRecord(
      {
        deployment: deploymentId,
        issuedAt: Math.floor(Date.now() / 1000),
        logKey: secretPublicKey(env, "LOG_SIGNING_KEY"),
        receiptKey: secretPublicKey(env, "RECEIPT_SIGNING_KEY"),
        authorityBoxKey: decodeBase64url(env.LINTEL_AUTHORITY_BOX_KEY ?? "", 32),
        trustees,
      },
      secretSeed(env, "REGISTRY_SIGNING_KEY"),
    );
    return encodeBase64url(record);
  } catch {
    return null;
  }
}

/** The key name of the deployment's receipt key (PROTOCOL.md §6.2). */
export function receiptKeyName(deployment: string): string {
  return `${deployment}/receipts`;
}

export const deploymentRoutes = new Hono<AppBindings>().get("/", async (c) => {
  const deployment = loadDeployment(c.env.LINTEL_DEPLOYMENT);
  const active = await activePrincipals(c.env.DB);
  const byRole = (role: PrincipalRole) => active.filter((p) => p.role === role);
  const registry = byRole("registry")[0];
  const trusteeKeys = new Map(byRole("trustee").map((p) => [p.id, p]));

  c.header("cache-control", "public, max-age=60");
  return reply(c, citizenRoutes.deployment, 200, {
    id: deployment.id,
    role: deployment.role,
    name: deployment.name,
    timezone: deployment.timezone,
    ...(deployment.contact ? { contact: deployment.contact } : {}),
    retentionDays: deployment.retentionDays,
    slotMinutes: deployment.slotMinutes,
    logOrigin: deployment.logOrigin,
    log: {
      origin: deployment.logOrigin,
      verifierKey: verifierKeyOf(c.env, deployment.logOrigin, "LOG_SIGNING_KEY"),
      witnesses: loadWitnesses(c.env.LINTEL_WITNESSES).map((w) => ({
        name: w.name,
        verifierKey: w.key,
      })),
    },
    officerPolicy: deployment.officerPolicy,
    authority: authorityBox(c.env.LINTEL_AUTHORITY_BOX_KEY),
    // What devices encrypt to, signed by the registry (PROTOCOL.md §6.4); the fields around it
    // are conveniences that devices check against it.
    record: deploymentRecord(
      c.env,
      deployment.id,
      deployment.trustees.map((t) => t.id),
      trusteeKeys,
    ),
    // Door staff verify the receipt on a person's pass against this key.
    receipt: {
      verifierKey: verifierKeyOf(c.env, receiptKeyName(deployment.id), "RECEIPT_SIGNING_KEY"),
    },
    registry: registry
      ? {
          id: registry.id,
          publicKey: registry.publicKey,
          verifierKey: formatVerifierKey(
            registryKeyName(deployment.id),
            decodeBase64url(registry.publicKey, 32),
          ),
        }
      : null,
    trustees: deployment.trustees.map((t) => {
      const key = trusteeKeys.get(t.id);
      return {
        id: t.id,
        name: t.name,
        url: trusteeUrl(c.env, t),
        publicKey: key?.publicKey ?? null,
        proofOfPossession: key?.proofOfPossession ?? null,
      };
    }),
    districts: deployment.districts,
    officers: byRole("officer").map((p) => ({ id: p.id, label: p.label, publicKey: p.publicKey })),
    auditors: byRole("auditor").map((p) => ({ id: p.id, label: p.label, publicKey: p.publicKey })),
  });
});
