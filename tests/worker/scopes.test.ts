/**
 * Registry reviewers scoped by district and sector. The walk finds its routes in the contract:
 * every signed route whose path names one venue, application or report (`ONE_VENUE`), so a
 * route added later is walked without being listed here — it only needs a sample request in
 * `SAMPLES` (the test fails naming it until it has one). Each is called by reviewers outside the
 * venue's scope (another sector, another district), which must be refused as missing with nothing
 * written (database and log compared before and after), then by a reviewer whose scope holds the
 * venue, which must succeed. Routes the registry may not call at all stay 403 for everyone.
 */

import { env } from "cloudflare:workers";
import { allRoutes, type RouteContract } from "@lintel/contract";
import { beforeAll, describe, expect, it } from "vitest";
import {
  type Application,
  applicationIn,
  makeAccount,
  ok,
  PDF,
  sampleApplication,
  signed,
  signedJson,
  type TestDevice,
} from "./account-fixtures.ts";
import { call, expectProblem, resetDatabase } from "./helpers.ts";
import { startDeploymentLog } from "./log-fixtures.ts";

/** A signed route acting on one venue: its id (or a report's) is the path's `:id`. */
const ONE_VENUE =
  /^\/api\/(registry\/(applications|venues|reports)|applications|venues)\/:id(\/|$)/;
const walked = allRoutes.filter((r) => r.auth === "signed" && ONE_VENUE.test(r.path));

type VenueKey = "approved" | "suspended" | "submitted" | "rejectable" | "draft";

interface Fixture {
  readonly full: TestDevice;
  readonly operator: TestDevice;
  /** In scope: the harbour district's education supervisor. */
  readonly inScope: TestDevice;
  /** The same district's health supervisor, and the north district's of every sector. */
  readonly otherSector: TestDevice;
  readonly otherDistrict: TestDevice;
  /** Schools in the harbour district, one in each state a route acts on. */
  readonly venues: Readonly<Record<VenueKey, Application>>;
  readonly reportId: string;
  readonly orderId: string;
  /** An inspection of the approved school (its photos added by the walk). */
  readonly inspectionId: string;
  /** Pending amendments: one of the approved school (to approve), one of the suspended (to refuse). */
  readonly amendmentIds: { readonly approve: string; readonly refuse: string };
}

interface Sample {
  /** Which venue the path names (approved unless said). */
  readonly venue?: VenueKey;
  /** The path's other parameters. */
  readonly params?: (f: Fixture) => Readonly<Record<string, string>>;
  readonly body?: (f: Fixture) => unknown;
  readonly raw?: { readonly bytes: Uint8Array; readonly type: string };
  /** Operator-only: a registry account of any scope is refused by role (403). */
  readonly operatorOnly?: true;
}

const firstEntrance = (f: Fixture) => ({ eid: f.venues.approved.entrances[0]!.id });

