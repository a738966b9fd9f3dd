/**
 * The transparency log's single writer (docs/DESIGN.md "Transparency log"; PROTOCOL.md §10.5).
 * One Durable Object instance per deployment sequences every append, so entries get gap-free
 * 64-bit indexes without coordination.
 *
 * Storage (SQLite in the object; tables made by schema.ts's migrations, every statement in
 * store.ts, indexes and sizes as 8-byte big-endian keys):
 *   leaves(idx, entry)             the entries, in order
 *   nodes(level, idx, hash)        every complete subtree hash (RFC 9162 §2.1) — tiles and proofs
 *                                  are read straight from here
 *   checkpoints(size, note)        the signed checkpoint of every batch, newest = largest size
 *   policy_state(part, text)       the log policy's state after the newest batch
 *                                  (LogPolicy.snapshot(), JSON cut into parts)
 *   witness_sizes, cosignatures    what each witness last cosigned, and its cosignature lines
 *   epoch_releases, epoch_release_commitments   the log's own releases (epoch-release.ts)
 *   epoch_keys                     the epoch keys (epoch-key-store.ts)
 *
 * A batch — the leaves, every node it completes, its signed checkpoint and the policy state after
 * it — is written in one `transactionSync`: after a crash at any step the log is exactly as before
 * the batch, and the in-memory policy is undone to match (LogPolicy.atomically).
 *
 * No request, and no restart, costs a replay of the log: a refused request is undone from the
 * policy's journal in time proportional to itself, and a restarted writer starts from the stored
 * policy state. The whole log is replayed only when that state is missing or was made under other
 * rules (POLICY_RULES), once, after which the state is stored again.
 *
 * Witnesses are offered the newest checkpoint by the object's alarm: set after every batch and
 * at start-up while a configured witness's cosignature of the newest checkpoint is missing, and
 * set again with a growing delay until every witness has cosigned. A witness that was down, or a
 * crash between a batch and its offer, is caught up without waiting for the next write.
 *
 * Appends that arrive while a batch is being assembled join it: `append` queues its entries and
 * the first caller of a tick flushes the queue, so concurrent writers share one transaction and
 * one checkpoint. Every entry is checked against the log policy before it is written; a request
 * whose entries break it is refused as a whole, without affecting the rest of the batch.
 */

import { DurableObject } from "cloudflare:workers";
import {
  appendLeaf,
  BACKDATING_TOLERANCE_SECONDS,
  consistencyProofSync,
  decodeEntry,
  EMPTY_FRONTIER,
  encodeBase64url,
  type Frontier,
  frontierAtSync,
  type HashReader,
  inclusionProofSync,
  LOG_TRUSTEE_ID,
  LogPolicy,
  leafHash,
  parseNote,
  type QueryScope,
  rootFromFrontier,
  type StoredNode,
} from "@lintel/protocol";
import { loadDeployment, loadWitnesses } from "../config/deployment.ts";
import { secretPublicKey, secretSeed } from "../config/secrets.ts";
import { migrate } from "../db/do-migrations.ts";
import type { Env } from "../env.ts";
import { type CheckpointSigner, checkpointSignerFrom } from "./checkpoint-signer.ts";
import {
  type EnsureOutcome,
  EpochKeyStore,
  type PublishedEpochKey,
  type RetireOutcome,
  type RetireRequest,
} from "./epoch-key-store.ts";
import { type EpochReleaseOutcome, releaseEpochShare } from "./epoch-release.ts";
import { EPOCH_KEY_SCHEMA, LOG_SCHEMA } from "./schema.ts";
import { LogStore } from "./store.ts";
import { submitCheckpoint } from "./witness-client.ts";

export interface LoggedQuery extends QueryScope {
  readonly entry: Uint8Array;
}

export interface LogStatus {
  /** Number of entries, as a decimal string: sizes are 64-bit and do not fit a JS number. */
  readonly size: string;
  readonly checkpoint: string | null;
}

