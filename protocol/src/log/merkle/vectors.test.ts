/**
 * The published RFC 6962 / RFC 9162 test tree that Certificate Transparency implementations share:
 * eight leaves, every complete-subtree hash, the root of every prefix, the compact ranges, and
 * known inclusion and consistency proofs. The values are copied as data from
 * github.com/transparency-dev/merkle:
 *   testonly/constants.go      (commit 582a6ad190b6848f1d26f8bf08ddef29955d9db1) — leaves, node
 *                              hashes, roots, compact trees, empty root
 *   proof/verify_test.go       (commit 02194e9afb6c1d95b5381350007963aa70fff472) — inclusion and
 *                              consistency proofs, the corruption probes and edge-case tables
 *   testonly/reference_test.go (commit 141d627eab770a7e9a2514f46a8b6338e6d90874) — more proofs
 */
import { describe, expect, it } from "vitest";
import { codeOf } from "../../testing/code-of.ts";
import { EMPTY_ROOT, leafHash } from "./hashes.ts";
import { MemoryTree } from "./memory.ts";
import {
  appendLeaf,
  consistencyProofSync,
  EMPTY_FRONTIER,
  frontierAtSync,
  inclusionProofSync,
  rootFromLeafHashes,
  type StoredNode,
  treeRootSync,
} from "./tree.ts";
import { verifyConsistency, verifyInclusion } from "./verify.ts";

const hd = (h: string) => Uint8Array.from(Buffer.from(h, "hex"));
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const hexes = (bs: readonly Uint8Array[]) => bs.map(hex);

const LEAF_INPUTS = [
  "",
  "00",
  "10",
  "2021",
  "3031",
  "40414243",
  "5051525354555657",
  "606162636465666768696a6b6c6d6e6f",
].map(hd);

/** NODE_HASHES[level][index]: every complete subtree of the 8-leaf tree. */
const NODE_HASHES = [
  [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
    "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
    "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
    "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
    "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1",
  ],
  [
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
    "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
  ],
  [
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
  ],
  ["5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"],
];

