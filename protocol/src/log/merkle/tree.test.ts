import { sha256 } from "@noble/hashes/sha2.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ProtocolError, type ProtocolErrorCode } from "../../errors.ts";
import { codeOf } from "../../testing/code-of.ts";
import { EMPTY_ROOT, leafHash } from "./hashes.ts";
import { MemoryTree } from "./memory.ts";
import {
  type AsyncHashReader,
  appendLeaf,
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
  MAX_TREE_SIZE,
  type NodeRef,
  planConsistencyProof,
  planInclusionProof,
  planTreeRoot,
  read,
  readSync,
  rootFromFrontier,
  rootFromLeafHashes,
  treeRoot,
  treeRootSync,
} from "./tree.ts";
import { verifyConsistency, verifyInclusion } from "./verify.ts";

async function asyncCodeOf(f: () => Promise<unknown>): Promise<ProtocolErrorCode | "no error"> {
  try {
    await f();
  } catch (e) {
    if (e instanceof ProtocolError) return e.code;
    throw e;
  }
  return "no error";
}

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const hexes = (bs: readonly Uint8Array[]) => bs.map(hex);
const U64 = 1n << 64n;

// ── Reference: RFC 9162 §2.1 transcribed literally, sharing no code with tree.ts ─────────────

const H = (...parts: Uint8Array[]): Uint8Array => sha256(Buffer.concat(parts));
const LEAF = Uint8Array.of(0x00);
const NODE = Uint8Array.of(0x01);

/** k of §2.1.1, found by doubling rather than by bit tricks. */
function kOf(n: bigint): bigint {
  let k = 1n;
  while (k * 2n < n) k *= 2n;
  return k;
}

type Mth<T> = (lo: bigint, hi: bigint) => T;

/** MTH(D[lo:hi]) of a list of entries, memoised per range. */
function entriesMth(entries: readonly Uint8Array[]): Mth<Uint8Array> {
  const memo = new Map<string, Uint8Array>();
  const mth = (lo: bigint, hi: bigint): Uint8Array => {
    const key = `${lo}:${hi}`;
    const known = memo.get(key);
    if (known) return known;
    let hash: Uint8Array;
    if (hi === lo) hash = H();
    else if (hi - lo === 1n) hash = H(LEAF, entries[Number(lo)]!);
    else {
      const k = kOf(hi - lo);
      hash = H(NODE, mth(lo, lo + k), mth(lo + k, hi));
    }
    memo.set(key, hash);
    return hash;
  };
  return mth;
}

/** §2.1.3.1 PATH(m, D[lo:hi]) with m relative to lo; `mth` gives each element. */
function refPath<T>(m: bigint, lo: bigint, hi: bigint, mth: Mth<T>): T[] {
  if (hi - lo === 1n) return [];
  const k = kOf(hi - lo);
  return m < k
    ? [...refPath(m, lo, lo + k, mth), mth(lo + k, hi)]
    : [...refPath(m - k, lo + k, hi, mth), mth(lo, lo + k)];
}

/** §2.1.4.1 SUBPROOF(m, D[lo:hi], b) with m relative to lo. */
function refSubproof<T>(m: bigint, lo: bigint, hi: bigint, b: boolean, mth: Mth<T>): T[] {
  if (m === hi - lo) return b ? [] : [mth(lo, hi)];
  const k = kOf(hi - lo);
  return m <= k
    ? [...refSubproof(m, lo, lo + k, b, mth), mth(lo + k, hi)]
    : [...refSubproof(m - k, lo + k, hi, false, mth), mth(lo, lo + k)];
}

/** PROOF(m, D[n]); empty for m = 0 (our decision; RFC 9162 defines 0 < m). */
function refProof<T>(m: bigint, n: bigint, mth: Mth<T>): T[] {
  return m === 0n ? [] : refSubproof(m, 0n, n, true, mth);
}

/** The maximal complete subtrees of [0, n), largest first, by scanning n's bits. */
function refFrontierRanges(n: bigint): [bigint, bigint][] {
  const ranges: [bigint, bigint][] = [];
  let at = 0n;
  for (let width = 1n << 63n; width > 0n; width /= 2n) {
    if (n & width) {
      ranges.push([at, at + width]);
      at += width;
    }
  }
  return ranges;
}

