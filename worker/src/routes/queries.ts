/**
 * Exposure queries on the main service (PROTOCOL.md §11):
 *
 *   POST /api/queries                            officer: file a query signed by this device
 *   GET  /api/queries                            officer: drafts awaiting approval, expired (with
 *                                                why) and logged ones
 *   POST /api/queries/:draftId/approve           another officer: countersign; once the query has
 *                                                the officers it needs → the log → tlog-proof
 *   POST /api/queries/:queryIndex/release        officer: the log's epoch-share release (§11.3)
 *   GET  /api/queries/:queryIndex/ciphertexts    officer: one page of one in-scope slot (§11.4)
 *   POST /api/warnings                           officer: an exposure warning, logged
 *   GET  /api/log/entries/:index/proof           anyone: a tlog-proof carrying the entry itself
 *
 * Whatever the service answers here, it cannot read a check-in: it holds only the epoch share,
 * and the trustees release theirs to the officer directly, only for a query in the log.
 */

import { logRoutes, queryRoutes as queryContract } from "@lintel/contract";
import {
  decodeBase64url,
  decodeEntry,
  encodeBase64url,
  LOG_TRUSTEE_ID,
  type StatementAudience,
  toHex,
} from "@lintel/protocol";
import { Hono } from "hono";
import { newId } from "../accounts/ids.ts";
import { accountsOfKeys } from "../accounts/store.ts";
import { loadDeployment } from "../config/deployment.ts";
import type { AppBindings, Env } from "../env.ts";
import { appendToLog } from "../log/append.ts";
import { entryProof, parseLogIndex } from "../log/proof.ts";
import { logWriterStub } from "../log/writer.ts";
import { principalOf, signedBy } from "../middleware/auth/index.ts";
import { reply, validated } from "../middleware/contract/index.ts";
import { ProblemError } from "../problems/problem.ts";
import { scopedCiphertextPage } from "../queries/ciphertext-page.ts";
import {
  approvalsNeeded,
  checkQueryDraft,
  checkQueryStanding,
  checkWarning,
  decodeOfficerEntry,
  draftExpiry,
  type QueryBody,
  signedByExactly,
} from "../queries/entries.ts";
import {
  insertQueryDraft,
  keepApproval,
  markDraftLogged,
  queryDraft,
  recentQueryDrafts,
} from "../queries/store.ts";

const MAX_ENTRY_JSON_BYTES = 32 * 1024;
/** The log's audience in a release statement: the deployment is already in the statement. */
const LOG_AUDIENCE: StatementAudience = { id: LOG_TRUSTEE_ID, origin: "" };

const writer = (env: Env) => logWriterStub(env, loadDeployment(env.LINTEL_DEPLOYMENT).id);

async function loggedQueryOr404(env: Env, index: bigint) {
  const query = await writer(env).loggedQuery(index);
  if (!query) {
    throw new ProblemError(
      "query-not-logged",
      `Entry ${index} is not an exposure query in the log.`,
    );
  }
  return query;
}

