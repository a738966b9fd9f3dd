/**
 * Venue requests (PROTOCOL.md §11.7): a venue's access to its own check-in records, only after an
 * officer approves, in the way the deployment's policy prescribes.
 *
 *   POST /api/venues/:id/requests             operator: {entrances, windowStart, windowEnd,
 *                                             reason, note?, releaseKey?}: one pending request
 *                                             per venue; the key iff the policy grants contacts
 *   GET  /api/venues/:id/requests             operator of the venue, registry: its requests, the
 *                                             policy's grants and, once approved, hourly counts
 *   GET  /api/venues/:id/requests/:rid/releases      operator: a contacts request's sealed
 *                                                    releases
 *   GET  /api/venues/:id/requests/:rid/ciphertexts   operator: one page of one slot in its scope
 *   GET  /api/venue-requests                  officer: pending requests, then decided ones
 *   POST /api/venue-requests/:rid/refuse      officer: {reason}
 *   POST /api/venue-requests/:rid/approve     officer: {entry}: a venue-request entry, exactly
 *                                             the request → the log; a contacts request first
 *                                             gathers the officers a query needs
 *   POST /api/venue-requests/:rid/releases    officer: {releases}: the sealed answers of the
 *                                             trustees and the log, kept for the venue
 *
 * The approval is public: every citizen's device sees it in the log, and warns its owner when
 * a visit of theirs falls in the request's entrances and window. Without `contacts` the venue
 * never reads a check-in: it gets counts (which the service holds anyway) and the warning sent
 * on its behalf. With it, the keys are released as for a query, sealed to the venue's own key:
 * the officer who fetches them and this service, which keeps them, hold ciphertext only.
 */
import { venueRequestRoutes as routes } from "@lintel/contract";
import {
  type DecodedEntry,
  decodeBase64url,
  type EntryBody,
  encodeBase64url,
  scopeRuleBroken,
  toHex,
} from "@lintel/protocol";
import { Hono } from "hono";
import { newId } from "../accounts/ids.ts";
import { accountsOfKeys } from "../accounts/store.ts";
import { hourCounts } from "../checkins/counts.ts";
import { type Deployment, loadDeployment } from "../config/deployment.ts";
import type { AppBindings, Env } from "../env.ts";
import { appendToLog } from "../log/append.ts";
import { logWriterStub } from "../log/writer.ts";
import { principalOf, signedBy } from "../middleware/auth/index.ts";
import { reply, validated } from "../middleware/contract/index.ts";
import { ProblemError } from "../problems/problem.ts";
import { scopedCiphertextPage } from "../queries/ciphertext-page.ts";
import {
  approvalsNeeded,
  checkIssuedAt,
  decodeOfficerEntry,
  draftExpiry,
  signedByExactly,
} from "../queries/entries.ts";
import { requireStatus, venueFor } from "../venues/access.ts";
import { venueEntranceLabels } from "../venues/store.ts";
import { finishLeftClaim, finishLeftClaims } from "../venues/venue-request-claims.ts";
import {
  claimApproval,
  fileVenueRequest,
  keepApprovalEntry,
  keepReleases,
  refuseVenueRequest,
  releasesOf,
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

const grantsContacts = (row: VenueRequestRow) => row.grants.includes("contacts");

/** Distinct officers the approval needs: one, or a query's number for a contacts request. */
function officersNeeded(row: VenueRequestRow, deployment: Deployment): number {
  return grantsContacts(row) ? approvalsNeeded(row, deployment) : 1;
}

/**
 * The approval entry signed so far, decoded, unless it is older than the draft lifetime (the
 * log would refuse it as backdated): then the next approval starts again.
 */
function keptApproval(
  row: VenueRequestRow,
  deployment: Deployment,
  at: number,
): DecodedEntry | null {
  if (row.approvalEntry === null || row.decidedAt !== null) return null;
  const kept = decodeOfficerEntry(row.approvalEntry, deployment);
  return draftExpiry(kept.entry.issuedAt, deployment, at) ? null : kept;
}

async function requestView(env: Env, row: VenueRequestRow) {
  const deployment = loadDeployment(env.LINTEL_DEPLOYMENT);
  const needed = officersNeeded(row, deployment);
  const kept = keptApproval(row, deployment, now());
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
    releaseKey: row.releaseKey,
    approvals: state === "approved" ? needed : (kept?.entry.signatures.length ?? 0),
    approvalsNeeded: needed,
    approvalEntry: kept && row.approvalEntry,
    releases:
      state === "approved" && grantsContacts(row)
        ? (await releasesOf(env.DB, row.id)).map((r) => r.holder)
        : [],
    counts:
      counts?.map((c) => ({ entranceId: c.entranceId, hour: c.hour, count: c.count })) ?? null,
  };
}

