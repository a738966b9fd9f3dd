/**
 * The deployment's principals in D1: the registry, log, trustee, officer, auditor and witness
 * keys that `GET /api/deployment` publishes (seeded by scripts/lib/seed.ts).
 */

export type PrincipalRole = "registry" | "log" | "trustee" | "officer" | "auditor" | "witness";

export interface Principal {
  readonly id: string;
  readonly role: PrincipalRole;
  readonly label: string;
  /** base64url; Ed25519 (32 bytes) or, for trustees, compressed BLS12-381 G1 (48 bytes). */
  readonly publicKey: string;
  /** Trustees only: BLS proof of possession of `publicKey` (compressed G2, 96 bytes, base64url). */
  readonly proofOfPossession: string | null;
  readonly createdAt: number;
}

/** Principals not revoked, in the order they were enrolled. */
export async function activePrincipals(db: D1Database): Promise<Principal[]> {
  const { results } = await db
    .prepare(
      `SELECT id, role, label, public_key AS publicKey, proof_of_possession AS proofOfPossession,
              created_at AS createdAt
         FROM principals WHERE revoked_at IS NULL ORDER BY created_at, id`,
    )
    .all<Principal>();
  return results;
}
