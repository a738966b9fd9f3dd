/**
 * Authorisation, table-driven: every route that needs an account × every kind of caller. A caller
 * the route allows gets a 2xx; an unsigned caller 401; a signed-in account of another role 403;
 * an operator asking about another operator's venue 404 (ids of others' venues cannot be probed).
 * Refused calls run first and must leave the fixture unchanged for the allowed ones.
 */

import { env } from "cloudflare:workers";
import { operatorRoutes } from "@lintel/contract";
import {
  countersignEntry,
  decodeEntry,
  encodeBase64url,
  encodeEntry,
  generateTrusteeKey,
  NO_RELEASE_KEY,
  signEntry,
} from "@lintel/protocol";
import { describe, expect, it } from "vitest";
import { officerLogLabel } from "../../worker/src/accounts/officer-log.ts";
import {
  type Application,
  applicationIn,
  makeAccount,
  newKey,
  PDF,
  sampleApplication,
  signed,
  type TestDevice,
} from "./account-fixtures.ts";
import { currentSlot, fakeCiphertext } from "./checkin-fixtures.ts";
import { resetDatabase } from "./helpers.ts";
import { deploymentLog, entry, registrySecret, startDeploymentLog } from "./log-fixtures.ts";

type Actor =
  | "anonymous"
  | "registry"
  | "owner"
  | "other-operator"
  | "staff"
  | "officer"
  | "auditor";
const ACTORS: readonly Actor[] = [
  "anonymous",
  "registry",
  "owner",
  "other-operator",
  "staff",
  "officer",
  "auditor",
];

interface Fixture {
  readonly devices: Readonly<Record<Exclude<Actor, "anonymous">, TestDevice>>;
  readonly approved: Application;
  readonly submitted: Application;
  readonly draft: Application;
  readonly staffId: string;
  /** A kiosk of the approved venue's first entrance, not enrolled yet. */
  readonly kioskId: string;
  readonly reportId: string;
  /** Another registry reviewer, whose scope the fixture's reviewer sets. */
  readonly reviewerId: string;
  /** The same report, as the venue's routes name it (`:rid`). */
  readonly venueReportId: string;
  /** An open rectification order of the approved venue. */
  readonly orderId: string;
  /** A pending request of the approved venue for its own records: first entrance, last hour. */
  readonly venueRequestId: string;
  /** The id an approved contacts request gets from `prepareContactsRequest`. */
  readonly contactsRequestId: string;
  /** An inspection of the approved venue, with one photo. */
  readonly inspectionId: string;
  /** Its photo's number. */
  readonly photoNumber: string;
  /** A pending amendment of the approved venue, once `pendingAmendment` made it. */
  readonly amendmentId: string;
  /** The base32 signed code of the approved venue's first entrance. */
  readonly codeFragment: string;
  /** Which device DELETE /api/auth/devices/:id names: the caller's own. */
  readonly deviceRef: string;
  /** A query filed by a second officer, for the fixture's officer to approve. */
  readonly queryDraft: { readonly id: string; readonly entry: Uint8Array };
  /** A query in the log (decimal index), signed by both officers. */
  readonly queryIndex: string;
}

/** An exposure query for the first entrance, the last hour and this one, signed by `signers`. */
function queryEntry(f: Pick<Fixture, "approved">, signers: Uint8Array[]): Uint8Array {
  const s = currentSlot();
  return encodeEntry(
    signEntry(
      {
        deployment: "demo",
        issuedAt: Math.floor(Date.now() / 1000),
        body: {
          kind: "exposure-query",
          caseReferenceHash: crypto.getRandomValues(new Uint8Array(32)),
          legalBasis: "Disease Ordinance s.22",
          legalDocumentHash: new Uint8Array(32),
          entrances: [f.approved.entrances[0]!.id],
          windowStart: s - 3600,
          windowEnd: s + 3600,
          reason: "A confirmed case.",
          releaseKey: new Uint8Array(32).fill(9),
        },
      },
      signers,
    ),
  );
}

const CONTACTS_REQUEST_ID = "vq-test-contacts";
/** The log's sealed release for the contacts request `prepareContactsRequest` logged last. */
let contactsRelease: unknown;

