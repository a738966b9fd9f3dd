/**
 * Trustee key shares for threshold identity-based encryption on BLS12-381 (PROTOCOL.md §2.5).
 *
 *   s_i ← (OS2IP(ikm) mod (r − 1)) + 1    secret share from 48 bytes of keying material
 *   P_i = s_i · g1                        public key, 48-byte compressed G1 point
 *   π_i = s_i · H2(P_i, POP_DST)          proof of possession, 96-byte compressed G2 point
 *   verify π_i:  e(g1, π_i) = e(P_i, H2(P_i, POP_DST))
 *
 * The master public key of a day is Σ P_i + E_d. Without the proofs of possession, whoever
 * publishes the last key could choose it as (own key − the others) and decrypt alone, so every
 * key in that sum must come with a verified proof. H2 is RFC 9380 hash-to-G2 under its own
 * domain-separation tag, distinct from the tag used for identities, so a proof of possession can
 * never double as a partial identity key.
 *
 * Several proofs are checked in one batch (verifyProofsOfPossession): for random 64-bit ρ_i,
 *
 *   e(−g1, Σ ρ_i·π_i) · Π e(ρ_i·P_i, H2(P_i)) = 1
 *
 * costs n + 1 Miller loops and one final exponentiation instead of 2n and n. A forged proof
 * passes the batch with probability 2⁻⁶⁴ over ρ, which the verifier draws after seeing the keys;
 * when the batch fails, each proof is checked alone to name the first bad one.
 *
 * Whether a proof holds is a pure function of (P, π), and the same keys come back all day — in
 * the deployment record, each epoch statement, each master key — so a proof that verified is
 * remembered by SHA-256(P ‖ π) (the last 256 per thread) and never paired again. A page can keep
 * that memory across loads (rememberedProofs / rememberProofs): whoever can write a page's
 * storage can already run code in it.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import { concatBytes } from "../encoding/bytes.ts";
import { ProtocolError } from "../errors.ts";
import { curves, type G1Handle, type G2Handle } from "./backend.ts";
import {
  CURVE_ORDER,
  decodeScalar,
  G1_BYTES,
  G2_BYTES,
  negatedG1,
  PROOF_OF_POSSESSION_BYTES,
  SHARE_KEY_BYTES,
} from "./curve.ts";

export const POP_DST = "LINTEL-V1-POP-BLS12381G2_XMD:SHA-256_SSWU_RO_";
export const G2_COMPRESSED_BYTES = G2_BYTES;
export const G1_COMPRESSED_BYTES = G1_BYTES;
export { PROOF_OF_POSSESSION_BYTES, SHARE_KEY_BYTES };
export const SCALAR_BYTES = 32;

export interface TrusteeKey {
  readonly secretShare: Uint8Array;
  readonly publicKey: Uint8Array;
  readonly proofOfPossession: Uint8Array;
}

export const KEY_SEED_BYTES = 48;

function secretFromKeyingMaterial(ikm: Uint8Array): bigint {
  let x = 0n;
  for (const b of ikm) x = (x << 8n) | BigInt(b);
  return (x % (CURVE_ORDER - 1n)) + 1n;
}

function scalarBytes(s: bigint): Uint8Array {
  const out = new Uint8Array(SCALAR_BYTES);
  for (let i = SCALAR_BYTES - 1; i >= 0; i--, s >>= 8n) out[i] = Number(s & 0xffn);
  return out;
}

/**
 * `seed`, for reproducible test vectors only: 48 bytes of input keying material, mapped to
 * s = (OS2IP(seed) mod (r − 1)) + 1 (PROTOCOL.md §2.5). Any other length is "bad-length".
 */
export function generateTrusteeKey(seed?: Uint8Array): TrusteeKey {
  if (seed !== undefined && (!(seed instanceof Uint8Array) || seed.length !== KEY_SEED_BYTES)) {
    throw new ProtocolError("bad-length", `a key seed is ${KEY_SEED_BYTES} bytes`);
  }
  const s = secretFromKeyingMaterial(
    seed ?? crypto.getRandomValues(new Uint8Array(KEY_SEED_BYTES)),
  );
  const c = curves();
  const publicKey = c.g1ToBytes(c.g1Base(s));
  const proof = c.g2Mul(c.hashToG2(publicKey, POP_DST), s);
  return { secretShare: scalarBytes(s), publicKey, proofOfPossession: c.g2ToBytes(proof) };
}

interface DecodedProof {
  readonly key: G1Handle;
  readonly proof: G2Handle;
  readonly hashed: G2Handle;
}

function decodeProof(
  publicKey: Uint8Array,
  proofOfPossession: Uint8Array,
): DecodedProof | undefined {
  if (!(publicKey instanceof Uint8Array) || !(proofOfPossession instanceof Uint8Array))
    return undefined;
  if (
    publicKey.length !== SHARE_KEY_BYTES ||
    proofOfPossession.length !== PROOF_OF_POSSESSION_BYTES
  )
    return undefined;
  const c = curves();
  try {
    return {
      key: c.g1FromBytes(publicKey, "public key"),
      proof: c.g2FromBytes(proofOfPossession, "proof of possession"),
      hashed: c.hashToG2(publicKey, POP_DST),
    };
  } catch {
    return undefined;
  }
}

