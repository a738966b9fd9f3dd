/**
 * The master public key of a day (PROTOCOL.md §4.3):
 *
 *   mpk_d = Σ P_i + E_d        (trustee keys P_i and the day's epoch key E_d, all in G1)
 *
 * Every key in the sum must carry a valid proof of possession: otherwise whoever publishes the
 * last key could choose it as (own key − the others) and decrypt alone. Duplicate keys are
 * refused too (two copies of one key would let its holder stand in for two shares).
 *
 * A PreparedMasterKey also caches, per identity, the hashed point Q and optionally e(mpk, Q) —
 * the precomputation that makes encryption one GT exponentiation. The cache holds points of the
 * backend that made them and starts afresh when another backend becomes active.
 */
import { constantTimeEqual } from "../encoding/bytes.ts";
import { ProtocolError } from "../errors.ts";
import {
  type CurveBackend,
  curves,
  type G1Handle,
  type G2Handle,
  type GtHandle,
} from "./backend.ts";
import { G1_BYTES } from "./curve.ts";
import { identityPoint } from "./identity.ts";
import { verifyProofsOfPossession } from "./trustee-key.ts";

export interface KeyShare {
  readonly publicKey: Uint8Array;
  readonly proofOfPossession: Uint8Array;
}

export interface CachedIdentity {
  readonly point: G2Handle;
  gt?: GtHandle;
}

interface BackendState {
  readonly backend: CurveBackend;
  readonly point: G1Handle;
  readonly identities: Map<string, CachedIdentity>;
}

export class PreparedMasterKey {
  private state: BackendState;

  private constructor(
    /** The 48-byte encoding of mpk. */
    readonly bytes: Uint8Array,
    readonly shares: readonly KeyShare[],
    point: G1Handle,
  ) {
    this.state = { backend: curves(), point, identities: new Map() };
  }

  /** Verifies every share's proof of possession, refuses duplicates, and sums the keys. */
  static fromShares(shares: readonly KeyShare[]): PreparedMasterKey {
    if (shares.length === 0)
      throw new ProtocolError("bad-value", "a master key needs at least one share");
    const bad = verifyProofsOfPossession(shares);
    shares.forEach((share, i) => {
      // The first failure in share order wins, whether a bad proof or a repeat (§4.3).
      if (i === bad) {
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
    });
    const c = curves();
    let sum: G1Handle | undefined;
    shares.forEach((share, i) => {
      // These exact bytes were just checked in full with their proof (or were, by an earlier
      // check this thread remembers): the subgroup check is not paid twice.
      const point = c.g1FromBytesCheckedLater(share.publicKey, `key share ${i}`);
      sum = sum ? c.g1Add(sum, point) : point;
    });
    if (!sum || c.g1IsZero(sum))
      throw new ProtocolError("bad-point", "the key shares sum to the point at infinity");
    // Copies, so that later changes to the caller's list or bytes cannot swap a checked share.
    const checked = shares.map((share) =>
      Object.freeze({
        publicKey: share.publicKey.slice(),
        proofOfPossession: share.proofOfPossession.slice(),
      }),
    );
    return new PreparedMasterKey(c.g1ToBytes(sum), Object.freeze(checked), sum);
  }

  private current(): BackendState {
    const backend = curves();
    if (this.state.backend !== backend) {
      this.state = {
        backend,
        point: backend.g1FromBytes(this.bytes, "master key"),
        identities: new Map(),
      };
    }
    return this.state;
  }

  /** mpk as a point of the active backend. */
  point(): G1Handle {
    return this.current().point;
  }

  private key(idBytes: Uint8Array): string {
    let s = "";
    for (const b of idBytes) s += String.fromCharCode(b);
    return s;
  }

  identity(idBytes: Uint8Array): CachedIdentity {
    const { identities } = this.current();
    const k = this.key(idBytes);
    let hit = identities.get(k);
    if (!hit) {
      hit = { point: identityPoint(idBytes) };
      identities.set(k, hit);
    }
    return hit;
  }

  /**
   * Computes and caches e(mpk, Q) for an identity, so that later encryptions to it need one
   * GT exponentiation instead of a pairing. Call it while a page renders, before the person taps.
   */
  precomputeIdentity(idBytes: Uint8Array): void {
    const cached = this.identity(idBytes);
    cached.gt ??= curves().pairing(this.point(), cached.point);
  }
}

export const MASTER_KEY_BYTES = G1_BYTES;