export const queryRoutes = new Hono<AppBindings>()
  .post(
    "/",
    signedBy(["officer"], { maxBodyBytes: MAX_ENTRY_JSON_BYTES }),
    validated(queryContract.fileQuery),
    async (c) => {
      const p = principalOf(c);
      const deployment = loadDeployment(c.env.LINTEL_DEPLOYMENT);
      const text = c.req.valid("json").entry;
      const decoded = decodeOfficerEntry(text, deployment);
      const body = checkQueryDraft(decoded, deployment, Math.floor(Date.now() / 1000));
      if (!signedByExactly(decoded, [decodeBase64url(p.publicKey, 32)])) {
        throw new ProblemError(
          "bad-entry",
          "A query is filed signed by the filing device's key alone.",
        );
      }
      // What the log would refuse at approval is refused now, while the filer can still fix it.
      checkQueryStanding(
        body,
        await writer(c.env).queryStanding(body.entrances, body.caseReferenceHash),
        deployment,
      );
      const id = newId("q");
      await insertQueryDraft(c.env.DB, { id, entry: decodeBase64url(text), filedBy: p.accountId });
      return reply(c, queryContract.fileQuery, 201, { draftId: id, status: "awaiting-approval" });
    },
  )
  .get("/", signedBy(["officer"]), async (c) => {
    const drafts = await recentQueryDrafts(c.env.DB);
    const deployment = loadDeployment(c.env.LINTEL_DEPLOYMENT);
    const now = Math.floor(Date.now() / 1000);
    return reply(c, queryContract.listQueries, 200, {
      queries: drafts.map((r) => {
        const filed = decodeEntry(r.entry).entry;
        const body = filed.body as QueryBody;
        const expired =
          r.status === "awaiting-approval"
            ? draftExpiry(filed.issuedAt, deployment, now)
            : undefined;
        return {
          draftId: r.id,
          status: expired ? ("expired" as const) : r.status,
          ...(expired ? { expiredReason: expired } : {}),
          ...(r.status === "awaiting-approval" && !expired
            ? {
                expiresAt: filed.issuedAt + deployment.officerPolicy.draftLifetimeSeconds,
                approvals: filed.signatures.length,
                approvalsNeeded: approvalsNeeded(body, deployment),
              }
            : {}),
          entry: encodeBase64url(r.entry),
          filedBy: { accountId: r.filedByAccount, label: r.filedByLabel },
          filedAt: r.filedAt,
          ...(r.approvedByAccount
            ? { approvedBy: { accountId: r.approvedByAccount, label: r.approvedByLabel ?? "" } }
            : {}),
          ...(r.queryIndex ? { queryIndex: r.queryIndex } : {}),
        };
      }),
    });
  })
  .post(
    "/:draftId/approve",
    signedBy(["officer"], { maxBodyBytes: MAX_ENTRY_JSON_BYTES }),
    validated(queryContract.approveQuery),
    async (c) => {
      const p = principalOf(c);
      const deployment = loadDeployment(c.env.LINTEL_DEPLOYMENT);
      const text = c.req.valid("json").entry;
      const { draftId } = c.req.valid("param");
      const draft = await queryDraft(c.env.DB, draftId);
      if (!draft) throw new ProblemError("not-found", "No such query draft.");
      if (draft.status !== "awaiting-approval") {
        throw new ProblemError("draft-not-pending", "This query was already approved and logged.");
      }
      const filed = decodeOfficerEntry(encodeBase64url(draft.entry), deployment);
      const now = Math.floor(Date.now() / 1000);
      const expired = draftExpiry(filed.entry.issuedAt, deployment, now);
      if (expired) throw new ProblemError("draft-expired", expired);
      const earlier = filed.entry.signatures.map((s) => s.publicKey);
      // Every officer who signed so far (the filer, and earlier approvers of a wide query).
      const signerAccounts = await accountsOfKeys(
        c.env.DB,
        earlier.map((k) => encodeBase64url(k)),
      );
      signerAccounts.add(draft.filedBy);
      if (signerAccounts.has(p.accountId)) {
        throw new ProblemError(
          "same-officer",
          "A query is approved by an officer other than its filer and earlier approvers.",
        );
      }
      const approved = decodeOfficerEntry(text, deployment);
      if (
        toHex(filed.signedPart) !== toHex(approved.signedPart) ||
        !signedByExactly(approved, [...earlier, decodeBase64url(p.publicKey, 32)])
      ) {
        throw new ProblemError(
          "entry-mismatch",
          "The approved entry must be the draft with this device's signature added.",
        );
      }
      const entryBytes = decodeBase64url(text);
      const needed = approvalsNeeded(filed.entry.body as QueryBody, deployment);
      if (signerAccounts.size + 1 < needed) {
        // A wide query: this approval is kept; the draft waits for the next officer.
        const kept = await keepApproval(c.env.DB, draftId, {
          previous: draft.entry,
          entry: entryBytes,
          by: p.accountId,
          at: now,
        });
        if (!kept) {
          throw new ProblemError(
            "draft-not-pending",
            "Another officer approved this draft just now.",
          );
        }
        return reply(c, queryContract.approveQuery, 202, {
          status: "awaiting-approval",
          approvals: signerAccounts.size + 1,
          approvalsNeeded: needed,
        });
      }
      const outcome = await appendToLog(c.env, [entryBytes]);
      const queryIndex = outcome.firstIndex;
      await markDraftLogged(c.env.DB, draftId, {
        entry: entryBytes,
        by: p.accountId,
        at: Math.floor(Date.now() / 1000),
        queryIndex,
      });
      const proof = await entryProof(c.env, BigInt(queryIndex), { withEntry: true });
      return reply(c, queryContract.approveQuery, 201, { queryIndex, proof });
    },
  )
  // The path is the log's alone, but the statement still names it: a statement for a trustee
  // is never good here, nor one for the log at a trustee (PROTOCOL.md §6.1 v2).
  .post(
    "/:queryIndex/release",
    signedBy(["officer"], { audience: LOG_AUDIENCE }),
    validated(queryContract.releaseEpochShare),
    async (c) => {
      const index = parseLogIndex(c.req.valid("param").queryIndex, "A query index");
      const outcome = await writer(c.env).releaseEpochShare(index);
      if (!outcome.ok) {
        if (outcome.reason === "query-not-logged") {
          throw new ProblemError(
            "query-not-logged",
            `Entry ${index} is not an exposure query in the log.`,
          );
        }
        console.error("epoch release: log append failed");
        throw new ProblemError("log-unavailable");
      }
      return reply(c, queryContract.releaseEpochShare, 200, outcome.release);
    },
  )
  .get(
    "/:queryIndex/ciphertexts",
    signedBy(["officer"]),
    validated(queryContract.queryCiphertexts),
    async (c) => {
      const index = parseLogIndex(c.req.valid("param").queryIndex, "A query index");
      const query = await loggedQueryOr404(c.env, index);
      return reply(
        c,
        queryContract.queryCiphertexts,
        200,
        await scopedCiphertextPage(c.env, query, c.req.valid("query"), "query"),
      );
    },
  );

export const warningRoutes = new Hono<AppBindings>().post(
  "/",
  signedBy(["officer"], { maxBodyBytes: MAX_ENTRY_JSON_BYTES }),
  validated(queryContract.publishWarning),
  async (c) => {
    const p = principalOf(c);
    const deployment = loadDeployment(c.env.LINTEL_DEPLOYMENT);
    const text = c.req.valid("json").entry;
    const decoded = decodeOfficerEntry(text, deployment);
    checkWarning(decoded, Math.floor(Date.now() / 1000));
    if (!signedByExactly(decoded, [decodeBase64url(p.publicKey, 32)])) {
      throw new ProblemError("bad-entry", "A warning is signed by the sending device's key alone.");
    }
    const outcome = await appendToLog(c.env, [decodeBase64url(text)]);
    return reply(c, queryContract.publishWarning, 201, { index: outcome.firstIndex });
  },
);

export const entryProofRoutes = new Hono<AppBindings>().get(
  "/:index/proof",
  validated(logRoutes.entryProof),
  async (c) => {
    const index = parseLogIndex(c.req.valid("param").index, "An entry index");
    const proof = await entryProof(c.env, index, { withEntry: true });
    if (proof === null)
      throw new ProblemError("not-found", "The log does not hold this entry yet.");
    return c.body(proof, 200, {
      "content-type": "text/plain; charset=utf-8",
      "cache-control": "no-store",
    });
  },
);
