/**
 * What an auditor remembers between runs: the last checkpoint it verified (kept verbatim, as
 * evidence should the log later contradict it), its root, and the right edge of that tree (its
 * complete subtrees' hashes). The next run recomputes the old root from the log's current tiles
 * and compares it with the stored one; the edge is kept for tools that extend the tree offline.
 *
 * An auditor that replays a Lintel log's policy may keep the policy's state too (`policy`, when
 * audited with `keepPolicy`): the next run then replays only the new entries. Only an auditor
 * that trusts its own storage should — the snapshot is believed, not re-derived.
 */
import { decodeBase64url, encodeBase64url } from "../../encoding/base64url.ts";
import type { PolicySnapshot } from "../entries/policy.ts";
import type { Frontier } from "../merkle/tree.ts";

export interface AuditState {
  readonly format: "lintel-audit-state/1";
  readonly origin: string;
  /** Decimal u64. */
  readonly size: string;
  readonly rootHash: string;
  readonly frontier: readonly string[];
  /** The signed checkpoint note last verified, kept as evidence. */
  readonly checkpoint: string;
  readonly verifiedAt: string;
  /** The Lintel policy's state after entry `size` − 1 (see above). */
  readonly policy?: PolicySnapshot;
}

export function stateFrontier(state: AuditState): Frontier {
  return { size: BigInt(state.size), hashes: state.frontier.map((h) => decodeBase64url(h, 32)) };
}

export function makeState(
  origin: string,
  frontier: Frontier,
  rootHash: Uint8Array,
  checkpoint: string,
  now: Date,
): AuditState {
  return {
    format: "lintel-audit-state/1",
    origin,
    size: frontier.size.toString(),
    rootHash: encodeBase64url(rootHash),
    frontier: frontier.hashes.map(encodeBase64url),
    checkpoint,
    verifiedAt: now.toISOString(),
  };
}

export function parseState(text: string): AuditState {
  const value = JSON.parse(text) as AuditState;
  if (
    value.format !== "lintel-audit-state/1" ||
    typeof value.size !== "string" ||
    !Array.isArray(value.frontier)
  ) {
    throw new Error("not a lintel-audit state file");
  }
  return value;
}
