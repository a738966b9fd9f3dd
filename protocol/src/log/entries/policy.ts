/**
 * The rules every Lintel log entry must obey (PROTOCOL.md §10.4), checked by replaying the log
 * from its first entry. The log writer applies them before appending; auditors apply them again
 * to everything they download, so a writer that breaks them is caught, not trusted.
 *
 *  - Entry 0 is the deployment entry, signed by the registry key it names. Nothing else may be.
 *  - Enrolments, removals, code replacements and entrance issuances: signed by the registry; an
 *    entrance is issued once.
 *  - Epoch keys and retention receipts: signed by the log key; one epoch key per day, with a
 *    valid proof of possession.
 *  - Exposure queries: signed by at least `approvalsRequired` enrolled officers with distinct
 *    enrolment labels (one officer's several device keys share a label); 1 to
 *    `maxEntrancesPerQuery` distinct entrances, each issued earlier in the log; an hour-aligned
 *    window of at most `maxWindowHours`, not in the future and not older than retention; at most
 *    `maxEntranceHoursPerQuery` entrance-hours, or up to `maxEntranceHoursWide` with
 *    `wideQueryApprovals` officers; per case reference, at most `maxQueriesPerCase` queries and
 *    `maxEntranceHoursPerCase` entrance-hours together; a legal basis and a reason of real
 *    length; no repeat of the same case and scope. A query's issuedAt (when it was filed) may lag
 *    the log by up to `draftLifetimeSeconds`: the time its approvals may take.
 *  - Trustee releases: signed by the enrolled trustee's signing key (or, for the reserved id
 *    "log", the log's epoch share, by the log key), for an earlier query or venue request
 *    granting contacts, once per trustee and entry, covering exactly its (entrance, hour)
 *    identities.
 *  - Exposure warnings: signed by an enrolled officer, inside an earlier query's scope.
 *  - Venue requests: signed by enrolled officers only (at least one); 1 to
 *    `maxEntrancesPerQuery` distinct entrances, each issued to the requesting venue; a window
 *    under the same rules as a query's. One granting `contacts` opens check-ins like a query:
 *    it needs `approvalsRequired` distinct officers (`wideQueryApprovals` above the budget), and
 *    may lag the log by the draft lifetime while it gathers them.
 *  - Every signature on an entry must verify; issuedAt never goes back more than five minutes
 *    (no backdating) — for a query, more than the deployment's draft lifetime.
 */
import { toHex } from "../../encoding/bytes.ts";
import { ProtocolError } from "../../errors.ts";
import { ed25519Verify } from "../../keys/ed25519.ts";
import type { Ed25519VerifyItem } from "../../keys/ed25519-async.ts";
import { contextMessage } from "../../keys/signing-context.ts";
import type { VerifiedSignatures } from "../../keys/verified-signatures.ts";
import { verifyProofOfPossession } from "../../tibe/trustee-key.ts";
import {
  type DeploymentLimits,
  deploymentLimits,
  type EntryBody,
  SUSPENSION_REASONS,
  type SuspensionReason,
} from "./bodies.ts";
import { type DecodedEntry, decodeEntry, MAX_ENTRY_SIGNATURES } from "./entry.ts";

export const SLOT_SECONDS = 3600;
export const BACKDATING_TOLERANCE_SECONDS = 300;

const hex = toHex;
const fromHex = (h: string) => Uint8Array.from(h.match(/../g)!, (x) => Number.parseInt(x, 16));

/** The trustee id of the log's own epoch share (PROTOCOL.md §11.3). */
export const LOG_TRUSTEE_ID = "log";

type DeploymentBody = Extract<EntryBody, { kind: "deployment" }>;

export interface QueryScope {
  readonly entrances: readonly string[];
  readonly windowStart: number;
  readonly windowEnd: number;
}

/** Number of (entrance, hour-slot) identities a query covers. */
export function queryIdentityCount(q: QueryScope): number {
  return q.entrances.length * ((q.windowEnd - q.windowStart) / SLOT_SECONDS);
}

/** The deployment parameters the query rules depend on (the deployment entry's, §10.3). */
export interface QueryLimits {
  readonly retentionDays: number;
  readonly maxWindowHours: number;
  readonly maxEntrancesPerQuery: number;
  readonly maxEntranceHoursWide: number;
}

/**
 * The least a legal basis and a reason must say (characters after trimming, and at least one
 * letter): enough to rule out "x" or "sweep", not a judgement of the text — the approver's is.
 */
export const MIN_LEGAL_BASIS_CHARS = 6;
export const MIN_REASON_CHARS = 10;

const saysSomething = (text: string, min: number) =>
  [...text.trim()].length >= min && /\p{L}/u.test(text);

type QueryBody = Extract<EntryBody, { kind: "exposure-query" }>;

