/**
 * Computing RFC 9162 §2.1 tree hashes and proofs from stored complete-subtree hashes, the way a
 * C2SP tlog-tiles log does (https://c2sp.org/tlog-tiles).
 *
 * Addressing. Node (L, k) is the complete subtree of 2^L leaves d(k·2^L) … d((k+1)·2^L − 1);
 * its hash is MTH(D[k·2^L : (k+1)·2^L]). In a tree of size n it exists once (k+1)·2^L ≤ n, and
 * it never changes afterwards, so a log writes it once and may cache it forever. Level 0 holds the
 * leaf hashes. Sizes and indexes are u64 (bigint), so n ≤ 2^64 − 1 and L ≤ 63.
 *
 * Ranges. Every node of the RFC tree of size n, complete or not, is MTH(D[a:b]) for a range whose
 * start a is a multiple of a power of two 2^c ≥ b − a (RFC 9162 §2.1.1 always splits at the
 * largest power of two below the length). Such a range is the concatenation of complete subtrees
 * read off the binary digits of b − a, largest first:
 *
 *   [a, b) = (L₁, a/2^L₁) ‖ (L₂, (a + 2^L₁)/2^L₂) ‖ …     L₁ > L₂ > … the set bits of b − a
 *   MTH(D[a:b]) = H₁ if there is one part, else nodeHash(H₁, MTH(rest))
 *
 * because the largest power of two below a non-power b − a is its top bit. The decomposition of
 * [0, n) is the "frontier" (compact range of transparency-dev/merkle): popcount(n) hashes, enough
 * to append (below) and to compute the root without reading anything else.
 *
 * Proofs. RFC 9162 §2.1.3.1 PATH(m, D[n]) and §2.1.4.1 PROOF(m, D[n]) are lists of MTHs of RFC
 * tree nodes. Walking down from the root, the walk stays on the tree's right edge until it first
 * turns left; the right sibling it records there is the only element that may be incomplete, and
 * everything below lies inside a complete subtree. So a proof at any size n reads at most one
 * hash per level plus that sibling's decomposition — 126 for inclusion, 127 for consistency at
 * the worst u64 sizes — and nothing outside the complete subtrees of size n.
 *
 * Reads. Each computation is first a {@link ReadPlan}: the list of nodes it needs and a pure
 * function from their hashes to the result. Synchronous storage runs it with {@link readSync};
 * asynchronous storage gets the whole list in one {@link AsyncHashReader.getNodes} call, so one
 * proof costs one round trip (a handful of tile fetches) rather than one per level. Callers that
 * answer several requests at once can merge plans themselves.
 */
import { ProtocolError } from "../../errors.ts";
import { checkHash, EMPTY_ROOT, nodeHash } from "./hashes.ts";

/** The largest tree size (and one more than the largest leaf index) a u64 can express. */
export const MAX_TREE_SIZE = (1n << 64n) - 1n;
/** No complete subtree of a tree of at most 2^64 − 1 leaves is higher than this. */
export const MAX_LEVEL = 63;

/** The complete subtree of 2^level leaves starting at leaf index·2^level. */
export interface NodeRef {
  readonly level: number;
  readonly index: bigint;
}

export interface StoredNode extends NodeRef {
  readonly hash: Uint8Array;
}

/**
 * Storage that returns the hash of a complete subtree. Implementations should refuse a node that
 * is not complete in the tree they serve (see {@link checkNode}) rather than return anything.
 */
export interface HashReader {
  getNode(level: number, index: bigint): Uint8Array;
}

/** Asynchronous storage: one call per plan, answers in the order asked. */
export interface AsyncHashReader {
  getNodes(nodes: readonly NodeRef[]): Promise<readonly Uint8Array[]>;
}

/** The nodes a computation needs, and the computation itself once they have been read. */
export interface ReadPlan<T> {
  readonly nodes: readonly NodeRef[];
  finish(hashes: readonly Uint8Array[]): T;
}

