/**
 * Partial identity keys (PROTOCOL.md §4.5). A trustee holding share s_i releases for identity id
 *
 *   D_i = s_i · Q,  Q = H1(id)          — a BLS signature on id (48-byte compressed G1)
 *
 * and anyone can check it against the trustee's public key P_i with one pairing equation:
 *
 *   e(D_i, g2) = e(Q, P_i)
 *
 * The identity key is D = Σ D_i over every share of the master key (trustees and the day's epoch
 * key), combined only after each D_i verified. Because mpk = Σ P_i, e(D, g2) = e(Q, mpk).
 */
import { ProtocolError } from "../errors.ts";
import { bls, decodeG1, decodeG2, decodeScalar, G1, type G1Point, G2 } from "./curve.ts";
import { identityPoint } from "./identity.ts";
import { PreparedMasterKey } from "./master-key.ts";

/** D_i = s_i·Q. A share that is not a 32-byte integer in [1, r − 1] is "bad-scalar". */
export function extractPartialKey(secretShare: Uint8Array, idBytes: Uint8Array): Uint8Array {
  const s = decodeScalar(secretShare, "secret share");
  return identityPoint(idBytes).multiply(s).toBytes(true);
}

type Lines = ReturnType<typeof bls.utils.calcPairingPrecomputes>;
let negG2Lines: Lines | undefined;
const shareLines = new Map<string, Lines>();

function linesForShare(share: Uint8Array): Lines {
  let key = "";
  for (const b of share) key += String.fromCharCode(b);
  let lines = shareLines.get(key);
  if (!lines) {
    lines = bls.utils.calcPairingPrecomputes(decodeG2(share, "key share"));
    if (shareLines.size > 64) shareLines.clear();
    shareLines.set(key, lines);
  }
  return lines;
}

function partialKeyHolds(share: Uint8Array, q: G1Point, partial: Uint8Array): boolean {
  let d: G1Point;
  let pLines: Lines;
  try {
    d = decodeG1(partial, "partial key");
    pLines = linesForShare(share);
  } catch {
    return false;
  }
  // e(D, −g2) · e(Q, P) = 1  ⇔  e(D, g2) = e(Q, P): two Miller loops over cached line
  // coefficients (−g2 is fixed, each share's lines are kept), one final exponentiation.
  negG2Lines ??= bls.utils.calcPairingPrecomputes(G2.BASE.negate());
  const da = d.toAffine();
  const qa = q.toAffine();
  const f = bls.millerLoopBatch([
    [negG2Lines, da.x, da.y],
    [pLines, qa.x, qa.y],
  ]);
  return bls.fields.Fp12.eql(bls.fields.Fp12.finalExponentiate(f), bls.fields.Fp12.ONE);
}

/** True only for a valid partial key of this share for this identity; never throws. */
export function verifyPartialKey(
  sharePublicKey: Uint8Array,
  idBytes: Uint8Array,
  partial: Uint8Array,
): boolean {
  return partialKeyHolds(sharePublicKey, identityPoint(idBytes), partial);
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
  const q = identityPoint(idBytes);
  let sum = G1.ZERO;
  partials.forEach((partial, i) => {
    if (!partialKeyHolds(shares[i]!.publicKey, q, partial)) {
      throw new ProtocolError("bad-signature", `partial key ${i} does not verify`);
    }
    sum = sum.add(decodeG1(partial, "partial key"));
  });
  return sum.toBytes(true);
}