/** Query rules 3–9 (§10.4): the entrances and the window, alone. */
function windowRuleBroken(q: QueryScope, d: QueryLimits, issuedAt: number): string | undefined {
  if (q.entrances.length > d.maxEntrancesPerQuery)
    return `too many entrances in one query (at most ${d.maxEntrancesPerQuery})`;
  if (new Set(q.entrances).size !== q.entrances.length) return "an entrance is named twice";
  if (q.windowStart % SLOT_SECONDS !== 0 || q.windowEnd % SLOT_SECONDS !== 0) {
    return "the window must start and end on the hour";
  }
  if (q.windowEnd <= q.windowStart) return "the window is empty";
  if (q.windowEnd - q.windowStart > d.maxWindowHours * SLOT_SECONDS)
    return `the window is too long (at most ${d.maxWindowHours} hours)`;
  if (q.windowEnd > issuedAt + SLOT_SECONDS) return "the window reaches into the future";
  if (q.windowStart < issuedAt - d.retentionDays * 86_400 - 86_400) {
    return "the window starts before the retention period: those check-ins are gone";
  }
  return undefined;
}

/** Query rule 11 (§10.4): the entrance-hours no query may exceed, however many officers sign. */
function entranceHoursRuleBroken(q: QueryScope, d: QueryLimits): string | undefined {
  if (queryIdentityCount(q) > d.maxEntranceHoursWide)
    return `the query covers too many entrance-hours (at most ${d.maxEntranceHoursWide})`;
  return undefined;
}

/**
 * The scope rules a query and a venue request share (§10.4 query rules 3–9 and 11): distinct
 * entrances, at most `maxEntrancesPerQuery`; an hour-aligned, non-empty window of at most
 * `maxWindowHours`, not in the future and not older than retention; at most
 * `maxEntranceHoursWide` entrance-hours. The first rule broken, or undefined.
 */
export function scopeRuleBroken(
  q: QueryScope,
  d: QueryLimits,
  issuedAt: number,
): string | undefined {
  return windowRuleBroken(q, d, issuedAt) ?? entranceHoursRuleBroken(q, d);
}

/**
 * Query rules 3–11 of §10.4 — the ones that depend on the query alone, not on who signed it or
 * what the log holds — for a query issued at `issuedAt`, in that order. The first rule broken, or
 * undefined. The log applies them on append; the service applies them when an officer files a
 * draft.
 */
export function queryRuleBroken(
  q: Pick<QueryBody, "entrances" | "windowStart" | "windowEnd" | "legalBasis" | "reason">,
  d: QueryLimits,
  issuedAt: number,
): string | undefined {
  const window = windowRuleBroken(q, d, issuedAt);
  if (window) return window;
  if (!saysSomething(q.legalBasis, MIN_LEGAL_BASIS_CHARS))
    return `the legal basis must name the law (at least ${MIN_LEGAL_BASIS_CHARS} characters)`;
  if (!saysSomething(q.reason, MIN_REASON_CHARS))
    return `the reason must say why (at least ${MIN_REASON_CHARS} characters)`;
  return entranceHoursRuleBroken(q, d);
}

/** The deployment entry's query limits must make sense together; the first that does not. */
export function deploymentRuleBroken(d: DeploymentBody): string | undefined {
  if (d.maxEntranceHoursPerQuery < 1) return "the entrance-hour budget must be at least 1";
  if (d.maxEntranceHoursWide < d.maxEntranceHoursPerQuery)
    return "the hard cap on entrance-hours is below the budget";
  if (d.wideQueryApprovals <= d.approvalsRequired || d.wideQueryApprovals > MAX_ENTRY_SIGNATURES)
    return `wide queries need more officers than others (at most ${MAX_ENTRY_SIGNATURES})`;
  if (d.maxQueriesPerCase < 1) return "a case must be allowed one query";
  if (d.maxEntranceHoursPerCase < d.maxEntranceHoursPerQuery)
    return "the per-case entrance-hours are below one query's budget";
  if (d.draftLifetimeSeconds < BACKDATING_TOLERANCE_SECONDS || d.draftLifetimeSeconds > 7 * 86_400)
    return "a draft lifetime is between five minutes and seven days";
  return undefined;
}

/**
 * The signatures of a decoded entry, as (key, message, signature) triples for
 * {@link VerifiedSignatures.verify}.
 */
export function entrySignatureItems(decoded: DecodedEntry): Ed25519VerifyItem[] {
  const message = contextMessage("log entry", decoded.signedPart);
  return decoded.entry.signatures.map((s) => ({
    publicKey: s.publicKey,
    message,
    signature: s.signature,
  }));
}

function violation(index: bigint, reason: string): ProtocolError {
  return new ProtocolError("policy-violation", `entry ${index}: ${reason}`);
}

/**
 * The version of the rules LogPolicy applies. Raise it with any change to what the policy
 * accepts or remembers: a snapshot made under other rules is discarded and the log replayed from
 * entry 0, so entries accepted under looser rules are checked again.
 */
