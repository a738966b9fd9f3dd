/**
 * The API contract against the service itself: every route the apps of the three roles mount is
 * declared in `@lintel/contract`, every declared route is mounted, and GET /api/openapi.json serves the document of
 * every declared route. Each answer the other worker tests see is checked against the contract
 * too (contract-check.ts, through helpers.call).
 */
import { allRoutes, openApiDocument, openApiPath } from "@lintel/contract";
import { describe, expect, it } from "vitest";
import { createApp } from "../../worker/src/app.ts";
import { createTrusteeApp } from "../../worker/src/trustee/app.ts";
import { createWitnessApp } from "../../worker/src/witness/app.ts";
import { checkAgainstContract } from "./contract-check.ts";
import { call } from "./helpers.ts";

const key = (method: string, path: string) => `${method} ${path}`;

/** Every role's app: the main service, a trustee's and a witness's worker. */
function mountedRoutes(): string[] {
  const out = new Set<string>();
  for (const r of [createApp(), createTrusteeApp(), createWitnessApp()].flatMap((a) => a.routes)) {
    // Middleware (ALL) and the static-asset fallback are no endpoints.
    if (r.method === "ALL" || r.path === "*" || r.path === "/*") continue;
    out.add(key(r.method, r.path.replace(/\/$/, "") || "/"));
  }
  return [...out].sort();
}

describe("the API contract", () => {
  const declared = new Set(allRoutes.map((r) => key(r.method, r.path)));

  it("declares every mounted route", () => {
    expect(mountedRoutes().filter((r) => !declared.has(r))).toEqual([]);
  });

  it("mounts every declared route", () => {
    const mounted = new Set(mountedRoutes());
    expect([...declared].filter((r) => !mounted.has(r))).toEqual([]);
  });

  it("serves the OpenAPI document of every declared route", async () => {
    const res = await call("/api/openapi.json");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, object> };
    expect(doc).toEqual(openApiDocument(allRoutes, { title: "Lintel", version: "1" }));
    expect(doc.openapi).toMatch(/^3\.1\./);
    for (const route of allRoutes) {
      expect(doc.paths[openApiPath(route.path)], route.id).toHaveProperty(
        route.method.toLowerCase(),
      );
    }
  });
});

describe("the check of every answer against the contract", () => {
  const checkIn = new Request("http://lintel.test/api/checkins", { method: "POST" });
  const json = (body: unknown, status: number, type = "application/json") =>
    new Response(JSON.stringify(body), { status, headers: { "content-type": type } });
  const answer = { receipt: "cmVjZWlwdA", storedAt: 1_800_000_000, dayWord: { en: "a", zh: "b" } };

  it("passes an answer the contract declares", async () => {
    await checkAgainstContract(checkIn, json(answer, 201));
    await checkAgainstContract(
      checkIn,
      json(
        { type: "/problems/bad-slots", title: "t", status: 422, code: "bad-slots" },
        422,
        "application/problem+json",
      ),
    );
  });

  it("fails an answer without a declared member, with an extra one, or of another status", async () => {
    const { dayWord: _, ...withoutWord } = answer;
    await expect(checkAgainstContract(checkIn, json(withoutWord, 201))).rejects.toThrow(
      /outside its schema/,
    );
    await expect(
      checkAgainstContract(checkIn, json({ ...answer, arrival: 1 }, 201)),
    ).rejects.toThrow(/members the contract does not declare/);
    await expect(checkAgainstContract(checkIn, json(answer, 202))).rejects.toThrow(/status/);
  });

  it("passes a failure its protocol fixes in another media type, and only in that one", async () => {
    const addCheckpoint = () =>
      new Request("http://lintel.test/witness/add-checkpoint", { method: "POST", body: "x" });
    const text = (body: string, status: number, type: string) =>
      new Response(body, { status, headers: { "content-type": type } });
    await checkAgainstContract(addCheckpoint(), text("5\n", 409, "text/x.tlog.size"));
    await checkAgainstContract(addCheckpoint(), text("bad\n", 422, "text/plain; charset=utf-8"));
    await expect(
      checkAgainstContract(addCheckpoint(), text("5\n", 409, "text/plain")),
    ).rejects.toThrow(/the contract declares text\/x.tlog.size/);
    await expect(
      checkAgainstContract(addCheckpoint(), text("?", 401, "text/plain")),
    ).rejects.toThrow(/status/);
  });

  it("fails a problem code the route does not list", async () => {
    const problem = {
      type: "/problems/same-officer",
      title: "t",
      status: 409,
      code: "same-officer",
    };
    await expect(
      checkAgainstContract(checkIn, json(problem, 409, "application/problem+json")),
    ).rejects.toThrow(/does not list/);
  });
});
