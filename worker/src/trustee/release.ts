/**
 * A trustee's release of its partial keys for one logged exposure query, or one logged venue
 * request granting contacts (PROTOCOL.md §11.3, §11.7).
 *
 *   1. the request is a signed statement (§6.1) by an officer whose key the log enrols;
 *   2. the tlog-proof's checkpoint verifies under the log key with this trustee's witness quorum;
 *   3. the trustee audits the log from what it saw last (log-view.ts) and requires the proof's
 *      tree to be a prefix of the audited one;
 *   4. the proof's entry is included at its index, and the audited policy knows it as a query;
 *   5. the scope is recomputed from the logged entry — never taken from the request — and
 *      D_i = s_i·H2(id) computed for exactly those identities; the release is logged (once).
 *
 * Nothing in the request chooses what is released but the index of a logged query.
 */
import {
  consistencyProof,
  constantTimeEqual,
  decodeBase64url,
  decodeEntry,
  decodeRequestStatement,
  deviceKeyName,
  ed25519KeyId,
  ed25519PublicKey,
  encodeBase64url,
  encodeEntry,
  epochDay,
  epochDestructionDay,
  extractPartialKey,
  isProtocolError,
  isStatementAudience,
  keyCommitment,
  leafHash,
  parseCosignatureVerifierKey,
  parseTlogProof,
  parseVerifierKey,
  partialKeysHash,
  queryScope,
  releaseKeyOf,
  type SealedReleaseJson,
  STATEMENT_MAX_SKEW_SECONDS,
  type StatementAudience,
  sealRelease,
  signEntry,
  toHex,
  verifyCheckpoint,
  verifyConsistency,
  verifyInclusion,
  verifyRequestStatement,
} from "@lintel/protocol";
import { useFastCurves } from "@lintel/protocol/fast-curves";
import type { Context } from "hono";
import { loadDeployment } from "../config/deployment.ts";
import { secretSeed } from "../config/secrets.ts";
import { mclWasm } from "../crypto/mcl-wasm.ts";
import type { AppBindings, Env } from "../env.ts";
import { STATEMENT_HEADER, statementPath } from "../middleware/auth/statement.ts";
import { ProblemError } from "../problems/problem.ts";
import { auditedLogView, type LogView, logFetch, type TrusteeRole } from "./log-view.ts";
import { rememberRelease, takeOfficerNonce } from "./store.ts";

export function trusteeShare(env: Env): Uint8Array {
  try {
    return decodeBase64url(env.TRUSTEE_SHARE_KEY ?? "", 32);
  } catch {
    throw new ProblemError(
      "misconfigured",
      "TRUSTEE_SHARE_KEY is missing or is not a 32-byte scalar.",
    );
  }
}

/** Step 1 before the audit (cheap), the officer check after it (needs the log's enrolments). */
function readStatement(c: Context<AppBindings>) {
  const header = c.req.header(STATEMENT_HEADER);
  if (!header)
    throw new ProblemError("unauthenticated", "Sign this request with an officer's device key.");
  try {
    return decodeRequestStatement(decodeBase64url(header));
  } catch (e) {
    if (isProtocolError(e))
      throw new ProblemError("bad-statement", "The request statement is malformed.");
    throw e;
  }
}

/** Who this trustee is to a statement: its id, and the origin officers reach it at. */
export function trusteeAudience(c: Context<AppBindings>, role: TrusteeRole): StatementAudience {
  return { id: role.id, origin: new URL(role.url ?? c.req.url).origin };
}

/**
 * Everything of the statement that needs no key, checked before the (costly) audit of the log:
 * a statement made for another request, deployment or time is refused at once.
 */
async function refuseForeignStatement(
  c: Context<AppBindings>,
  audience: StatementAudience,
  signed: ReturnType<typeof decodeRequestStatement>,
  body: Uint8Array,
): Promise<void> {
  const s = signed.statement;
  const bodyHash = new Uint8Array(await crypto.subtle.digest("SHA-256", body));
  if (
    s.deployment !== loadDeployment(c.env.LINTEL_DEPLOYMENT).id ||
    s.method !== c.req.method ||
    s.path !== statementPath(c) ||
    !constantTimeEqual(s.bodyHash, bodyHash)
  ) {
    throw new ProblemError("bad-statement", "The statement was made for a different request.");
  }
  // Every trustee has this path and its own nonce table: without the audience, a statement
  // sent to one trustee would be good at the next (PROTOCOL.md §6.1 v2).
  if (!isStatementAudience(s, audience)) {
    throw new ProblemError("wrong-audience", "The statement was made for another receiver.");
  }
  if (Math.abs(Math.floor(Date.now() / 1000) - s.issuedAt) > STATEMENT_MAX_SKEW_SECONDS) {
    throw new ProblemError("statement-expired", "The statement's time is too far from now.");
  }
}