export const POLICY_RULES = 5;

/** LogPolicy's state as data (keys in lowercase hex, indexes as decimal strings). */
export interface PolicySnapshot {
  readonly format: "lintel-policy-state/1";
  /** {@link POLICY_RULES} of the policy that made it. */
  readonly rules: number;
  /** Entries applied. */
  readonly size: string;
  readonly lastIssuedAt: number;
  readonly deployment:
    | ({
        readonly name: string;
        readonly registryKey: string;
        readonly logKey: string;
      } & DeploymentLimits)
    | undefined;
  /** [entrance id, venue id] of every entrance issued by the registry. */
  readonly entrances: ReadonlyArray<readonly [string, string]>;
  /** [venue id, suspension reason] of the venues suspended now. */
  readonly suspended: ReadonlyArray<readonly [string, string]>;
  /** Entrance ids retired by the registry. */
  readonly retired: readonly string[];
  /** [public key, enrolment label]. */
  readonly officers: ReadonlyArray<readonly [string, string]>;
  /** [trustee id, signing key, share key]. */
  readonly trustees: ReadonlyArray<readonly [string, string, string]>;
  /** [name, public key]. */
  readonly witnesses: ReadonlyArray<readonly [string, string]>;
  readonly epochDays: readonly number[];
  /** [index, entrances, windowStart, windowEnd, fingerprint]. */
  readonly queries: ReadonlyArray<readonly [string, readonly string[], number, number, string]>;
  /** [index, entrances, windowStart, windowEnd] of every venue request granting contacts. */
  readonly contactRequests: ReadonlyArray<readonly [string, readonly string[], number, number]>;
  /** ["<queryIndex>:<trusteeId>", release entry index]. */
  readonly releases: ReadonlyArray<readonly [string, string]>;
}

export class LogPolicy {
  private deployment: (DeploymentBody & { readonly name: string }) | undefined;
  /** The deployment's two keys in hex, for the deployment object they were computed from. */
  private keysHex:
    | { readonly of: DeploymentBody; readonly registry: string; readonly logKey: string }
    | undefined;
  private readonly officers = new Map<string, string>();
  private readonly trustees = new Map<
    string,
    { readonly signingKey: string; readonly shareKey: string }
  >();
  private readonly witnesses = new Map<string, string>();
  private readonly epochDays = new Set<number>();
  private readonly queries = new Map<bigint, QueryScope & { readonly fingerprint: string }>();
  private readonly queryFingerprints = new Set<string>();
  /** Venue requests granting contacts: released for like queries, but no query themselves. */
  private readonly contactRequests = new Map<bigint, QueryScope>();
  /** Entrance id → the venue it was issued to. */
  private readonly issuedEntrances = new Map<string, string>();
  /** Venue id → why it is suspended, while it is. */
  private readonly suspendedVenues = new Map<string, SuspensionReason>();
  private readonly retiredEntrances = new Set<string>();
  /** Case reference hash (hex) → its queries so far and the entrance-hours they cover. */
  private readonly cases = new Map<string, { queries: number; entranceHours: number }>();
  /** `<queryIndex>:<trusteeId>` → the index of that release entry. */
  private readonly releases = new Map<string, bigint>();
  private lastIssuedAt = 0;
  private nextIndex = 0n;
  /**
   * While {@link LogPolicy.atomically} runs: how to undo each change made so far, in order. A
   * refused request is then undone in time proportional to itself, not replayed from entry 0.
   */
  private journal: Array<() => void> | undefined;
  /** Proofs of possession the entry being applied carries, checked after its signatures. */
  private proofs: Array<{
    readonly publicKey: Uint8Array;
    readonly proofOfPossession: Uint8Array;
    readonly failure: string;
  }> = [];

  /**
   * `pinnedRegistryKey` / `pinnedLogKey`: when given, the deployment entry must name exactly these
   * keys (the writer pins both to its own configuration; an auditor may pin the registry's).
   */
  constructor(
    private readonly pinnedRegistryKey?: Uint8Array,
    private readonly pinnedLogKey?: Uint8Array,
  ) {}

  /** Entries applied so far. */
  get size(): bigint {
    return this.nextIndex;
  }

  get enrolledOfficers(): number {
    return this.officers.size;
  }

  /** Whether this Ed25519 public key is an enrolled officer now. */
  isOfficer(publicKey: Uint8Array): boolean {
    return this.officers.has(hex(publicKey));
  }

  /** The public keys of the officers enrolled now. */
  officerKeys(): Uint8Array[] {
    return [...this.officers.keys()].map(fromHex);
  }

  /** The ids of the trustees enrolled now. */
  trusteeIds(): string[] {
    return [...this.trustees.keys()];
  }

  /** The names of the witnesses enrolled now. */
  witnessNames(): string[] {
    return [...this.witnesses.keys()];
  }