export interface AppendResult {
  readonly firstIndex: string;
  readonly size: string;
  readonly checkpoint: string;
}

/**
 * What an append came to. Refusals are values, not exceptions: they cross the RPC boundary
 * intact, and the HTTP layer maps `refused` (the entry breaks the log policy) to a 4xx and
 * `failed` (storage or configuration) to a 5xx.
 */
export type AppendOutcome =
  | ({ readonly ok: true } & AppendResult)
  | { readonly ok: false; readonly kind: "refused" | "failed"; readonly reason: string };

interface Pending {
  readonly entries: readonly Uint8Array[];
  /** Runs inside the batch's storage transaction: commits with the entries or not at all. */
  readonly inTransaction?: () => void;
  settle(outcome: AppendOutcome): void;
}

const refused = (reason: string): AppendOutcome => ({ ok: false, kind: "refused", reason });
const failed = (e: unknown): AppendOutcome => ({
  ok: false,
  kind: "failed",
  reason: e instanceof Error ? e.message : String(e),
});

/** First retry of a witness offer that left a cosignature missing; doubles up to the cap. */
export const WITNESS_RETRY_FIRST_MS = 2_000;
export const WITNESS_RETRY_MAX_MS = 10 * 60_000;

export class LogWriter extends DurableObject<Env> {
  /**
   * Every statement goes through here (store.ts). Not readonly: the atomicity tests put a store
   * here (through runInDurableObject) that fails at a chosen write inside the batch's
   * transaction, as a crash of the storage would.
   */
  private store: LogStore;
  private frontier: Frontier = EMPTY_FRONTIER;
  /** Loaded from policy_state on first need (replayed only where that falls short). */
  private policy: LogPolicy | undefined;
  /**
   * How witnesses are reached. Not readonly: tests put a witness app here (through
   * runInDurableObject) instead of the network.
   */
  private reachWitness: typeof fetch = (input, init) => fetch(input, init);
  private witnessRetries = 0;
  private queue: Pending[] = [];
  private flushScheduled = false;
  private epochKeyStore: EpochKeyStore | undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new LogStore(ctx.storage.sql);
    ctx.blockConcurrencyWhile(async () => {
      migrate(ctx.storage, LOG_SCHEMA);
      migrate(ctx.storage, EPOCH_KEY_SCHEMA);
      this.loadState();
      // A crash after a batch, or a witness down when the writer stopped: offer again now.
      if (this.missingCosignatures() > 0 && (await ctx.storage.getAlarm()) === null)
        await ctx.storage.setAlarm(Date.now());
    });
  }

  /** Rebuilds the frontier from storage (start-up, or after a wipe); the policy loads on need. */
  private loadState(): void {
    this.reloadFrontier();
    this.policy = undefined;
  }

  private reloadFrontier(): void {
    const size = this.store.size();
    this.frontier = size === 0n ? EMPTY_FRONTIER : frontierAtSync(this.reader(size), size);
  }

  /**
   * The policy state after every stored entry: from policy_state, replaying only the entries it
   * does not cover (all of them when it is missing, of other rules, or of other keys).
   */
  private currentPolicy(): LogPolicy {
    if (!this.policy) {
      const size = this.frontier.size;
      let policy = this.storedPolicy();
      if (!policy || policy.size > size)
        policy = new LogPolicy(this.registryKey(), this.logPublicKey());
      const from = policy.size;
      for (const entry of this.store.entriesFrom(from)) policy.apply(entry);
      if (from !== size) this.ctx.storage.transactionSync(() => this.storePolicy(policy));
      this.policy = policy;
    }
    return this.policy;
  }

  private storedPolicy(): LogPolicy | undefined {
    const text = this.store.policyText();
    if (text === "") return undefined;
    try {
      return LogPolicy.fromSnapshot(JSON.parse(text), this.registryKey(), this.logPublicKey());
    } catch {
      // Other rules, other keys or damaged: the fallback replay rebuilds it.
      return undefined;
    }
  }

  /** Replaces the stored policy state; call inside the batch's transaction. */
  private storePolicy(policy: LogPolicy): void {
    this.store.replacePolicyText(JSON.stringify(policy.snapshot()));
  }

  private reader(size: bigint): HashReader {
    return {
      getNode: (level, index) => {
        if ((index + 1n) << BigInt(level) > size)
          throw new Error(`node ${level}/${index} is not complete`);
        const hash = this.store.nodeHash(level, index);
        if (!hash) throw new Error(`node ${level}/${index} is missing`);
        return hash;
      },
    };
  }

  /**
   * Entries authenticate themselves by their signatures, so anyone may submit one; the first
   * entry, though, names the registry key all later ones answer to. Pinning it to this
   * deployment's registry key keeps a stranger from claiming an empty log.
   */
  private registryKey(): Uint8Array {
    return secretPublicKey(this.env, "REGISTRY_SIGNING_KEY");
  }

  private logPublicKey(): Uint8Array {
    return secretPublicKey(this.env, "LOG_SIGNING_KEY");
  }

  private signer(): CheckpointSigner {
    return checkpointSignerFrom(this.env);
  }

  private epochStore(): EpochKeyStore {
    this.epochKeyStore ??= new EpochKeyStore(
      this.ctx.storage.sql,
      this.env,
      (entries, inTransaction) => this.appendWith(entries, inTransaction),
    );
    return this.epochKeyStore;
  }

  /** Generates and publishes the epoch keys of [fromDay, toDay] that do not exist yet. */
  ensureEpochKeys(fromDay: number, toDay: number): Promise<EnsureOutcome> {
    return this.epochStore().ensure(fromDay, toDay);
  }

  /**
   * Logs a retention receipt and destroys the epoch secrets it names, in one transaction
   * (epoch-key-store.ts `retire`); the caller deletes ciphertexts only after this succeeds.
   */
  retireExpired(request: RetireRequest): Promise<RetireOutcome> {
    return this.epochStore().retire(request);
  }

  /** The published epoch-key statements of [fromDay, toDay]. */
  epochKeys(fromDay: number, toDay: number): PublishedEpochKey[] {
    return this.epochStore().published(fromDay, toDay);
  }

  status(): LogStatus {
    return { size: this.frontier.size.toString(), checkpoint: this.cosignedCheckpoint() };
  }

  /** The newest checkpoint with every cosignature collected for it appended (C2SP signed note). */
  private cosignedCheckpoint(): string | null {
    const newest = this.store.newestCheckpoint();
    if (!newest) return null;
    // Each stored line is a complete signature line, newline included (formatSignatureLine).
    return newest.note + this.store.cosignatureLines(newest.size).join("");
  }

  private witnessRun: Promise<void> | undefined;
  private witnessAgain = false;

  /**
   * Offers the newest checkpoint to every configured witness. Runs one at a time; a batch that
   * lands meanwhile makes it run once more, so the newest checkpoint is always offered.
   */
  private offerToWitnesses(): Promise<void> {
    if (this.witnessRun) {
      this.witnessAgain = true;
      return this.witnessRun;
    }
    this.witnessRun = (async () => {
      do {
        this.witnessAgain = false;
        await this.offerOnce(this.reachWitness);
      } while (this.witnessAgain);
    })().finally(() => {
      this.witnessRun = undefined;
    });
    return this.witnessRun;
  }

  /**
   * The alarm: offers the newest checkpoint to the witnesses and, while one of them has not
   * cosigned it, comes back after a delay that doubles up to WITNESS_RETRY_MAX_MS. Alarms are
   * stored, so this survives a restart.
   */
  override async alarm(): Promise<void> {
    try {
      await this.offerToWitnesses();
    } finally {
      if (this.missingCosignatures() > 0) {
        const delay = Math.min(
          WITNESS_RETRY_MAX_MS,
          WITNESS_RETRY_FIRST_MS * 2 ** Math.min(this.witnessRetries, 20),
        );
        this.witnessRetries++;
        await this.ctx.storage.setAlarm(Date.now() + delay);
      } else {
        this.witnessRetries = 0;
      }
    }
  }

  /** Configured witnesses without a cosignature of the newest checkpoint. */
  private missingCosignatures(): number {
    let witnesses: ReturnType<typeof loadWitnesses>;
    try {
      witnesses = loadWitnesses(this.env.LINTEL_WITNESSES);
    } catch {
      return 0;
    }
    if (witnesses.length === 0 || this.frontier.size === 0n) return 0;
    const cosigned = new Set(this.store.cosigners(this.frontier.size));
    return witnesses.filter((w) => !cosigned.has(w.name)).length;
  }

  /** After a batch: offer its checkpoint at once, through the alarm. */
  private scheduleWitnessOffer(): void {
    if (this.missingCosignatures() === 0) return;
    this.witnessRetries = 0;
    this.ctx.waitUntil(this.ctx.storage.setAlarm(Date.now()));
  }

  private async offerOnce(fetchImpl: typeof fetch): Promise<void> {
    const witnesses = loadWitnesses(this.env.LINTEL_WITNESSES);
    const size = this.frontier.size;
    if (witnesses.length === 0 || size === 0n) return;
    const note = this.store.checkpointNote(size);
    const body = parseNote(note).text;
    for (const witness of witnesses) {
      for (let attempt = 0; attempt < 2; attempt++) {
        const oldSize = this.store.witnessSize(witness.name) ?? 0n;
        if (oldSize > size) break;
        const proof =
          oldSize === 0n || oldSize === size
            ? []
            : consistencyProofSync(this.reader(size), oldSize, size);
        const outcome = await submitCheckpoint(
          witness,
          { oldSize, proof, signedCheckpoint: note, checkpointBody: body },
          fetchImpl,
        );
        if (outcome.kind === "cosigned") {
          this.ctx.storage.transactionSync(() => {
            this.store.insertCosignature(size, witness.name, outcome.line);
            this.store.setWitnessSize(witness.name, size);
          });
          break;
        }
        if (outcome.kind === "conflict") {
          this.store.setWitnessSize(witness.name, outcome.witnessSize);
          continue;
        }
        console.error(`witness: ${outcome.reason}`);
        break;
      }
    }
  }

  /** Queues entries for the next batch; settles once they are durable and checkpointed. */
  append(entries: readonly Uint8Array[]): Promise<AppendOutcome> {
    return this.appendWith(entries);
  }

  /** `append`, plus a storage step that commits with the entries (never over RPC). */
  private appendWith(
    entries: readonly Uint8Array[],
    inTransaction?: () => void,
  ): Promise<AppendOutcome> {
    if (entries.length === 0) return Promise.resolve(refused("nothing to append"));
    return new Promise((settle) => {
      const copied = entries.map((e) => new Uint8Array(e));
      this.queue.push(
        inTransaction ? { entries: copied, inTransaction, settle } : { entries: copied, settle },
      );
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        // Let appends already on their way join this batch before it is written.
        setTimeout(() => this.flush(), 0);
      }
    });
  }

  private flush(): void {
    this.flushScheduled = false;
    const batch = this.queue;
    this.queue = [];
    const accepted: Pending[] = [];
    let policy: LogPolicy;
    try {
      policy = this.currentPolicy();
    } catch (e) {
      for (const r of batch) r.settle(failed(e));
      return;
    }
    // Replaying the log has no clock, so the writer is where time is checked: an entry dated in
    // the future would make every honest entry after it look backdated.
    const latest = Math.floor(Date.now() / 1000) + BACKDATING_TOLERANCE_SECONDS;
    let results: AppendResult[] = [];
    try {
      // The whole batch is undone from the policy if its transaction fails.
      policy.atomically(() => {
        for (const request of batch) {
          try {
            // All or none: a request refused midway leaves the policy exactly as before it.
            policy.atomically(() => {
              for (const entry of request.entries) {
                if (decodeEntry(entry).entry.issuedAt > latest)
                  throw new Error("the entry is dated in the future");
                policy.apply(entry);
              }
            });
            accepted.push(request);
          } catch (e) {
            request.settle(refused(e instanceof Error ? e.message : String(e)));
          }
        }
        if (accepted.length > 0) results = this.writeBatch(accepted, policy);
      });
    } catch (e) {
      this.reloadFrontier();
      for (const r of accepted) r.settle(failed(e));
      return;
    }
    if (accepted.length === 0) return;
    for (const [i, r] of accepted.entries()) r.settle({ ok: true, ...results[i]! });
    this.scheduleWitnessOffer();
  }

  private writeBatch(requests: readonly Pending[], policy: LogPolicy): AppendResult[] {
    let frontier = this.frontier;
    const firstIndexes: bigint[] = [];
    const nodes: StoredNode[] = [];
    const leaves: Array<[bigint, Uint8Array]> = [];
    for (const { entries } of requests) {
      firstIndexes.push(frontier.size);
      for (const entry of entries) {
        leaves.push([frontier.size, entry]);
        const appended = appendLeaf(frontier, leafHash(entry));
        nodes.push(...appended.nodes);
        frontier = appended.frontier;
      }
    }
    const note = this.signer().sign(frontier.size, rootFromFrontier(frontier));
    this.ctx.storage.transactionSync(() => {
      for (const [idx, entry] of leaves) this.store.insertLeaf(idx, entry);
      for (const n of nodes) this.store.insertNode(n.level, n.index, n.hash);
      this.store.insertCheckpoint(frontier.size, note);
      this.storePolicy(policy);
      for (const r of requests) r.inTransaction?.();
    });
    this.frontier = frontier;
    return firstIndexes.map((first) => ({
      firstIndex: first.toString(),
      size: frontier.size.toString(),
      checkpoint: note,
    }));
  }

  /**
   * The exposure query logged at `index` (PROTOCOL.md §11): its entry bytes and scope, or null
   * when that entry is not a query the policy accepted.
   */
  loggedQuery(index: bigint): LoggedQuery | null {
    if (index < 0n || index >= this.frontier.size) return null;
    const scope = this.currentPolicy().query(index);
    const entry = this.entryAt(index);
    if (!scope || !entry) return null;
    return { entry, ...scope };
  }

  /**
   * What the log's policy would say of a query's scope now: the first entrance it never saw
   * issued, and the queries and entrance-hours of the case so far. Work in the size of the
   * request, not of the log.
   */
  queryStanding(
    entrances: readonly string[],
    caseReferenceHash: Uint8Array,
  ): { unissued: string | null; caseQueries: number; caseEntranceHours: number } {
    const policy = this.currentPolicy();
    const used = policy.caseUsage(caseReferenceHash);
    return {
      unissued: entrances.find((e) => !policy.isIssuedEntrance(e)) ?? null,
      caseQueries: used.queries,
      caseEntranceHours: used.entranceHours,
    };
  }

  /** The officers' keys the log enrols now (base64url). */
  officerKeys(): string[] {
    return this.currentPolicy()
      .officerKeys()
      .map((k) => encodeBase64url(k));
  }

  /** The trustees and witnesses the log enrols now (their removal entries name these). */
  parties(): { trustees: string[]; witnesses: string[] } {
    const policy = this.currentPolicy();
    return { trustees: policy.trusteeIds(), witnesses: policy.witnessNames() };
  }

  /** The index of `holder`'s logged release for the entry at `queryIndex`, as decimal text. */
  releaseIndexOf(queryIndex: bigint, holder: string): string | null {
    return this.currentPolicy().releaseIndex(queryIndex, holder)?.toString() ?? null;
  }

  /** One stored entry, or null past the end of the log. */
  entryAt(index: bigint): Uint8Array | null {
    return this.store.entryAt(index);
  }

  /** The log's release of its epoch share for a logged query (log/epoch-release.ts). */
  async releaseEpochShare(queryIndex: bigint): Promise<EpochReleaseOutcome> {
    const ctx = {
      deployment: loadDeployment(this.env.LINTEL_DEPLOYMENT).id,
      policy: this.currentPolicy(),
      entryAt: (index: bigint) => this.entryAt(index),
      epochKeys: this.epochStore(),
      logSecretKey: secretSeed(this.env, "LOG_SIGNING_KEY"),
      previousRelease: (q: bigint) => this.previousEpochRelease(q),
      rememberRelease: (q: bigint, r: bigint) => this.store.rememberEpochRelease(q, r),
      commitments: (q: bigint) => this.store.releaseCommitments(q),
      rememberCommitments: (q: bigint, commitments: Uint8Array) =>
        this.store.rememberReleaseCommitments(q, commitments),
      append: (entries: readonly Uint8Array[]) => this.append(entries),
      now: Math.floor(Date.now() / 1000),
    };
    const first = await releaseEpochShare(ctx, queryIndex);
    // Two requests racing: the second append is refused as a second release; answer with the first.
    if (!first.ok && first.reason === "log-unavailable" && this.previousEpochRelease(queryIndex)) {
      return releaseEpochShare({ ...ctx, policy: this.currentPolicy() }, queryIndex);
    }
    return first;
  }

  private previousEpochRelease(queryIndex: bigint): bigint | undefined {
    const remembered = this.store.epochRelease(queryIndex);
    if (remembered !== undefined) return remembered;
    if (!this.currentPolicy().hasReleased(queryIndex, LOG_TRUSTEE_ID)) return undefined;
    // Logged but not remembered (a crash between the two): find the entry itself.
    for (const r of this.store.entriesAfter(queryIndex)) {
      const { body } = decodeEntry(r.entry).entry;
      if (
        body.kind === "trustee-release" &&
        body.trusteeId === LOG_TRUSTEE_ID &&
        body.queryIndex === queryIndex
      ) {
        this.store.rememberEpochRelease(queryIndex, r.index);
        return r.index;
      }
    }
    return undefined;
  }

  /** The newest signed checkpoint with its cosignatures, or null for an empty log. */
  checkpoint(): string | null {
    return this.cosignedCheckpoint();
  }

  /** Hashes of nodes (8·level, index·256 … index·256 + width − 1): one tlog-tiles hash tile. */
  tile(level: number, index: bigint, width: number): Uint8Array | null {
    const nodeLevel = level * 8;
    const first = index * 256n;
    const size = this.frontier.size;
    if ((first + BigInt(width)) << BigInt(nodeLevel) > size) return null;
    const hashes = this.store.nodeHashes(nodeLevel, first, first + BigInt(width));
    if (hashes.length !== width) return null;
    const out = new Uint8Array(width * 32);
    for (const [i, hash] of hashes.entries()) out.set(hash, i * 32);
    return out;
  }

  /** Entries index·256 … index·256 + width − 1, or null if they do not all exist yet. */
  entries(index: bigint, width: number): Uint8Array[] | null {
    const first = index * 256n;
    const entries = this.store.entryRange(first, first + BigInt(width));
    return entries.length === width ? entries : null;
  }

  /**
   * The newest signed checkpoint with the inclusion proof of `index` in it, read together so the
   * two always match; null when the log does not hold that entry yet.
   */
  inclusionBundle(index: bigint): { checkpoint: string; size: string; proof: Uint8Array[] } | null {
    const size = this.frontier.size;
    if (index < 0n || index >= size) return null;
    // The newest checkpoint is the one of the current size, with whatever cosignatures it has.
    const checkpoint = this.cosignedCheckpoint();
    if (!checkpoint) return null;
    return {
      checkpoint,
      size: size.toString(),
      proof: inclusionProofSync(this.reader(size), index, size),
    };
  }
}

export function logWriterStub(env: Env, deploymentId: string): DurableObjectStub<LogWriter> {
  return env.LOG_WRITER.get(env.LOG_WRITER.idFromName(`log:${deploymentId}`));
}