// ── Readers ─────────────────────────────────────────────────────────────────────────────────

function isComplete(level: number, index: bigint, size: bigint): boolean {
  const width = 2n ** BigInt(level);
  return (index + 1n) * width <= size;
}

interface Counted {
  reads: number;
  batches: number;
}

/** A reader over `node` that answers only for nodes complete at `size` and counts its work. */
function countingReader(
  node: (level: number, index: bigint) => Uint8Array,
  size: bigint,
): HashReader & AsyncHashReader & Counted {
  const reader = {
    reads: 0,
    batches: 0,
    getNode(level: number, index: bigint): Uint8Array {
      if (!isComplete(level, index, size)) {
        throw new Error(`read of node (${level}, ${index}), not complete at size ${size}`);
      }
      reader.reads++;
      return node(level, index);
    },
    async getNodes(nodes: readonly NodeRef[]): Promise<Uint8Array[]> {
      reader.batches++;
      return nodes.map((n) => reader.getNode(n.level, n.index));
    },
  };
  return reader;
}

// ── Small trees, exhaustively ───────────────────────────────────────────────────────────────

const MAX_N = 70;
const entries = Array.from({ length: MAX_N }, (_, i) =>
  Uint8Array.from({ length: i % 5 }, (_, j) => (i * 31 + j) & 0xff),
);
const leafHashes = entries.map(leafHash);
const refMth = entriesMth(entries);
const full = new MemoryTree();
for (const e of entries) full.appendEntry(e);
const readerAt = (size: bigint) => countingReader((l, i) => full.getNode(l, i), size);

describe("roots and frontiers of every size 0..70", () => {
  it("agree with MTH computed from the definition", async () => {
    expect(hex(refMth(0n, 0n))).toBe(hex(EMPTY_ROOT));
    for (let n = 0n; n <= BigInt(MAX_N); n++) {
      const want = hex(refMth(0n, n));
      expect(hex(treeRootSync(readerAt(n), n))).toBe(want);
      const reader = readerAt(n);
      expect(hex(await treeRoot(reader, n))).toBe(want);
      expect(reader.batches).toBe(n === 0n ? 0 : 1);
      expect(hex(rootFromLeafHashes(leafHashes.slice(0, Number(n))))).toBe(want);

      const frontier = frontierAtSync(readerAt(n), n);
      expect(frontier.size).toBe(n);
      expect(hexes(frontier.hashes)).toEqual(
        refFrontierRanges(n).map(([a, b]) => hex(refMth(a, b))),
      );
      expect(hexes((await frontierAt(readerAt(n), n)).hashes)).toEqual(hexes(frontier.hashes));
      expect(hex(rootFromFrontier(frontier))).toBe(want);
    }
  });

  it("appendLeaf returns the next frontier and exactly the nodes that became complete", () => {
    let frontier: Frontier = EMPTY_FRONTIER;
    for (let n = 0n; n < BigInt(MAX_N); n++) {
      const { frontier: next, nodes } = appendLeaf(frontier, leafHashes[Number(n)]!);
      // Node (L, k) completes with leaf n exactly when (k + 1)·2^L = n + 1.
      const want: string[] = [];
      for (let width = 1n, level = 0; (n + 1n) % width === 0n; width *= 2n, level++) {
        const k = (n + 1n) / width - 1n;
        want.push(`${level}/${k}/${hex(refMth(k * width, (k + 1n) * width))}`);
      }
      expect(nodes.map((x) => `${x.level}/${x.index}/${hex(x.hash)}`)).toEqual(want);
      expect(next.size).toBe(n + 1n);
      expect(hexes(next.hashes)).toEqual(
        refFrontierRanges(n + 1n).map(([a, b]) => hex(refMth(a, b))),
      );
      expect(frontier.size).toBe(n); // the old frontier is left alone
      frontier = next;
    }
  });
});

