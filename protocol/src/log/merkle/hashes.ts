/**
 * The hashes of the RFC 9162 §2.1 Merkle tree with SHA-256 (the same tree as RFC 6962 §2.1, and
 * the one C2SP tlog-tiles and tlog-checkpoint assume):
 *
 *   MTH({})            = SHA-256()                                   (EMPTY_ROOT)
 *   MTH({d(0)})        = SHA-256(0x00 ‖ d(0))                        (leafHash)
 *   MTH(D[n]), n > 1   = SHA-256(0x01 ‖ MTH(D[0:k]) ‖ MTH(D[k:n]))   (nodeHash)
 *                        where k is the largest power of two < n
 *
 * The distinct 0x00 / 0x01 prefixes keep a leaf from ever being read as an interior node
 * (second-preimage resistance, RFC 9162 §2.1.1).
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { ProtocolError } from "../../errors.ts";

/** Every leaf, node and root hash is one SHA-256 output. */
export const HASH_BYTES = 32;

/** MTH of the empty tree: SHA-256 of the empty string (RFC 9162 §2.1.1). */
export const EMPTY_ROOT: Uint8Array = sha256(new Uint8Array(0));

const LEAF_PREFIX = new Uint8Array([0x00]);
const NODE_PREFIX = new Uint8Array([0x01]);

/** SHA-256(0x00 ‖ entry): the hash a log stores for the entry at level 0. */
export function leafHash(entry: Uint8Array): Uint8Array {
  return sha256.create().update(LEAF_PREFIX).update(entry).digest();
}

/**
 * SHA-256(0x01 ‖ left ‖ right). Both children must be hashes: with other lengths the
 * concatenation would no longer determine the pair, so a caller's slip could forge a node.
 */
export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  checkHash(left, "left child");
  checkHash(right, "right child");
  return sha256.create().update(NODE_PREFIX).update(left).update(right).digest();
}

export function checkHash(hash: Uint8Array, what: string): Uint8Array {
  if (hash.length !== HASH_BYTES) {
    throw new ProtocolError(
      "bad-length",
      `${what} must be a ${HASH_BYTES}-byte hash, got ${hash.length} bytes`,
    );
  }
  return hash;
}