  /** The query logged at `index` (its entrances and window), if that entry is a query. */
  query(index: bigint): QueryScope | undefined {
    const q = this.queries.get(index);
    return q && { entrances: q.entrances, windowStart: q.windowStart, windowEnd: q.windowEnd };
  }

  /**
   * The scope of the entry at `index` if keys may be released for it (§11.3): a logged query, or
   * a logged venue request granting contacts.
   */
  releasable(index: bigint): QueryScope | undefined {
    return this.query(index) ?? this.contactRequests.get(index);
  }

  /** Whether `trusteeId` (or "log") already released its keys for the query at `queryIndex`. */
  hasReleased(queryIndex: bigint, trusteeId: string): boolean {
    return this.releases.has(`${queryIndex}:${trusteeId}`);
  }

  /** The index of `trusteeId`'s release entry for the query at `queryIndex`, if logged. */
  releaseIndex(queryIndex: bigint, trusteeId: string): bigint | undefined {
    return this.releases.get(`${queryIndex}:${trusteeId}`);
  }

  /**
   * Everything this policy has learnt from the entries applied so far, as JSON-safe data: an
   * auditor that keeps it beside its audit state (and trusts its own storage) resumes the replay
   * at entry `size` instead of entry 0 ({@link LogPolicy.fromSnapshot}).
   */
  snapshot(): PolicySnapshot {
    const d = this.deployment;
    return {
      format: "lintel-policy-state/1",
      rules: POLICY_RULES,
      size: this.nextIndex.toString(),
      lastIssuedAt: this.lastIssuedAt,
      deployment: d && {
        name: d.name,
        registryKey: hex(d.registryKey),
        logKey: hex(d.logKey),
        ...deploymentLimits(d),
      },
      entrances: [...this.issuedEntrances],
      suspended: [...this.suspendedVenues],
      retired: [...this.retiredEntrances],
      officers: [...this.officers],
      trustees: [...this.trustees].map(([id, t]) => [id, t.signingKey, t.shareKey]),
      witnesses: [...this.witnesses],
      epochDays: [...this.epochDays],
      queries: [...this.queries].map(([i, q]) => [
        i.toString(),
        [...q.entrances],
        q.windowStart,
        q.windowEnd,
        q.fingerprint,
      ]),
      contactRequests: [...this.contactRequests].map(([i, q]) => [
        i.toString(),
        [...q.entrances],
        q.windowStart,
        q.windowEnd,
      ]),
      releases: [...this.releases].map(([k, i]) => [k, i.toString()]),
    };
  }

  /**
   * The policy a snapshot describes. Throws "bad-value" on anything malformed or, when pinned
   * keys are given, on a deployment that names others (as replaying entry 0 would).
   */
  static fromSnapshot(
    s: PolicySnapshot,
    pinnedRegistryKey?: Uint8Array,
    pinnedLogKey?: Uint8Array,
  ): LogPolicy {
    const bad = (what: string) => new ProtocolError("bad-value", `policy snapshot: ${what}`);
    if (s?.format !== "lintel-policy-state/1") throw bad("unknown format");
    if (s.rules !== POLICY_RULES) throw bad(`made under rules ${s.rules}, not ${POLICY_RULES}`);
    const policy = new LogPolicy(pinnedRegistryKey, pinnedLogKey);
    try {
      policy.nextIndex = BigInt(s.size);
      policy.lastIssuedAt = s.lastIssuedAt;
      if (s.deployment) {
        const d = s.deployment;
        const registryKey = fromHex(d.registryKey);
        const logKey = fromHex(d.logKey);
        if (pinnedRegistryKey && hex(pinnedRegistryKey) !== d.registryKey)
          throw bad("another registry key");
        if (pinnedLogKey && hex(pinnedLogKey) !== d.logKey) throw bad("another log key");
        policy.deployment = {
          kind: "deployment",
          name: d.name,
          registryKey,
          logKey,
          ...deploymentLimits(d),
        };
      } else if (policy.nextIndex !== 0n) {
        throw bad("entries applied without a deployment");
      }
      for (const [k, label] of s.officers) policy.officers.set(k, label);
      for (const [id, signingKey, shareKey] of s.trustees)
        policy.trustees.set(id, { signingKey, shareKey });
      for (const [name, key] of s.witnesses) policy.witnesses.set(name, key);
      for (const day of s.epochDays) policy.epochDays.add(day);
      for (const [e, venue] of s.entrances) policy.issuedEntrances.set(e, venue);
      for (const [venue, reason] of s.suspended) {
        if (!(SUSPENSION_REASONS as readonly string[]).includes(reason))
          throw bad("unknown suspension reason");
        policy.suspendedVenues.set(venue, reason as SuspensionReason);
      }
      for (const e of s.retired) policy.retiredEntrances.add(e);
      for (const [i, entrances, windowStart, windowEnd, fingerprint] of s.queries) {
        policy.queries.set(BigInt(i), { entrances, windowStart, windowEnd, fingerprint });
        policy.queryFingerprints.add(fingerprint);
        // The fingerprint starts with the case reference hash: the per-case totals follow.
        policy.countCase(JSON.parse(fingerprint)[0] as string, {
          entrances,
          windowStart,
          windowEnd,
        });
      }
      for (const [i, entrances, windowStart, windowEnd] of s.contactRequests)
        policy.contactRequests.set(BigInt(i), { entrances, windowStart, windowEnd });
      for (const [k, i] of s.releases) policy.releases.set(k, BigInt(i));
    } catch (e) {
      if (e instanceof ProtocolError) throw e;
      throw bad(e instanceof Error ? e.message : String(e));
    }
    return policy;
  }

