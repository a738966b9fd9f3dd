/**
 * Verifying a transparency log (docs/DESIGN.md "Transparency log"; PROTOCOL.md §10.6). One run:
 *
 *  1. fetch the checkpoint; check the log's signature and the witness quorum (C2SP
 *     tlog-checkpoint, tlog-cosignature);
 *  2. recompute the tree root from the hash tiles and require the checkpoint's root;
 *  3. against the state saved last time: the tree may only grow, and the root of the old size,
 *     recomputed from today's tiles, must be the root the log signed then. If it is not, the log
 *     signed two inconsistent views — a fork — and the two signed checkpoints are kept as proof;
 *  4. fetch every new entry bundle and require each entry to hash to its leaf in the tiles;
 *  5. for Lintel logs, replay every entry through the log policy (signatures, enrolments, two
 *     officers per query, scopes, no backdating); the signatures are verified a page at a time
 *     ahead of the replay (signature-pages.ts), which still decides every entry;
 *  6. return the new state to save.
 *
 * Works with any C2SP tlog-tiles log: entries are treated as opaque unless they are Lintel's.
 */
import { encodeBase64url } from "../../encoding/base64url.ts";
import { constantTimeEqual } from "../../encoding/bytes.ts";
import { isProtocolError } from "../../errors.ts";
import type { VerifierKey } from "../../keys/verifier-key.ts";
import type { Checkpoint } from "../checkpoint/checkpoint.ts";
import { verifyCheckpoint } from "../checkpoint/signed-checkpoint.ts";
import { LogPolicy, POLICY_RULES } from "../entries/policy.ts";
import { EMPTY_ROOT, leafHash, nodeHash } from "../merkle/hashes.ts";
import {
  consistencyProof,
  EMPTY_FRONTIER,
  frontierAt,
  planTreeRoot,
  read,
} from "../merkle/tree.ts";
import { decodeEntryBundle, TILE_HEIGHT, TILE_WIDTH } from "../tiles/tiles.ts";
import { PAGE_ENTRIES, SignaturePages } from "./signature-pages.ts";
import { type LogSource, SourceError } from "./source.ts";
import { type AuditState, makeState } from "./state.ts";
import { type TileHashReader, tileHashReader } from "./tile-reader.ts";

export type EntryPolicy = "lintel" | "opaque" | "auto";

export interface AuditOptions {
  readonly source: LogSource;
  readonly logKey: VerifierKey;
  readonly witnesses?: readonly VerifierKey[];
  readonly quorum?: number;
  readonly previous?: AuditState;
  readonly entries?: EntryPolicy;
  /** For Lintel logs: the registry key the first entry must name. */
  readonly registryKey?: Uint8Array;
  readonly now?: Date;
  /** Entry bundles fetched at once. */
  readonly concurrency?: number;
  /**
   * Lintel logs: keep the policy's state in the returned state, and resume from `previous.policy`
   * when it is there — only the new entries are replayed (signatures checked). For auditors that
   * trust their own storage (a trustee, a citizen's device).
   */
  readonly keepPolicy?: boolean;
  /**
   * With a resumed policy: fetch only the new entries, and return only those in `lintel.entries`
   * (from `lintel.firstIndex`). Without it every entry is still fetched (a caching source makes
   * that cheap) and checked against its leaf, for callers that read the whole log.
   */
  readonly newEntriesOnly?: boolean;
}

export interface MisbehaviourProof {
  readonly format: "lintel-misbehaviour/1";
  readonly kind: "fork" | "rollback";
  readonly explanation: string;
  readonly origin: string;
  /** Both signed checkpoints, older first. Each verifies under the log key; together they cannot both be honest. */
  readonly checkpoints: readonly [string, string];
  /** For a fork: the consistency proof computed from the log's own tiles, which does not verify. */
  readonly consistencyProof?: readonly string[];
}

export type AuditOutcome =
  | {
      readonly ok: true;
      readonly state: AuditState;
      readonly checkpoint: Checkpoint;
      readonly newEntries: bigint;
      readonly entryPolicy: "lintel" | "opaque";
      readonly cosigners: readonly string[];
      readonly tilesFetched: number;
      /**
       * Lintel logs: the policy state after replaying every entry (enrolments, queries, releases)
       * and the entries replayed, from `firstIndex` (0 unless resumed with `keepPolicy`) — what a
       * trustee or citizen reads the log for.
       */
      readonly lintel?: {
        readonly policy: LogPolicy;
        readonly entries: readonly Uint8Array[];
        readonly firstIndex: bigint;
      };
    }
  | { readonly ok: false; readonly reason: string; readonly misbehaviour?: MisbehaviourProof };

const fail = (reason: string, misbehaviour?: MisbehaviourProof): AuditOutcome =>
  misbehaviour ? { ok: false, reason, misbehaviour } : { ok: false, reason };