/**
 * An approved venue request granting contacts (first entrance, last hour), signed by the
 * fixture's officer and a second one enrolled here, in the log with the log's own release, and
 * its row as the service keeps it.
 */
async function prepareContactsRequest(f: Fixture): Promise<void> {
  const second = newKey();
  const s = currentSlot();
  const enrolled = await deploymentLog().append([
    entry({ kind: "officer-enrolment", publicKey: second.publicKey, label: "Second Officer" }, [
      registrySecret(),
    ]),
  ]);
  if (!enrolled.ok) throw new Error(enrolled.reason);
  const releaseKey = new Uint8Array(32).fill(5);
  const body = {
    kind: "venue-request",
    venueId: f.approved.id,
    entrances: [f.approved.entrances[0]!.id],
    windowStart: s - 3600,
    windowEnd: s,
    reason: "guest-case",
    grants: ["contacts"],
    releaseKey,
  } as const;
  const logged = await deploymentLog().append([
    encodeEntry(
      signEntry({ deployment: "demo", issuedAt: Math.floor(Date.now() / 1000), body }, [
        f.devices.officer.secretKey,
        second.secretKey,
      ]),
    ),
  ]);
  if (!logged.ok) throw new Error(logged.reason);
  const release = await deploymentLog().releaseEpochShare(BigInt(logged.firstIndex));
  if (!release.ok) throw new Error(release.detail);
  contactsRelease = release.release;
  await env.DB.prepare(
    `INSERT INTO venue_requests (id, venue_id, entrances, window_start, window_end, reason, grants,
       release_key, filed_by, filed_at, decided_at, log_index)
       VALUES (?, ?, ?, ?, ?, 'guest-case', '["contacts"]', ?, ?, 0, 0, ?)`,
  )
    .bind(
      f.contactsRequestId,
      f.approved.id,
      JSON.stringify(body.entrances),
      body.windowStart,
      body.windowEnd,
      encodeBase64url(releaseKey),
      f.devices.owner.accountId,
      logged.firstIndex,
    )
    .run();
}

/** The approval of the fixture's venue request, signed by `signer` alone. */
function venueRequestApproval(f: Pick<Fixture, "approved">, signer: Uint8Array): string {
  const s = currentSlot();
  return encodeBase64url(
    encodeEntry(
      signEntry(
        {
          deployment: "demo",
          issuedAt: Math.floor(Date.now() / 1000),
          body: {
            kind: "venue-request",
            venueId: f.approved.id,
            entrances: [f.approved.entrances[0]!.id],
            windowStart: s - 3600,
            windowEnd: s,
            reason: "guest-case",
            grants: ["warning", "counts"],
            releaseKey: NO_RELEASE_KEY,
          },
        },
        [signer],
      ),
    ),
  );
}

/** A pending amendment adding one entrance to the approved venue, as an operator proposes it. */
async function pendingAmendment(f: Fixture): Promise<void> {
  const changes = {
    add: [{ entranceId: "e-roletestdoor", label: { en: "Side", zh: "侧门" } }],
    rename: [],
    retire: [],
  };
  await env.DB.prepare(
    `INSERT INTO entrance_amendments (id, venue_id, changes, status, proposed_by, proposed_at)
     VALUES (?, ?, ?, 'pending', 'operator', 0)`,
  )
    .bind(f.amendmentId, f.approved.id, JSON.stringify(changes))
    .run();
}

interface Route {
  readonly method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  readonly path: (f: Fixture) => string;
  readonly body?: (f: Fixture) => unknown;
  readonly raw?: { readonly bytes: Uint8Array; readonly type: string };
  readonly allowed: readonly Actor[];
  /** The receiver the statement names (releases: PROTOCOL.md §6.1 v2). */
  readonly audience?: { readonly id: string; readonly origin: string };
  /** Puts the fixture in the state the route acts on, before any caller. */
  readonly prepare?: (f: Fixture) => Promise<void>;
}