  /** The deployment's name (every entry's `deployment`), once entry 0 is applied. */
  deploymentName(): string | undefined {
    return this.deployment?.name;
  }

  /** The deployment's query limits and retention, once entry 0 is applied. */
  limits(): QueryLimits | undefined {
    const d = this.deployment;
    return (
      d && {
        retentionDays: d.retentionDays,
        maxWindowHours: d.maxWindowHours,
        maxEntrancesPerQuery: d.maxEntrancesPerQuery,
        maxEntranceHoursWide: d.maxEntranceHoursWide,
      }
    );
  }

  /** Whether the registry has issued (logged) this entrance. */
  isIssuedEntrance(entranceId: string): boolean {
    return this.issuedEntrances.has(entranceId);
  }

  /** Why the registry suspended this venue, while it is suspended. */
  suspension(venueId: string): SuspensionReason | undefined {
    return this.suspendedVenues.get(venueId);
  }

  /** Whether the registry retired this entrance. */
  isRetiredEntrance(entranceId: string): boolean {
    return this.retiredEntrances.has(entranceId);
  }

  /** The queries logged so far for this case reference hash, and their entrance-hours. */
  caseUsage(caseReferenceHash: Uint8Array): { queries: number; entranceHours: number } {
    return this.cases.get(hex(caseReferenceHash)) ?? { queries: 0, entranceHours: 0 };
  }

  private countCase(caseHex: string, scope: QueryScope): void {
    const before = this.cases.get(caseHex);
    this.onUndo(() => {
      if (before) this.cases.set(caseHex, before);
      else this.cases.delete(caseHex);
    });
    const used = before ?? { queries: 0, entranceHours: 0 };
    this.cases.set(caseHex, {
      queries: used.queries + 1,
      entranceHours: used.entranceHours + queryIdentityCount(scope),
    });
  }

  /** The enrolled trustee's signing key (hex), if enrolled now. */
  trusteeSigningKey(trusteeId: string): string | undefined {
    return this.trustees.get(trusteeId)?.signingKey;
  }

  /**
   * Runs `fn`; if it throws, every change it made to the policy is undone before the error goes
   * on, so the state is exactly as before the call. Nests: an inner failure undoes only its own
   * changes. Costs one closure per change, never a replay.
   */
  atomically<T>(fn: () => T): T {
    const outermost = this.journal === undefined;
    this.journal ??= [];
    const journal = this.journal;
    const mark = journal.length;
    try {
      return fn();
    } catch (e) {
      while (journal.length > mark) journal.pop()!();
      throw e;
    } finally {
      if (outermost) this.journal = undefined;
    }
  }

  /** Applies a request's entries all or none (see {@link LogPolicy.atomically}). */
  applyAll(entries: readonly Uint8Array[]): DecodedEntry[] {
    return this.atomically(() => entries.map((e) => this.apply(e)));
  }

  /** Records how to undo the change about to be made, while a journal is kept. */
  private onUndo(undo: () => void): void {
    this.journal?.push(undo);
  }

