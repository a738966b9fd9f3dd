/**
 * Reading a logged query, end to end (PROTOCOL.md §11.3–§11.5), on the authority's device:
 *
 *   1. the query's tlog-proof, verified (and, if asked, cosigned by N witnesses);
 *   2. its scope, computed here from the proven entry (§11.1);
 *   3. the releases of every trustee of the signed record and of the log;
 *   4. the log audited: the query is the entry the replay accepted, each release is the one
 *      logged, and the epoch keys come from its `epoch-key` entries;
 *   5. partial keys verified and combined per identity in the pool (an expired day is reported);
 *   6. each identity's ciphertexts fetched page by page and decrypted in the pool as they
 *      arrive, at most `window` pages in flight (stream.ts);
 *   7. identical records merged into contacts as the answers come back (merge.ts), citizen
 *      cards opened when the box key is given.
 *
 * Nothing decrypted leaves this function except in its return value.
 */
import {
  constantTimeEqual,
  hpkePublicKey,
  type LogSource,
  queryScope,
  type ScopeIdentity,
} from "@lintel/protocol";
import type { ExposureAuditStore } from "../audit/log-store.ts";
import { LintelError } from "../errors.ts";
import { ciphertextPages, SLOT_CIPHERTEXT_BYTES } from "./ciphertexts.ts";
import type { AuthorityDeployment } from "./deployment.ts";
import { combineLoggedKeys } from "./keys.ts";
import { auditedLogHolding } from "./log.ts";
import type { OfficerOptions } from "./officer.ts";
import { type DecryptPool, inThreadPool } from "./pool.ts";
import { fetchProof, type VerifiedQueryProof } from "./proof.ts";
import type { QueryBody } from "./query.ts";
import { collectReleases } from "./releases.ts";
import type { FoundContact, IdentityOutcome } from "./results.ts";
import { type DecryptProgress, decryptStream } from "./stream.ts";

/** Ciphertexts per job: small enough to keep two threads evenly busy, large enough to amortise. */
export const DEFAULT_CHUNK = 100;

export interface IdentityCiphertexts {
  readonly identity: ScopeIdentity;
  readonly identityKey: Uint8Array;
  readonly ciphertexts: readonly Uint8Array[];
}

/** Step 6 alone: every identity's ciphertexts through the pool, in chunks; order kept. */
export async function decryptIdentities(
  pool: DecryptPool,
  items: readonly IdentityCiphertexts[],
  chunk = DEFAULT_CHUNK,
): Promise<IdentityOutcome[]> {
  return Promise.all(
    items.map(async ({ identity, identityKey, ciphertexts }) => {
      const jobs: Promise<IdentityOutcome["outcomes"]>[] = [];
      for (let i = 0; i < ciphertexts.length; i += chunk) {
        jobs.push(
          pool.decrypt({
            identityKey,
            idBytes: identity.idBytes,
            ciphertexts: ciphertexts.slice(i, i + chunk),
          }),
        );
      }
      return { identity, outcomes: (await Promise.all(jobs)).flat() };
    }),
  );
}

export type Progress =
  | { readonly step: "proof" | "log" | "keys" }
  /** First without counts, then once per holder that answered. */
  | { readonly step: "releases"; readonly done?: number; readonly of?: number }
  /** As each entrance-hour's pages start being read (decryption runs meanwhile). */
  | { readonly step: "ciphertexts"; readonly done: number; readonly of: number }
  /**
   * Once every page has been read: the query's count. Decryption started with the first page;
   * follow it with `onDecryptProgress`.
   */
  | { readonly step: "decrypt"; readonly ciphertexts: number };

export interface DecryptQueryOptions {
  readonly officer: OfficerOptions;
  readonly deployment: AuthorityDeployment;
  readonly queryIndex: bigint;
  /** Default: the calling thread. Use createNodeDecryptPool or createBrowserDecryptPool. */
  readonly pool?: DecryptPool;
  /**
   * The secret half of the query's release key (§11.3), or a lookup by the query's public release
   * key (a key store): the holders' keys are sealed to it. Only the filing device holds it.
   */
  readonly releaseSecretKey: ReleaseSecretKey;
  /** The authority's box secret key (X25519, 32 bytes): opens citizen cards. */
  readonly authorityBoxSecretKey?: Uint8Array;
  /**
   * Witness cosignatures to wait for on the query's proof; default: as many as the service names
   * witnesses (trustees may require them on the proof, PROTOCOL.md §11.3).
   */
  readonly cosignatures?: number;
  /** Where the log is read from; default `<service>/log`. */
  readonly logSource?: LogSource;
  /**
   * Where the log's audit is kept between decryptions (indexedDbExposureAuditStore in a
   * browser): later reads start from it, catch a fork since, and replay only new entries.
   */
  readonly logStore?: ExposureAuditStore;
  readonly onProgress?: (progress: Progress) => void;
  /** Ciphertexts decrypted so far, of how many, and the time left; after every answer. */
  readonly onDecryptProgress?: (progress: DecryptProgress) => void;
  /** Pages (up to 1,000 ciphertexts each) read ahead of the threads at most; default 4. */
  readonly window?: number;
}