const ROUTES: readonly Route[] = [
  {
    method: "GET",
    path: () => "/api/auth/me",
    allowed: ["registry", "owner", "other-operator", "staff", "officer", "auditor"],
  },
  {
    method: "POST",
    path: () => "/api/auth/devices",
    body: () => ({ publicKey: encodeBase64url(newKey().publicKey) }),
    allowed: ["registry", "owner", "other-operator", "staff", "officer", "auditor"],
  },
  {
    method: "GET",
    path: () => "/api/auth/devices",
    allowed: ["registry", "owner", "other-operator", "staff", "officer", "auditor"],
  },
  {
    method: "DELETE",
    path: (f) => `/api/auth/devices/${f.deviceRef}`,
    allowed: ["registry", "owner", "other-operator", "staff", "officer", "auditor"],
  },
  {
    method: "POST",
    path: () => "/api/auth/enrolment-codes",
    allowed: ["owner", "other-operator"],
  },
  {
    method: "POST",
    path: () => "/api/registry/accounts",
    body: () => ({ role: "officer", label: "Officer C" }),
    allowed: ["registry"],
  },
  {
    method: "POST",
    path: (f) => `/api/registry/accounts/${f.devices.officer.accountId}/enrolment-codes`,
    allowed: ["registry"],
  },
  { method: "GET", path: () => "/api/registry/accounts", allowed: ["registry"] },
  {
    method: "POST",
    path: () => "/api/registry/trustees",
    body: () => {
      const share = generateTrusteeKey();
      return {
        format: "lintel-trustee-public/1",
        id: "trustee-a",
        url: "https://trustee-a.example/trustee",
        shareKey: encodeBase64url(share.publicKey),
        proofOfPossession: encodeBase64url(share.proofOfPossession),
        signingKey: encodeBase64url(newKey().publicKey),
      };
    },
    allowed: ["registry"],
  },
  {
    method: "POST",
    path: () => "/api/registry/witnesses",
    body: () => ({
      format: "lintel-witness-public/1",
      name: "witness.example/w1",
      url: "https://witness.example/witness",
      publicKey: encodeBase64url(newKey().publicKey),
    }),
    allowed: ["registry"],
  },
  { method: "GET", path: () => "/api/registry/parties", allowed: ["registry"] },
  {
    method: "POST",
    path: () => "/api/registry/trustee-removals",
    // The fixture's trustee the log enrols and the deployment's settings do not name.
    body: () => ({ trusteeId: "trustee-z" }),
    allowed: ["registry"],
  },
  {
    method: "POST",
    path: () => "/api/registry/witness-removals",
    body: () => ({ name: "witness.example/roles" }),
    allowed: ["registry"],
  },
  {
    method: "PUT",
    path: (f) => `/api/registry/accounts/${f.reviewerId}/scope`,
    body: () => ({ districts: ["harbour"], sectors: ["education"] }),
    allowed: ["registry"],
  },
  {
    method: "POST",
    path: () => "/api/applications",
    body: () => sampleApplication(),
    allowed: ["owner", "other-operator"],
  },
  { method: "GET", path: () => "/api/applications", allowed: ["owner", "other-operator"] },
  { method: "GET", path: (f) => `/api/applications/${f.draft.id}`, allowed: ["owner", "registry"] },
  {
    method: "PUT",
    path: (f) => `/api/applications/${f.draft.id}`,
    body: () => sampleApplication(),
    allowed: ["owner"],
  },
  {
    method: "PUT",
    path: (f) => `/api/applications/${f.draft.id}/documents/licence`,
    raw: { bytes: PDF, type: "application/pdf" },
    allowed: ["owner"],
  },
  {
    method: "GET",
    path: (f) => `/api/applications/${f.draft.id}/documents/licence`,
    allowed: ["owner", "registry"],
  },
  { method: "POST", path: (f) => `/api/applications/${f.draft.id}/submit`, allowed: ["owner"] },
  {
    method: "GET",
    path: () => "/api/registry/applications?status=submitted",
    allowed: ["registry"],
  },
  {
    method: "GET",
    path: (f) => `/api/registry/applications/${f.submitted.id}/matches`,
    allowed: ["registry"],
  },
  {
    method: "POST",
    path: (f) => `/api/registry/applications/${f.submitted.id}/approve`,
    allowed: ["registry"],
  },
  {
    method: "POST",
    path: (f) => `/api/registry/applications/${f.submitted.id}/reject`,
    body: () => ({ feedback: "Floor plan missing entrances" }),
    allowed: ["registry"],
  },
  { method: "GET", path: () => "/api/registry/reports", allowed: ["registry"] },
  {
    method: "PATCH",
    path: (f) => `/api/registry/reports/${f.reportId}`,
    body: () => ({ status: "in-review" }),
    allowed: ["registry"],
  },
  { method: "GET", path: () => "/api/registry/venues.csv", allowed: ["registry"] },
  {
    method: "POST",
    path: (f) => `/api/registry/venues/${f.approved.id}/rectifications`,
    body: () => ({ findings: "Poster faded", deadline: Math.floor(Date.now() / 1000) + 86_400 }),
    allowed: ["registry"],
  },
  {
    method: "POST",
    path: (f) => `/api/registry/venues/${f.approved.id}/rectifications/${f.orderId}/close`,
    allowed: ["registry"],
  },
  {
    method: "GET",
    path: (f) => `/api/venues/${f.approved.id}/reports`,
    allowed: ["owner", "registry"],
  },
  {
    method: "POST",
    path: (f) => `/api/venues/${f.approved.id}/reports/${f.venueReportId}/answer`,
    body: () => ({ answer: "The poster was replaced this morning." }),
    allowed: ["owner"],
  },
  {
    method: "GET",
    path: (f) => `/api/venues/${f.approved.id}/rectifications`,
    allowed: ["owner", "registry"],
  },
  {
    method: "POST",
    path: (f) => `/api/venues/${f.approved.id}/amendments`,
    body: () => ({ add: [{ label: { en: "Side", zh: "侧门" } }] }),
    allowed: ["owner"],
  },
  {
    method: "GET",
    path: (f) => `/api/venues/${f.approved.id}/amendments`,
    allowed: ["owner", "registry"],
  },
  {
    method: "POST",
    path: (f) => `/api/registry/venues/${f.approved.id}/amendments/${f.amendmentId}/approve`,
    allowed: ["registry"],
    prepare: pendingAmendment,
  },
  {
    method: "POST",
    path: (f) => `/api/registry/venues/${f.approved.id}/amendments/${f.amendmentId}/refuse`,
    body: () => ({ reason: "No such door on the floor plan" }),
    allowed: ["registry"],
    prepare: pendingAmendment,
  },
  {
    method: "POST",
    path: (f) => `/api/venues/${f.approved.id}/rectifications/${f.orderId}/answer`,
    body: () => ({ answer: "New poster put up" }),
    allowed: ["owner"],
  },
  {
    method: "POST",
    path: (f) => `/api/registry/venues/${f.approved.id}/inspections`,
    body: () => ({
      inspectedOn: new Date().toISOString().slice(0, 10),
      result: "passed",
      findings: "Posters at every entrance.",
    }),
    allowed: ["registry"],
  },
  {
    method: "PUT",
    path: (f) => `/api/registry/venues/${f.approved.id}/inspections/${f.inspectionId}/photos`,
    raw: { bytes: Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]), type: "image/jpeg" },
    allowed: ["registry"],
  },
  {
    method: "GET",
    path: (f) => `/api/venues/${f.approved.id}/inspections`,
    allowed: ["owner", "registry"],
  },
  {
    method: "GET",
    path: (f) =>
      `/api/venues/${f.approved.id}/inspections/${f.inspectionId}/photos/${f.photoNumber}`,
    allowed: ["owner", "registry"],
  },
  { method: "GET", path: () => "/api/registry/compliance", allowed: ["registry"] },
  {
    method: "POST",
    path: (f) => `/api/venues/${f.approved.id}/requests`,
    body: (f) => ({
      entrances: [f.approved.entrances[0]!.id],
      windowStart: currentSlot() - 3600,
      windowEnd: currentSlot(),
      reason: "staff-case",
    }),
    allowed: ["owner"],
    // The fixture's request is pending, and a venue has one pending request at a time.
    prepare: async () => {
      await env.DB.prepare("DELETE FROM venue_requests").run();
    },
  },
  {
    method: "GET",
    path: (f) => `/api/venues/${f.approved.id}/requests`,
    allowed: ["owner", "registry"],
  },
  { method: "GET", path: () => "/api/venue-requests", allowed: ["officer"] },
  {
    method: "POST",
    path: (f) => `/api/venue-requests/${f.venueRequestId}/refuse`,
    body: () => ({ reason: "Not enough detail about the case." }),
    allowed: ["officer"],
  },
  {
    method: "POST",
    path: (f) => `/api/venue-requests/${f.venueRequestId}/approve`,
    body: (f) => ({ entry: venueRequestApproval(f, f.devices.officer.secretKey) }),
    allowed: ["officer"],
  },
  {
    method: "POST",
    path: (f) => `/api/venue-requests/${f.contactsRequestId}/releases`,
    body: () => ({ releases: [contactsRelease] }),
    allowed: ["officer"],
    prepare: prepareContactsRequest,
  },
  {
    method: "GET",
    path: (f) => `/api/venues/${f.approved.id}/requests/${f.contactsRequestId}/releases`,
    allowed: ["owner"],
    prepare: prepareContactsRequest,
  },
  {
    method: "GET",
    path: (f) =>
      `/api/venues/${f.approved.id}/requests/${f.contactsRequestId}/ciphertexts?entrance=${f.approved.entrances[0]!.id}&slot=${currentSlot() - 3600}`,
    allowed: ["owner"],
    prepare: prepareContactsRequest,
  },
  {
    method: "POST",
    path: (f) => `/api/registry/venues/${f.approved.id}/suspend`,
    body: () => ({ reason: "inspection-failed" }),
    allowed: ["registry"],
  },
  {
    method: "POST",
    path: (f) => `/api/registry/venues/${f.approved.id}/reinstate`,
    allowed: ["registry"],
    prepare: async (f) => {
      const res = await signed(
        f.devices.registry,
        "POST",
        `/api/registry/venues/${f.approved.id}/suspend`,
        {
          body: JSON.stringify({ reason: "closed" }),
        },
      );
      if (res.status !== 200) throw new Error(`could not suspend: ${res.status}`);
    },
  },
  {
    method: "GET",
    path: (f) => `/api/venues/${f.approved.id}/codes`,
    allowed: ["owner", "registry"],
  },
  {
    method: "POST",
    path: (f) =>
      `/api/venues/${f.approved.id}/entrances/${f.approved.entrances[0]!.id}/replace-code`,
    body: () => ({ reason: "damaged" }),
    allowed: ["owner", "registry"],
  },
  {
    method: "GET",
    path: (f) => `/api/venues/${f.approved.id}/dashboard`,
    allowed: ["owner", "registry"],
  },
  { method: "GET", path: (f) => `/api/venues/${f.approved.id}/staff`, allowed: ["owner"] },
  {
    method: "POST",
    path: (f) => `/api/venues/${f.approved.id}/staff`,
    body: (f) => ({ label: "Door 2", entranceIds: [f.approved.entrances[0]!.id] }),
    allowed: ["owner"],
  },
  {
    method: "DELETE",
    path: (f) => `/api/venues/${f.approved.id}/staff/${f.staffId}`,
    allowed: ["owner"],
  },
  {
    method: "GET",
    path: (f) => `/api/venues/${f.approved.id}/entrances/${f.approved.entrances[0]!.id}/kiosk`,
    allowed: ["owner"],
  },
  { method: "GET", path: (f) => `/api/venues/${f.approved.id}/kiosks`, allowed: ["owner"] },
  {
    method: "POST",
    path: (f) => `/api/venues/${f.approved.id}/kiosks`,
    body: (f) => ({ label: "Screen 2", entranceId: f.approved.entrances[0]!.id }),
    allowed: ["owner"],
  },
  {
    method: "DELETE",
    path: (f) => `/api/venues/${f.approved.id}/kiosks/${f.kioskId}`,
    allowed: ["owner"],
  },
  // Only a kiosk device, which this table has none of: kiosks.test.ts calls it with one.
  { method: "GET", path: () => "/api/kiosk/screen", allowed: [] },
  {
    method: "PUT",
    path: (f) => `/api/venues/${f.approved.id}/entrances/${f.approved.entrances[0]!.id}/kiosk-mode`,
    body: () => ({ required: true }),
    allowed: ["owner"],
  },
  {
    method: "POST",
    path: () => "/api/queries",
    body: (f) => ({ entry: encodeBase64url(queryEntry(f, [f.devices.officer.secretKey])) }),
    allowed: ["officer"],
  },
  { method: "GET", path: () => "/api/queries", allowed: ["officer"] },
  {
    method: "POST",
    path: (f) => `/api/queries/${f.queryDraft.id}/approve`,
    body: (f) => ({
      entry: encodeBase64url(
        encodeEntry(
          countersignEntry(decodeEntry(f.queryDraft.entry).entry, f.devices.officer.secretKey),
        ),
      ),
    }),
    allowed: ["officer"],
  },
  {
    method: "POST",
    path: (f) => `/api/queries/${f.queryIndex}/release`,
    allowed: ["officer"],
    audience: { id: "log", origin: "" },
  },
  {
    method: "GET",
    path: (f) =>
      `/api/queries/${f.queryIndex}/ciphertexts?entrance=${f.approved.entrances[0]!.id}&slot=${currentSlot()}`,
    allowed: ["officer"],
  },
  {
    method: "POST",
    path: () => "/api/warnings",
    body: (f) => ({
      entry: encodeBase64url(
        encodeEntry(
          signEntry(
            {
              deployment: "demo",
              issuedAt: Math.floor(Date.now() / 1000),
              body: {
                kind: "exposure-warning",
                queryIndex: BigInt(f.queryIndex),
                entranceId: f.approved.entrances[0]!.id,
                windowStart: currentSlot(),
                windowEnd: currentSlot() + 1800,
              },
            },
            [f.devices.officer.secretKey],
          ),
        ),
      ),
    }),
    allowed: ["officer"],
  },
  { method: "GET", path: () => "/api/staff/entrances", allowed: ["staff"] },
  { method: "GET", path: () => "/api/staff/day-word", allowed: ["staff"] },
  {
    method: "POST",
    path: () => "/api/checkins/staff",
    body: (f) => ({
      code: f.codeFragment,
      idempotencyKey: encodeBase64url(crypto.getRandomValues(new Uint8Array(16))),
      deletionHash: encodeBase64url(new Uint8Array(32)),
      recordedBy: "proxy",
      slots: [{ slot: currentSlot(), ciphertext: encodeBase64url(fakeCiphertext()) }],
    }),
    allowed: ["staff"],
  },
];