  /**
   * Decodes and checks the next entry; throws "policy-violation" (or a decoding error). A refused
   * entry changes nothing. Every rule that needs no cryptography comes first — the deployment, the
   * date, who the entry claims signed it, and what the log already holds (a second enrolment, a
   * second epoch key, a repeated query or release) — then the signatures, then any proof of
   * possession (a pairing): an entry refused by the rules, a replayed one included, costs a
   * decode, and a forged one a single signature check.
   *
   * `verified`: signatures already found valid (an auditor verifies a page of entries at once
   * through WebCrypto, see {@link entrySignatureItems}); a signature found there for exactly this
   * key and message is not checked again, any other is — so the answer is the same with or
   * without it. `decoded`: `decodeEntry(bytes)`, when the caller has decoded them already.
   */
  apply(bytes: Uint8Array, verified?: VerifiedSignatures, decoded?: DecodedEntry): DecodedEntry {
    const index = this.nextIndex;
    decoded ??= decodeEntry(bytes);
    const { entry } = decoded;
    if (entry.issuedAt + this.backdatingTolerance(entry.body) < this.lastIssuedAt) {
      throw violation(index, "issued before an earlier entry (backdated)");
    }
    const claimed = entry.signatures.map((s) => hex(s.publicKey));
    return this.atomically(() => {
      this.proofs = [];
      this.check(index, entry.body, entry.deployment, entry.issuedAt, claimed);
      // The rules held for the claimed signers; now they must really have signed (the first
      // signature that does not verify ends the check, and undoes the rules' changes).
      const message = contextMessage("log entry", decoded.signedPart);
      for (const s of entry.signatures) {
        const valid = verified
          ? verified.check(s.publicKey, message, s.signature)
          : ed25519Verify(s.publicKey, message, s.signature);
        if (!valid) throw violation(index, "a signature does not verify");
      }
      for (const proof of this.proofs) {
        if (!verifyProofOfPossession(proof.publicKey, proof.proofOfPossession))
          throw violation(index, proof.failure);
      }
      const lastIssuedAt = this.lastIssuedAt;
      this.onUndo(() => {
        this.lastIssuedAt = lastIssuedAt;
        this.nextIndex = index;
      });
      this.lastIssuedAt = Math.max(this.lastIssuedAt, entry.issuedAt);
      this.nextIndex = index + 1n;
      return decoded;
    });
  }

  /**
   * A query carries the time it was filed, and all its officers sign those bytes: it may lag the
   * log by the deployment's draft lifetime while it waits for approval; every other entry by five
   * minutes.
   */
  private backdatingTolerance(body: EntryBody): number {
    const gathersApprovals =
      body.kind === "exposure-query" ||
      (body.kind === "venue-request" && body.grants.includes("contacts"));
    if (gathersApprovals && this.deployment) {
      return Math.max(BACKDATING_TOLERANCE_SECONDS, this.deployment.draftLifetimeSeconds);
    }
    return BACKDATING_TOLERANCE_SECONDS;
  }

  /** Every entry's check compares signers with these: computed once per deployment entry. */
  private deploymentKeysHex(d: DeploymentBody): { registry: string; logKey: string } {
    if (this.keysHex?.of !== d) {
      this.keysHex = { of: d, registry: hex(d.registryKey), logKey: hex(d.logKey) };
    }
    return this.keysHex;
  }

