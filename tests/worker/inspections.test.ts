/**
 * Inspections (worker/src/routes/inspections.ts) and the compliance view: the registry records an
 * inspection with photos, sealed at rest; the venue's operator reads them and nobody else does;
 * the compliance view names quiet entrances, open reports, overdue rectifications and the last
 * inspection, and how long closed reports took.
 */
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { makeAccount, ok, PNG, signed, signedJson } from "./account-fixtures.ts";
import { approvedVenue, body, checkIn, fragment } from "./checkin-fixtures.ts";
import { expectProblem, postJson, resetDatabase } from "./helpers.ts";
import { startDeploymentLog } from "./log-fixtures.ts";

beforeEach(async () => {
  await resetDatabase();
  await startDeploymentLog();
});

interface Inspection {
  id: string;
  inspectedOn: string;
  result: string;
  findings: string;
  recordedBy: string;
  photos: { n: number; mediaType: string; size: number }[];
}

const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]);
const PDF = new TextEncoder().encode("%PDF-1.4\n%%EOF\n");

const today = () =>
  new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(new Date());

const record = (registry: Parameters<typeof signedJson>[0], venueId: string, over = {}) =>
  signedJson(registry, "POST", `/api/registry/venues/${venueId}/inspections`, {
    inspectedOn: today(),
    result: "follow-up",
    findings: "Poster at the back lane faded; no QR readable from two metres.",
    ...over,
  });

const photo = (
  registry: Parameters<typeof signed>[0],
  venueId: string,
  id: string,
  bytes: Uint8Array,
  type: string,
) =>
  signed(registry, "PUT", `/api/registry/venues/${venueId}/inspections/${id}/photos`, {
    body: bytes,
    contentType: type,
  });

describe("an inspection", () => {
  it("is recorded with its photos, sealed at rest, and read by the venue's operator only", async () => {
    const { app, operator } = await approvedVenue();
    const registry = await makeAccount("registry", { label: "Inspector Lau" });
    const made = await ok<Inspection>(await record(registry, app.id), 201);
    expect(made).toMatchObject({ result: "follow-up", recordedBy: "Inspector Lau", photos: [] });

    await ok(await photo(registry, app.id, made.id, JPEG, "image/jpeg"), 201);
    const withPng = await ok<Inspection>(
      await photo(registry, app.id, made.id, PNG, "image/png"),
      201,
    );
    expect(withPng.photos.map((p) => [p.n, p.mediaType])).toEqual([
      [1, "image/jpeg"],
      [2, "image/png"],
    ]);
    await expectProblem(
      await photo(registry, app.id, made.id, PDF, "application/pdf"),
      415,
      "unsupported-document",
    );
    await expectProblem(
      await photo(registry, app.id, made.id, PNG, "image/jpeg"),
      415,
      "unsupported-document",
    );
    await ok(await photo(registry, app.id, made.id, JPEG, "image/jpeg"), 201);
    await ok(await photo(registry, app.id, made.id, JPEG, "image/jpeg"), 201);
    await expectProblem(
      await photo(registry, app.id, made.id, JPEG, "image/jpeg"),
      409,
      "too-many-photos",
    );
    const { results } = await env.DB.prepare(
      "SELECT object_key AS k FROM inspection_photos ORDER BY n",
    ).all<{ k: string }>();
    expect(results).toHaveLength(4);
    // At rest the object is sealed: neither the JPEG's nor the PNG's first bytes are there.
    const stored = new Uint8Array(await (await env.DOCUMENTS.get(results[1]!.k))!.arrayBuffer());
    expect(Array.from(stored.slice(0, 8))).not.toEqual(Array.from(PNG.slice(0, 8)));

    // The operator reads the inspection and its photos, byte for byte; another operator cannot.
    const listed = await ok<{ inspections: Inspection[] }>(
      await signedJson(operator, "GET", `/api/venues/${app.id}/inspections`),
    );
    expect(listed.inspections.map((i) => i.findings)).toEqual([made.findings]);
    const back = await signed(
      operator,
      "GET",
      `/api/venues/${app.id}/inspections/${made.id}/photos/2`,
    );
    expect(back.status).toBe(200);
    expect(back.headers.get("content-type")).toBe("image/png");
    expect(new Uint8Array(await back.arrayBuffer())).toEqual(PNG);
    const stranger = await makeAccount("operator");
    await expectProblem(
      await signed(stranger, "GET", `/api/venues/${app.id}/inspections/${made.id}/photos/1`),
      404,
      "not-found",
    );
    await expectProblem(await record(operator, app.id), 403, "forbidden");
  });

  it("keeps four photos when six are uploaded at once, and no object beyond them", async () => {
    const { app } = await approvedVenue();
    const registry = await makeAccount("registry");
    const made = await ok<Inspection>(await record(registry, app.id), 201);
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => photo(registry, app.id, made.id, JPEG, "image/jpeg")),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([201, 201, 201, 201, 409, 409]);
    await Promise.all(answers.map((a) => a.body?.cancel()));
    const rows = await env.DB.prepare(
      "SELECT n FROM inspection_photos WHERE inspection_id = ? ORDER BY n",
    )
      .bind(made.id)
      .all<{ n: number }>();
    expect(rows.results.map((r) => r.n)).toEqual([1, 2, 3, 4]);
    const objects = await env.DOCUMENTS.list({ prefix: `inspections/${app.id}/` });
    expect(objects.objects).toHaveLength(4);
  });

  it("is refused for a day that is not real, in the future or over a year ago, and writes nothing", async () => {
    const { app } = await approvedVenue();
    const registry = await makeAccount("registry");
    const year = Number(today().slice(0, 4));
    for (const inspectedOn of ["2026-02-30", `${year + 1}-01-01`, `${year - 2}-01-01`]) {
      await expectProblem(
        await record(registry, app.id, { inspectedOn }),
        422,
        "bad-inspection-date",
      );
    }
    await expectProblem(
      await record(registry, app.id, { result: "excellent" }),
      422,
      "invalid-body",
    );
    const { n } = (await env.DB.prepare("SELECT COUNT(*) AS n FROM inspections").first<{
      n: number;
    }>())!;
    expect(n).toBe(0);
  });
});

