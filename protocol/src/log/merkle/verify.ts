/**
 * Verifying RFC 9162 §2.1 proofs, following the RFC's bit-level algorithms step by step
 * (PROTOCOL.md §10.1, "Tree").
 *
 * Inclusion (§2.1.3.2), for leaf_index < tree_size:
 *   fn = leaf_index, sn = tree_size − 1, r = hash
 *   for each p in inclusion_path:
 *     if sn = 0: fail
 *     if LSB(fn) = 1 or fn = sn:
 *       r = H(0x01 ‖ p ‖ r)
 *       if LSB(fn) = 0: shift fn, sn right until LSB(fn) = 1 or fn = 0
 *     else:
 *       r = H(0x01 ‖ r ‖ p)
 *     shift fn, sn right once
 *   succeed iff sn = 0 and r = root_hash
 *
 * Consistency (§2.1.4.2), for 0 < first < second:
 *   fail if consistency_path is empty
 *   if first is a power of two: prepend first_hash to consistency_path
 *   fn = first − 1, sn = second − 1; while LSB(fn) = 1: shift fn, sn right
 *   fr = sr = consistency_path[0]
 *   for each later c in consistency_path:
 *     if sn = 0: fail
 *     if LSB(fn) = 1 or fn = sn:
 *       fr = H(0x01 ‖ c ‖ fr), sr = H(0x01 ‖ c ‖ sr)
 *       if LSB(fn) = 0: shift fn, sn right until LSB(fn) = 1 or fn = 0
 *     else:
 *       sr = H(0x01 ‖ sr ‖ c)
 *     shift fn, sn right once
 *   succeed iff fr = first_hash, sr = second_hash and sn = 0
 *
 * Convention: verification returns nothing and throws. A claim whose sizes or index cannot
 * describe a proof at all (not a u64, leaf_index ≥ tree_size, first > second) is "bad-index"; any
 * other failure — wrong hash, wrong proof length, an element that is not 32 bytes — is
 * "bad-proof". Callers that only need yes/no catch {@link ProtocolError}; throwing keeps the
 * failure's reason and matches how the rest of the library reports a signature that does not
 * verify.
 *
 * Cases RFC 9162 leaves open, decided here:
 *   - Inclusion in the empty tree is impossible: every index is ≥ 0 = tree_size ("bad-index").
 *   - first = second: the proof must be empty and first_hash = second_hash (constant-time).
 *   - first = 0 < second: the empty tree is a prefix of every tree, so the proof must be empty;
 *     first_hash must still be MTH({}) = SHA-256(), because a size-0 checkpoint with another
 *     root is malformed (transparency-dev/merkle accepts any first_hash here; we are stricter).
 *     first = second = 0 needs both hashes to be MTH({}).
 *   - Proofs too long for the sizes fail at the RFC's "if sn = 0: fail"; too short ones at the
 *     final "sn = 0" test; neither reads past the path.
 *
 * What a proof does not bind: the sizes enter only through the shape of the computation, so a
 * proof can also verify for other sizes that give the same shape — PATH(0, D[3]) = [h₁, h₂] also
 * proves leaf 0 "in a tree of size 4" with the size-3 root, since both compute
 * H(H(h₀, h₁), h₂). That is inherent to RFC 9162; it is harmless because a checkpoint signs the
 * size and the root together, and verifiers take both from the same checkpoint.
 */
import { constantTimeEqual } from "../../encoding/bytes.ts";
import { ProtocolError } from "../../errors.ts";
import { EMPTY_ROOT, HASH_BYTES, nodeHash } from "./hashes.ts";
import { checkLeafIndex, checkU64 } from "./tree.ts";

function fail(message: string): never {
  throw new ProtocolError("bad-proof", message);
}

function checkHashes(hashes: readonly Uint8Array[], what: string): void {
  for (const [i, h] of hashes.entries()) {
    if (h.length !== HASH_BYTES) fail(`${what} ${i} is ${h.length} bytes, not ${HASH_BYTES}`);
  }
}