/** The request, with an approval claim its worker left behind finished first. */
async function requestOr404(env: Env, id: string): Promise<VenueRequestRow> {
  const row = await venueRequestById(env.DB, id);
  if (!row) throw new ProblemError("not-found", "No such venue request.");
  return finishLeftClaim(env, row, now());
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
    body.grants.every((g, i) => g === row.grants[i]) &&
    encodeBase64url(body.releaseKey) === (row.releaseKey ?? encodeBase64url(new Uint8Array(32)));
  if (!same) {
    throw new ProblemError(
      "entry-mismatch",
      "The entry must name exactly the request's venue, entrances (in order), window, reason, grants and release key.",
    );
  }
  return body;
}

/** The release key a filing carries: exactly when the policy grants contacts, and a real one. */
function filedReleaseKey(text: string | undefined, deployment: Deployment): string | null {
  const wanted = deployment.venueRequests.grants.includes("contacts");
  if (!wanted) {
    if (text === undefined) return null;
    throw new ProblemError(
      "bad-release-key",
      "This deployment grants no contact data: a request carries no release key.",
    );
  }
  let key: Uint8Array | undefined;
  try {
    key = text === undefined ? undefined : decodeBase64url(text, 32);
  } catch {
    key = undefined;
  }
  if (!key || key.every((b) => b === 0)) {
    throw new ProblemError(
      "bad-release-key",
      "This deployment grants contact data: the request carries the X25519 key made on the venue's device.",
    );
  }
  return text!;
}

/** The venue's own approved contacts request, or `out-of-scope`. */
async function contactsRequestOf(
  env: Env,
  venueId: string,
  requestId: string,
): Promise<VenueRequestRow & { readonly logIndex: string }> {
  const row = await requestOr404(env, requestId);
  if (row.venueId !== venueId) throw new ProblemError("not-found", "No such venue request.");
  if (venueRequestState(row) !== "approved" || !grantsContacts(row) || row.logIndex === null) {
    throw new ProblemError(
      "out-of-scope",
      "Only an approved request granting contacts opens check-ins, and only in its scope.",
    );
  }
  return { ...row, logIndex: row.logIndex };
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
    const releaseKey = filedReleaseKey(input.releaseKey, deployment);
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
        releaseKey,
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
      await requestView(c.env, await requestOr404(c.env, id)),
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
      const rows = await finishLeftClaims(c.env, await venueRequestsOf(db, venue.id), now());
      c.header("cache-control", "no-store");
      return reply(c, routes.listVenueRequests, 200, {
        grants: [...deployment.venueRequests.grants],
        maxWindowHours: deployment.officerPolicy.maxWindowHours,
        requests: await Promise.all(rows.map((r) => requestView(c.env, r))),
      });
    },
  )
  .get(
    "/:id/requests/:rid/releases",
    signedBy(["operator"]),
    validated(routes.venueRequestReleases),
    async (c) => {
      const db = c.env.DB;
      const { id, rid } = c.req.valid("param");
      const venue = await venueFor(db, principalOf(c), id);
      const row = await contactsRequestOf(c.env, venue.id, rid);
      c.header("cache-control", "no-store");
      return reply(c, routes.venueRequestReleases, 200, {
        releases: (await releasesOf(db, row.id)).map((r) => JSON.parse(r.release)),
      });
    },
  )
  .get(
    "/:id/requests/:rid/ciphertexts",
    signedBy(["operator"]),
    validated(routes.venueRequestCiphertexts),
    async (c) => {
      const db = c.env.DB;
      const { id, rid } = c.req.valid("param");
      const venue = await venueFor(db, principalOf(c), id);
      const row = await contactsRequestOf(c.env, venue.id, rid);
      const page = await scopedCiphertextPage(c.env, row, c.req.valid("query"), "request");
      c.header("cache-control", "no-store");
      return reply(c, routes.venueRequestCiphertexts, 200, page);
    },
  );

const officerOnly = signedBy(["officer"]);

