import { sha256 } from "@noble/hashes/sha2.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ProtocolErrorCode } from "../../errors.ts";
import { codeOf } from "../../testing/code-of.ts";
import { EMPTY_ROOT, leafHash } from "./hashes.ts";
import { MemoryTree } from "./memory.ts";
import { consistencyProofSync, inclusionProofSync, MAX_TREE_SIZE, treeRootSync } from "./tree.ts";
import { rootFromInclusionProof, verifyConsistency, verifyInclusion } from "./verify.ts";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

const N = 40;
const tree = new MemoryTree();
const leaves: Uint8Array[] = [];
for (let i = 0; i < N; i++) {
  const entry = new TextEncoder().encode(`entry ${i}`);
  leaves.push(leafHash(entry));
  tree.appendEntry(entry);
}
const roots = Array.from({ length: N + 1 }, (_, n) => treeRootSync(tree, BigInt(n)));
const rootOf = (n: bigint) => roots[Number(n)]!;
const leafOf = (i: bigint) => leaves[Number(i)]!;
const inclusion = (i: bigint, n: bigint) => inclusionProofSync(tree, i, n);
const consistency = (m: bigint, n: bigint) => consistencyProofSync(tree, m, n);

const flipped = (proof: readonly Uint8Array[], element: number, byte: number, mask: number) =>
  proof.map((h, j) => {
    if (j !== element) return h;
    const copy = h.slice();
    copy[byte]! ^= mask;
    return copy;
  });

/** Every proof with one element removed, or one 32-byte value inserted anywhere. */
function reshaped(proof: readonly Uint8Array[], extras: readonly Uint8Array[]): Uint8Array[][] {
  const out: Uint8Array[][] = [];
  for (let j = 0; j < proof.length; j++) out.push(proof.filter((_, k) => k !== j));
  for (let j = 0; j <= proof.length; j++) {
    for (const extra of extras) out.push([...proof.slice(0, j), extra, ...proof.slice(j)]);
  }
  return out;
}

// ── An independent model of which (index, size) claims a proof can satisfy ──────────────────
//
// A verifier computes the root as a fixed expression over its inputs, chosen by the claimed sizes.
// Below, that expression is derived from RFC 9162's recursive definitions (not from the verifier):
// each proof element stands for the MTH of a range, and MTH(D[0:n]) is expanded by §2.1.1 until it
// reaches those ranges. A tampered claim verifies exactly when its expression is the honest one.

function kOf(n: bigint): bigint {
  let k = 1n;
  while (k * 2n < n) k *= 2n;
  return k;
}

type Range = readonly [bigint, bigint];
const rangeOf = (lo: bigint, hi: bigint): Range => [lo, hi];

function refPath(m: bigint, lo: bigint, hi: bigint): Range[] {
  if (hi - lo === 1n) return [];
  const k = kOf(hi - lo);
  return m < k
    ? [...refPath(m, lo, lo + k), rangeOf(lo + k, hi)]
    : [...refPath(m - k, lo + k, hi), rangeOf(lo, lo + k)];
}

function refSubproof(m: bigint, lo: bigint, hi: bigint, b: boolean): Range[] {
  if (m === hi - lo) return b ? [] : [rangeOf(lo, hi)];
  const k = kOf(hi - lo);
  return m <= k
    ? [...refSubproof(m, lo, lo + k, b), rangeOf(lo + k, hi)]
    : [...refSubproof(m - k, lo + k, hi, false), rangeOf(lo, lo + k)];
}

function expression(lo: bigint, hi: bigint, labels: ReadonlyMap<string, string>): string {
  const label = labels.get(`${lo},${hi}`);
  if (label) return label;
  if (hi - lo <= 1n) return `?${lo}`; // a value the verifier is never given
  const k = kOf(hi - lo);
  return `(${expression(lo, lo + k, labels)} ${expression(lo + k, hi, labels)})`;
}

function inclusionShape(index: bigint, size: bigint): string {
  const labels = new Map(refPath(index, 0n, size).map(([a, b], j) => [`${a},${b}`, `p${j}`]));
  labels.set(`${index},${index + 1n}`, "leaf");
  return expression(0n, size, labels);
}

/** For 0 < first < second: the expressions for the first and second roots. */
function consistencyShape(first: bigint, second: bigint): [string, string] {
  const ranges = refSubproof(first, 0n, second, true);
  const labels = new Map(ranges.map(([a, b], j) => [`${a},${b}`, `p${j}`]));
  // §2.1.4.2 step 2: a power-of-two first tree's root is the verifier's first_hash itself.
  if ((first & (first - 1n)) === 0n) labels.set(`0,${first}`, "F");
  return [expression(0n, first, labels), expression(0n, second, labels)];
}

// ── Tests ───────────────────────────────────────────────────────────────────────────────────