  private check(
    index: bigint,
    body: EntryBody,
    deployment: string,
    issuedAt: number,
    signers: string[],
  ): void {
    const onlySigner = (key: string, who: string) => {
      if (signers.length !== 1 || signers[0] !== key)
        throw violation(index, `must be signed by the ${who} alone`);
    };
    if (index === 0n) {
      if (body.kind !== "deployment")
        throw violation(index, "the first entry must describe the deployment");
      onlySigner(hex(body.registryKey), "registry key it names");
      if (this.pinnedRegistryKey && hex(this.pinnedRegistryKey) !== hex(body.registryKey)) {
        throw violation(index, "the deployment names a registry key other than the pinned one");
      }
      if (this.pinnedLogKey && hex(this.pinnedLogKey) !== hex(body.logKey)) {
        throw violation(index, "the deployment names a log key other than this log's");
      }
      if (body.approvalsRequired < 2) throw violation(index, "queries need at least two officers");
      {
        const broken = deploymentRuleBroken(body);
        if (broken) throw violation(index, broken);
      }
      const before = this.deployment;
      this.onUndo(() => {
        this.deployment = before;
      });
      this.deployment = { ...body, name: deployment };
      return;
    }
    const d = this.deployment!;
    if (deployment !== d.name) throw violation(index, "entry of another deployment");
    const { registry, logKey } = this.deploymentKeysHex(d);
    switch (body.kind) {
      case "deployment":
        throw violation(index, "only the first entry may describe the deployment");
      case "officer-enrolment": {
        onlySigner(registry, "registry");
        const k = hex(body.publicKey);
        if (this.officers.has(k)) throw violation(index, "officer already enrolled");
        this.onUndo(() => this.officers.delete(k));
        this.officers.set(k, body.label);
        return;
      }
      case "officer-removal": {
        onlySigner(registry, "registry");
        const k = hex(body.publicKey);
        const label = this.officers.get(k);
        if (label === undefined) throw violation(index, "no such officer");
        this.onUndo(() => this.officers.set(k, label));
        this.officers.delete(k);
        return;
      }
      case "trustee-enrolment":
        onlySigner(registry, "registry");
        if (body.trusteeId === LOG_TRUSTEE_ID)
          throw violation(index, `the trustee id "${LOG_TRUSTEE_ID}" is the log's own share`);
        if (this.trustees.has(body.trusteeId)) throw violation(index, "trustee already enrolled");
        if ([...this.trustees.values()].some((t) => t.shareKey === hex(body.shareKey))) {
          throw violation(index, "another trustee already holds this key share");
        }
        this.proofs.push({
          publicKey: body.shareKey,
          proofOfPossession: body.proofOfPossession,
          failure: "trustee key share without a valid proof of possession",
        });
        this.onUndo(() => this.trustees.delete(body.trusteeId));
        this.trustees.set(body.trusteeId, {
          signingKey: hex(body.signingKey),
          shareKey: hex(body.shareKey),
        });
        return;
      case "trustee-removal": {
        onlySigner(registry, "registry");
        const trustee = this.trustees.get(body.trusteeId);
        if (!trustee) throw violation(index, "no such trustee");
        this.onUndo(() => this.trustees.set(body.trusteeId, trustee));
        this.trustees.delete(body.trusteeId);
        return;
      }
      case "witness-enrolment":
        onlySigner(registry, "registry");
        if (this.witnesses.has(body.name)) throw violation(index, "witness already enrolled");
        this.onUndo(() => this.witnesses.delete(body.name));
        this.witnesses.set(body.name, hex(body.publicKey));
        return;
      case "witness-removal": {
        onlySigner(registry, "registry");
        const key = this.witnesses.get(body.name);
        if (key === undefined) throw violation(index, "no such witness");
        this.onUndo(() => this.witnesses.set(body.name, key));
        this.witnesses.delete(body.name);
        return;
      }
      case "code-replacement":
        onlySigner(registry, "registry");
        return;
      case "entrance-issued":
        onlySigner(registry, "registry");
        if (this.issuedEntrances.has(body.entranceId))
          throw violation(index, "entrance already issued");
        this.onUndo(() => this.issuedEntrances.delete(body.entranceId));
        this.issuedEntrances.set(body.entranceId, body.venueId);
        return;
      case "venue-suspension": {
        onlySigner(registry, "registry");
        if (![...this.issuedEntrances.values()].includes(body.venueId))
          throw violation(index, "suspension of a venue with no issued entrance");
        if (this.suspendedVenues.has(body.venueId))
          throw violation(index, "venue already suspended");
        this.onUndo(() => this.suspendedVenues.delete(body.venueId));
        this.suspendedVenues.set(body.venueId, body.reason);
        return;
      }
      case "venue-reinstatement": {
        onlySigner(registry, "registry");
        const reason = this.suspendedVenues.get(body.venueId);
        if (reason === undefined) throw violation(index, "reinstatement of a venue not suspended");
        this.onUndo(() => this.suspendedVenues.set(body.venueId, reason));
        this.suspendedVenues.delete(body.venueId);
        return;
      }
      case "entrance-retired": {
        onlySigner(registry, "registry");
        const live = (entranceId: string) =>
          this.issuedEntrances.get(entranceId) === body.venueId &&
          !this.retiredEntrances.has(entranceId);
        if (!live(body.entranceId))
          throw violation(index, "retirement of an entrance not issued to this venue, or retired");
        if (
          body.replacedBy !== "" &&
          (body.replacedBy === body.entranceId || !live(body.replacedBy))
        ) {
          throw violation(index, "a retired entrance points to no open entrance of its venue");
        }
        this.onUndo(() => this.retiredEntrances.delete(body.entranceId));
        this.retiredEntrances.add(body.entranceId);
        return;
      }
      case "epoch-key":
        onlySigner(logKey, "log key");
        if (this.epochDays.has(body.day))
          throw violation(index, `epoch key for day ${body.day} already published`);
        this.proofs.push({
          publicKey: body.publicKey,
          proofOfPossession: body.proofOfPossession,
          failure: "epoch key without a valid proof of possession",
        });
        this.onUndo(() => this.epochDays.delete(body.day));
        this.epochDays.add(body.day);
        return;
      case "retention-receipt":
        onlySigner(logKey, "log key");
        return;
      case "exposure-query":
        this.checkQuery(index, body, issuedAt, signers, d);
        return;
      case "trustee-release": {
        if (body.trusteeId === LOG_TRUSTEE_ID) {
          onlySigner(logKey, "log key");
        } else {
          const trustee = this.trustees.get(body.trusteeId);
          if (!trustee) throw violation(index, "release by a trustee that is not enrolled");
          onlySigner(trustee.signingKey, `trustee ${body.trusteeId}`);
        }
        const query = this.releasable(body.queryIndex);
        if (!query) {
          throw violation(
            index,
            "release for an entry that is not an earlier query or venue request granting contacts",
          );
        }
        const key = `${body.queryIndex}:${body.trusteeId}`;
        if (this.releases.has(key))
          throw violation(index, "second release by the same trustee for the same query");
        if (body.identityCount !== queryIdentityCount(query)) {
          throw violation(
            index,
            "release covers a different number of identities than the query's scope",
          );
        }
        this.onUndo(() => this.releases.delete(key));
        this.releases.set(key, index);
        return;
      }
      case "venue-request": {
        if (signers.length === 0 || signers.some((s) => !this.officers.has(s)))
          throw violation(index, "a venue request is signed by enrolled officers only");
        const broken = scopeRuleBroken(body, d, issuedAt);
        if (broken) throw violation(index, broken);
        const foreign = body.entrances.find((e) => this.issuedEntrances.get(e) !== body.venueId);
        if (foreign !== undefined)
          throw violation(index, `entrance ${foreign} was not issued to venue ${body.venueId}`);
        if (body.grants.includes("contacts")) this.checkContactsRequest(index, body, signers, d);
        return;
      }
      case "exposure-warning": {
        if (signers.length !== 1 || !this.officers.has(signers[0]!)) {
          throw violation(index, "a warning must be signed by one enrolled officer");
        }
        const query = this.queries.get(body.queryIndex);
        if (!query) throw violation(index, "warning without an earlier query");
        if (
          !query.entrances.includes(body.entranceId) ||
          body.windowStart < query.windowStart ||
          body.windowEnd > query.windowEnd ||
          body.windowEnd <= body.windowStart
        ) {
          throw violation(index, "warning outside its query's scope");
        }
        return;
      }
    }
  }