/**
 * Entries [from, to) of a tree of `size` entries. Bundles are always asked for at the width the
 * tree's size gives them (full, or the one partial bundle at the end), since that is what a
 * tlog-tiles log or a mirror of one is sure to hold.
 */
async function fetchEntries(
  source: LogSource,
  from: bigint,
  to: bigint,
  size: bigint,
  concurrency: number,
): Promise<Uint8Array[]> {
  const W = BigInt(TILE_WIDTH);
  const bundles: Array<{ index: bigint; width: number }> = [];
  for (let index = from / W; index * W < to; index++) {
    const end = (index + 1n) * W;
    bundles.push({ index, width: Number(end <= size ? W : size - index * W) });
  }
  const results: Uint8Array[][] = new Array(bundles.length);
  let next = 0;
  async function worker(): Promise<void> {
    while (next < bundles.length) {
      const i = next++;
      const b = bundles[i]!;
      results[i] = decodeEntryBundle(await source.entryBundle(b.index, b.width), b.width);
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, bundles.length) }, worker));
  const all = results.flat();
  const skip = Number(from % W);
  return all.slice(skip, skip + Number(to - from));
}

/**
 * Checks every full tile at every level that holds nodes above leaves [from, size) against the
 * node one tile level up (C2SP tlog-tiles: a full tile of level t hashes to one node of level
 * t + 1). Returns a failure reason, or undefined when every link holds.
 */
async function brokenTileLink(
  reader: TileHashReader,
  from: bigint,
  size: bigint,
): Promise<string | undefined> {
  const W = BigInt(TILE_WIDTH);
  for (let level = 0; ; level += TILE_HEIGHT) {
    const nodes = size >> BigInt(level);
    const fullTiles = nodes / W;
    if (fullTiles === 0n || size >> BigInt(level + TILE_HEIGHT) === 0n) return undefined;
    for (let t = (from >> BigInt(level)) / W; t < fullTiles; t++) {
      const refs = Array.from({ length: TILE_WIDTH }, (_, i) => ({
        level,
        index: t * W + BigInt(i),
      }));
      const hashes = await reader.getNodes(refs);
      const [parent] = await reader.getNodes([{ level: level + TILE_HEIGHT, index: t }]);
      if (!constantTimeEqual(rootFromLeafHashesOfNodes(hashes), parent!)) {
        return `the log's tile ${level / TILE_HEIGHT}/${t} does not hash to its node in the tile above`;
      }
    }
  }
}

/** The root of 256 sibling nodes (a complete subtree). */
function rootFromLeafHashesOfNodes(hashes: readonly Uint8Array[]): Uint8Array {
  let layer = hashes;
  while (layer.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < layer.length; i += 2) next.push(nodeHash(layer[i]!, layer[i + 1]!));
    layer = next;
  }
  return layer[0]!;
}

function looksLikeLintel(first: Uint8Array | undefined): boolean {
  return first !== undefined && first[0] === 0x4c && first[1] === 1 && first[2] === 1;
}

export async function auditLog(options: AuditOptions): Promise<AuditOutcome> {
  const { source, previous } = options;
  const now = options.now ?? new Date();
  try {
    return await audit(options, source, previous, now);
  } catch (e) {
    if (e instanceof SourceError) return fail(e.message);
    if (isProtocolError(e)) return fail(`the log serves malformed data: ${e.message}`);
    throw e;
  }
}