async function authenticateOfficer(
  c: Context<AppBindings>,
  audience: StatementAudience,
  statement: ReturnType<typeof decodeRequestStatement>,
  body: Uint8Array,
  view: LogView,
): Promise<void> {
  const deployment = loadDeployment(c.env.LINTEL_DEPLOYMENT).id;
  const keyName = deviceKeyName(deployment);
  const keyId = toHex(statement.statement.keyId);
  let matched = false;
  for (const officer of view.policy.officerKeys()) {
    if (toHex(ed25519KeyId(keyName, officer)) !== keyId) continue;
    try {
      verifyRequestStatement(statement, {
        deployment,
        method: c.req.method,
        path: statementPath(c),
        body,
        now: new Date(),
        publicKey: officer,
        audience,
      });
      matched = true;
      break;
    } catch (e) {
      if (!isProtocolError(e)) throw e;
      if (e.code === "expired") {
        throw new ProblemError("statement-expired", "The statement's time is too far from now.");
      }
      if (e.code === "wrong-audience") {
        throw new ProblemError("wrong-audience", "The statement was made for another receiver.");
      }
      if (e.code !== "bad-signature") {
        throw new ProblemError("bad-statement", "The statement was made for a different request.");
      }
    }
  }
  if (!matched) {
    throw new ProblemError("not-an-officer", "No officer enrolled in the log signed this request.");
  }
  await takeOfficerNonce(
    c.env.DB,
    keyId,
    toHex(statement.statement.nonce),
    Math.floor(Date.now() / 1000),
  );
}

function parseProof(text: string) {
  try {
    return parseTlogProof(text);
  } catch (e) {
    if (isProtocolError(e))
      throw new ProblemError("bad-proof", `The tlog-proof does not parse: ${e.message}`);
    throw e;
  }
}

