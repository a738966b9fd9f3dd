/**
 * The routes people read about are the routes the service declares: worker/README.md's route
 * table is the contract's (and so the OpenAPI document's, which GET /api/openapi.json serves from
 * the same table), and every `METHOD /path` a document names is a declared route.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { allRoutes, type RouteContract } from "@lintel/contract";
import { describe, expect, it } from "vitest";
import { repoRoot } from "./lib/paths.ts";
import { namedRoutes, routeTable, withRouteTable } from "./lib/route-table.ts";

/** The documents a user or developer reads: every README, DEPLOY.md, docs/, the protocol. */
function documents(): string[] {
  const top = readdirSync(repoRoot).filter((f) => f.endsWith(".md"));
  const folders = [
    "protocol",
    "contract",
    "client-sdk",
    "worker",
    "web",
    "tests",
    "scripts",
    "docs",
  ];
  const nested = folders.flatMap((dir) => {
    try {
      return readdirSync(path.join(repoRoot, dir))
        .filter((f) => f.endsWith(".md"))
        .map((f) => `${dir}/${f}`);
    } catch {
      return [];
    }
  });
  return [...top, ...nested];
}

/**
 * A document's path written loosely: `<name>` for a parameter, and a trailing `…` or `[/…]` for
 * "routes under this prefix" (then any declared route under it will do); other `[…]` parts are
 * optional and left out.
 */
function matches(route: RouteContract, named: string): boolean {
  const [method, rawPath = ""] = named.split(" ");
  if (method !== route.method) return false;
  const prefixOnly = /(\[\/…\]|…)$/.test(rawPath);
  const pathText = rawPath.replace(/\[[^\]]*\]/g, "").replace(/…$/, "");
  if (prefixOnly) return route.path.startsWith(pathText);
  const pattern = route.path
    .split("/")
    .map((segment) => {
      if (segment.startsWith(":")) return "(?::[^/]+|<[^>]+>|[^/]+)";
      if (segment === "*") return ".*";
      return segment.replaceAll(".", "\\.");
    })
    .join("/");
  return new RegExp(`^${pattern}$`).test(pathText);
}

describe("the documented routes", () => {
  it("keeps worker/README.md's route table equal to the contract's routes (npm run docs:routes)", () => {
    const readme = readFileSync(path.join(repoRoot, "worker/README.md"), "utf8");
    expect(readme).toBe(withRouteTable(readme, routeTable(allRoutes)));
  });

  it("names in the documents only routes the contract declares", () => {
    const undeclared: string[] = [];
    for (const doc of documents()) {
      const text = readFileSync(path.join(repoRoot, doc), "utf8");
      for (const named of namedRoutes(text)) {
        if (!allRoutes.some((r) => matches(r, named))) undeclared.push(`${doc}: ${named}`);
      }
    }
    expect(undeclared).toEqual([]);
  });

  it("reads a document's loose route names", () => {
    const md = "`GET /api/deployment[/…]` and `POST /api/checkins` then `GET /log/…` and `GET /c`";
    expect(namedRoutes(md)).toEqual([
      "GET /api/deployment[/…]",
      "POST /api/checkins",
      "GET /log/…",
    ]);
    const entranceCode = allRoutes.find((r) => r.path === "/api/entrances/:id/code");
    expect(entranceCode && matches(entranceCode, "GET /api/entrances/<id>/code")).toBe(true);
    expect(entranceCode && matches(entranceCode, "POST /api/entrances/:id/code")).toBe(false);
  });
});
