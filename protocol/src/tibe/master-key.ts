/**
 * The master public key of a day (PROTOCOL.md §4.3):
 *
 *   mpk_d = Σ P_i + E_d        (trustee keys P_i and the day's epoch key E_d, all in G2)
 *
 * Every key in the sum must carry a valid proof of possession: otherwise whoever publishes the
 * last key could choose it as (own key − the others) and decrypt alone. Duplicate keys are
 * refused too (two copies of one key would let its holder stand in for two shares).
 *
 * A PreparedMasterKey also caches, per identity, the hashed point Q and optionally e(Q, mpk), and
 * the Miller-loop line coefficients of mpk — the precomputation that makes encryption fast.
 */
import { constantTimeEqual } from "../encoding/bytes.ts";
import { ProtocolError } from "../errors.ts";
import { bls, decodeG2, type G1Point, G2_BYTES, type G2Point, type GtElement } from "./curve.ts";
import { identityPoint } from "./identity.ts";
import { verifyProofOfPossession } from "./trustee-key.ts";

export interface KeyShare {
  readonly publicKey: Uint8Array;
  readonly proofOfPossession: Uint8Array;
}

type Lines = ReturnType<typeof bls.utils.calcPairingPrecomputes>;

interface CachedIdentity {
  readonly point: G1Point;
  gt?: GtElement;
}

export class PreparedMasterKey {
  readonly bytes: Uint8Array;
  private lines: Lines | undefined;
  private readonly identities = new Map<string, CachedIdentity>();

  private constructor(
    readonly point: G2Point,
    readonly shares: readonly KeyShare[],
  ) {
    this.bytes = point.toBytes(true);
  }

  /** Verifies every share's proof of possession, refuses duplicates, and sums the keys. */
  static fromShares(shares: readonly KeyShare[]): PreparedMasterKey {
    if (shares.length === 0)
      throw new ProtocolError("bad-value", "a master key needs at least one share");
    let sum: G2Point | undefined;
    shares.forEach((share, i) => {
      if (!verifyProofOfPossession(share.publicKey, share.proofOfPossession)) {
        throw new ProtocolError(
          "bad-proof-of-possession",
          `key share ${i} has no valid proof of possession`,
        );
      }
      for (let j = 0; j < i; j++) {
        if (constantTimeEqual(shares[j]!.publicKey, share.publicKey)) {
          throw new ProtocolError("bad-value", `key share ${i} repeats share ${j}`);
        }
      }
      const point = decodeG2(share.publicKey, `key share ${i}`);
      sum = sum ? sum.add(point) : point;
    });
    if (!sum || sum.is0())
      throw new ProtocolError("bad-point", "the key shares sum to the point at infinity");
    // Copies, so that later changes to the caller's list or bytes cannot swap a checked share.
    const checked = shares.map((share) =>
      Object.freeze({
        publicKey: share.publicKey.slice(),
        proofOfPossession: share.proofOfPossession.slice(),
      }),
    );
    return new PreparedMasterKey(sum, Object.freeze(checked));
  }

  /** Miller-loop lines of mpk, computed once (≈1 ms) and reused by every encryption. */
  pairingLines(): Lines {
    this.lines ??= bls.utils.calcPairingPrecomputes(this.point);
    return this.lines;
  }

  /** e(P, mpk) for a G1 point P, using the cached lines. */
  pairWith(p: G1Point): GtElement {
    const { x, y } = p.toAffine();
    return bls.fields.Fp12.finalExponentiate(bls.millerLoopBatch([[this.pairingLines(), x, y]]));
  }

  private key(idBytes: Uint8Array): string {
    let s = "";
    for (const b of idBytes) s += String.fromCharCode(b);
    return s;
  }

  identity(idBytes: Uint8Array): CachedIdentity {
    const k = this.key(idBytes);
    let hit = this.identities.get(k);
    if (!hit) {
      hit = { point: identityPoint(idBytes) };
      this.identities.set(k, hit);
    }
    return hit;
  }

  /**
   * Computes and caches e(Q, mpk) for an identity, so that later encryptions to it need one
   * GT exponentiation instead of a pairing. Call it while a page renders, before the person taps.
   */
  precomputeIdentity(idBytes: Uint8Array): void {
    const cached = this.identity(idBytes);
    cached.gt ??= this.pairWith(cached.point);
  }
}

export const MASTER_KEY_BYTES = G2_BYTES;