/** One request per walked route, by contract id; the in-scope calls run in this order. */
const SAMPLES: Readonly<Record<string, Sample>> = {
  getApplication: { venue: "draft" },
  getDocument: { venue: "submitted", params: () => ({ kind: "licence" }) },
  applicationMatches: { venue: "submitted" },
  listRectifications: {},
  venueReports: {},
  getVenueCodes: {},
  getVenueDashboard: {},
  updateReport: { params: () => ({}), body: () => ({ status: "in-review", note: "Looking" }) },
  issueRectification: {
    body: () => ({ findings: "Poster faded", deadline: Math.floor(Date.now() / 1000) + 86_400 }),
  },
  closeRectification: { params: (f) => ({ rid: f.orderId }) },
  replaceEntranceCode: { params: firstEntrance, body: () => ({ reason: "damaged" }) },
  approveApplication: { venue: "submitted" },
  rejectApplication: { venue: "rejectable", body: () => ({ feedback: "Floor plan unreadable" }) },
  reinstateVenue: { venue: "suspended" },
  // The operator's own routes: the registry is refused by role, whatever its scope.
  updateApplication: { operatorOnly: true, body: () => sampleApplication() },
  uploadDocument: {
    operatorOnly: true,
    params: () => ({ kind: "licence" }),
    raw: { bytes: PDF, type: "application/pdf" },
  },
  submitApplication: { operatorOnly: true },
  answerRectification: {
    operatorOnly: true,
    params: (f) => ({ rid: f.orderId }),
    body: () => ({ answer: "Done" }),
  },
  answerReport: {
    operatorOnly: true,
    params: (f) => ({ rid: f.reportId }),
    body: () => ({ answer: "Done" }),
  },
  listVenueStaff: { operatorOnly: true },
  addVenueStaff: { operatorOnly: true, body: () => ({ label: "Door", entranceIds: [] }) },
  disableVenueStaff: { operatorOnly: true, params: () => ({ accountId: "a-none" }) },
  setKioskMode: { operatorOnly: true, params: firstEntrance, body: () => ({ required: true }) },
  getKioskSetup: { operatorOnly: true, params: firstEntrance },
  listVenueKiosks: { operatorOnly: true },
  addVenueKiosk: { operatorOnly: true, body: () => ({ label: "Screen", entranceId: "e-none" }) },
  revokeVenueKiosk: { operatorOnly: true, params: () => ({ accountId: "a-none" }) },
  recordInspection: {
    body: () => ({
      inspectedOn: new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(),
      result: "passed",
      findings: "Posters at every entrance.",
    }),
  },
  addInspectionPhoto: {
    params: (f) => ({ iid: f.inspectionId }),
    raw: { bytes: Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]), type: "image/jpeg" },
  },
  listInspections: {},
  // After addInspectionPhoto: its in-scope call made photo 1.
  inspectionPhoto: { params: (f) => ({ iid: f.inspectionId, n: "1" }) },
  proposeAmendment: {
    operatorOnly: true,
    body: () => ({ add: [{ label: { en: "Side", zh: "侧门" } }] }),
  },
  listAmendments: {},
  approveAmendment: { params: (f) => ({ aid: f.amendmentIds.approve }) },
  refuseAmendment: {
    venue: "suspended",
    params: (f) => ({ aid: f.amendmentIds.refuse }),
    body: () => ({ reason: "No such door on the floor plan" }),
  },
  fileVenueRequest: {
    operatorOnly: true,
    body: (f) => ({
      entrances: [f.venues.approved.entrances[0]!.id],
      windowStart: Math.floor(Date.now() / 3_600_000) * 3600 - 3600,
      windowEnd: Math.floor(Date.now() / 3_600_000) * 3600,
      reason: "staff-case",
    }),
  },
  listVenueRequests: {},
  // Operator-only; out of scope the venue is missing before the request is looked up.
  venueRequestReleases: { operatorOnly: true, params: () => ({ rid: "vq-none" }) },
  venueRequestCiphertexts: { operatorOnly: true, params: () => ({ rid: "vq-none" }) },
  // Last: the approved school is suspended from here on.
  suspendVenue: { body: () => ({ reason: "inspection-failed" }) },
};

let schools = 0;
/** A school (education) in `district`, at an address of its own (no possible duplicates). */
function school(district: string) {
  schools += 1;
  return sampleApplication({
    category: "school",
    district,
    address: `${schools} Bay Road`,
    name: { en: "Bay School", zh: "海湾学校" },
  });
}

async function setScope(
  by: TestDevice,
  who: TestDevice,
  scope: { districts: string[] | null; sectors: string[] | null },
): Promise<Response> {
  return signedJson(by, "PUT", `/api/registry/accounts/${who.accountId}/scope`, scope);
}

async function scoped(
  full: TestDevice,
  scope: { districts: string[] | null; sectors: string[] | null },
): Promise<TestDevice> {
  const reviewer = await makeAccount("registry");
  await ok(await setScope(full, reviewer, scope));
  return reviewer;
}