describe("inclusion proofs for every index of every size 1..70", () => {
  it("equal PATH, read only complete nodes, and verify", async () => {
    for (let n = 1n; n <= BigInt(MAX_N); n++) {
      const root = refMth(0n, n);
      for (let i = 0n; i < n; i++) {
        const want = hexes(refPath(i, 0n, n, refMth));
        const proof = inclusionProofSync(readerAt(n), i, n);
        expect(hexes(proof)).toEqual(want);
        const reader = readerAt(n);
        expect(hexes(await inclusionProof(reader, i, n))).toEqual(want);
        expect(reader.batches).toBe(want.length === 0 ? 0 : 1);
        verifyInclusion(i, n, leafHashes[Number(i)]!, proof, root);
      }
    }
  });
});

describe("consistency proofs for every 0 ≤ m ≤ n ≤ 70", () => {
  it("equal PROOF, read only complete nodes of the larger tree, and verify", async () => {
    for (let n = 0n; n <= BigInt(MAX_N); n++) {
      for (let m = 0n; m <= n; m++) {
        const want = hexes(refProof(m, n, refMth));
        const proof = consistencyProofSync(readerAt(n), m, n);
        expect(hexes(proof)).toEqual(want);
        const reader = readerAt(n);
        expect(hexes(await consistencyProof(reader, m, n))).toEqual(want);
        expect(reader.batches).toBe(want.length === 0 ? 0 : 1);
        verifyConsistency(m, n, refMth(0n, m), refMth(0n, n), proof);
      }
    }
  });
});

// ── 64-bit trees ────────────────────────────────────────────────────────────────────────────

/**
 * A genuine RFC 9162 tree of any size up to 2^64 − 1 that can be evaluated without storing it:
 * every leaf is one default hash except the "special" leaves, whose hashes encode their own
 * index. A subtree without special leaves has a default hash per level, so any node costs at most
 * 64 hashes per special leaf. Reading the wrong index anywhere near a special leaf (for example
 * after a rounding to a JS number) gives a different hash and is caught.
 */
function sparseTree(specials: readonly bigint[]) {
  const defaults = [H(LEAF, Buffer.from("default leaf"))];
  for (let level = 1; level <= 64; level++) {
    defaults.push(H(NODE, defaults[level - 1]!, defaults[level - 1]!));
  }
  const leaf = (i: bigint): Uint8Array => {
    const be = new Uint8Array(8);
    new DataView(be.buffer).setBigUint64(0, i);
    return specials.includes(i) ? H(LEAF, Buffer.from("special leaf "), be) : defaults[0]!;
  };
  const memo = new Map<string, Uint8Array>();
  const node = (level: number, index: bigint): Uint8Array => {
    const width = 2n ** BigInt(level);
    const start = index * width;
    if (!specials.some((s) => s >= start && s < start + width)) return defaults[level]!;
    if (level === 0) return leaf(index);
    const key = `${level}/${index}`;
    let hash = memo.get(key);
    if (!hash) {
      hash = H(NODE, node(level - 1, 2n * index), node(level - 1, 2n * index + 1n));
      memo.set(key, hash);
    }
    return hash;
  };
  // §2.1.1 MTH of a range, recursing until the range is a complete subtree.
  const mth = (lo: bigint, hi: bigint): Uint8Array => {
    if (hi === lo) return H();
    const k = kOf(hi - lo);
    const n = hi - lo;
    if ((k * 2n === n || n === 1n) && lo % n === 0n) {
      let level = 0;
      while (2n ** BigInt(level) < n) level++;
      return node(level, lo / n);
    }
    return H(NODE, mth(lo, lo + k), mth(lo + k, hi));
  };
  return { node, leaf, mth };
}

const P53 = 1n << 53n;
const P63 = 1n << 63n;
const BIG_SIZES = [
  1_000_000n,
  P53 - 1n,
  P53,
  P53 + 1n,
  P53 + 3n,
  P63 - 1n,
  P63,
  P63 + 1n,
  P63 + 2n,
  P63 + P53 + 5n,
  MAX_TREE_SIZE - 1n,
  MAX_TREE_SIZE,
];