describe("the compliance view", () => {
  it("names quiet entrances, open reports, overdue orders and the last inspection; times closed reports", async () => {
    const { app, codes } = await approvedVenue();
    const quiet = await approvedVenue();
    const registry = await makeAccount("registry");
    await ok(await checkIn(body(fragment(codes[0]!.url))), 201);
    for (const c of codes.slice(1)) await ok(await checkIn(body(fragment(c.url))), 201);
    await ok(
      await postJson("/api/reports", { venueId: quiet.app.id, kind: "no-code-posted" }),
      201,
    );
    await ok(await postJson("/api/reports", { venueId: app.id, kind: "code-damaged" }), 201);
    await env.DB.prepare(
      `INSERT INTO rectification_orders (id, venue_id, findings, deadline, issued_by, issued_at)
       VALUES ('o-late', ?, 'Put the poster back', ?, 'registry', 0)`,
    )
      .bind(quiet.app.id, Math.floor(Date.now() / 1000) - 60)
      .run();
    await ok(await record(registry, quiet.app.id, { result: "failed" }), 201);
    const closing = await ok<{ reports: { id: string; venue: { id: string } }[] }>(
      await signedJson(registry, "GET", "/api/registry/reports"),
    );
    const mine = closing.reports.find((r) => r.venue.id === app.id)!;
    await ok(
      await signedJson(registry, "PATCH", `/api/registry/reports/${mine.id}`, { status: "closed" }),
    );

    const view = await ok<{
      quietDays: number;
      venues: Array<{
        venueId: string;
        quietEntrances: { id: string }[];
        openReports: number;
        overdueRectifications: number;
        lastInspection: { result: string } | null;
      }>;
      reportsClosed: number;
      medianHoursToClose: number | null;
    }>(await signedJson(registry, "GET", "/api/registry/compliance?quietDays=3"));
    expect(view.quietDays).toBe(3);
    // The venue needing most attention comes first.
    expect(view.venues.map((v) => v.venueId)).toEqual([quiet.app.id, app.id]);
    const [bad, good] = view.venues;
    expect(bad).toMatchObject({
      openReports: 1,
      overdueRectifications: 1,
      lastInspection: { result: "failed" },
    });
    expect(bad!.quietEntrances.map((e) => e.id)).toEqual(quiet.codes.map((c) => c.entranceId));
    expect(good).toMatchObject({ openReports: 0, overdueRectifications: 0, quietEntrances: [] });
    expect(view.reportsClosed).toBe(1);
    expect(view.medianHoursToClose).toBeGreaterThanOrEqual(0);
    expect(view.medianHoursToClose).toBeLessThan(1);
    await expectProblem(
      await signedJson(await makeAccount("operator"), "GET", "/api/registry/compliance"),
      403,
      "forbidden",
    );
  });
});
