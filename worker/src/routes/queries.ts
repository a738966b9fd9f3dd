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
import {
  decodeBase64url,
  decodeEntry,
  encodeBase64url,
  inScope,
  LOG_TRUSTEE_ID,
  type StatementAudience,
  toHex,
} from "@lintel/protocol";
import type { Context } from "hono";
import { Hono } from "hono";
import * as z from "zod";
import { newId } from "../accounts/ids.ts";
import { checkinStoreFor } from "../checkins/shards.ts";
import { loadDeployment } from "../config/deployment.ts";
import type { AppBindings, Env } from "../env.ts";
import { appendToLog } from "../log/append.ts";
import { entryProof, parseLogIndex } from "../log/proof.ts";
import { logWriterStub } from "../log/writer.ts";
import { principalOf, signedBy } from "../middleware/auth/index.ts";
import { readJsonBody } from "../middleware/json-body/index.ts";
import { ProblemError } from "../problems/problem.ts";
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

const MAX_ENTRY_JSON_BYTES = 32 * 1024;
/** The log's audience in a release statement: the deployment is already in the statement. */
const LOG_AUDIENCE: StatementAudience = { id: LOG_TRUSTEE_ID, origin: "" };
const PAGE = 1000;

const entrySchema = z.strictObject({ entry: z.string().regex(/^[A-Za-z0-9_-]+$/, "base64url") });

/** The entry of a signed request's JSON body (already read and hashed by middleware/auth). */
async function entryText(c: Context<AppBindings>): Promise<string> {
  return (await readJsonBody(c, entrySchema, MAX_ENTRY_JSON_BYTES)).entry;
}

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