describe("verifyInclusion", () => {
  it("accepts every honest proof and returns the root from rootFromInclusionProof", () => {
    for (let n = 1n; n <= BigInt(N); n++) {
      for (let i = 0n; i < n; i++) {
        const proof = inclusion(i, n);
        expect(hex(rootFromInclusionProof(i, n, leafOf(i), proof))).toBe(hex(rootOf(n)));
        expect(codeOf(() => verifyInclusion(i, n, leafOf(i), proof, rootOf(n)))).toBe("no error");
      }
    }
  });

  it("rejects every single-byte change to a proof element, the leaf hash or the root", () => {
    for (let n = 1n; n <= 16n; n++) {
      for (let i = 0n; i < n; i++) {
        const proof = inclusion(i, n);
        for (let j = 0; j < proof.length; j++) {
          for (let b = 0; b < 32; b++) {
            const bad = flipped(proof, j, b, 1 << (b % 8));
            expect(codeOf(() => verifyInclusion(i, n, leafOf(i), bad, rootOf(n)))).toBe(
              "bad-proof",
            );
          }
        }
        for (let b = 0; b < 32; b++) {
          const [leaf] = flipped([leafOf(i)], 0, b, 0x80 >> (b % 8));
          const [root] = flipped([rootOf(n)], 0, b, 0xff);
          expect(codeOf(() => verifyInclusion(i, n, leaf!, proof, rootOf(n)))).toBe("bad-proof");
          expect(codeOf(() => verifyInclusion(i, n, leafOf(i), proof, root!))).toBe("bad-proof");
        }
      }
    }
  });

  it("rejects truncated, extended and reordered proofs", () => {
    for (let n = 1n; n <= 16n; n++) {
      for (let i = 0n; i < n; i++) {
        const proof = inclusion(i, n);
        const extras = [leafOf(i), rootOf(n), EMPTY_ROOT, new Uint8Array(32), ...proof];
        for (const bad of reshaped(proof, extras)) {
          expect(codeOf(() => verifyInclusion(i, n, leafOf(i), bad, rootOf(n)))).toBe("bad-proof");
        }
        if (proof.length > 1 && hex(proof[0]!) !== hex(proof[1]!)) {
          const swapped = [proof[1]!, proof[0]!, ...proof.slice(2)];
          expect(codeOf(() => verifyInclusion(i, n, leafOf(i), swapped, rootOf(n)))).toBe(
            "bad-proof",
          );
        }
      }
    }
  });

  it("accepts another index or size exactly when RFC 9162 gives it the same shape", () => {
    let aliases = 0;
    for (let n = 1n; n <= 12n; n++) {
      for (let i = 0n; i < n; i++) {
        const proof = inclusion(i, n);
        const honest = inclusionShape(i, n);
        for (let n2 = 1n; n2 <= 2n * n + 2n; n2++) {
          for (let i2 = 0n; i2 < n2; i2++) {
            if (i2 === i && n2 === n) continue;
            const want = inclusionShape(i2, n2) === honest ? "no error" : "bad-proof";
            if (want === "no error") aliases++;
            expect(codeOf(() => verifyInclusion(i2, n2, leafOf(i), proof, rootOf(n)))).toBe(want);
          }
          expect(codeOf(() => verifyInclusion(n2, n2, leafOf(i), proof, rootOf(n)))).toBe(
            "bad-index",
          );
        }
      }
    }
    // Different sizes can share a shape (verify.ts explains why that is harmless)…
    expect(aliases).toBeGreaterThan(0);
    const p03 = inclusion(0n, 3n);
    expect(codeOf(() => verifyInclusion(0n, 4n, leafOf(0n), p03, rootOf(3n)))).toBe("no error");
    // …but another index in the same tree never does.
    for (let n = 2n; n <= 24n; n++) {
      for (let i = 0n; i < n; i++) {
        const proof = inclusion(i, n);
        for (let i2 = 0n; i2 < n; i2++) {
          if (i2 === i) continue;
          expect(codeOf(() => verifyInclusion(i2, n, leafOf(i), proof, rootOf(n)))).toBe(
            "bad-proof",
          );
        }
      }
    }
  });

  it("decides the edge cases", () => {
    const leaf = leafOf(0n);
    // Size 1: the empty proof, and the leaf hash is the root.
    expect(codeOf(() => verifyInclusion(0n, 1n, leaf, [], leaf))).toBe("no error");
    expect(codeOf(() => verifyInclusion(0n, 1n, leaf, [], rootOf(2n)))).toBe("bad-proof");
    expect(codeOf(() => verifyInclusion(0n, 1n, leaf, [leaf], leaf))).toBe("bad-proof");
    // The empty tree includes nothing.
    expect(codeOf(() => verifyInclusion(0n, 0n, leaf, [], EMPTY_ROOT))).toBe("bad-index");
    expect(codeOf(() => verifyInclusion(0n, 0n, EMPTY_ROOT, [], EMPTY_ROOT))).toBe("bad-index");
    // Index at or past the size; sizes outside u64.
    expect(codeOf(() => verifyInclusion(5n, 5n, leaf, inclusion(4n, 5n), rootOf(5n)))).toBe(
      "bad-index",
    );
    expect(codeOf(() => verifyInclusion(-1n, 5n, leaf, [], leaf))).toBe("bad-index");
    expect(codeOf(() => verifyInclusion(0n, MAX_TREE_SIZE + 1n, leaf, [], leaf))).toBe("bad-index");
    // Hashes of the wrong length, wherever they are.
    const proof = inclusion(3n, 7n);
    const short = [...proof.slice(0, 1), proof[1]!.subarray(1), ...proof.slice(2)];
    expect(codeOf(() => verifyInclusion(3n, 7n, leafOf(3n), short, rootOf(7n)))).toBe("bad-proof");
    expect(codeOf(() => verifyInclusion(3n, 7n, new Uint8Array(31), proof, rootOf(7n)))).toBe(
      "bad-proof",
    );
    expect(codeOf(() => verifyInclusion(3n, 7n, leafOf(3n), proof, new Uint8Array(0)))).toBe(
      "bad-proof",
    );
    expect(codeOf(() => verifyInclusion(3n, 7n, leafOf(3n), proof, rootOf(7n)))).toBe("no error");
  });

  it("rejects random proofs without throwing anything but ProtocolError", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: MAX_TREE_SIZE }),
        fc.bigInt({ min: 0n, max: MAX_TREE_SIZE }),
        fc.array(fc.uint8Array({ minLength: 30, maxLength: 33 }), { maxLength: 70 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        (size, index, proof, leaf) => {
          const code = codeOf(() => verifyInclusion(index, size, leaf, proof, sha256(leaf)));
          expect(code).toBe(index >= size ? "bad-index" : "bad-proof");
        },
      ),
    );
  });
});