function holds(d: DecodedProof): boolean {
  return curves().pairingProductIsOne([
    [negatedG1(), d.proof],
    [d.key, d.hashed],
  ]);
}

const REMEMBERED_PROOFS = 256;
const verifiedProofs = new Set<string>();

/** "" (never remembered) for inputs that are not byte arrays. */
function proofDigest(publicKey: unknown, proofOfPossession: unknown): string {
  if (!(publicKey instanceof Uint8Array) || !(proofOfPossession instanceof Uint8Array)) return "";
  return bytesToHex(sha256(concatBytes(publicKey, proofOfPossession)));
}

function remember(digest: string): void {
  verifiedProofs.delete(digest);
  verifiedProofs.add(digest);
  if (verifiedProofs.size > REMEMBERED_PROOFS) {
    verifiedProofs.delete(verifiedProofs.values().next().value!);
  }
}

/** The digests of the proofs this thread has seen verify, oldest first (to keep across loads). */
export function rememberedProofs(): readonly string[] {
  return [...verifiedProofs];
}

/** Forgets every remembered proof: the next check of each pays its pairings again (benchmarks). */
export function forgetRememberedProofs(): void {
  verifiedProofs.clear();
}

/** Adds digests from {@link rememberedProofs} of an earlier load; anything else is ignored. */
export function rememberProofs(digests: readonly unknown[]): void {
  for (const d of digests) if (typeof d === "string" && /^[0-9a-f]{64}$/.test(d)) remember(d);
}

/** True only for a valid subgroup point with a valid proof of possession; never throws. */
export function verifyProofOfPossession(
  publicKey: Uint8Array,
  proofOfPossession: Uint8Array,
): boolean {
  return verifyProofsOfPossession([{ publicKey, proofOfPossession }]) === -1;
}

function randomWeight(): bigint {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  let w = 0n;
  for (const b of bytes) w = (w << 8n) | BigInt(b);
  return w | 1n; // never 0
}

/**
 * Checks every share's proof of possession, in one batch when there are several. Returns the
 * index of the first share whose proof is invalid, or −1 when all hold; never throws.
 */
export function verifyProofsOfPossession(
  shares: readonly { readonly publicKey: Uint8Array; readonly proofOfPossession: Uint8Array }[],
): number {
  const digests = shares.map((s) => proofDigest(s.publicKey, s.proofOfPossession));
  const open = digests.flatMap((d, i) => (verifiedProofs.has(d) ? [] : [i]));
  const bad = verifyUnremembered(open.map((i) => shares[i]!));
  if (bad >= 0) return open[bad]!;
  for (const i of open) if (digests[i]) remember(digests[i]!);
  return -1;
}

function verifyUnremembered(
  shares: readonly { readonly publicKey: Uint8Array; readonly proofOfPossession: Uint8Array }[],
): number {
  const decoded = shares.map((s) => decodeProof(s.publicKey, s.proofOfPossession));
  const firstBad = () => decoded.findIndex((d) => d === undefined || !holds(d));
  if (decoded.length < 2 || decoded.some((d) => d === undefined)) return firstBad();
  const all = decoded as DecodedProof[];
  const c = curves();
  let proofSum: G2Handle | undefined;
  const pairs: (readonly [G1Handle, G2Handle])[] = [];
  all.forEach((d, i) => {
    // The first weight may be 1: with the others random, any invalid proof still leaves a factor
    // X_j^(w_j) ≠ 1 that holds for at most one w_j mod r (2^-64 for 64-bit weights).
    if (i === 0) {
      proofSum = d.proof;
      pairs.push([d.key, d.hashed]);
      return;
    }
    const w = randomWeight();
    const weighted = c.g2Mul(d.proof, w);
    proofSum = proofSum ? c.g2Add(proofSum, weighted) : weighted;
    pairs.push([c.g1Mul(d.key, w), d.hashed]);
  });
  if (
    proofSum &&
    !c.g2IsZero(proofSum) &&
    c.pairingProductIsOne([[negatedG1(), proofSum], ...pairs])
  )
    return -1;
  return firstBad();
}

export function assertProofOfPossession(
  publicKey: Uint8Array,
  proofOfPossession: Uint8Array,
): void {
  if (!verifyProofOfPossession(publicKey, proofOfPossession)) {
    throw new ProtocolError("bad-proof-of-possession", "key has no valid proof of possession");
  }
}

/** The public share key P = s·g1 (48 bytes) of a secret share — what a trustee says it holds. */
export function shareKeyOf(secretShare: Uint8Array): Uint8Array {
  const c = curves();
  return c.g1ToBytes(c.g1Base(decodeScalar(secretShare, "secret share")));
}