async function fixture(): Promise<Fixture> {
  await resetDatabase();
  await startDeploymentLog();
  const full = await makeAccount("registry");
  const operator = await makeAccount("operator");
  const [approved, suspended, submitted, rejectable, draft] = [
    await applicationIn("approved", operator, full, school("harbour")),
    await applicationIn("approved", operator, full, school("harbour")),
    await applicationIn("submitted", operator, full, school("harbour")),
    await applicationIn("submitted", operator, full, school("harbour")),
    await applicationIn("draft", operator, full, school("harbour")),
  ];
  await ok(
    await signedJson(full, "POST", `/api/registry/venues/${suspended!.id}/suspend`, {
      reason: "closed",
    }),
  );
  const reportId = "r-scope-report";
  const orderId = "o-scope-order";
  const inspectionId = "i-scope-inspection";
  const amendmentIds = { approve: "m-scope-approve", refuse: "m-scope-refuse" };
  const pending = (id: string, venueId: string) =>
    env.DB.prepare(
      `INSERT INTO entrance_amendments (id, venue_id, changes, status, proposed_by, proposed_at)
       VALUES (?, ?, ?, 'pending', 'operator', 0)`,
    ).bind(
      id,
      venueId,
      JSON.stringify({
        add: [{ entranceId: `e-${id}`, label: { en: "Side", zh: "侧门" } }],
        rename: [],
        retire: [],
      }),
    );
  await env.DB.batch([
    env.DB.prepare(
      `INSERT INTO inspections (id, venue_id, inspected_on, result, findings, recorded_by, recorded_at)
       VALUES (?, ?, '2026-01-05', 'passed', 'All posters up.', 'registry', 0)`,
    ).bind(inspectionId, approved!.id),
    pending(amendmentIds.approve, approved!.id),
    pending(amendmentIds.refuse, suspended!.id),
    env.DB.prepare(
      "INSERT INTO reports (id, venue_id, kind, reported_hour) VALUES (?, ?, 'code-damaged', 0)",
    ).bind(reportId, approved!.id),
    env.DB.prepare(
      `INSERT INTO rectification_orders (id, venue_id, findings, deadline, issued_by, issued_at)
       VALUES (?, ?, 'Poster missing', ?, 'registry', 0)`,
    ).bind(orderId, approved!.id, Math.floor(Date.now() / 1000) + 86_400),
  ]);
  return {
    full,
    operator,
    inScope: await scoped(full, { districts: ["harbour"], sectors: ["education"] }),
    otherSector: await scoped(full, { districts: ["harbour"], sectors: ["health"] }),
    otherDistrict: await scoped(full, { districts: ["north"], sectors: null }),
    venues: {
      approved: approved!,
      suspended: suspended!,
      submitted: submitted!,
      rejectable: rejectable!,
      draft: draft!,
    },
    reportId,
    orderId,
    inspectionId,
    amendmentIds,
  };
}