async function fixture(): Promise<Fixture> {
  await resetDatabase();
  await startDeploymentLog();
  const owner = await makeAccount("operator");
  const registry = await makeAccount("registry");
  const approved = await applicationIn("approved", owner, registry);
  const submitted = await applicationIn("submitted", owner, registry);
  const draft = await applicationIn("draft", owner, registry);
  const staff = await makeAccount("staff", {
    venueId: approved.id,
    entrances: [approved.entrances[0]!.id],
  });
  const kiosk = await signed(owner, "POST", `/api/venues/${approved.id}/kiosks`, {
    body: JSON.stringify({ label: "Screen", entranceId: approved.entrances[0]!.id }),
  });
  const { accountId: kioskId } = (await kiosk.json()) as { accountId: string };
  const reportId = "r-test-report";
  await env.DB.prepare(
    "INSERT INTO reports (id, venue_id, kind, reported_hour) VALUES (?, ?, 'code-damaged', 0)",
  )
    .bind(reportId, approved.id)
    .run();
  const orderId = "o-test-order";
  await env.DB.prepare(
    `INSERT INTO rectification_orders (id, venue_id, findings, deadline, issued_by, issued_at)
     VALUES (?, ?, 'Poster missing', ?, 'registry', 0)`,
  )
    .bind(orderId, approved.id, Math.floor(Date.now() / 1000) + 86_400)
    .run();
  const venueRequestId = "vq-test-request";
  const slot = currentSlot();
  await env.DB.prepare(
    `INSERT INTO venue_requests (id, venue_id, entrances, window_start, window_end, reason, grants,
       filed_by, filed_at) VALUES (?, ?, ?, ?, ?, 'guest-case', '["warning","counts"]', ?, 0)`,
  )
    .bind(
      venueRequestId,
      approved.id,
      JSON.stringify([approved.entrances[0]!.id]),
      slot - 3600,
      slot,
      owner.accountId,
    )
    .run();
  const inspectionId = "i-test-inspection";
  await env.DB.prepare(
    `INSERT INTO inspections (id, venue_id, inspected_on, result, findings, recorded_by, recorded_at)
     VALUES (?, ?, '2026-01-05', 'passed', 'All posters up.', 'registry', 0)`,
  )
    .bind(inspectionId, approved.id)
    .run();
  const photoRes = await signed(
    registry,
    "PUT",
    `/api/registry/venues/${approved.id}/inspections/${inspectionId}/photos`,
    { body: Uint8Array.from([0xff, 0xd8, 0xff, 0xe1, 0, 0x10]), contentType: "image/jpeg" },
  );
  if (photoRes.status !== 201) throw new Error(`could not add a photo: ${photoRes.status}`);
  // Two officers whose device keys are enrolled in the log: one is a caller, one files a draft.
  const officer = await makeAccount("officer", { label: "Officer" });
  const colleague = await makeAccount("officer", { label: "Colleague" });
  const enrolled = await deploymentLog().append(
    [officer, colleague].map((o) =>
      entry(
        {
          kind: "officer-enrolment",
          publicKey: o.publicKey,
          label: officerLogLabel("Officer", o.accountId),
        },
        [registrySecret()],
      ),
    ),
  );
  if (!enrolled.ok) throw new Error(enrolled.reason);
  // A witness and a trustee the registry may remove (the settings do not name trustee-z).
  const share = generateTrusteeKey();
  const parties = await deploymentLog().append([
    entry(
      { kind: "witness-enrolment", name: "witness.example/roles", publicKey: newKey().publicKey },
      [registrySecret()],
    ),
    entry(
      {
        kind: "trustee-enrolment",
        trusteeId: "trustee-z",
        url: "https://trustee-z.example/trustee",
        shareKey: share.publicKey,
        proofOfPossession: share.proofOfPossession,
        signingKey: newKey().publicKey,
      },
      [registrySecret()],
    ),
  ]);
  if (!parties.ok) throw new Error(parties.reason);
  const logged = await deploymentLog().append([
    queryEntry({ approved }, [officer.secretKey, colleague.secretKey]),
  ]);
  if (!logged.ok) throw new Error(logged.reason);
  const draftEntry = queryEntry({ approved }, [colleague.secretKey]);
  await env.DB.prepare(
    "INSERT INTO query_drafts (id, entry, filed_by_account, status) VALUES ('q-test-draft', ?, ?, 'awaiting-approval')",
  )
    .bind(draftEntry, colleague.accountId)
    .run();
  return {
    devices: {
      owner,
      registry,
      staff,
      "other-operator": await makeAccount("operator"),
      officer,
      auditor: await makeAccount("auditor"),
    },
    queryDraft: { id: "q-test-draft", entry: draftEntry },
    queryIndex: logged.firstIndex,
    approved,
    submitted,
    draft,
    staffId: staff.accountId,
    kioskId,
    reportId,
    reviewerId: (await makeAccount("registry")).accountId,
    venueReportId: reportId,
    orderId,
    venueRequestId,
    contactsRequestId: CONTACTS_REQUEST_ID,
    inspectionId,
    photoNumber: "1",
    amendmentId: "m-test-amendment",
    codeFragment: await codeFragmentOf(owner, approved.id),
    deviceRef: "current",
  };
}

