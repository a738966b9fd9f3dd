/**
 * What a trustee knows of the log: it audits the log itself (PROTOCOL.md §10.6) before every
 * release, from the state it saved last time, exactly as an independent auditor would — the
 * checkpoint under the log key with the witness quorum it was configured with, the old tree a
 * prefix of the new, every entry against its leaf, every entry through the policy. Only then
 * does it believe that a query is in the log and who the officers are.
 *
 * The saved state keeps the policy's state too (`keepPolicy`), so each audit fetches and replays
 * only the entries appended since the last one: a release costs the same in a log of a million
 * entries as in one of thirty. The trustee trusts its own D1 for that, as it already does for
 * the tree it saw.
 *
 * The saved state moves forward only by compare-and-swap on its size, so two releases running at
 * once cannot wind it back. A fork or rollback is remembered (`halted`, with the misbehaviour
 * record as evidence) and from then on the trustee releases nothing until an operator intervenes:
 * a log that showed two histories cannot be trusted to show the query to everyone else.
 */
import {
  type AuditState,
  auditLog,
  type Checkpoint,
  decodeBase64url,
  type LogPolicy,
  type LogSource,
  parseState,
  parseVerifierKey,
  SourceError,
  sourceFromReader,
  type TileHashReader,
  tileHashReader,
} from "@lintel/protocol";
import type { loadTrusteeRole } from "../config/deployment.ts";
import type { Env } from "../env.ts";
import { ProblemError } from "../problems/problem.ts";
import { haltLogView, savedLogView, saveLogView } from "./store.ts";

export type TrusteeRole = ReturnType<typeof loadTrusteeRole>;

export interface LogView {
  readonly checkpoint: Checkpoint;
  readonly policy: LogPolicy;
  /** Hash tiles of the audited tree: a proof's older checkpoint and an entry's leaf checked against it. */
  readonly tiles: TileHashReader;
}

/** The log's HTTP surface as this trustee reaches it: a service binding if it has one. */
export function logFetch(env: Env): (url: string, init?: RequestInit) => Promise<Response> {
  const binding = env.LOG_SERVICE;
  return binding ? (url, init) => binding.fetch(url, init) : (url, init) => fetch(url, init);
}

export function logSource(env: Env, role: TrusteeRole): LogSource {
  const base = role.logUrl.endsWith("/") ? role.logUrl : `${role.logUrl}/`;
  const get = logFetch(env);
  return sourceFromReader(role.logUrl, async (path) => {
    let res: Response;
    try {
      res = await get(new URL(path, base).href);
    } catch {
      throw new SourceError(`cannot reach ${base}${path}`);
    }
    if (!res.ok) throw new SourceError(`${base}${path} answered ${res.status}`);
    return new Uint8Array(await res.arrayBuffer());
  });
}

export async function auditedLogView(env: Env, role: TrusteeRole): Promise<LogView> {
  const logKey = parseVerifierKey(role.logKey);
  const row = await savedLogView(env.DB, logKey.name);
  if (row?.halted) {
    throw new ProblemError(
      "log-inconsistent",
      "This trustee caught the log contradicting itself earlier and releases nothing.",
      { evidence: JSON.parse(row.halted) as unknown },
    );
  }
  const previous: AuditState | undefined = row ? parseState(row.state) : undefined;
  const source = logSource(env, role);
  // The newest checkpoint need only carry the log's signature: this trustee keeps what it saw,
  // so the log's signature alone convicts a fork. Witness cosignatures are required on the
  // checkpoint of the query's proof (release.ts), which the officer fetches once cosigned.
  const outcome = await auditLog({
    source,
    logKey,
    witnesses: [],
    quorum: 0,
    ...(previous ? { previous } : {}),
    entries: "lintel",
    keepPolicy: true,
    newEntriesOnly: true,
    registryKey: decodeBase64url(role.registryKey, 32),
  });
  if (!outcome.ok) {
    if (outcome.misbehaviour) {
      const evidence = JSON.stringify(outcome.misbehaviour);
      await haltLogView(env.DB, logKey.name, evidence, Math.floor(Date.now() / 1000));
      throw new ProblemError("log-inconsistent", outcome.reason, {
        evidence: outcome.misbehaviour as unknown,
      });
    }
    if (/cannot reach|answered/.test(outcome.reason)) {
      throw new ProblemError("log-unavailable", `The log could not be read: ${outcome.reason}`);
    }
    throw new ProblemError("bad-proof", `The log does not verify: ${outcome.reason}`);
  }
  if (!outcome.lintel) throw new ProblemError("bad-proof", "The log is not a Lintel log.");
  const size = outcome.state.size;
  const now = Math.floor(Date.now() / 1000);
  const text = JSON.stringify(outcome.state);
  // Forward only: a concurrent run that already saved a larger tree wins.
  await saveLogView(env.DB, logKey.name, size, text, now, row !== null);
  return {
    checkpoint: outcome.checkpoint,
    policy: outcome.lintel.policy,
    tiles: tileHashReader(source, outcome.checkpoint.size),
  };
}
