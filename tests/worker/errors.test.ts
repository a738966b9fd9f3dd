import { env } from "cloudflare:workers";
import { metaRoutes, registryRoutes } from "@lintel/contract";
import { beforeEach, describe, expect, it } from "vitest";
import { problemCatalogue } from "../../worker/src/problems/catalogue.ts";
import { call, count, expectProblem, postJson, seedVenues } from "./helpers.ts";

beforeEach(seedVenues);

describe("problem details for bad requests (invariant 6)", () => {
  it("answers an unknown route with a not-found problem", async () => {
    await expectProblem(await call("/no/such/page"), 404, "not-found");
    await expectProblem(await call("/api/nothing-here"), 404, "not-found");
    await expectProblem(await call("/api/nothing-here", { method: "DELETE" }), 404, "not-found");
  });

  it("answers a wrong method on a known route with a problem, not a 500", async () => {
    const res = await call("/api/reports", { method: "PUT" });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  });

  it("rejects malformed JSON", async () => {
    await expectProblem(await postJson("/api/reports", "{bad"), 400, "malformed-json");
    await expectProblem(await postJson("/api/reports", ""), 400, "malformed-json");
    await expectProblem(await postJson("/api/reports", '{"a":1} {"b":2}'), 400, "malformed-json");
  });

  it("rejects bodies that are not UTF-8", async () => {
    const res = await call("/api/reports", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]),
    });
    await expectProblem(res, 400, "malformed-json");
  });

  it("rejects a body that is not JSON by media type", async () => {
    const res = await call("/api/reports", {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: "{}",
    });
    await expectProblem(res, 415, "unsupported-media-type");
  });

  it("rejects an oversized body even when it is streamed without a length", async () => {
    const big = JSON.stringify({ venueId: "v1", kind: "code-damaged", pad: "x".repeat(5000) });
    await expectProblem(await postJson("/api/reports", big), 413, "payload-too-large");
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 10; i++) controller.enqueue(new TextEncoder().encode("x".repeat(500)));
        controller.close();
      },
    });
    const res = await call("/api/reports", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: stream,
      // @ts-expect-error — workerd needs duplex for streamed request bodies; the lib type lags.
      duplex: "half",
    });
    await expectProblem(res, 413, "payload-too-large");
  });

  it("lists every invalid field as a JSON Pointer without echoing submitted values", async () => {
    const secret = "Zhang San 13800138000";
    const res = await postJson("/api/reports", { venueId: secret, kind: secret, extra: 1 });
    const problem = await expectProblem(res, 422, "invalid-body");
    expect(problem.errors?.map((e) => e.pointer).sort()).toEqual(["", "/kind", "/venueId"]);
    expect(JSON.stringify(problem)).not.toContain("13800138000");
  });

  it("refuses a report about an unknown, unapproved or mismatched venue", async () => {
    await expectProblem(
      await postJson("/api/reports", { venueId: "nope", kind: "code-damaged" }),
      422,
      "unknown-venue",
    );
    await expectProblem(
      await postJson("/api/reports", { venueId: "v2", kind: "code-damaged" }),
      422,
      "unknown-venue",
    );
    await expectProblem(
      await postJson("/api/reports", {
        venueId: "v1",
        entranceId: "v2-door",
        kind: "code-damaged",
      }),
      422,
      "unknown-venue",
    );
  });

  it("writes nothing for any refused request, and one row for an accepted one", async () => {
    await postJson("/api/reports", "{bad");
    await postJson("/api/reports", { venueId: "v1", kind: "wrong" });
    await postJson("/api/reports", { venueId: "v1", entranceId: "v2-door", kind: "code-damaged" });
    expect(await count("reports")).toBe(0);

    const before = Math.floor(Date.now() / 1000);
    const res = await postJson("/api/reports", {
      venueId: "v1",
      entranceId: "v1-front",
      kind: "code-damaged",
    });
    expect(res.status).toBe(201);
    const { id } = registryRoutes.reportVenue.responses[201].parse(await res.json());
    const row = await env.DB.prepare("SELECT * FROM reports WHERE id = ?")
      .bind(id)
      .first<Record<string, unknown>>();
    expect(row).toMatchObject({
      venue_id: "v1",
      entrance_id: "v1-front",
      kind: "code-damaged",
      status: "open",
    });
    const hour = row?.reported_hour as number;
    expect(hour % 3600).toBe(0);
    expect(before - hour).toBeLessThan(3600);
  });

  it("documents every problem code at its type URI", async () => {
    const list = metaRoutes.problems.responses[200].parse(await (await call("/problems")).json());
    expect(list.map((p) => p.code).sort()).toEqual(Object.keys(problemCatalogue).sort());
    for (const code of Object.keys(problemCatalogue)) {
      const res = await call(`/problems/${code}`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ code, type: `/problems/${code}` });
    }
    await expectProblem(await call("/problems/not-a-code"), 404, "not-found");
  });
});
