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

/**
 * Publishes an enrolled trustee's key share, unless the genesis step already wrote its row;
 * whether this call wrote it (so that only such a row is undone when the log refuses the
 * enrolment). Throws when another principal holds the key.
 */
export async function publishTrusteeShare(
  db: D1Database,
  t: { id: string; label: string; shareKey: string; proofOfPossession: string },
): Promise<boolean> {
  const inserted = await db
    .prepare(
      `INSERT INTO principals (id, role, label, public_key, proof_of_possession)
         SELECT ?, 'trustee', ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM principals WHERE id = ?)`,
    )
    .bind(t.id, t.label, t.shareKey, t.proofOfPossession, t.id)
    .run();
  return inserted.meta.changes === 1;
}

/** Takes back a trustee row {@link publishTrusteeShare} wrote. */
export async function unpublishTrusteeShare(
  db: D1Database,
  id: string,
  shareKey: string,
): Promise<void> {
  await db
    .prepare("DELETE FROM principals WHERE id = ? AND public_key = ?")
    .bind(id, shareKey)
    .run();
}

/** A trustee's published row as {@link withdrawTrusteeShare} took it away. */
export interface WithdrawnTrusteeShare {
  readonly id: string;
  readonly label: string;
  readonly publicKey: string;
  readonly proofOfPossession: string;
  readonly createdAt: number;
  readonly revokedAt: number | null;
}

/**
 * Takes a removed trustee's row away, so that an enrolment of the id later publishes its new key
 * rather than keeping this one; the row taken, to put back should the removal not be logged.
 */
export async function withdrawTrusteeShare(
  db: D1Database,
  id: string,
): Promise<WithdrawnTrusteeShare | null> {
  return db
    .prepare(
      `DELETE FROM principals WHERE id = ? AND role = 'trustee'
        RETURNING id, label, public_key AS publicKey, proof_of_possession AS proofOfPossession,
                  created_at AS createdAt, revoked_at AS revokedAt`,
    )
    .bind(id)
    .first<WithdrawnTrusteeShare>();
}

/** Puts back a row {@link withdrawTrusteeShare} took, unless the id was published meanwhile. */
export async function restoreTrusteeShare(
  db: D1Database,
  row: WithdrawnTrusteeShare,
): Promise<void> {
  await db
    .prepare(
      `INSERT OR IGNORE INTO principals
         (id, role, label, public_key, proof_of_possession, created_at, revoked_at)
       VALUES (?, 'trustee', ?, ?, ?, ?, ?)`,
    )
    .bind(row.id, row.label, row.publicKey, row.proofOfPossession, row.createdAt, row.revokedAt)
    .run();
}