/** Route paths with Hono's parameter names, to name the tests and to match the mounted routes. */
const PLACEHOLDERS = {
  queryDraft: { id: ":draftId" },
  queryIndex: ":queryIndex",
  devices: { officer: { accountId: ":id" } },
  approved: { id: ":id", entrances: [{ id: ":eid" }] },
  submitted: { id: ":id" },
  draft: { id: ":id" },
  staffId: ":accountId",
  kioskId: ":accountId",
  reportId: ":id",
  reviewerId: ":id",
  orderId: ":rid",
  amendmentId: ":aid",
  venueReportId: ":rid",
  venueRequestId: ":rid",
  contactsRequestId: ":rid",
  inspectionId: ":iid",
  photoNumber: ":n",
  deviceRef: ":id",
} as unknown as Fixture;

async function codeFragmentOf(owner: TestDevice, venueId: string): Promise<string> {
  const res = await signed(owner, "GET", `/api/venues/${venueId}/codes`);
  const { codes } = operatorRoutes.venueCodes.responses[200].parse(await res.json());
  return codes[0]!.url.slice(codes[0]!.url.indexOf("#") + 1);
}

function expectedStatus(route: Route, actor: Actor): "2xx" | 401 | 403 | 404 {
  if (route.allowed.includes(actor)) return "2xx";
  if (actor === "anonymous") return 401;
  // Another operator reaches operator routes but not this venue: it looks missing.
  if (actor === "other-operator" && route.allowed.includes("owner")) return 404;
  return 403;
}

