import { describe, expect, it } from "vitest";
import { ProtocolError } from "../../errors.ts";
import { codeOf } from "../../testing/code-of.ts";
import { EMPTY_ROOT, leafHash } from "./hashes.ts";
import { MemoryTree } from "./memory.ts";
import { inclusionProof, rootFromLeafHashes, treeRoot } from "./tree.ts";
import { verifyInclusion } from "./verify.ts";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const entry = (i: number) => new TextEncoder().encode(`entry ${i}`);

describe("MemoryTree", () => {
  it("starts empty and numbers leaves from 0", () => {
    const tree = new MemoryTree();
    expect(tree.size).toBe(0n);
    expect(hex(tree.root())).toBe(hex(EMPTY_ROOT));
    expect(tree.appendEntry(entry(0))).toBe(0n);
    expect(tree.appendLeafHash(leafHash(entry(1)))).toBe(1n);
    expect(tree.size).toBe(2n);
    expect(tree.frontier.hashes).toHaveLength(1);
  });

  it("keeps the root of everything appended and serves async proofs", async () => {
    const tree = new MemoryTree();
    const hashes: Uint8Array[] = [];
    for (let i = 0; i < 37; i++) {
      tree.appendEntry(entry(i));
      hashes.push(leafHash(entry(i)));
      expect(hex(tree.root())).toBe(hex(rootFromLeafHashes(hashes)));
    }
    const root = await treeRoot(tree, 37n);
    expect(hex(root)).toBe(hex(tree.root()));
    const proof = await inclusionProof(tree, 20n, 37n);
    expect(codeOf(() => verifyInclusion(20n, 37n, hashes[20]!, proof, root))).toBe("no error");
  });

  it("refuses nodes that are not complete at its size", async () => {
    const tree = new MemoryTree();
    for (let i = 0; i < 6; i++) tree.appendEntry(entry(i));
    expect(codeOf(() => tree.getNode(1, 2n))).toBe("no error"); // leaves 4 and 5
    expect(codeOf(() => tree.getNode(0, 6n))).toBe("bad-index");
    expect(codeOf(() => tree.getNode(2, 1n))).toBe("bad-index"); // leaves 4..7
    expect(codeOf(() => tree.getNode(3, 0n))).toBe("bad-index");
    expect(codeOf(() => tree.getNode(64, 0n))).toBe("bad-index");
    expect(codeOf(() => tree.getNode(0, -1n))).toBe("bad-index");
    await expect(
      tree.getNodes([
        { level: 0, index: 0n },
        { level: 2, index: 1n },
      ]),
    ).rejects.toThrow(ProtocolError);
  });

  it("hands out copies, so callers cannot corrupt the store", () => {
    const tree = new MemoryTree();
    tree.appendEntry(entry(0));
    const before = hex(tree.root());
    tree.getNode(0, 0n).fill(0);
    tree.root().fill(0);
    expect(hex(tree.getNode(0, 0n))).toBe(before);
    expect(hex(tree.root())).toBe(before);
  });
});
