/**
 * Partial identity keys (PROTOCOL.md §4.5). A trustee holding share s_i releases for identity id
 *
 *   D_i = s_i · Q,  Q = H2(id)          — a BLS signature on id (96-byte compressed G2)
 *
 * and anyone can check it against the trustee's public key P_i = s_i·g1 with one pairing
 * equation, evaluated as a product with one final exponentiation:
 *
 *   e(g1, D_i) = e(P_i, Q)    ⇔    e(−g1, D_i) · e(P_i, Q) = 1
 *
 * The identity key is D = Σ D_i over every share of the master key (trustees and the day's epoch
 * key), combined only after each D_i verified. Because mpk = Σ P_i, e(g1, D) = e(mpk, Q).
 */
import { ProtocolError } from "../errors.ts";
import { curves, type G2Handle } from "./backend.ts";
import { decodeScalar, negatedG1 } from "./curve.ts";
import { identityPoint } from "./identity.ts";
import { PreparedMasterKey } from "./master-key.ts";

/** D_i = s_i·Q. A share that is not a 32-byte integer in [1, r − 1] is "bad-scalar". */
export function extractPartialKey(secretShare: Uint8Array, idBytes: Uint8Array): Uint8Array {
  const s = decodeScalar(secretShare, "secret share");
  const c = curves();
  return c.g2ToBytes(c.g2Mul(identityPoint(idBytes), s));
}

function decodedPartial(share: Uint8Array, q: G2Handle, partial: Uint8Array): G2Handle | undefined {
  const c = curves();
  try {
    const d = c.g2FromBytes(partial, "partial key");
    const p = c.g1FromBytes(share, "key share");
    return c.pairingProductIsOne([
      [negatedG1(), d],
      [p, q],
    ])
      ? d
      : undefined;
  } catch {
    return undefined;
  }
}

/** True only for a valid partial key of this share for this identity; never throws. */
export function verifyPartialKey(
  sharePublicKey: Uint8Array,
  idBytes: Uint8Array,
  partial: Uint8Array,
): boolean {
  return decodedPartial(sharePublicKey, identityPoint(idBytes), partial) !== undefined;
}

/**
 * Verifies one partial key per share of the master key (in the master key's share order) and
 * returns the combined identity key. Throws "bad-signature" naming the first share whose partial
 * key is wrong, and "bad-value" when the count does not match.
 *
 * Only a PreparedMasterKey is accepted: PreparedMasterKey.fromShares has already checked every
 * share's proof of possession, refused duplicates and a sum at infinity (§4.3), so the shares the
 * partial keys are checked against are exactly the ones the ciphertexts were made for.
 */
export function combinePartialKeys(
  mpk: PreparedMasterKey,
  idBytes: Uint8Array,
  partials: readonly Uint8Array[],
): Uint8Array {
  // A plain share list would skip those checks; JavaScript callers get a typed error, not a crash.
  if (!(mpk instanceof PreparedMasterKey)) {
    throw new ProtocolError("bad-value", "partial keys combine against a PreparedMasterKey");
  }
  const shares = mpk.shares;
  if (partials.length !== shares.length) {
    throw new ProtocolError(
      "bad-value",
      `need ${shares.length} partial keys, got ${partials.length}`,
    );
  }
  const c = curves();
  const q = identityPoint(idBytes);
  let sum: G2Handle | undefined;
  partials.forEach((partial, i) => {
    const d = decodedPartial(shares[i]!.publicKey, q, partial);
    if (!d) throw new ProtocolError("bad-signature", `partial key ${i} does not verify`);
    sum = sum ? c.g2Add(sum, d) : d;
  });
  // Each D_i verified against a share of a key whose sum is not infinity, so D is not either.
  return c.g2ToBytes(sum!);
}