export interface QueryResult {
  readonly queryIndex: bigint;
  readonly query: QueryBody;
  readonly proof: VerifiedQueryProof;
  readonly contacts: readonly FoundContact[];
  /**
   * Identities nobody can decrypt, the holders that released null for them, and why: their day
   * is past retention ("withheld"), or the log never published its epoch key ("no-epoch-key").
   */
  readonly expired: ReadonlyArray<
    ScopeIdentity & {
      readonly withheldBy: readonly string[];
      readonly reason: "withheld" | "no-epoch-key";
    }
  >;
  readonly ciphertexts: number;
  /** Ciphertexts that did not decrypt to a record, by protocol error code. */
  readonly failures: Readonly<Record<string, number>>;
  /** Which holder released, and where the log recorded it. */
  readonly releases: ReadonlyArray<{ readonly trusteeId: string; readonly releaseIndex: bigint }>;
}

/** A release secret key, or where to find the one for a query's public release key. */
export type ReleaseSecretKey =
  | Uint8Array
  | ((releaseKey: Uint8Array) => Promise<Uint8Array | undefined> | Uint8Array | undefined);

/** The secret key that opens this query's releases; refused before anything is asked for. */
export async function releaseSecretKeyFor(
  given: ReleaseSecretKey,
  releaseKey: Uint8Array,
): Promise<Uint8Array> {
  const secret = typeof given === "function" ? await given(releaseKey) : given;
  if (secret?.length === 32 && constantTimeEqual(hpkePublicKey(secret), releaseKey)) return secret;
  throw new LintelError(
    "no-release-key",
    "This device does not hold the query's release key: only the device that filed the query can open its releases.",
  );
}

export async function decryptQuery(options: DecryptQueryOptions): Promise<QueryResult> {
  const { officer, deployment, queryIndex } = options;
  const progress = options.onProgress ?? (() => {});
  if (officer.deployment !== deployment.id) {
    throw new LintelError("bad-value", "The officer signs for another deployment.");
  }
  progress({ step: "proof" });
  const proof = await fetchProof(
    officer,
    queryIndex,
    { deployment: deployment.id, logKey: deployment.logKey, witnesses: deployment.witnesses },
    { cosignatures: options.cosignatures ?? deployment.witnesses.length },
  );
  const scope = queryScope(deployment.id, proof.query);
  const releaseSecretKey = await releaseSecretKeyFor(
    options.releaseSecretKey,
    proof.query.releaseKey,
  );

  progress({ step: "releases" });
  const releases = await collectReleases(
    officer,
    deployment,
    proof,
    scope.length,
    releaseSecretKey,
    (done, of) => progress({ step: "releases", done, of }),
  );

  progress({ step: "log" });
  const log = await auditedLogHolding(
    deployment,
    {
      baseUrl: officer.baseUrl,
      ...(officer.fetch ? { fetch: officer.fetch } : {}),
      ...(options.logSource ? { source: options.logSource } : {}),
      ...(options.logStore ? { store: options.logStore } : {}),
    },
    { index: queryIndex, entryBytes: proof.entryBytes, what: "query" },
    [...releases.trustees, releases.log],
    scope.length,
  );

  progress({ step: "keys" });
  const pool = options.pool ?? inThreadPool();
  const keys = await combineLoggedKeys(deployment, log, scope, releases, pool);

  const ready = keys.flatMap((k) => (k.status === "ready" ? [k] : []));
  const merged = await decryptStream({
    pool,
    identities: ready,
    pages: (identity) => ciphertextPages(officer, queryIndex, identity),
    ciphertextBytes: SLOT_CIPHERTEXT_BYTES,
    ...(options.window !== undefined ? { window: options.window } : {}),
    onIdentity: (done, of) => progress({ step: "ciphertexts", done, of }),
    onAllRead: (ciphertexts) => progress({ step: "decrypt", ciphertexts }),
    ...(options.onDecryptProgress ? { onProgress: options.onDecryptProgress } : {}),
  });
  const box = options.authorityBoxSecretKey
    ? { publicKey: deployment.authorityBoxKey, secretKey: options.authorityBoxSecretKey }
    : undefined;
  return {
    queryIndex,
    query: proof.query,
    proof,
    contacts: await merged.contacts(box),
    expired: keys.flatMap((k) =>
      k.status === "expired" ? [{ ...k.identity, withheldBy: k.withheldBy, reason: k.reason }] : [],
    ),
    ciphertexts: merged.ciphertexts,
    failures: merged.failures(),
    releases: [...releases.trustees, releases.log].map((r) => ({
      trusteeId: r.trusteeId,
      releaseIndex: r.releaseIndex,
    })),
  };
}