function pathOf(route: RouteContract, sample: Sample, f: Fixture): string {
  const venue = f.venues[sample.venue ?? "approved"];
  const params: Record<string, string> = {
    id: route.id === "updateReport" ? f.reportId : venue.id,
    ...sample.params?.(f),
  };
  return route.path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${route.id}: no sample for :${name}`);
    return value;
  });
}

function request(route: RouteContract, sample: Sample, f: Fixture, who: TestDevice) {
  const path = pathOf(route, sample, f);
  if (sample.raw) {
    return signed(who, route.method, path, {
      body: sample.raw.bytes,
      contentType: sample.raw.type,
    });
  }
  const body = sample.body?.(f);
  return signed(who, route.method, path, body === undefined ? {} : { body: JSON.stringify(body) });
}

/**
 * Everything a refused request could have written: every table (but devices' last use and
 * request nonces, which every signed request writes) and the log's size.
 */
async function snapshot(): Promise<string> {
  const { results } = await env.DB.prepare(
    `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
        AND name NOT LIKE '_cf_%' AND name NOT IN ('devices', 'request_nonces') ORDER BY name`,
  ).all<{ name: string }>();
  const tables: Record<string, unknown> = {};
  for (const { name } of results) {
    tables[name] = (await env.DB.prepare(`SELECT * FROM "${name}"`).all()).results;
  }
  const checkpoint = await (await call("/log/checkpoint")).text();
  return JSON.stringify({ tables, logSize: checkpoint.split("\n")[1] });
}

describe("supervisory routes and the reviewer's scope", () => {
  it("has a sample request for every route that acts on one venue", () => {
    const ids = walked.map((r) => r.id);
    expect(ids.filter((id) => !(id in SAMPLES))).toEqual([]);
    expect(Object.keys(SAMPLES).filter((id) => !ids.includes(id))).toEqual([]);
  });

  it("refuses each out of scope as missing, writing nothing, and serves it in scope", async () => {
    const f = await fixture();
    const byId = new Map(walked.map((r) => [r.id, r]));
    const outcomes: string[] = [];
    const wanted: string[] = [];
    for (const [id, sample] of Object.entries(SAMPLES)) {
      const route = byId.get(id);
      if (!route) continue;
      for (const [who, device] of [
        ["other sector", f.otherSector],
        ["other district", f.otherDistrict],
      ] as const) {
        const before = await snapshot();
        const res = await request(route, sample, f, device);
        const problem = res.status >= 400 ? ((await res.json()) as { code: string }) : null;
        await res.body?.cancel().catch(() => undefined);
        const wrote = (await snapshot()) === before ? "nothing written" : "WROTE";
        outcomes.push(`${id} ${who}: ${res.status} ${problem?.code ?? ""}, ${wrote}`);
        wanted.push(
          `${id} ${who}: ${sample.operatorOnly ? "403 forbidden" : "404 not-found"}, nothing written`,
        );
      }
      const res = await request(route, sample, f, f.inScope);
      const status = res.status >= 200 && res.status < 300 ? "2xx" : String(res.status);
      const expected = sample.operatorOnly ? "403" : "2xx";
      // The answer's text only when unexpected: it says why.
      const detail = status === expected ? "" : ` ${await res.text()}`;
      await res.body?.cancel().catch(() => undefined);
      outcomes.push(`${id} in scope: ${status}${detail}`);
      wanted.push(`${id} in scope: ${expected}`);
    }
    expect(outcomes).toEqual(wanted);
  }, 600_000);
});

describe("lists show only venues in scope", () => {
  let f: {
    full: TestDevice;
    education: TestDevice;
    harbourSchool: Application;
    northSchool: Application;
    harbourShop: Application;
    /** A school from before districts: the first district's (central). */
    oldSchool: Application;
    central: TestDevice;
  };

  beforeAll(async () => {
    await resetDatabase();
    await startDeploymentLog();
    const full = await makeAccount("registry");
    const operator = await makeAccount("operator");
    const harbourSchool = await applicationIn("submitted", operator, full, school("harbour"));
    const northSchool = await applicationIn("submitted", operator, full, school("north"));
    const harbourShop = await applicationIn(
      "submitted",
      operator,
      full,
      sampleApplication({ category: "shop", district: "harbour", address: "2 Market Street" }),
    );
    const oldSchool = await applicationIn("submitted", operator, full, school("north"));
    await env.DB.prepare("UPDATE venues SET district = NULL WHERE id = ?").bind(oldSchool.id).run();
    await env.DB.prepare(
      `INSERT INTO reports (id, venue_id, kind, reported_hour)
       VALUES ('r-1', ?, 'code-damaged', 0), ('r-2', ?, 'code-damaged', 0), ('r-3', ?, 'code-damaged', 0)`,
    )
      .bind(harbourSchool.id, northSchool.id, harbourShop.id)
      .run();
    f = {
      full,
      education: await scoped(full, { districts: ["harbour"], sectors: ["education"] }),
      central: await scoped(full, { districts: ["central"], sectors: null }),
      harbourSchool,
      northSchool,
      harbourShop,
      oldSchool,
    };
  }, 300_000);

  const queueOf = async (who: TestDevice) => {
    const { applications } = await ok<{
      applications: Array<{ id: string; district: string; sector: string }>;
    }>(await signedJson(who, "GET", "/api/registry/applications?status=submitted"));
    return applications;
  };

  it("the review queue", async () => {
    expect((await queueOf(f.education)).map((a) => a.id)).toEqual([f.harbourSchool.id]);
    const all = await queueOf(f.full);
    expect(all.map((a) => a.id).sort()).toEqual(
      [f.harbourSchool.id, f.northSchool.id, f.harbourShop.id, f.oldSchool.id].sort(),
    );
    expect(all.find((a) => a.id === f.harbourShop.id)).toMatchObject({
      district: "harbour",
      sector: "commerce",
    });
    // A venue from before districts is the first district's.
    expect(all.find((a) => a.id === f.oldSchool.id)?.district).toBe("central");
    expect((await queueOf(f.central)).map((a) => a.id)).toEqual([f.oldSchool.id]);
  });

  it("the reports inbox", async () => {
    const inbox = async (who: TestDevice) =>
      (
        await ok<{ reports: Array<{ venue: { id: string } }> }>(
          await signedJson(who, "GET", "/api/registry/reports"),
        )
      ).reports.map((r) => r.venue.id);
    expect(await inbox(f.education)).toEqual([f.harbourSchool.id]);
    expect((await inbox(f.full)).length).toBe(3);
  });

  it("possible duplicates, and their count in the queue", async () => {
    // Same licence number and address, another district: a duplicate for the full scope only.
    const operator = await makeAccount("operator");
    const twin = await applicationIn("submitted", operator, f.full, school("north"));
    await env.DB.prepare(
      "UPDATE venues SET licence_key = (SELECT licence_key FROM venues WHERE id = ?), address_key = (SELECT address_key FROM venues WHERE id = ?) WHERE id = ?",
    )
      .bind(f.harbourSchool.id, f.harbourSchool.id, twin.id)
      .run();
    const matches = async (who: TestDevice) =>
      (
        await ok<{ matches: Array<{ id: string }> }>(
          await signedJson(who, "GET", `/api/registry/applications/${f.harbourSchool.id}/matches`),
        )
      ).matches.map((m) => m.id);
    expect(await matches(f.full)).toEqual([twin.id]);
    expect(await matches(f.education)).toEqual([]);
    const counted = async (who: TestDevice) =>
      (
        await ok<{ applications: Array<{ id: string; possibleDuplicates: number }> }>(
          await signedJson(who, "GET", "/api/registry/applications?status=submitted"),
        )
      ).applications.find((a) => a.id === f.harbourSchool.id)?.possibleDuplicates;
    expect(await counted(f.full)).toBe(1);
    expect(await counted(f.education)).toBe(0);
    await env.DB.prepare("DELETE FROM venues WHERE id = ?")
      .bind(twin.id)
      .run()
      .catch(() => undefined);
  });

  it("the venues export", async () => {
    const csv = async (who: TestDevice) => {
      const res = await signed(who, "GET", "/api/registry/venues.csv");
      expect(res.status).toBe(200);
      return res.text();
    };
    const mine = await csv(f.education);
    expect(mine).toContain(f.harbourSchool.id);
    expect(mine).not.toContain(f.northSchool.id);
    expect(mine).not.toContain(f.harbourShop.id);
    expect(mine.split("\n")[0]).toContain("district");
    expect(await csv(f.full)).toContain(f.northSchool.id);
  });
});

describe("who sets scopes", () => {
  it("a full-scope reviewer sets another's; a partial one cannot, nor widen itself", async () => {
    await resetDatabase();
    const full = await makeAccount("registry");
    const partial = await scoped(full, { districts: ["harbour"], sectors: null });
    const colleague = await makeAccount("registry");
    const officer = await makeAccount("officer");
    const auditor = await makeAccount("auditor");
    const before = await snapshot();
    await expectProblem(
      await setScope(partial, colleague, { districts: ["north"], sectors: null }),
      403,
      "forbidden",
    );
    await expectProblem(
      await setScope(partial, partial, { districts: null, sectors: null }),
      403,
      "forbidden",
    );
    // Nor make any account, nor re-enrol one: a reviewer's would sign in wider than its maker, an
    // officer's or an auditor's with the whole deployment's reach.
    for (const role of ["registry", "officer", "auditor"] as const) {
      await expectProblem(
        await signedJson(partial, "POST", "/api/registry/accounts", { role, label: "New" }),
        403,
        "forbidden",
      );
    }
    for (const account of [full, officer, auditor]) {
      await expectProblem(
        await signedJson(
          partial,
          "POST",
          `/api/registry/accounts/${account.accountId}/enrolment-codes`,
        ),
        403,
        "forbidden",
      );
    }
    expect(await snapshot()).toBe(before);
    // A full-scope reviewer cannot narrow itself (no one might be left to widen it).
    await expectProblem(
      await setScope(full, full, { districts: ["north"], sectors: null }),
      403,
      "forbidden",
    );
    await expectProblem(
      await setScope(full, colleague, { districts: ["atlantis"], sectors: null }),
      422,
      "invalid-body",
    );
    await expectProblem(
      await setScope(full, officer, { districts: null, sectors: ["health"] }),
      404,
      "not-found",
    );

    await ok(
      await setScope(full, colleague, { districts: ["north"], sectors: ["health", "education"] }),
    );
    const me = await ok<{ scope: unknown }>(await signedJson(colleague, "GET", "/api/auth/me"));
    expect(me.scope).toEqual({ districts: ["north"], sectors: ["health", "education"] });
    const { reviewers } = await ok<{ reviewers: Array<{ accountId: string; scope: unknown }> }>(
      await signedJson(partial, "GET", "/api/registry/accounts"),
    );
    expect(reviewers.find((r) => r.accountId === full.accountId)?.scope).toEqual({
      districts: null,
      sectors: null,
    });
    expect(reviewers.find((r) => r.accountId === colleague.accountId)?.scope).toEqual({
      districts: ["north"],
      sectors: ["health", "education"],
    });
    expect(reviewers.some((r) => r.accountId === officer.accountId)).toBe(false);
  });

  it("a reviewer made with a scope has it from the start; other roles have none", async () => {
    await resetDatabase();
    const full = await makeAccount("registry");
    const made = await ok<{ accountId: string; scope: unknown }>(
      await signedJson(full, "POST", "/api/registry/accounts", {
        role: "registry",
        label: "Education bureau, harbour",
        scope: { districts: ["harbour"], sectors: ["education"] },
      }),
      201,
    );
    expect(made.scope).toEqual({ districts: ["harbour"], sectors: ["education"] });
    const { reviewers } = await ok<{ reviewers: Array<{ accountId: string; scope: unknown }> }>(
      await signedJson(full, "GET", "/api/registry/accounts"),
    );
    expect(reviewers.find((r) => r.accountId === made.accountId)?.scope).toEqual(made.scope);
    await expectProblem(
      await signedJson(full, "POST", "/api/registry/accounts", {
        role: "officer",
        label: "Dr Chan",
        scope: { districts: ["harbour"], sectors: null },
      }),
      422,
      "invalid-body",
    );
    const officer = await signedJson(full, "POST", "/api/registry/accounts", {
      role: "officer",
      label: "Dr Chan",
    });
    expect((await ok<{ scope: unknown }>(officer, 201)).scope).toBeNull();
  });

  it("an application names one of the deployment's districts", async () => {
    await resetDatabase();
    const operator = await makeAccount("operator");
    await expectProblem(
      await signedJson(
        operator,
        "POST",
        "/api/applications",
        sampleApplication({ district: "atlantis" }),
      ),
      422,
      "invalid-body",
    );
    const made = await ok<{ district: string; sector: string }>(
      await signedJson(
        operator,
        "POST",
        "/api/applications",
        sampleApplication({ district: "north" }),
      ),
      201,
    );
    expect(made).toMatchObject({ district: "north", sector: "commerce" });
    const old = await ok<{ district: string }>(
      await signedJson(operator, "POST", "/api/applications", sampleApplication()),
      201,
    );
    expect(old.district).toBe("central");
  });
});