  /**
   * Query rules 2 and 13 for a venue request granting contacts: it opens check-ins as a query
   * does, so it needs as many officers; then its releases are allowed.
   */
  private checkContactsRequest(
    index: bigint,
    r: Extract<EntryBody, { kind: "venue-request" }>,
    signers: string[],
    d: DeploymentBody,
  ): void {
    const people = new Set(signers.map((s) => this.officers.get(s)));
    if (people.size < d.approvalsRequired) {
      throw violation(
        index,
        `a venue request granting contacts needs ${d.approvalsRequired} distinct officers, has ${people.size}`,
      );
    }
    if (queryIdentityCount(r) > d.maxEntranceHoursPerQuery && people.size < d.wideQueryApprovals) {
      throw violation(
        index,
        `a venue request granting contacts for more than ${d.maxEntranceHoursPerQuery} entrance-hours needs ${d.wideQueryApprovals} distinct officers, has ${people.size}`,
      );
    }
    this.onUndo(() => this.contactRequests.delete(index));
    this.contactRequests.set(index, {
      entrances: r.entrances,
      windowStart: r.windowStart,
      windowEnd: r.windowEnd,
    });
  }

  private checkQuery(
    index: bigint,
    q: QueryBody,
    issuedAt: number,
    signers: string[],
    d: DeploymentBody,
  ): void {
    const officers = new Set(signers.filter((s) => this.officers.has(s)));
    if (officers.size !== signers.length)
      throw violation(index, "a query signer is not an enrolled officer");
    // An officer may have several keys (devices), all enrolled under the officer's one label:
    // distinct officers are distinct labels, so one person's two phones are not two approvals.
    const people = new Set(signers.map((s) => this.officers.get(s)));
    if (people.size < d.approvalsRequired) {
      throw violation(
        index,
        `a query needs ${d.approvalsRequired} distinct officers, has ${people.size}`,
      );
    }
    const broken = queryRuleBroken(q, d, issuedAt);
    if (broken) throw violation(index, broken);
    const unissued = q.entrances.find((e) => !this.issuedEntrances.has(e));
    if (unissued !== undefined)
      throw violation(index, `entrance ${unissued} was never issued by the registry`);
    const entranceHours = queryIdentityCount(q);
    if (entranceHours > d.maxEntranceHoursPerQuery && people.size < d.wideQueryApprovals) {
      throw violation(
        index,
        `a query of more than ${d.maxEntranceHoursPerQuery} entrance-hours needs ${d.wideQueryApprovals} distinct officers, has ${people.size}`,
      );
    }
    const used = this.caseUsage(q.caseReferenceHash);
    if (used.queries + 1 > d.maxQueriesPerCase)
      throw violation(index, `this case already has ${d.maxQueriesPerCase} queries`);
    if (used.entranceHours + entranceHours > d.maxEntranceHoursPerCase) {
      throw violation(
        index,
        `this case would cover more than ${d.maxEntranceHoursPerCase} entrance-hours`,
      );
    }
    const fingerprint = JSON.stringify([
      hex(q.caseReferenceHash),
      [...q.entrances].sort(),
      q.windowStart,
      q.windowEnd,
    ]);
    if (this.queryFingerprints.has(fingerprint))
      throw violation(index, "the same query was already logged");
    this.onUndo(() => {
      this.queryFingerprints.delete(fingerprint);
      this.queries.delete(index);
    });
    this.queryFingerprints.add(fingerprint);
    this.countCase(hex(q.caseReferenceHash), q);
    this.queries.set(index, {
      entrances: q.entrances,
      windowStart: q.windowStart,
      windowEnd: q.windowEnd,
      fingerprint,
    });
  }
}