async function checkProofAgainstLog(
  role: TrusteeRole,
  proof: ReturnType<typeof parseTlogProof>,
  view: LogView,
): Promise<Uint8Array> {
  const witnesses = role.witnesses.map((w) => parseCosignatureVerifierKey(w));
  try {
    verifyCheckpoint(proof.signedCheckpoint, {
      logKey: parseVerifierKey(role.logKey),
      witnesses,
      quorum: role.quorum ?? witnesses.length,
      origin: view.checkpoint.origin,
      now: BigInt(Math.floor(Date.now() / 1000)),
    });
  } catch (e) {
    throw new ProblemError(
      "bad-proof",
      `The proof's checkpoint does not verify: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  const size = proof.checkpoint.size;
  if (size > view.checkpoint.size) {
    throw new ProblemError(
      "bad-proof",
      "The proof's checkpoint is newer than the log this trustee can read.",
    );
  }
  // The proof's tree must be a prefix of the tree this trustee just audited: proven by a
  // consistency proof between the two signed roots (RFC 9162 §2.1.4), so the tiles it is built
  // from need not be trusted. The inclusion proof below then places the entry in the audited tree.
  try {
    verifyConsistency(
      size,
      view.checkpoint.size,
      proof.checkpoint.rootHash,
      view.checkpoint.rootHash,
      await consistencyProof(view.tiles, size, view.checkpoint.size),
    );
  } catch (e) {
    if (!isProtocolError(e)) throw e;
    throw new ProblemError(
      "bad-proof",
      "The proof's checkpoint is not consistent with the log this trustee verified: a forked view.",
    );
  }
  const entry = proof.extra;
  if (!entry) throw new ProblemError("bad-proof", "The proof does not carry its entry (extra).");
  try {
    verifyInclusion(proof.index, size, leafHash(entry), proof.proof, proof.checkpoint.rootHash);
  } catch (e) {
    if (!isProtocolError(e)) throw e;
    throw new ProblemError(
      "bad-proof",
      "The inclusion proof does not lead to the checkpoint's root.",
    );
  }
  return entry;
}

async function appendRelease(env: Env, role: TrusteeRole, entry: Uint8Array): Promise<bigint> {
  const base = role.logUrl.endsWith("/") ? role.logUrl : `${role.logUrl}/`;
  let res: Response;
  try {
    res = await logFetch(env)(new URL("entries", base).href, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ entries: [encodeBase64url(entry)] }),
    });
  } catch {
    throw new ProblemError(
      "log-unavailable",
      "The log could not be reached to record the release.",
    );
  }
  if (res.status !== 201) {
    console.error(`trustee release: the log answered ${res.status}`);
    throw new ProblemError(
      "log-unavailable",
      `The log refused to record the release (${res.status}).`,
    );
  }
  const body = (await res.json()) as { firstIndex?: unknown };
  if (typeof body.firstIndex !== "string") throw new ProblemError("log-unavailable");
  return BigInt(body.firstIndex);
}

export async function release(
  c: Context<AppBindings>,
  role: TrusteeRole,
  proofText: string,
  body: Uint8Array,
): Promise<SealedReleaseJson> {
  const statement = readStatement(c);
  // This trustee's own id and origin, never what the statement says: that is the defence.
  const audience = trusteeAudience(c, role);
  await refuseForeignStatement(c, audience, statement, body);
  const view = await auditedLogView(c.env, role);
  await authenticateOfficer(c, audience, statement, body, view);
  const proof = parseProof(proofText);
  const entry = await checkProofAgainstLog(role, proof, view);
  // The proof's entry is now entry `index` of the audited tree; the replay says what that is.
  const query = view.policy.releasable(proof.index);
  const deployment = view.policy.deploymentName();
  const releaseKey = query ? releaseKeyOf(decodeEntry(entry).entry.body) : undefined;
  if (!query || deployment === undefined || !releaseKey) {
    throw new ProblemError(
      "query-not-logged",
      `Entry ${proof.index} is not an exposure query (or venue request granting contacts) in the log.`,
    );
  }
  const share = trusteeShare(c.env);
  const scope = queryScope(deployment, query);
  // Past retention this trustee withholds its key too: crypto-shredding must not rest on the
  // log's deletion alone (a restored backup of e_d would otherwise open the day again). What it
  // logs commits to every key, withheld or not, so a release asked again after a day has left
  // retention still matches its entry: the withheld key's commitment stands in for it.
  const retentionDays = view.policy.limits()?.retentionDays ?? 0;
  const today = epochDay(Math.floor(Date.now() / 1000));
  // Extraction hashes every identity to G2: mcl does it ~6× faster than the reference backend.
  await useFastCurves({ wasmModule: mclWasm });
  const keys = scope.map((id) => extractPartialKey(share, id.idBytes));
  const expired = scope.map(
    (id) => today >= epochDestructionDay(epochDay(id.slotStart), retentionDays),
  );
  const partialKeys = keys.map((k, i) => (expired[i] ? null : k));
  const withheld = keys.map((k, i) => (expired[i] ? keyCommitment(k) : null));
  let releaseIndex = view.policy.releaseIndex(proof.index, role.id);
  if (releaseIndex === undefined) {
    const signingKey = secretSeed(c.env, "TRUSTEE_SIGNING_KEY");
    if (view.policy.trusteeSigningKey(role.id) !== toHex(ed25519PublicKey(signingKey))) {
      throw new ProblemError(
        "misconfigured",
        "This trustee's signing key is not the one the log enrols for it.",
      );
    }
    const releaseEntry = encodeEntry(
      signEntry(
        {
          deployment,
          issuedAt: Math.floor(Date.now() / 1000),
          body: {
            kind: "trustee-release",
            queryIndex: proof.index,
            trusteeId: role.id,
            identityCount: scope.length,
            partialKeysHash: partialKeysHash(keys),
          },
        },
        [signingKey],
      ),
    );
    try {
      releaseIndex = await appendRelease(c.env, role, releaseEntry);
    } catch (e) {
      // Two requests racing for one query: the log takes the first release and refuses the
      // second; answer with the one that is in the log.
      const again = (await auditedLogView(c.env, role)).policy.releaseIndex(proof.index, role.id);
      if (again === undefined) throw e;
      releaseIndex = again;
    }
  }
  await rememberRelease(c.env.DB, proof.index, releaseIndex, Math.floor(Date.now() / 1000));
  // Sealed to the release key of the logged entry: only the authority that filed the query (or
  // the venue that filed the request) opens the keys, whoever else sees the answer (§11.3).
  return sealRelease(
    { trusteeId: role.id, queryIndex: proof.index, releaseIndex, partialKeys, withheld },
    deployment,
    releaseKey,
  );
}