async function audit(
  options: AuditOptions,
  source: LogSource,
  previous: AuditState | undefined,
  now: Date,
): Promise<AuditOutcome> {
  const note = new TextDecoder().decode(await source.checkpoint());
  let verified: ReturnType<typeof verifyCheckpoint>;
  try {
    verified = verifyCheckpoint(note, {
      logKey: options.logKey,
      witnesses: options.witnesses ?? [],
      quorum: options.quorum ?? 0,
      ...(previous ? { origin: previous.origin } : {}),
      now: BigInt(Math.floor(now.getTime() / 1000)),
    });
  } catch (e) {
    return fail(`the checkpoint does not verify: ${e instanceof Error ? e.message : String(e)}`);
  }
  const cp = verified.checkpoint;
  const origin = cp.origin;

  if (previous) {
    const oldSize = BigInt(previous.size);
    if (cp.size < oldSize) {
      return fail(`the log shrank from ${oldSize} to ${cp.size} entries since the last audit`, {
        format: "lintel-misbehaviour/1",
        kind: "rollback",
        explanation: `The log signed a tree of ${oldSize} entries, then one of ${cp.size}: an append-only log never shrinks.`,
        origin,
        checkpoints: [previous.checkpoint, note],
      });
    }
  }

  const reader = tileHashReader(source, cp.size);
  if (cp.size === 0n && !constantTimeEqual(cp.rootHash, EMPTY_ROOT)) {
    return fail("the checkpoint of an empty log does not carry the empty tree's root");
  }
  if (cp.size > 0n) {
    const root = await read(planTreeRoot(cp.size), reader);
    if (!constantTimeEqual(root, cp.rootHash)) {
      return fail("the log's hash tiles do not produce the root in its signed checkpoint");
    }
  }
  const oldSize = previous ? BigInt(previous.size) : 0n;
  if (previous && oldSize > 0n) {
    const oldRoot = await read(planTreeRoot(oldSize), reader);
    if (encodeBase64url(oldRoot) !== previous.rootHash) {
      const proof = await consistencyProof(reader, oldSize, cp.size);
      return fail(
        `the log forked: its tree of ${cp.size} entries does not extend the tree of ${oldSize} entries it signed before`,
        {
          format: "lintel-misbehaviour/1",
          kind: "fork",
          explanation:
            `Both checkpoints verify under the log key, but no tree of ${cp.size} entries can have the ` +
            `signed tree of ${oldSize} entries as its prefix: the consistency proof built from the log's own ` +
            "tiles does not verify between the two roots.",
          origin,
          checkpoints: [previous.checkpoint, note],
          consistencyProof: proof.map(encodeBase64url),
        },
      );
    }
  }

  // Entries: new ones against their leaves; all of them through the policy for Lintel logs.
  const wanted = options.entries ?? "auto";
  const policyKind =
    wanted === "auto"
      ? looksLikeLintel(
          cp.size > 0n ? (await fetchEntries(source, 0n, 1n, cp.size, 1))[0] : undefined,
        )
        ? "lintel"
        : "opaque"
      : wanted;
  let resumed: LogPolicy | undefined;
  // A state kept under other policy rules is set aside: the replay starts again from entry 0.
  if (
    policyKind === "lintel" &&
    options.keepPolicy &&
    previous?.policy &&
    previous.policy.rules === POLICY_RULES
  ) {
    try {
      resumed = LogPolicy.fromSnapshot(previous.policy, options.registryKey);
    } catch (e) {
      return fail(`the saved policy state is unusable: ${e instanceof Error ? e.message : e}`);
    }
    if (resumed.size !== oldSize) {
      return fail(
        `the saved policy state covers ${resumed.size} entries, the saved tree ${oldSize}`,
      );
    }
  }
  const from = policyKind === "lintel" && !(resumed && options.newEntriesOnly) ? 0n : oldSize;
  const entries = await fetchEntries(source, from, cp.size, cp.size, options.concurrency ?? 8);
  // Lintel entries' signatures are verified ahead, in pages, while the checks below and the
  // replay run (signature-pages.ts); the replay still decides every entry.
  const replayFrom = Number((resumed?.size ?? 0n) - from);
  const signatures = policyKind === "lintel" ? new SignaturePages(entries, replayFrom) : undefined;
  const leaves = await reader.getNodes(
    entries.map((_, i) => ({ level: 0, index: from + BigInt(i) })),
  );
  for (let i = 0; i < entries.length; i++) {
    if (!constantTimeEqual(leafHash(entries[i]!), leaves[i]!)) {
      return fail(`entry ${from + BigInt(i)} does not match its leaf hash in the log's tiles`);
    }
  }
  // The root was recomputed from the highest tiles that cover each subtree; the lower tiles the
  // leaves were just read from must hash up to those same nodes, or a log could serve entries
  // that match a tile the root does not commit to.
  const broken = await brokenTileLink(reader, from, cp.size);
  if (broken) return fail(broken);
  let lintel: { policy: LogPolicy; entries: readonly Uint8Array[]; firstIndex: bigint } | undefined;
  if (policyKind === "lintel") {
    const policy = resumed ?? new LogPolicy(options.registryKey);
    lintel = { policy, entries, firstIndex: from };
    // A resumed policy has applied entries [0, old) already.
    for (let start = replayFrom; start < entries.length; start += PAGE_ENTRIES) {
      const page = await signatures!.page(start);
      const end = Math.min(start + PAGE_ENTRIES, entries.length);
      for (let i = start; i < end; i++) {
        try {
          policy.apply(entries[i]!, page.verified, page.decoded[i - start]);
        } catch (e) {
          return fail(
            `entry ${from + BigInt(i)} breaks the Lintel log policy: ${e instanceof Error ? e.message : String(e)}`,
          );
        }
      }
    }
  }

  const frontier = cp.size === 0n ? EMPTY_FRONTIER : await frontierAt(reader, cp.size);
  const state = makeState(origin, frontier, cp.rootHash, note, now);
  return {
    ok: true,
    state: lintel && options.keepPolicy ? { ...state, policy: lintel.policy.snapshot() } : state,
    checkpoint: cp,
    newEntries: cp.size - oldSize,
    entryPolicy: policyKind,
    cosigners: verified.cosigners.map((w) => w.name),
    tilesFetched: reader.tilesFetched(),
    ...(lintel ? { lintel } : {}),
  };
}
