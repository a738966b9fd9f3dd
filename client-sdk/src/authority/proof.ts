/**
 * The proof that a query is in the log (PROTOCOL.md §11.2): a C2SP tlog-proof whose `extra` is
 * the entry. The authority verifies it before asking anyone to release — the trustees will check
 * it too, but an authority that forwards a proof it never checked could be fooled into acting on
 * a query that is not the one it approved.
 *
 * `GET /api/log/entries/<index>/proof` answers against the newest checkpoint with the
 * cosignatures collected so far; witnesses cosign shortly after each batch, so a caller that
 * needs N cosignatures (a trustee's quorum) can wait for them with bounded retries.
 */
import {
  decodeEntry,
  type LogEntry,
  leafHash,
  parseTlogProof,
  type VerifierKey,
  verifyCheckpoint,
  verifyInclusion,
} from "@lintel/protocol";
import { LintelError } from "../errors.ts";
import { type ServiceOptions, send, serviceUrl } from "../http.ts";
import type { QueryBody } from "./query.ts";

export interface ProofTrust {
  readonly deployment: string;
  readonly logKey: VerifierKey;
  readonly witnesses?: readonly VerifierKey[];
}

/** A verified proof of any entry: what the trustees are sent, and the entry it proves. */
export interface VerifiedEntryProof {
  /** The tlog-proof text, to forward to the trustees unchanged. */
  readonly text: string;
  /** The entry's leaf index (a query's, or a venue request's, for its releases). */
  readonly queryIndex: bigint;
  /** The proven entry's bytes (the proof's `extra`) and the entry decoded. */
  readonly entryBytes: Uint8Array;
  readonly entry: LogEntry;
  /** Names of the trusted witnesses that cosigned the proof's checkpoint. */
  readonly cosigners: readonly string[];
  readonly treeSize: bigint;
}

export interface VerifiedQueryProof extends VerifiedEntryProof {
  readonly query: QueryBody;
}

const badProof = (message: string) => new LintelError("bad-proof", message);

/** Checks the log's signature, the inclusion of `extra` at its index, and that it is a query. */
export function verifyQueryProof(text: string, trust: ProofTrust): VerifiedQueryProof {
  const proof = verifyEntryProof(text, trust);
  if (proof.entry.body.kind !== "exposure-query") {
    throw badProof("The proven entry is not an exposure query of this deployment.");
  }
  return { ...proof, query: proof.entry.body };
}

/** Checks the log's signature and the inclusion of `extra` at its index: an entry of this deployment. */
export function verifyEntryProof(text: string, trust: ProofTrust): VerifiedEntryProof {
  let parsed: ReturnType<typeof parseTlogProof>;
  let cosigners: string[];
  try {
    parsed = parseTlogProof(text);
    const verified = verifyCheckpoint(parsed.signedCheckpoint, {
      logKey: trust.logKey,
      witnesses: trust.witnesses ?? [],
      quorum: 0,
      origin: trust.logKey.name,
      now: BigInt(Math.floor(Date.now() / 1000)),
    });
    cosigners = verified.cosigners.map((w) => w.name);
    if (!parsed.extra) throw badProof("The proof does not carry the entry.");
    verifyInclusion(
      parsed.index,
      parsed.checkpoint.size,
      leafHash(parsed.extra),
      parsed.proof,
      parsed.checkpoint.rootHash,
    );
  } catch (e) {
    if (e instanceof LintelError) throw e;
    throw badProof(`The query's proof does not verify: ${e instanceof Error ? e.message : e}`);
  }
  let entry: LogEntry;
  try {
    entry = decodeEntry(parsed.extra).entry;
  } catch {
    throw badProof("The proven entry does not decode.");
  }
  if (entry.deployment !== trust.deployment) {
    throw badProof("The proven entry is not an entry of this deployment.");
  }
  return {
    text,
    queryIndex: parsed.index,
    entryBytes: parsed.extra,
    entry,
    cosigners,
    treeSize: parsed.checkpoint.size,
  };
}

export interface WaitOptions {
  /** Cosignatures by distinct trusted witnesses the checkpoint must carry; default 0. */
  readonly cosignatures?: number;
  /** Attempts in all (the first included); default 8. */
  readonly attempts?: number;
  /** The first pause; doubled each time, at most 8 s. Default 250 ms. */
  readonly initialDelayMs?: number;
  /** For tests. */
  readonly sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * GET /api/log/entries/<index>/proof, verified (by default as a query's); optionally waits for
 * cosignatures.
 */
export function fetchProof(
  service: ServiceOptions,
  queryIndex: bigint,
  trust: ProofTrust,
  wait?: WaitOptions,
): Promise<VerifiedQueryProof>;
export function fetchProof<P extends VerifiedEntryProof>(
  service: ServiceOptions,
  queryIndex: bigint,
  trust: ProofTrust,
  wait: WaitOptions,
  verify: (text: string, trust: ProofTrust) => P,
): Promise<P>;
export async function fetchProof(
  service: ServiceOptions,
  queryIndex: bigint,
  trust: ProofTrust,
  wait: WaitOptions = {},
  verify: (text: string, trust: ProofTrust) => VerifiedEntryProof = verifyQueryProof,
): Promise<VerifiedEntryProof> {
  const wanted = wait.cosignatures ?? 0;
  const attempts = Math.max(1, wait.attempts ?? 8);
  const sleep = wait.sleep ?? defaultSleep;
  let delay = wait.initialDelayMs ?? 250;
  for (let attempt = 1; ; attempt++) {
    const res = await send(service, serviceUrl(service, `/api/log/entries/${queryIndex}/proof`), {
      headers: { accept: "text/plain" },
    });
    const proof = verify(await res.text(), trust);
    if (proof.queryIndex !== queryIndex)
      throw badProof(`The proof is for entry ${proof.queryIndex}.`);
    if (proof.cosigners.length >= wanted) return proof;
    if (attempt >= attempts) {
      throw new LintelError(
        "no-quorum",
        `The log's checkpoint carries ${proof.cosigners.length} of the ${wanted} cosignatures needed.`,
      );
    }
    await sleep(delay);
    delay = Math.min(delay * 2, 8000);
  }
}
