/**
 * `GET /api/deployment`: the public facts a client needs before it trusts anything else —
 * names, retention, slot length, the registry's verifying key and the trustees' keys with their
 * proofs of possession. Clients verify those proofs themselves; this answer is a convenience,
 * and the signed records it mirrors are the authority.
 */
import { decodeBase64url, formatVerifierKey, registryKeyName } from "@lintel/protocol";
import { isNull } from "drizzle-orm";
import { Hono } from "hono";
import { loadDeployment, loadWitnesses } from "../config/deployment.ts";
import { secretPublicKey } from "../config/secrets.ts";
import { openDatabase } from "../db/client.ts";
import { principals } from "../db/schema.ts";
import type { AppBindings, Env } from "../env.ts";

/** The C2SP verifier key auditors pin for this log, or null when the log key is not configured. */
function logVerifierKey(env: Env, origin: string): string | null {
  try {
    return formatVerifierKey(origin, secretPublicKey(env, "LOG_SIGNING_KEY"));
  } catch {
    return null;
  }
}

export const deploymentRoutes = new Hono<AppBindings>().get("/", async (c) => {
  const deployment = loadDeployment(c.env.LINTEL_DEPLOYMENT);
  const db = openDatabase(c.env.DB);
  const active = await db.select().from(principals).where(isNull(principals.revokedAt));
  const byRole = (role: (typeof active)[number]["role"]) => active.filter((p) => p.role === role);
  const registry = byRole("registry")[0];
  const trusteeKeys = new Map(byRole("trustee").map((p) => [p.id, p]));

  c.header("cache-control", "public, max-age=60");
  return c.json({
    id: deployment.id,
    role: deployment.role,
    name: deployment.name,
    timezone: deployment.timezone,
    retentionDays: deployment.retentionDays,
    slotMinutes: deployment.slotMinutes,
    logOrigin: deployment.logOrigin,
    log: {
      origin: deployment.logOrigin,
      verifierKey: logVerifierKey(c.env, deployment.logOrigin),
      witnesses: loadWitnesses(c.env.LINTEL_WITNESSES).map((w) => ({
        name: w.name,
        verifierKey: w.key,
      })),
    },
    officerPolicy: deployment.officerPolicy,
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
        url: t.url,
        publicKey: key?.publicKey ?? null,
        proofOfPossession: key?.proofOfPossession ?? null,
      };
    }),
    officers: byRole("officer").map((p) => ({ id: p.id, label: p.label, publicKey: p.publicKey })),
    auditors: byRole("auditor").map((p) => ({ id: p.id, label: p.label, publicKey: p.publicKey })),
  });
});
