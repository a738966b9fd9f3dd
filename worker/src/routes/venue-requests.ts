/**
 * Venue requests (PROTOCOL.md §11.7): a venue's access to its own check-in records, only after an
 * officer approves, in the way the deployment's policy prescribes.
 *
 *   POST /api/venues/:id/requests             operator: {entrances, windowStart, windowEnd,
 *                                             reason, note?}: one pending request per venue
 *   GET  /api/venues/:id/requests             operator of the venue, registry: its requests, the
 *                                             policy's grants and, once approved, hourly counts
 *   GET  /api/venue-requests                  officer: pending requests, then decided ones
 *   POST /api/venue-requests/:rid/refuse      officer: {reason}
 *   POST /api/venue-requests/:rid/approve     officer: {entry}: a venue-request entry signed by
 *                                             this device alone, exactly the request → the log
 *
 * The approval is public: every citizen's device sees it in the log, and warns its owner when
 * a visit of theirs falls in the request's entrances and window. The venue never reads a
 * check-in: it gets counts (which the service holds anyway) and the warning sent on its behalf.
 */
import { venueRequestRoutes as routes } from "@lintel/contract";
import {
  type DecodedEntry,
  decodeBase64url,
  type EntryBody,
  scopeRuleBroken,
} from "@lintel/protocol";
import { Hono } from "hono";
import { newId } from "../accounts/ids.ts";
import { hourCounts } from "../checkins/counts.ts";
import { loadDeployment } from "../config/deployment.ts";
import type { AppBindings, Env } from "../env.ts";
import { appendToLog } from "../log/append.ts";
import { principalOf, signedBy } from "../middleware/auth/index.ts";
import { reply, validated } from "../middleware/contract/index.ts";
import { ProblemError } from "../problems/problem.ts";
import { checkIssuedAt, decodeOfficerEntry, signedByExactly } from "../queries/entries.ts";
import { requireStatus, venueFor } from "../venues/access.ts";
import { venueEntranceLabels } from "../venues/store.ts";
import {
  claimApproval,
  fileVenueRequest,
  refuseVenueRequest,
  settleApproval,
  undoApproval,
  type VenueRequestRow,
  venueRequestById,
  venueRequestState,
  venueRequestsForOfficers,
  venueRequestsOf,
} from "../venues/venue-request-store.ts";

type RequestBody = Extract<EntryBody, { kind: "venue-request" }>;

const now = () => Math.floor(Date.now() / 1000);

async function requestView(env: Env, row: VenueRequestRow) {
  const labels = new Map(
    (await venueEntranceLabels(env.DB, row.venueId)).map((e) => [e.id, e] as const),
  );
  const state = venueRequestState(row);
  const counts =
    state === "approved" && row.grants.includes("counts")
      ? await hourCounts(env, row.entrances, row.windowStart, row.windowEnd)
      : null;
  return {
    id: row.id,
    venueId: row.venueId,
    venueName: { en: row.venueNameEn, zh: row.venueNameZh },
    entrances: row.entrances.map((id) => {
      const e = labels.get(id);
      return { id, name: { en: e?.labelEn ?? id, zh: e?.labelZh ?? id } };
    }),
    windowStart: row.windowStart,
    windowEnd: row.windowEnd,
    reason: row.reason,
    note: row.note,
    grants: [...row.grants],
    state,
    filedAt: row.filedAt,
    decidedAt: state === "pending" ? null : row.decidedAt,
    refusal: row.refusal,
    approvedBy: state === "approved" ? row.decidedByLabel : null,
    logIndex: row.logIndex,
    counts:
      counts?.map((c) => ({ entranceId: c.entranceId, hour: c.hour, count: c.count })) ?? null,
  };
}

async function requestOr404(db: D1Database, id: string): Promise<VenueRequestRow> {
  const row = await venueRequestById(db, id);
  if (!row) throw new ProblemError("not-found", "No such venue request.");
  return row;
}

/** The approving entry must say exactly what the venue asked for, under the filed grants. */
function checkApprovalEntry(decoded: DecodedEntry, row: VenueRequestRow): RequestBody {
  const body = decoded.entry.body;
  if (body.kind !== "venue-request") {
    throw new ProblemError("bad-entry", "The entry is not a venue-request entry.");
  }
  const same =
    body.venueId === row.venueId &&
    body.entrances.length === row.entrances.length &&
    body.entrances.every((e, i) => e === row.entrances[i]) &&
    body.windowStart === row.windowStart &&
    body.windowEnd === row.windowEnd &&
    body.reason === row.reason &&
    body.grants.length === row.grants.length &&
    body.grants.every((g, i) => g === row.grants[i]);
  if (!same) {
    throw new ProblemError(
      "entry-mismatch",
      "The entry must name exactly the request's venue, entrances (in order), window, reason and grants.",
    );
  }
  return body;
}