/**
 * The right edge of a tree of `size` leaves: the hashes of its maximal complete subtrees, largest
 * first (one per set bit of `size`).
 */
export interface Frontier {
  readonly size: bigint;
  readonly hashes: readonly Uint8Array[];
}

export const EMPTY_FRONTIER: Frontier = Object.freeze({ size: 0n, hashes: Object.freeze([]) });

// ── u64 arguments ───────────────────────────────────────────────────────────────────────────

/** Throws "bad-index" unless `value` is a bigint in [0, 2^64 − 1]. */
export function checkU64(value: bigint, what: string): bigint {
  if (typeof value !== "bigint" || value < 0n || value > MAX_TREE_SIZE) {
    throw new ProtocolError("bad-index", `${what} must be a u64, got ${String(value)}`);
  }
  return value;
}

/** Throws "bad-index" unless `index` names a leaf of a tree of `size` leaves. */
export function checkLeafIndex(index: bigint, size: bigint): void {
  checkU64(size, "tree size");
  checkU64(index, "leaf index");
  if (index >= size) {
    throw new ProtocolError("bad-index", `leaf index ${index} is not below tree size ${size}`);
  }
}

function checkLevel(level: number): void {
  if (!Number.isInteger(level) || level < 0 || level > MAX_LEVEL) {
    throw new ProtocolError(
      "bad-index",
      `level must be an integer in 0..${MAX_LEVEL}, got ${level}`,
    );
  }
}

/** Whether node (level, index) is a complete subtree of a tree of `size` leaves. */
export function isCompleteNode(level: number, index: bigint, size: bigint): boolean {
  checkLevel(level);
  checkU64(index, "node index");
  checkU64(size, "tree size");
  return (index + 1n) << BigInt(level) <= size;
}

/** Throws "bad-index" unless node (level, index) is complete in a tree of `size` leaves. */
export function checkNode(level: number, index: bigint, size: bigint): void {
  if (!isCompleteNode(level, index, size)) {
    throw new ProtocolError(
      "bad-index",
      `node (${level}, ${index}) is not a complete subtree of a tree of size ${size}`,
    );
  }
}

// ── ranges ──────────────────────────────────────────────────────────────────────────────────

/** The complete subtrees making up [start, end), largest first (module comment, "Ranges"). */
function rangeNodes(start: bigint, end: bigint): NodeRef[] {
  const nodes: NodeRef[] = [];
  const length = end - start;
  let at = start;
  for (let level = MAX_LEVEL; level >= 0; level--) {
    const width = 1n << BigInt(level);
    if ((length & width) !== 0n) {
      nodes.push({ level, index: at >> BigInt(level) });
      at += width;
    }
  }
  return nodes;
}

/** MTH of a range from the hashes of its decomposition: a right fold, since the top bit splits. */
function foldRange(hashes: readonly Uint8Array[]): Uint8Array {
  let hash: Uint8Array = hashes[hashes.length - 1]!.slice();
  for (let i = hashes.length - 2; i >= 0; i--) hash = nodeHash(hashes[i]!, hash);
  return hash;
}

function bitLength(x: bigint): number {
  return x === 0n ? 0 : x.toString(2).length;
}

/** k of RFC 9162 §2.1.1: the largest power of two strictly below n (n ≥ 2). */
function splitPoint(n: bigint): bigint {
  return 1n << BigInt(bitLength(n - 1n) - 1);
}

/** A plan that reads the decomposition of each range and hands `assemble` their MTHs. */
function planRanges<T>(
  ranges: readonly (readonly [bigint, bigint])[],
  assemble: (rangeHashes: Uint8Array[]) => T,
): ReadPlan<T> {
  const parts = ranges.map(([start, end]) => rangeNodes(start, end));
  const nodes = parts.flat();
  return {
    nodes,
    finish(hashes) {
      if (hashes.length !== nodes.length) {
        throw new ProtocolError(
          "bad-length",
          `storage returned ${hashes.length} hashes for ${nodes.length} nodes`,
        );
      }
      for (const [i, h] of hashes.entries()) {
        checkHash(h, `stored node (${nodes[i]!.level}, ${nodes[i]!.index})`);
      }
      let offset = 0;
      const rangeHashes = parts.map((part) => {
        const hash = foldRange(hashes.slice(offset, offset + part.length));
        offset += part.length;
        return hash;
      });
      return assemble(rangeHashes);
    },
  };
}