describe("verifyConsistency", () => {
  it("accepts every honest proof", () => {
    for (let n = 0n; n <= BigInt(N); n++) {
      for (let m = 0n; m <= n; m++) {
        const proof = consistency(m, n);
        expect(codeOf(() => verifyConsistency(m, n, rootOf(m), rootOf(n), proof))).toBe("no error");
      }
    }
  });

  it("rejects every single-byte change to a proof element or either root", () => {
    for (let n = 2n; n <= 16n; n++) {
      for (let m = 1n; m < n; m++) {
        const proof = consistency(m, n);
        for (let j = 0; j < proof.length; j++) {
          for (let b = 0; b < 32; b++) {
            const bad = flipped(proof, j, b, 1 << (b % 8));
            expect(codeOf(() => verifyConsistency(m, n, rootOf(m), rootOf(n), bad))).toBe(
              "bad-proof",
            );
          }
        }
        for (let b = 0; b < 32; b++) {
          const [r1] = flipped([rootOf(m)], 0, b, 0xff);
          const [r2] = flipped([rootOf(n)], 0, b, 1);
          expect(codeOf(() => verifyConsistency(m, n, r1!, rootOf(n), proof))).toBe("bad-proof");
          expect(codeOf(() => verifyConsistency(m, n, rootOf(m), r2!, proof))).toBe("bad-proof");
        }
        expect(codeOf(() => verifyConsistency(m, n, rootOf(n), rootOf(m), proof))).toBe(
          "bad-proof",
        );
      }
    }
  });

  it("rejects truncated, extended and empty proofs", () => {
    for (let n = 2n; n <= 16n; n++) {
      for (let m = 1n; m < n; m++) {
        const proof = consistency(m, n);
        const extras = [rootOf(m), rootOf(n), EMPTY_ROOT, new Uint8Array(32), ...proof];
        for (const bad of reshaped(proof, extras)) {
          expect(codeOf(() => verifyConsistency(m, n, rootOf(m), rootOf(n), bad))).toBe(
            "bad-proof",
          );
        }
        expect(codeOf(() => verifyConsistency(m, n, rootOf(m), rootOf(n), []))).toBe("bad-proof");
      }
    }
  });

  it("accepts other sizes exactly when RFC 9162 gives them the same shape", () => {
    let aliases = 0;
    for (let n = 0n; n <= 12n; n++) {
      for (let m = 0n; m <= n; m++) {
        const proof = consistency(m, n);
        const honest = 0n < m && m < n ? consistencyShape(m, n) : undefined;
        for (let n2 = 0n; n2 <= 2n * n + 2n; n2++) {
          for (let m2 = 0n; m2 <= n2 + 1n; m2++) {
            if (m2 === m && n2 === n) continue;
            let want: ProtocolErrorCode | "no error";
            if (m2 > n2) want = "bad-index";
            else if (m2 === 0n || m2 === n2) {
              // Only the empty proof, with the empty tree's root and equal roots as needed.
              const ok = proof.length === 0 && (m2 !== 0n || m === 0n) && (m2 !== n2 || m === n);
              want = ok ? "no error" : "bad-proof";
            } else if (!honest) want = "bad-proof";
            else {
              const [f, s] = consistencyShape(m2, n2).map((e) => e.replaceAll("F", honest[0]));
              want = f === honest[0] && s === honest[1] ? "no error" : "bad-proof";
            }
            if (want === "no error") aliases++;
            expect(codeOf(() => verifyConsistency(m2, n2, rootOf(m), rootOf(n), proof))).toBe(want);
          }
        }
      }
    }
    expect(aliases).toBeGreaterThan(0);
  });

  it("decides the edge cases", () => {
    const r5 = rootOf(5n);
    // From the empty tree: the empty proof, first root SHA-256(), any second root.
    expect(codeOf(() => verifyConsistency(0n, 5n, EMPTY_ROOT, r5, []))).toBe("no error");
    expect(codeOf(() => verifyConsistency(0n, 5n, EMPTY_ROOT, rootOf(7n), []))).toBe("no error");
    expect(codeOf(() => verifyConsistency(0n, 5n, r5, r5, []))).toBe("bad-proof");
    expect(codeOf(() => verifyConsistency(0n, 5n, EMPTY_ROOT, r5, [r5]))).toBe("bad-proof");
    expect(codeOf(() => verifyConsistency(0n, 0n, EMPTY_ROOT, EMPTY_ROOT, []))).toBe("no error");
    expect(codeOf(() => verifyConsistency(0n, 0n, r5, r5, []))).toBe("bad-proof");
    expect(codeOf(() => verifyConsistency(0n, 0n, EMPTY_ROOT, r5, []))).toBe("bad-proof");
    expect(codeOf(() => verifyConsistency(0n, 0n, EMPTY_ROOT, EMPTY_ROOT, [EMPTY_ROOT]))).toBe(
      "bad-proof",
    );
    // Equal sizes: the empty proof and equal roots.
    expect(codeOf(() => verifyConsistency(5n, 5n, r5, r5, []))).toBe("no error");
    expect(codeOf(() => verifyConsistency(5n, 5n, r5, rootOf(4n), []))).toBe("bad-proof");
    expect(codeOf(() => verifyConsistency(5n, 5n, r5, r5, [r5]))).toBe("bad-proof");
    expect(codeOf(() => verifyConsistency(4n, 4n, rootOf(4n), rootOf(4n), []))).toBe("no error");
    // Time travel and sizes outside u64.
    expect(codeOf(() => verifyConsistency(6n, 5n, rootOf(6n), r5, []))).toBe("bad-index");
    expect(codeOf(() => verifyConsistency(1n, 0n, rootOf(1n), EMPTY_ROOT, []))).toBe("bad-index");
    expect(codeOf(() => verifyConsistency(-1n, 5n, EMPTY_ROOT, r5, []))).toBe("bad-index");
    expect(codeOf(() => verifyConsistency(1n, MAX_TREE_SIZE + 1n, r5, r5, [r5]))).toBe("bad-index");
    // Hashes of the wrong length.
    const proof = consistency(3n, 7n);
    const long = [...proof.slice(0, -1), Uint8Array.of(...proof.at(-1)!, 0)];
    expect(codeOf(() => verifyConsistency(3n, 7n, rootOf(3n), rootOf(7n), long))).toBe("bad-proof");
    expect(codeOf(() => verifyConsistency(3n, 7n, rootOf(3n).subarray(1), rootOf(7n), proof))).toBe(
      "bad-proof",
    );
    expect(codeOf(() => verifyConsistency(3n, 7n, rootOf(3n), new Uint8Array(64), proof))).toBe(
      "bad-proof",
    );
    expect(
      codeOf(() => verifyConsistency(5n, 5n, r5.subarray(0, 16), r5.subarray(0, 16), [])),
    ).toBe("bad-proof");
  });

  it("rejects random proofs without throwing anything but ProtocolError", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: MAX_TREE_SIZE }),
        fc.bigInt({ min: 0n, max: MAX_TREE_SIZE }),
        fc.array(fc.uint8Array({ minLength: 31, maxLength: 33 }), { minLength: 1, maxLength: 70 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        (first, second, proof, seed) => {
          const code = codeOf(() =>
            verifyConsistency(first, second, sha256(seed), sha256(sha256(seed)), proof),
          );
          expect(code).toBe(first > second ? "bad-index" : "bad-proof");
        },
      ),
    );
  });
});
