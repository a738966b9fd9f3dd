/**
 * The RFC 9162 §2.1 Merkle tree of the transparency log: hashes, the complete-subtree store a
 * tlog-tiles log keeps (appending, roots and proofs at any size from O(log n) stored hashes) and
 * proof verification. Sizes and indexes are u64 bigints.
 */
export { checkHash, EMPTY_ROOT, HASH_BYTES, leafHash, nodeHash } from "./hashes.ts";
export { MemoryTree } from "./memory.ts";
export {
  type Appended,
  type AsyncHashReader,
  appendLeaf,
  checkLeafIndex,
  checkNode,
  checkU64,
  consistencyProof,
  consistencyProofSync,
  EMPTY_FRONTIER,
  type Frontier,
  frontierAt,
  frontierAtSync,
  type HashReader,
  inclusionProof,
  inclusionProofSync,
  isCompleteNode,
  MAX_LEVEL,
  MAX_TREE_SIZE,
  type NodeRef,
  planConsistencyProof,
  planFrontier,
  planInclusionProof,
  planTreeRoot,
  type ReadPlan,
  read,
  readSync,
  rootFromFrontier,
  rootFromLeafHashes,
  type StoredNode,
  treeRoot,
  treeRootSync,
} from "./tree.ts";
export { rootFromInclusionProof, verifyConsistency, verifyInclusion } from "./verify.ts";