function call(route: Route, f: Fixture, actor: Actor): Promise<Response> {
  const key = actor === "anonymous" ? null : f.devices[actor];
  const path = route.path(f);
  if (route.raw)
    return signed(key, route.method, path, { body: route.raw.bytes, contentType: route.raw.type });
  const body = route.body?.(f);
  return signed(key, route.method, path, {
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    ...(route.audience ? { audience: route.audience } : {}),
  });
}

/**
 * A read that needs no preparation changes nothing another caller sees, so the reads share one
 * deployment, made for the first of them; every other route gets a fresh one. (One each cost
 * most of the worker project's time: venues, devices and a logged query, signed in JavaScript.)
 */
const sharesFixture = (route: Route): boolean => route.method === "GET" && !route.prepare;

describe("every role × every route", () => {
  let shared: Promise<Fixture> | undefined;
  const sharedFixture = () => {
    shared ??= fixture();
    return shared;
  };
  // The reads first: a route of the others starts by emptying the database.
  const ordered = [...ROUTES.filter(sharesFixture), ...ROUTES.filter((r) => !sharesFixture(r))];
  for (const route of ordered) {
    const name = `${route.method} ${route.path(PLACEHOLDERS)}`;
    // A deployment of its own is tens of seconds of signing and pairing on a busy machine, so
    // five minutes, to catch a hang only.
    it(name, async () => {
      const f = await (sharesFixture(route) ? sharedFixture() : fixture());
      await route.prepare?.(f);
      const outcomes: string[] = [];
      const wanted: string[] = [];
      // Refused callers first: they must change nothing the allowed ones rely on.
      const ordered = [...ACTORS].sort(
        (a, b) => Number(route.allowed.includes(a)) - Number(route.allowed.includes(b)),
      );
      for (const actor of ordered) {
        const res = await call(route, f, actor);
        const status = res.status >= 200 && res.status < 300 ? "2xx" : res.status;
        await res.body?.cancel();
        outcomes.push(`${actor}: ${status}`);
        wanted.push(`${actor}: ${expectedStatus(route, actor)}`);
      }
      expect(outcomes).toEqual(wanted);
    }, 300_000);
  }

  it("covers every signed route the app mounts", async () => {
    const { createApp } = await import("../../worker/src/app.ts");
    const mounted = createApp()
      .routes.filter((r) => r.method !== "ALL" && r.path.startsWith("/api/"))
      .map((r) => `${r.method} ${r.path}`);
    const open = new Set([
      "GET /api/deployment",
      "GET /api/deployment/",
      "GET /api/openapi.json",
      "GET /api/openapi.json/",
      "GET /api/venues",
      "GET /api/venues/",
      "GET /api/venues/:id",
      "GET /api/entrances/:id/code",
      "GET /api/codes/:manual",
      "POST /api/codes/manual",
      "POST /api/codes/check",
      "POST /api/reports",
      "POST /api/reports/status",
      "POST /api/reports/",
      "POST /api/auth/operators",
      "POST /api/auth/enrol",
      "POST /api/checkins",
      "POST /api/checkins/",
      "POST /api/checkins/delete",
      "GET /api/epoch-keys",
      "GET /api/epoch-keys/",
      "GET /healthz",
      "GET /api/log/entries/:index/proof",
      // Signed with the registry key itself, not an account's device: registry-reviewers.test.ts.
      "POST /api/registry/reviewers",
      "POST /api/registry/reviewers/",
    ]);
    const tested = new Set(
      ROUTES.map((r) =>
        `${r.method} ${r.path(PLACEHOLDERS)}`
          .replace(/\?.*$/, "")
          .replace("/documents/licence", "/documents/:kind")
          .replace(/\?.*$/, ""),
      ),
    );
    const untested = mounted.filter((r) => !open.has(r) && !tested.has(r));
    expect(untested).toEqual([]);
  });
});