/** The officers' side, mounted under /api/venue-requests. */
export const venueRequestOfficerRoutes = new Hono<AppBindings>()
  .get("/", officerOnly, validated(routes.officerVenueRequests), async (c) => {
    const rows = await finishLeftClaims(c.env, await venueRequestsForOfficers(c.env.DB), now());
    c.header("cache-control", "no-store");
    return reply(c, routes.officerVenueRequests, 200, {
      requests: await Promise.all(rows.map((r) => requestView(c.env, r))),
    });
  })
  .post("/:rid/refuse", officerOnly, validated(routes.refuseVenueRequest), async (c) => {
    const p = principalOf(c);
    const db = c.env.DB;
    const row = await requestOr404(c.env, c.req.valid("param").rid);
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
      await requestView(c.env, await requestOr404(c.env, row.id)),
    );
  })
  .post("/:rid/approve", officerOnly, validated(routes.approveVenueRequest), async (c) => {
    const p = principalOf(c);
    const db = c.env.DB;
    const row = await requestOr404(c.env, c.req.valid("param").rid);
    if (row.decidedAt !== null) {
      throw new ProblemError("wrong-state", "This request was decided already.");
    }
    const deployment = loadDeployment(c.env.LINTEL_DEPLOYMENT);
    const text = c.req.valid("json").entry;
    const decoded = decodeOfficerEntry(text, deployment);
    const at = now();
    checkApprovalEntry(decoded, row);
    const caller = decodeBase64url(p.publicKey, 32);
    const kept = grantsContacts(row) ? keptApproval(row, deployment, at) : null;
    let officers = 1;
    if (kept === null) {
      checkIssuedAt(decoded.entry.issuedAt, at);
      if (!signedByExactly(decoded, [caller])) {
        throw new ProblemError(
          "bad-entry",
          "An approval is signed by the sending device's key alone.",
        );
      }
    } else {
      // A contacts request gathering officers: the next one adds a signature to the kept bytes.
      const earlier = kept.entry.signatures.map((s) => s.publicKey);
      const accounts = await accountsOfKeys(
        db,
        earlier.map((k) => encodeBase64url(k)),
      );
      if (accounts.has(p.accountId)) {
        throw new ProblemError(
          "same-officer",
          "This request already has this officer's approval: another officer adds theirs.",
        );
      }
      if (
        toHex(kept.signedPart) !== toHex(decoded.signedPart) ||
        !signedByExactly(decoded, [...earlier, caller])
      ) {
        throw new ProblemError(
          "entry-mismatch",
          "The approval must be the request's approval entry with this device's signature added.",
        );
      }
      officers = accounts.size + 1;
    }
    if (officers < officersNeeded(row, deployment)) {
      if (!(await keepApprovalEntry(db, row, row.approvalEntry, text))) {
        throw new ProblemError("wrong-state", "Another officer approved this request just now.");
      }
      return reply(
        c,
        routes.approveVenueRequest,
        202,
        await requestView(c.env, await requestOr404(c.env, row.id)),
      );
    }
    const logSize = (await logWriterStub(c.env, deployment.id).status()).size;
    if (!(await claimApproval(db, row, { actorId: p.accountId, at, entry: text, logSize }))) {
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
      await requestView(c.env, await requestOr404(c.env, row.id)),
    );
  })
  .post("/:rid/releases", officerOnly, validated(routes.uploadVenueRequestReleases), async (c) => {
    const db = c.env.DB;
    const row = await requestOr404(c.env, c.req.valid("param").rid);
    if (venueRequestState(row) !== "approved" || !grantsContacts(row) || row.logIndex === null) {
      throw new ProblemError(
        "wrong-state",
        "Releases are kept only for an approved request granting contacts.",
      );
    }
    const releases = c.req.valid("json").releases;
    const holders = new Set(releases.map((r) => r.trusteeId));
    if (holders.size !== releases.length) {
      throw new ProblemError("bad-release", "One release per holder.");
    }
    const log = logWriterStub(c.env, loadDeployment(c.env.LINTEL_DEPLOYMENT).id);
    for (const r of releases) {
      // The log says which release each holder made for this request: anything else (another
      // request's, a holder that never released) is not kept. Whether the sealed keys are the
      // committed ones only the venue can tell, once it opens them.
      const logged =
        r.queryIndex === row.logIndex
          ? await log.releaseIndexOf(BigInt(row.logIndex), r.trusteeId)
          : null;
      if (logged === null || logged !== r.releaseIndex) {
        throw new ProblemError(
          "bad-release",
          `The release of ${r.trusteeId} is not its logged release for this request.`,
        );
      }
    }
    await keepReleases(
      db,
      row.id,
      releases.map((r) => ({ holder: r.trusteeId, release: JSON.stringify(r) })),
      now(),
    );
    return reply(
      c,
      routes.uploadVenueRequestReleases,
      200,
      await requestView(c.env, await requestOr404(c.env, row.id)),
    );
  });