/** The venue's side, mounted under /api/venues. */
export const venueRequestVenueRoutes = new Hono<AppBindings>()
  .post("/:id/requests", signedBy(["operator"]), validated(routes.fileVenueRequest), async (c) => {
    const p = principalOf(c);
    const db = c.env.DB;
    const venue = await venueFor(db, p, c.req.valid("param").id);
    requireStatus(venue, "approved", "suspended");
    const input = c.req.valid("json");
    const own = new Set((await venueEntranceLabels(db, venue.id)).map((e) => e.id));
    const foreign = input.entrances.find((e) => !own.has(e));
    if (foreign !== undefined) {
      throw new ProblemError("bad-request-scope", "A venue asks only about its own entrances.");
    }
    const deployment = loadDeployment(c.env.LINTEL_DEPLOYMENT);
    const at = now();
    const broken = scopeRuleBroken(
      input,
      { retentionDays: deployment.retentionDays, ...deployment.officerPolicy },
      at,
    );
    if (broken) {
      throw new ProblemError("bad-request-scope", `${broken[0]!.toUpperCase()}${broken.slice(1)}.`);
    }
    const id = newId("vq");
    const filed = await fileVenueRequest(
      db,
      {
        id,
        venueId: venue.id,
        entrances: input.entrances,
        windowStart: input.windowStart,
        windowEnd: input.windowEnd,
        reason: input.reason,
        note: input.note ?? "",
        grants: deployment.venueRequests.grants,
      },
      p.accountId,
      at,
    );
    if (!filed) {
      throw new ProblemError("request-pending", "This venue already has a pending request.");
    }
    return reply(
      c,
      routes.fileVenueRequest,
      201,
      await requestView(c.env, await requestOr404(db, id)),
    );
  })
  .get(
    "/:id/requests",
    signedBy(["operator", "registry"]),
    validated(routes.listVenueRequests),
    async (c) => {
      const db = c.env.DB;
      const venue = await venueFor(db, principalOf(c), c.req.valid("param").id);
      const deployment = loadDeployment(c.env.LINTEL_DEPLOYMENT);
      const rows = await venueRequestsOf(db, venue.id);
      c.header("cache-control", "no-store");
      return reply(c, routes.listVenueRequests, 200, {
        grants: [...deployment.venueRequests.grants],
        maxWindowHours: deployment.officerPolicy.maxWindowHours,
        requests: await Promise.all(rows.map((r) => requestView(c.env, r))),
      });
    },
  );

const officerOnly = signedBy(["officer"]);

/** The officers' side, mounted under /api/venue-requests. */
export const venueRequestOfficerRoutes = new Hono<AppBindings>()
  .get("/", officerOnly, validated(routes.officerVenueRequests), async (c) => {
    const rows = await venueRequestsForOfficers(c.env.DB);
    c.header("cache-control", "no-store");
    return reply(c, routes.officerVenueRequests, 200, {
      requests: await Promise.all(rows.map((r) => requestView(c.env, r))),
    });
  })
  .post("/:rid/refuse", officerOnly, validated(routes.refuseVenueRequest), async (c) => {
    const p = principalOf(c);
    const db = c.env.DB;
    const row = await requestOr404(db, c.req.valid("param").rid);
    if (venueRequestState(row) !== "pending" || row.decidedAt !== null) {
      throw new ProblemError("wrong-state", "This request was decided already.");
    }
    if (!(await refuseVenueRequest(db, row, c.req.valid("json").reason, p.accountId, now()))) {
      throw new ProblemError("wrong-state", "Another officer decided this request first.");
    }
    return reply(
      c,
      routes.refuseVenueRequest,
      200,
      await requestView(c.env, await requestOr404(db, row.id)),
    );
  })
  .post("/:rid/approve", officerOnly, validated(routes.approveVenueRequest), async (c) => {
    const p = principalOf(c);
    const db = c.env.DB;
    const row = await requestOr404(db, c.req.valid("param").rid);
    if (row.decidedAt !== null) {
      throw new ProblemError("wrong-state", "This request was decided already.");
    }
    const deployment = loadDeployment(c.env.LINTEL_DEPLOYMENT);
    const text = c.req.valid("json").entry;
    const decoded = decodeOfficerEntry(text, deployment);
    const at = now();
    checkIssuedAt(decoded.entry.issuedAt, at);
    checkApprovalEntry(decoded, row);
    if (!signedByExactly(decoded, [decodeBase64url(p.publicKey, 32)])) {
      throw new ProblemError(
        "bad-entry",
        "An approval is signed by the sending device's key alone.",
      );
    }
    if (!(await claimApproval(db, row, p.accountId, at))) {
      throw new ProblemError("wrong-state", "Another officer decided this request first.");
    }
    let logIndex: string;
    try {
      logIndex = (await appendToLog(c.env, [decodeBase64url(text)])).firstIndex;
    } catch (e) {
      await undoApproval(db, row);
      throw e;
    }
    await settleApproval(db, row, logIndex, p.accountId, at);
    return reply(
      c,
      routes.approveVenueRequest,
      201,
      await requestView(c.env, await requestOr404(db, row.id)),
    );
  });