/** The accounts whose devices hold these public keys. */
async function accountsOfKeys(db: D1Database, keys: readonly Uint8Array[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const { results } = await db
    .prepare(
      `SELECT DISTINCT account_id AS accountId FROM devices WHERE public_key IN (${keys.map(() => "?").join(", ")})`,
    )
    .bind(...keys.map((k) => encodeBase64url(k)))
    .all<{ accountId: string }>();
  return new Set(results.map((r) => r.accountId));
}

interface DraftRow {
  id: string;
  entry: ArrayBuffer;
  filedByAccount: string;
  filedByLabel: string;
  filedAt: number;
  status: "awaiting-approval" | "logged";
  approvedByAccount: string | null;
  approvedByLabel: string | null;
  queryIndex: string | null;
}

export const queryRoutes = new Hono<AppBindings>()
  .post("/", signedBy(["officer"], { maxBodyBytes: MAX_ENTRY_JSON_BYTES }), async (c) => {
    const p = principalOf(c);
    const deployment = loadDeployment(c.env.LINTEL_DEPLOYMENT);
    const text = await entryText(c);
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
    await c.env.DB.prepare(
      "INSERT INTO query_drafts (id, entry, filed_by_account, status) VALUES (?, ?, ?, 'awaiting-approval')",
    )
      .bind(id, decodeBase64url(text), p.accountId)
      .run();
    return c.json({ draftId: id, status: "awaiting-approval" }, 201);
  })
  .get("/", signedBy(["officer"]), async (c) => {
    const { results } = await c.env.DB.prepare(
      `SELECT q.id, q.entry, q.filed_by_account AS filedByAccount, f.label AS filedByLabel,
              q.created_at AS filedAt, q.status, q.approved_by_account AS approvedByAccount,
              a.label AS approvedByLabel, q.query_index AS queryIndex
         FROM query_drafts q JOIN accounts f ON f.id = q.filed_by_account
         LEFT JOIN accounts a ON a.id = q.approved_by_account
        ORDER BY q.created_at DESC, q.id LIMIT 200`,
    ).all<DraftRow>();
    const deployment = loadDeployment(c.env.LINTEL_DEPLOYMENT);
    const now = Math.floor(Date.now() / 1000);
    return c.json({
      queries: results.map((r) => {
        const filed = decodeEntry(new Uint8Array(r.entry)).entry;
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
          entry: encodeBase64url(new Uint8Array(r.entry)),
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
    async (c) => {
      const p = principalOf(c);
      const deployment = loadDeployment(c.env.LINTEL_DEPLOYMENT);
      const text = await entryText(c);
      const draft = await c.env.DB.prepare(
        "SELECT entry, filed_by_account AS filedBy, status FROM query_drafts WHERE id = ?",
      )
        .bind(c.req.param("draftId"))
        .first<{ entry: ArrayBuffer; filedBy: string; status: string }>();
      if (!draft) throw new ProblemError("not-found", "No such query draft.");
      if (draft.status !== "awaiting-approval") {
        throw new ProblemError("draft-not-pending", "This query was already approved and logged.");
      }
      const filed = decodeOfficerEntry(encodeBase64url(new Uint8Array(draft.entry)), deployment);
      const now = Math.floor(Date.now() / 1000);
      const expired = draftExpiry(filed.entry.issuedAt, deployment, now);
      if (expired) throw new ProblemError("draft-expired", expired);
      const earlier = filed.entry.signatures.map((s) => s.publicKey);
      // Every officer who signed so far (the filer, and earlier approvers of a wide query).
      const signerAccounts = await accountsOfKeys(c.env.DB, earlier);
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
        const kept = await c.env.DB.prepare(
          `UPDATE query_drafts SET entry = ?, approved_by_account = ?, approved_at = ?
            WHERE id = ? AND status = 'awaiting-approval' AND entry = ?`,
        )
          .bind(entryBytes, p.accountId, now, c.req.param("draftId"), draft.entry)
          .run();
        if ((kept.meta.changes ?? 0) !== 1) {
          throw new ProblemError(
            "draft-not-pending",
            "Another officer approved this draft just now.",
          );
        }
        return c.json(
          {
            status: "awaiting-approval",
            approvals: signerAccounts.size + 1,
            approvalsNeeded: needed,
          },
          202,
        );
      }
      const outcome = await appendToLog(c.env, [entryBytes]);
      const queryIndex = outcome.firstIndex;
      await c.env.DB.prepare(
        `UPDATE query_drafts SET status = 'logged', entry = ?, approved_by_account = ?,
                approved_at = ?, query_index = ? WHERE id = ? AND status = 'awaiting-approval'`,
      )
        .bind(
          entryBytes,
          p.accountId,
          Math.floor(Date.now() / 1000),
          queryIndex,
          c.req.param("draftId"),
        )
        .run();
      const proof = await entryProof(c.env, BigInt(queryIndex), { withEntry: true });
      return c.json({ queryIndex, proof }, 201);
    },
  )
  // The path is the log's alone, but the statement still names it: a statement for a trustee
  // is never good here, nor one for the log at a trustee (PROTOCOL.md §6.1 v2).
  .post("/:queryIndex/release", signedBy(["officer"], { audience: LOG_AUDIENCE }), async (c) => {
    const index = parseLogIndex(c.req.param("queryIndex"), "A query index");
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
    return c.json(outcome.release);
  })
  .get("/:queryIndex/ciphertexts", signedBy(["officer"]), async (c) => {
    const index = parseLogIndex(c.req.param("queryIndex"), "A query index");
    const entrance = c.req.query("entrance") ?? "";
    const slotText = c.req.query("slot") ?? "";
    const afterText = c.req.query("after");
    if (!/^[A-Za-z0-9_-]{1,32}$/.test(entrance) || !/^[0-9]{1,16}$/.test(slotText)) {
      throw new ProblemError("invalid-body", "Name one entrance and one slot start.", {
        errors: [
          { pointer: "/entrance", reason: "an entrance id" },
          { pointer: "/slot", reason: "Unix seconds of the slot's start" },
        ],
      });
    }
    if (afterText !== undefined && !/^[0-9]{1,16}$/.test(afterText)) {
      throw new ProblemError("invalid-body", "`after` is the cursor of the previous page.", {
        errors: [{ pointer: "/after", reason: "the previous page's next cursor" }],
      });
    }
    const query = await loggedQueryOr404(c.env, index);
    const slot = Number(slotText);
    if (!inScope(query, entrance, slot)) {
      throw new ProblemError(
        "out-of-scope",
        "This entrance and hour are not in the query's scope.",
      );
    }
    const page = await checkinStoreFor(c.env, entrance).slotCiphertextPage(
      entrance,
      slot,
      afterText === undefined ? null : Number(afterText),
      PAGE,
    );
    return c.json({
      ciphertexts: page.ciphertexts.map(encodeBase64url),
      next: page.next === null ? null : String(page.next),
    });
  });

export const warningRoutes = new Hono<AppBindings>().post(
  "/",
  signedBy(["officer"], { maxBodyBytes: MAX_ENTRY_JSON_BYTES }),
  async (c) => {
    const p = principalOf(c);
    const deployment = loadDeployment(c.env.LINTEL_DEPLOYMENT);
    const text = await entryText(c);
    const decoded = decodeOfficerEntry(text, deployment);
    checkWarning(decoded, Math.floor(Date.now() / 1000));
    if (!signedByExactly(decoded, [decodeBase64url(p.publicKey, 32)])) {
      throw new ProblemError("bad-entry", "A warning is signed by the sending device's key alone.");
    }
    const outcome = await appendToLog(c.env, [decodeBase64url(text)]);
    return c.json({ index: outcome.firstIndex }, 201);
  },
);

export const entryProofRoutes = new Hono<AppBindings>().get("/:index/proof", async (c) => {
  const index = parseLogIndex(c.req.param("index"), "An entry index");
  const proof = await entryProof(c.env, index, { withEntry: true });
  if (proof === null) throw new ProblemError("not-found", "The log does not hold this entry yet.");
  return c.body(proof, 200, {
    "content-type": "text/plain; charset=utf-8",
    "cache-control": "no-store",
  });
});