// ── plans ───────────────────────────────────────────────────────────────────────────────────

/** MTH(D[0:size]); the empty tree needs no reads. */
export function planTreeRoot(size: bigint): ReadPlan<Uint8Array> {
  checkU64(size, "tree size");
  if (size === 0n) return planRanges([], () => EMPTY_ROOT.slice());
  return planRanges([[0n, size]], ([root]) => root!);
}

/** The frontier of a tree of `size` leaves, e.g. to resume appending after a restart. */
export function planFrontier(size: bigint): ReadPlan<Frontier> {
  checkU64(size, "tree size");
  const ranges = rangeNodes(0n, size).map((node): [bigint, bigint] => {
    const start = node.index << BigInt(node.level);
    return [start, start + (1n << BigInt(node.level))];
  });
  return planRanges(ranges, (hashes) => ({ size, hashes }));
}

/** RFC 9162 §2.1.3.1 PATH(index, D[0:size]), leaf's sibling first. */
export function planInclusionProof(index: bigint, size: bigint): ReadPlan<Uint8Array[]> {
  checkLeafIndex(index, size);
  // Walk down from the root; each step keeps the half holding the leaf and records the other.
  const siblings: [bigint, bigint][] = [];
  let lo = 0n;
  let hi = size;
  while (hi - lo > 1n) {
    const mid = lo + splitPoint(hi - lo);
    if (index < mid) {
      siblings.push([mid, hi]);
      hi = mid;
    } else {
      siblings.push([lo, mid]);
      lo = mid;
    }
  }
  // PATH appends on the way back up, so the deepest sibling comes first.
  return planRanges(siblings.reverse(), (hashes) => hashes);
}

/**
 * RFC 9162 §2.1.4.1 PROOF(first, D[0:second]) = SUBPROOF(first, D[0:second], true). For
 * first = 0 and first = second the proof is empty (see verify.ts for why both are accepted).
 */
export function planConsistencyProof(first: bigint, second: bigint): ReadPlan<Uint8Array[]> {
  checkU64(first, "first tree size");
  checkU64(second, "second tree size");
  if (first > second) {
    throw new ProtocolError("bad-index", `first tree size ${first} exceeds second ${second}`);
  }
  if (first === 0n || first === second) return planRanges([], (hashes) => hashes);
  // Walk SUBPROOF(m, D[lo:hi], b) downwards with m = first − lo; lo < first ≤ hi throughout.
  const ranges: [bigint, bigint][] = [];
  let lo = 0n;
  let hi = second;
  let isFirstRoot = true; // b: whether D[lo:first] is the whole first tree, which the verifier has
  while (first !== hi) {
    const mid = lo + splitPoint(hi - lo);
    if (first <= mid) {
      ranges.push([mid, hi]);
      hi = mid;
    } else {
      ranges.push([lo, mid]);
      lo = mid;
      isFirstRoot = false;
    }
  }
  if (!isFirstRoot) ranges.push([lo, hi]);
  return planRanges(ranges.reverse(), (hashes) => hashes);
}

// ── running plans ───────────────────────────────────────────────────────────────────────────

export function readSync<T>(plan: ReadPlan<T>, reader: HashReader): T {
  return plan.finish(plan.nodes.map((node) => reader.getNode(node.level, node.index)));
}

export async function read<T>(plan: ReadPlan<T>, reader: AsyncHashReader): Promise<T> {
  if (plan.nodes.length === 0) return plan.finish([]);
  return plan.finish(await reader.getNodes(plan.nodes));
}