function bigIndexes(size: bigint): bigint[] {
  const candidates = [
    0n,
    1n,
    P53 - 1n,
    P53,
    P53 + 1n,
    P63 - 1n,
    P63,
    P63 + 1n,
    size - 2n,
    size - 1n,
  ];
  return [...new Set(candidates.filter((i) => i >= 0n && i < size))];
}

const neighbours = (xs: readonly bigint[]) =>
  xs.flatMap((x) => [x - 1n, x, x + 1n]).filter((x) => x >= 0n && x < U64);

describe("64-bit trees (synthetic, evaluated lazily)", () => {
  it("inclusion proofs near 2^53, 2^63 and 2^64 − 1 equal PATH and verify", async () => {
    for (const size of BIG_SIZES) {
      const indexes = bigIndexes(size);
      const tree = sparseTree(neighbours(indexes));
      const root = tree.mth(0n, size);
      expect(hex(treeRootSync(countingReader(tree.node, size), size))).toBe(hex(root));
      for (const index of indexes) {
        const reader = countingReader(tree.node, size);
        const proof = inclusionProofSync(reader, index, size);
        expect(reader.reads).toBeLessThanOrEqual(128);
        expect(hexes(proof)).toEqual(hexes(refPath(index, 0n, size, tree.mth)));
        expect(hexes(await inclusionProof(countingReader(tree.node, size), index, size))).toEqual(
          hexes(proof),
        );
        verifyInclusion(index, size, tree.leaf(index), proof, root);
        if (index + 1n < size) {
          expect(
            codeOf(() => verifyInclusion(index + 1n, size, tree.leaf(index), proof, root)),
          ).toBe("bad-proof");
        }
        expect(codeOf(() => verifyInclusion(index, size, tree.leaf(index + 1n), proof, root))).toBe(
          "bad-proof",
        );
      }
    }
  });

  it("consistency proofs between sizes near 2^53, 2^63 and 2^64 − 1 equal PROOF and verify", () => {
    const tree = sparseTree(neighbours([...BIG_SIZES, 0n, P53, P63]));
    for (const second of BIG_SIZES) {
      for (const first of [0n, 1n, 2n, 3n, ...BIG_SIZES].filter((m) => m <= second)) {
        const reader = countingReader(tree.node, second);
        const proof = consistencyProofSync(reader, first, second);
        expect(reader.reads).toBeLessThanOrEqual(128);
        expect(hexes(proof)).toEqual(hexes(refProof(first, second, tree.mth)));
        verifyConsistency(first, second, tree.mth(0n, first), tree.mth(0n, second), proof);
        if (first > 1n && first < second) {
          const wrongFirstRoot = tree.mth(0n, first - 1n);
          expect(
            codeOf(() =>
              verifyConsistency(first, second, wrongFirstRoot, tree.mth(0n, second), proof),
            ),
          ).toBe("bad-proof");
        }
      }
    }
  });

  it("random sizes and indexes anywhere in the u64 range", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: MAX_TREE_SIZE }),
        fc.bigInt({ min: 0n, max: MAX_TREE_SIZE }),
        (size, seed) => {
          const index = seed % size;
          const tree = sparseTree(neighbours([index]));
          const reader = countingReader(tree.node, size);
          const proof = inclusionProofSync(reader, index, size);
          expect(reader.reads).toBeLessThanOrEqual(128);
          expect(hexes(proof)).toEqual(hexes(refPath(index, 0n, size, tree.mth)));
          verifyInclusion(index, size, tree.leaf(index), proof, tree.mth(0n, size));
        },
      ),
      { numRuns: 150 },
    );
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: MAX_TREE_SIZE }),
        fc.bigInt({ min: 0n, max: MAX_TREE_SIZE }),
        (a, b) => {
          const [first, second] = a <= b ? [a, b] : [b, a];
          const tree = sparseTree(neighbours([first, second - 1n].filter((x) => x >= 0n)));
          const reader = countingReader(tree.node, second);
          const proof = consistencyProofSync(reader, first, second);
          expect(reader.reads).toBeLessThanOrEqual(128);
          expect(hexes(proof)).toEqual(hexes(refProof(first, second, tree.mth)));
          verifyConsistency(first, second, tree.mth(0n, first), tree.mth(0n, second), proof);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe("reads per proof", () => {
  it("at one million entries, every proof reads O(log n) stored hashes", () => {
    const size = 1_000_000n;
    const tree = sparseTree([]);
    let most = 0;
    for (let index = 0n; index < size; index += 9_973n) {
      const reader = countingReader(tree.node, size);
      inclusionProofSync(reader, index, size);
      most = Math.max(most, reader.reads);
    }
    for (let first = 1n; first < size; first += 7_919n) {
      const reader = countingReader(tree.node, size);
      consistencyProofSync(reader, first, size);
      most = Math.max(most, reader.reads);
    }
    // log2(10^6) < 20, and 10^6 has 7 set bits: 20 levels plus one split sibling at most.
    expect(most).toBeLessThanOrEqual(20 + 7);
    expect(most).toBeGreaterThan(0);
  });

  it("never exceeds 2·64 reads, even for the worst u64 sizes", () => {
    // All-ones sizes make the right-edge sibling as fragmented as it can be.
    const tree = sparseTree([]);
    let most = 0;
    for (const size of [MAX_TREE_SIZE, MAX_TREE_SIZE - 1n, P63 + (P63 - 1n) / 2n, P63 - 1n]) {
      for (const index of [0n, 1n, P63 - 1n, size / 2n, size - 1n].filter((i) => i < size)) {
        const reader = countingReader(tree.node, size);
        inclusionProofSync(reader, index, size);
        most = Math.max(most, reader.reads);
      }
      for (const first of [1n, 2n, 3n, P63 - 1n, P63 + 1n, size - 1n].filter((m) => m <= size)) {
        const reader = countingReader(tree.node, size);
        consistencyProofSync(reader, first, size);
        most = Math.max(most, reader.reads);
      }
      const reader = countingReader(tree.node, size);
      treeRootSync(reader, size);
      expect(reader.reads).toBeLessThanOrEqual(64);
    }
    expect(most).toBeLessThanOrEqual(128);
    expect(most).toBeGreaterThan(64);
  });
});

// ── Errors ──────────────────────────────────────────────────────────────────────────────────

describe("errors", () => {
  it("sizes and indexes outside u64 are bad-index", () => {
    for (const bad of [-1n, U64, U64 + 5n, -(1n << 70n)]) {
      expect(codeOf(() => planTreeRoot(bad))).toBe("bad-index");
      expect(codeOf(() => planInclusionProof(bad, 10n))).toBe("bad-index");
      expect(codeOf(() => planInclusionProof(0n, bad))).toBe("bad-index");
      expect(codeOf(() => planConsistencyProof(bad, 10n))).toBe("bad-index");
      expect(codeOf(() => planConsistencyProof(0n, bad))).toBe("bad-index");
      expect(codeOf(() => isCompleteNode(0, bad, 10n))).toBe("bad-index");
      expect(codeOf(() => isCompleteNode(0, 0n, bad))).toBe("bad-index");
      expect(codeOf(() => verifyInclusion(bad, 10n, EMPTY_ROOT, [], EMPTY_ROOT))).toBe("bad-index");
      expect(codeOf(() => verifyConsistency(0n, bad, EMPTY_ROOT, EMPTY_ROOT, []))).toBe(
        "bad-index",
      );
    }
    expect(codeOf(() => planTreeRoot(5 as unknown as bigint))).toBe("bad-index");
    expect(codeOf(() => planTreeRoot(MAX_TREE_SIZE))).toBe("no error");
  });

  it("an index at or past the size, or first > second, is bad-index", () => {
    expect(codeOf(() => planInclusionProof(0n, 0n))).toBe("bad-index");
    expect(codeOf(() => planInclusionProof(5n, 5n))).toBe("bad-index");
    expect(codeOf(() => planInclusionProof(MAX_TREE_SIZE, MAX_TREE_SIZE))).toBe("bad-index");
    expect(codeOf(() => planInclusionProof(MAX_TREE_SIZE - 1n, MAX_TREE_SIZE))).toBe("no error");
    expect(codeOf(() => planConsistencyProof(6n, 5n))).toBe("bad-index");
    expect(codeOf(() => planConsistencyProof(1n, 0n))).toBe("bad-index");
  });

  it("levels outside 0..63 are bad-index; completeness is exact", () => {
    for (const level of [-1, 64, 1.5, Number.NaN]) {
      expect(codeOf(() => isCompleteNode(level, 0n, 10n))).toBe("bad-index");
    }
    expect(isCompleteNode(63, 0n, MAX_TREE_SIZE)).toBe(true);
    expect(isCompleteNode(63, 1n, MAX_TREE_SIZE)).toBe(false);
    expect(isCompleteNode(2, 1n, 8n)).toBe(true);
    expect(isCompleteNode(2, 1n, 7n)).toBe(false);
    expect(isCompleteNode(0, MAX_TREE_SIZE - 1n, MAX_TREE_SIZE)).toBe(true);
  });

  it("storage that answers with the wrong shape is bad-length", async () => {
    const short: HashReader = { getNode: () => new Uint8Array(31) };
    expect(codeOf(() => treeRootSync(short, 3n))).toBe("bad-length");
    const tooFew: AsyncHashReader = { getNodes: async (nodes) => nodes.slice(1).map(() => H()) };
    expect(await asyncCodeOf(() => inclusionProof(tooFew, 0n, 5n))).toBe("bad-length");
    expect(await asyncCodeOf(() => read(planTreeRoot(7n), tooFew))).toBe("bad-length");
    expect(codeOf(() => readSync(planTreeRoot(0n), short))).toBe("no error");
  });

  it("appendLeaf refuses inconsistent frontiers, non-hashes and a full tree", () => {
    const h = H();
    expect(codeOf(() => appendLeaf({ size: 3n, hashes: [h] }, h))).toBe("bad-value");
    expect(codeOf(() => appendLeaf({ size: 0n, hashes: [h] }, h))).toBe("bad-value");
    expect(codeOf(() => appendLeaf({ size: 1n, hashes: [new Uint8Array(8)] }, h))).toBe(
      "bad-length",
    );
    expect(codeOf(() => appendLeaf(EMPTY_FRONTIER, new Uint8Array(33)))).toBe("bad-length");
    expect(codeOf(() => appendLeaf({ size: -1n, hashes: [] }, h))).toBe("bad-index");
    const fullTree: Frontier = { size: MAX_TREE_SIZE, hashes: Array.from({ length: 64 }, () => h) };
    expect(codeOf(() => rootFromFrontier(fullTree))).toBe("no error");
    expect(codeOf(() => appendLeaf(fullTree, h))).toBe("bad-index");
    const almost: Frontier = {
      size: MAX_TREE_SIZE - 1n,
      hashes: Array.from({ length: 63 }, () => h),
    };
    const { frontier, nodes } = appendLeaf(almost, h);
    expect(frontier.size).toBe(MAX_TREE_SIZE);
    expect(nodes.map((n) => [n.level, n.index])).toEqual([[0, MAX_TREE_SIZE - 1n]]);
  });

  it("proofs never ask storage for a node that is not complete yet", () => {
    const tree = new MemoryTree();
    for (const e of entries.slice(0, 5)) tree.appendEntry(e);
    expect(codeOf(() => tree.getNode(0, 5n))).toBe("bad-index");
    expect(codeOf(() => tree.getNode(1, 2n))).toBe("bad-index");
    expect(codeOf(() => tree.getNode(3, 0n))).toBe("bad-index");
    // Size 5 asks only for nodes of size 5, so the same store serves every size up to its own.
    expect(codeOf(() => inclusionProofSync(tree, 4n, 5n))).toBe("no error");
    expect(codeOf(() => inclusionProofSync(tree, 4n, 6n))).toBe("bad-index");
    expect(codeOf(() => consistencyProofSync(tree, 2n, 6n))).toBe("bad-index");
  });
});
