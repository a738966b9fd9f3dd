/**
 * An in-memory log tree: the complete-subtree store of tree.ts kept in arrays, one per level.
 * Meant for tests, tools and small offline checks (an auditor replaying a downloaded log); the
 * log writer keeps the same nodes in durable storage instead. It answers only for nodes that are
 * complete at its current size, so code under test cannot lean on hashes a real log would not
 * have yet.
 */
import { leafHash } from "./hashes.ts";
import {
  type AsyncHashReader,
  appendLeaf,
  checkNode,
  EMPTY_FRONTIER,
  type Frontier,
  type HashReader,
  type NodeRef,
  rootFromFrontier,
} from "./tree.ts";

export class MemoryTree implements HashReader, AsyncHashReader {
  #frontier: Frontier = EMPTY_FRONTIER;
  readonly #levels: Uint8Array[][] = [];

  get size(): bigint {
    return this.#frontier.size;
  }

  get frontier(): Frontier {
    return this.#frontier;
  }

  /** Appends SHA-256(0x00 ‖ entry); returns the new leaf's index. */
  appendEntry(entry: Uint8Array): bigint {
    return this.appendLeafHash(leafHash(entry));
  }

  appendLeafHash(hash: Uint8Array): bigint {
    const { frontier, nodes } = appendLeaf(this.#frontier, hash);
    for (const node of nodes) {
      const level = this.#levels[node.level] ?? [];
      this.#levels[node.level] = level;
      level[Number(node.index)] = node.hash;
    }
    this.#frontier = frontier;
    return frontier.size - 1n;
  }

  root(): Uint8Array {
    return rootFromFrontier(this.#frontier);
  }

  /** Throws "bad-index" for a node that is not complete at the current size. */
  getNode(level: number, index: bigint): Uint8Array {
    checkNode(level, index, this.size);
    return this.#levels[level]![Number(index)]!.slice();
  }

  getNodes(nodes: readonly NodeRef[]): Promise<Uint8Array[]> {
    try {
      return Promise.resolve(nodes.map((node) => this.getNode(node.level, node.index)));
    } catch (e) {
      return Promise.reject(e);
    }
  }
}