export function treeRootSync(reader: HashReader, size: bigint): Uint8Array {
  return readSync(planTreeRoot(size), reader);
}

export function treeRoot(reader: AsyncHashReader, size: bigint): Promise<Uint8Array> {
  return read(planTreeRoot(size), reader);
}

export function frontierAtSync(reader: HashReader, size: bigint): Frontier {
  return readSync(planFrontier(size), reader);
}

export function frontierAt(reader: AsyncHashReader, size: bigint): Promise<Frontier> {
  return read(planFrontier(size), reader);
}

export function inclusionProofSync(reader: HashReader, index: bigint, size: bigint): Uint8Array[] {
  return readSync(planInclusionProof(index, size), reader);
}

export function inclusionProof(
  reader: AsyncHashReader,
  index: bigint,
  size: bigint,
): Promise<Uint8Array[]> {
  return read(planInclusionProof(index, size), reader);
}

export function consistencyProofSync(
  reader: HashReader,
  first: bigint,
  second: bigint,
): Uint8Array[] {
  return readSync(planConsistencyProof(first, second), reader);
}

export function consistencyProof(
  reader: AsyncHashReader,
  first: bigint,
  second: bigint,
): Promise<Uint8Array[]> {
  return read(planConsistencyProof(first, second), reader);
}

// ── appending ───────────────────────────────────────────────────────────────────────────────

function popcount(x: bigint): number {
  let count = 0;
  for (let v = x; v !== 0n; v &= v - 1n) count++;
  return count;
}

function checkFrontier(frontier: Frontier): void {
  checkU64(frontier.size, "frontier size");
  const expected = popcount(frontier.size);
  if (frontier.hashes.length !== expected) {
    throw new ProtocolError(
      "bad-value",
      `a frontier of size ${frontier.size} has ${expected} hashes, got ${frontier.hashes.length}`,
    );
  }
  for (const h of frontier.hashes) checkHash(h, "frontier hash");
}

export interface Appended {
  readonly frontier: Frontier;
  /** Every node that became complete, bottom-up: the leaf (level 0) first, the highest last. */
  readonly nodes: readonly StoredNode[];
}

/**
 * Appends leaf number `frontier.size`. Leaf n completes node (L, n >> L) for L = 0 and for every
 * L such that bits 0 … L−1 of n are all set, each the nodeHash of the frontier's last subtree and
 * the node one level below — the carry chain of n + 1.
 */
export function appendLeaf(frontier: Frontier, leafHash: Uint8Array): Appended {
  checkFrontier(frontier);
  checkHash(leafHash, "leaf hash");
  const n = frontier.size;
  if (n === MAX_TREE_SIZE) {
    throw new ProtocolError("bad-index", "the tree already holds 2^64 − 1 leaves");
  }
  const hashes = frontier.hashes.slice();
  let hash: Uint8Array = leafHash.slice();
  const nodes: StoredNode[] = [{ level: 0, index: n, hash }];
  for (let level = 0; ((n >> BigInt(level)) & 1n) === 1n; level++) {
    hash = nodeHash(hashes.pop()!, hash);
    nodes.push({ level: level + 1, index: n >> BigInt(level + 1), hash });
  }
  hashes.push(hash);
  return { frontier: { size: n + 1n, hashes }, nodes };
}

/** MTH of the tree the frontier describes: a right fold over its subtrees (module comment). */
export function rootFromFrontier(frontier: Frontier): Uint8Array {
  checkFrontier(frontier);
  if (frontier.hashes.length === 0) return EMPTY_ROOT.slice();
  return foldRange(frontier.hashes);
}

/** MTH(D[0:n]) of n leaf hashes, in O(n) hashing and O(log n) memory. */
export function rootFromLeafHashes(leaves: readonly Uint8Array[]): Uint8Array {
  let frontier = EMPTY_FRONTIER;
  for (const leaf of leaves) frontier = appendLeaf(frontier, leaf).frontier;
  return rootFromFrontier(frontier);
}