const EMPTY_ROOT_HASH = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/** ROOTS[n]: MTH of the first n leaves. */
const ROOTS = [
  EMPTY_ROOT_HASH,
  "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
  "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
  "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
  "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
  "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
  "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
  "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];

/** COMPACT_TREES[n]: the frontier after n leaves, as [level, index] into NODE_HASHES. */
const COMPACT_TREES: [number, number][][] = [
  [],
  [[0, 0]],
  [[1, 0]],
  [
    [1, 0],
    [0, 2],
  ],
  [[2, 0]],
  [
    [2, 0],
    [0, 4],
  ],
  [
    [2, 0],
    [1, 2],
  ],
  [
    [2, 0],
    [1, 2],
    [0, 6],
  ],
  [[3, 0]],
];

/** Inclusion proofs as [leaf index, tree size, path] (verify_test.go counts leaves from 1). */
const INCLUSION_PROOFS: [number, number, string[]][] = [
  [0, 1, []],
  [0, 2, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"]],
  [1, 2, ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"]],
  [2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]],
  [
    1,
    5,
    [
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    ],
  ],
  [
    0,
    8,
    [
      "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
  ],
  [
    5,
    8,
    [
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
  ],
];

/** Consistency proofs as [first size, second size, path]. */
const CONSISTENCY_PROOFS: [number, number, string[]][] = [
  [1, 1, []],
  [
    1,
    8,
    [
      "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
  ],
  [
    6,
    8,
    [
      "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
  ],
  [
    2,
    5,
    [
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    ],
  ],
  [
    6,
    7,
    [
      "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
      "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
  ],
];

/** sha256SomeHash of verify_test.go: a hash that is no root of this tree. */
const SOME_HASH = hd("abacaba000000000000000000000000000000000000000000060061e00123456");

const tree = new MemoryTree();
for (const input of LEAF_INPUTS) tree.appendEntry(input);
const root = (n: number) => hd(ROOTS[n]!);

describe("the published 8-leaf tree (transparency-dev/merkle)", () => {
  it("has the published empty root and leaf hashes", () => {
    expect(hex(EMPTY_ROOT)).toBe(EMPTY_ROOT_HASH);
    expect(LEAF_INPUTS.map((d) => hex(leafHash(d)))).toEqual(NODE_HASHES[0]);
  });

  it("stores exactly the published complete-subtree hashes", () => {
    let frontier = EMPTY_FRONTIER;
    const stored: StoredNode[] = [];
    for (const input of LEAF_INPUTS) {
      const appended = appendLeaf(frontier, leafHash(input));
      stored.push(...appended.nodes);
      frontier = appended.frontier;
    }
    const byLevel: string[][] = [];
    for (const node of stored) {
      byLevel[node.level] ??= [];
      byLevel[node.level]![Number(node.index)] = hex(node.hash);
    }
    expect(byLevel).toEqual(NODE_HASHES);
    for (const [level, hashes] of NODE_HASHES.entries()) {
      for (const [index, h] of hashes.entries()) {
        expect(hex(tree.getNode(level, BigInt(index)))).toBe(h);
      }
    }
  });

  it("has the published root and compact range at every size 0..8", () => {
    for (let n = 0; n <= 8; n++) {
      expect(hex(rootFromLeafHashes(LEAF_INPUTS.slice(0, n).map(leafHash)))).toBe(ROOTS[n]);
      expect(hex(treeRootSync(tree, BigInt(n)))).toBe(ROOTS[n]);
      expect(hexes(frontierAtSync(tree, BigInt(n)).hashes)).toEqual(
        COMPACT_TREES[n]!.map(([level, index]) => NODE_HASHES[level]![index]),
      );
    }
  });

  it("generates and verifies the published inclusion proofs", () => {
    for (const [index, size, path] of INCLUSION_PROOFS) {
      const [i, n] = [BigInt(index), BigInt(size)];
      expect(hexes(inclusionProofSync(tree, i, n))).toEqual(path);
      const leaf = leafHash(LEAF_INPUTS[index]!);
      expect(codeOf(() => verifyInclusion(i, n, leaf, path.map(hd), root(size)))).toBe("no error");
    }
  });

  it("generates and verifies the published consistency proofs", () => {
    for (const [first, second, path] of CONSISTENCY_PROOFS) {
      const [m, n] = [BigInt(first), BigInt(second)];
      expect(hexes(consistencyProofSync(tree, m, n))).toEqual(path);
      const code = codeOf(() => verifyConsistency(m, n, root(first), root(second), path.map(hd)));
      expect(code).toBe("no error");
    }
  });

  it("rejects the published inclusion corruption probes", () => {
    for (const [index, size, path] of INCLUSION_PROOFS) {
      const proof = path.map(hd);
      const leaf = leafHash(LEAF_INPUTS[index]!);
      const r = root(size);
      const [i, n] = [BigInt(index), BigInt(size)];
      const probes: [bigint, bigint, Uint8Array, Uint8Array, Uint8Array[]][] = [
        [i - 1n, n, r, leaf, proof],
        [i + 1n, n, r, leaf, proof],
        [i ^ 2n, n, r, leaf, proof],
        [i, n * 2n, r, leaf, proof],
        [i, n / 2n, r, leaf, proof],
        [i, n, r, new TextEncoder().encode("WrongLeaf"), proof],
        [i, n, EMPTY_ROOT, leaf, proof],
        [i, n, SOME_HASH, leaf, proof],
        [i, n, r, leaf, [...proof, new Uint8Array(0)]],
        [i, n, r, leaf, [...proof, r]],
        [i, n, r, leaf, [new Uint8Array(0), ...proof]],
        [i, n, r, leaf, [r, ...proof]],
        ...proof.map((_, j): [bigint, bigint, Uint8Array, Uint8Array, Uint8Array[]] => [
          i,
          n,
          r,
          leaf,
          proof.map((h, k) => (k === j ? h.map((b, at) => (at === 0 ? b ^ 8 : b)) : h)),
        ]),
      ];
      if (proof.length > 0) probes.push([i, n, r, leaf, proof.slice(0, -1)]);
      if (proof.length > 1) probes.push([i, n, r, leaf, [proof[0]!, SOME_HASH, ...proof.slice(1)]]);
      for (const [pi, pn, pr, pl, pp] of probes) {
        // A probe the Go code builds with wrapped-around uint64s, like 0 − 1, is bad-index here.
        expect(codeOf(() => verifyInclusion(pi, pn, pl, pp, pr))).toMatch(/^bad-(proof|index)$/);
      }
    }
  });

  it("rejects the published consistency corruption probes", () => {
    for (const [first, second, path] of CONSISTENCY_PROOFS) {
      if (path.length === 0) continue; // verify_test.go probes only non-trivial proofs
      const proof = path.map(hd);
      const [m, n] = [BigInt(first), BigInt(second)];
      const [r1, r2] = [root(first), root(second)];
      const wrong = new TextEncoder().encode("WrongRoot");
      const probes: [bigint, bigint, Uint8Array, Uint8Array, Uint8Array[]][] = [
        [m - 1n, n, r1, r2, proof],
        [m + 1n, n, r1, r2, proof],
        [m ^ 2n, n, r1, r2, proof],
        [m, n * 2n, r1, r2, proof],
        [m, n / 2n, r1, r2, proof],
        [m, n, wrong, r2, proof],
        [m, n, r1, wrong, proof],
        [m, n, r2, r1, proof],
        [m, n, r1, r2, []],
        [m, n, r1, r2, [...proof, new Uint8Array(0)]],
        [m, n, r1, r2, [...proof, r1]],
        [m, n, r1, r2, [...proof, r2]],
        [m, n, r1, r2, [new Uint8Array(0), ...proof]],
        [m, n, r1, r2, [r1, ...proof]],
        [m, n, r1, r2, [r2, ...proof]],
        [m, n, r1, r2, [proof[0]!, ...proof]],
        [m, n, r1, r2, proof.slice(0, -1)],
        ...proof.map((_, j): [bigint, bigint, Uint8Array, Uint8Array, Uint8Array[]] => [
          m,
          n,
          r1,
          r2,
          proof.map((h, k) => (k === j ? h.map((b, at) => (at === 0 ? b ^ 16 : b)) : h)),
        ]),
      ];
      for (const [pm, pn, p1, p2, pp] of probes) {
        expect(codeOf(() => verifyConsistency(pm, pn, p1, p2, pp))).toMatch(/^bad-(proof|index)$/);
      }
    }
  });

  it("agrees with the published single-entry and degenerate inclusion tables", () => {
    const hash = leafHash(new TextEncoder().encode("data"));
    const empty = new Uint8Array(0);
    expect(codeOf(() => verifyInclusion(0n, 1n, hash, [], hash))).toBe("no error");
    expect(codeOf(() => verifyInclusion(0n, 1n, empty, [], hash))).toBe("bad-proof");
    expect(codeOf(() => verifyInclusion(0n, 1n, hash, [], empty))).toBe("bad-proof");
    expect(codeOf(() => verifyInclusion(0n, 1n, empty, [], empty))).toBe("bad-proof");
    for (const [index, size] of [
      [0n, 0n],
      [0n, 1n],
      [1n, 0n],
      [2n, 1n],
    ] as const) {
      for (const [leaf, r] of [
        [SOME_HASH, empty],
        [empty, EMPTY_ROOT],
        [SOME_HASH, EMPTY_ROOT],
      ] as const) {
        expect(codeOf(() => verifyInclusion(index, size, leaf, [], r))).not.toBe("no error");
      }
    }
  });

  it("agrees with the published consistency edge-case table, except where documented", () => {
    const dontCare1 = new TextEncoder().encode("don't care 1");
    const dontCare2 = new TextEncoder().encode("don't care 2");
    const E = EMPTY_ROOT;
    // Rows verify_test.go rejects: rejected here too.
    const rejected: [bigint, bigint, Uint8Array, Uint8Array, Uint8Array[]][] = [
      [0n, 0n, dontCare1, dontCare2, []],
      [1n, 1n, dontCare1, dontCare2, []],
      [1n, 0n, dontCare1, dontCare2, []],
      [2n, 1n, dontCare1, dontCare2, []],
      [1n, 2n, dontCare1, dontCare2, []],
      [0n, 0n, E, dontCare2, []],
      [1n, 1n, E, dontCare2, []],
      [0n, 0n, E, E, [E]],
      [0n, 1n, E, E, [E]],
      [1n, 1n, E, E, [E]],
    ];
    for (const [m, n, r1, r2, p] of rejected) {
      expect(codeOf(() => verifyConsistency(m, n, r1, r2, p))).not.toBe("no error");
    }
    // Rows verify_test.go accepts with 12-byte placeholder roots. verify.ts requires real 32-byte
    // hashes and SHA-256() as the size-0 root, so the placeholders fail and real roots pass.
    expect(codeOf(() => verifyConsistency(0n, 0n, dontCare1, dontCare1, []))).toBe("bad-proof");
    expect(codeOf(() => verifyConsistency(0n, 1n, dontCare1, dontCare2, []))).toBe("bad-proof");
    expect(codeOf(() => verifyConsistency(1n, 1n, dontCare2, dontCare2, []))).toBe("bad-proof");
    expect(codeOf(() => verifyConsistency(0n, 0n, E, E, []))).toBe("no error");
    expect(codeOf(() => verifyConsistency(0n, 1n, E, root(1), []))).toBe("no error");
    expect(codeOf(() => verifyConsistency(1n, 1n, root(1), root(1), []))).toBe("no error");
  });
});