function checkRoot(hash: Uint8Array, what: string): void {
  if (hash.length !== HASH_BYTES) fail(`${what} is ${hash.length} bytes, not ${HASH_BYTES}`);
}

const lsb = (x: bigint): boolean => (x & 1n) === 1n;

/**
 * The root that `inclusionPath` proves for leaf `leafIndex` of a tree of `treeSize` leaves: the
 * RFC 9162 §2.1.3.2 computation without the final comparison. Throws "bad-proof" when the path
 * has the wrong length for the index and size.
 */
export function rootFromInclusionProof(
  leafIndex: bigint,
  treeSize: bigint,
  hash: Uint8Array,
  inclusionPath: readonly Uint8Array[],
): Uint8Array {
  checkLeafIndex(leafIndex, treeSize);
  checkRoot(hash, "leaf hash");
  checkHashes(inclusionPath, "inclusion path element");
  let fn = leafIndex;
  let sn = treeSize - 1n;
  let r = hash;
  for (const p of inclusionPath) {
    if (sn === 0n) fail("inclusion path is longer than the tree is deep");
    if (lsb(fn) || fn === sn) {
      r = nodeHash(p, r);
      if (!lsb(fn)) {
        while (!lsb(fn) && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  if (sn !== 0n) fail("inclusion path is shorter than the tree is deep");
  return r.slice();
}

/** RFC 9162 §2.1.3.2: throws unless `inclusionPath` proves `hash` is leaf `leafIndex` of `rootHash`. */
export function verifyInclusion(
  leafIndex: bigint,
  treeSize: bigint,
  hash: Uint8Array,
  inclusionPath: readonly Uint8Array[],
  rootHash: Uint8Array,
): void {
  const computed = rootFromInclusionProof(leafIndex, treeSize, hash, inclusionPath);
  checkRoot(rootHash, "root hash");
  if (!constantTimeEqual(computed, rootHash)) fail("inclusion path leads to a different root");
}

/**
 * RFC 9162 §2.1.4.2: throws unless `consistencyPath` proves that the tree of `first` leaves with
 * root `firstHash` is a prefix of the tree of `second` leaves with root `secondHash`.
 */
export function verifyConsistency(
  first: bigint,
  second: bigint,
  firstHash: Uint8Array,
  secondHash: Uint8Array,
  consistencyPath: readonly Uint8Array[],
): void {
  checkU64(first, "first tree size");
  checkU64(second, "second tree size");
  if (first > second) {
    throw new ProtocolError("bad-index", `first tree size ${first} exceeds second ${second}`);
  }
  checkRoot(firstHash, "first root hash");
  checkRoot(secondHash, "second root hash");
  checkHashes(consistencyPath, "consistency path element");

  if (first === 0n || first === second) {
    if (consistencyPath.length !== 0) fail("consistency path must be empty for these sizes");
    if (first === 0n && !constantTimeEqual(firstHash, EMPTY_ROOT)) {
      fail("the root of the empty tree must be SHA-256 of the empty string");
    }
    if (first === second && !constantTimeEqual(firstHash, secondHash)) {
      fail("trees of equal size have different roots");
    }
    return;
  }

  if (consistencyPath.length === 0) fail("consistency path is empty");
  const path = (first & (first - 1n)) === 0n ? [firstHash, ...consistencyPath] : consistencyPath;
  let fn = first - 1n;
  let sn = second - 1n;
  while (lsb(fn)) {
    fn >>= 1n;
    sn >>= 1n;
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0n) fail("consistency path is longer than the trees need");
    if (lsb(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (!lsb(fn)) {
        while (!lsb(fn) && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  if (sn !== 0n) fail("consistency path is shorter than the trees need");
  if (!constantTimeEqual(fr, firstHash)) fail("consistency path leads to a different first root");
  if (!constantTimeEqual(sr, secondHash)) fail("consistency path leads to a different second root");
}
