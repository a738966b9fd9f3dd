import { applyD1Migrations } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { checkAgainstContract } from "./contract-check.ts";

export const BASE = "http://lintel.test";

/** One request to the worker; its answer is checked against the API contract (contract-check.ts). */
export async function call(path: string, init?: RequestInit): Promise<Response> {
  const request = new Request(`${BASE}${path}`, init);
  const res = await exports.default.fetch(request.clone());
  await checkAgainstContract(request, res);
  return res;
}

export function postJson(
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return call(path, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  errors?: Array<{ pointer: string; reason: string }>;
}

export async function expectProblem(res: Response, status: number, code: string): Promise<Problem> {
  const text = await res.text();
  if (
    res.status !== status ||
    !res.headers.get("content-type")?.startsWith("application/problem+json")
  ) {
    throw new Error(
      `expected a ${status} ${code} problem, got ${res.status} ${res.headers.get("content-type")}: ${text}`,
    );
  }
  const problem = JSON.parse(text) as Problem;
  if (problem.code !== code || problem.status !== status || problem.type !== `/problems/${code}`) {
    throw new Error(`expected problem ${code}, got ${text}`);
  }
  return problem;
}

/** Drops every table and re-applies the migrations: each test starts from a fresh database. */
export async function resetDatabase(): Promise<void> {
  const { results } = await env.DB.prepare(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'",
  ).all<{ name: string }>();
  // D1 enforces foreign keys on DROP TABLE: drop children first by retrying until all are gone.
  let left = results.map((r) => r.name);
  while (left.length > 0) {
    const failed: string[] = [];
    for (const name of left) {
      await env.DB.exec(`DROP TABLE IF EXISTS "${name}"`).catch(() => failed.push(name));
    }
    if (failed.length === left.length) throw new Error(`cannot drop tables: ${failed.join(", ")}`);
    left = failed;
  }
  await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
}

/** A fresh database with an approved venue (two entrances) and one venue still under review. */
export async function seedVenues(): Promise<void> {
  await resetDatabase();
  await env.DB.batch([
    env.DB.prepare(
      "INSERT INTO venues (id, name_en, name_zh, category, status) VALUES ('v1', 'Tea House', '茶馆', 'restaurant', 'approved')",
    ),
    env.DB.prepare(
      "INSERT INTO venues (id, name_en, name_zh, category, status) VALUES ('v2', 'Pending Gym', '健身房', 'gym', 'submitted')",
    ),
    env.DB.prepare(
      "INSERT INTO entrances (id, venue_id, label_en, label_zh) VALUES ('v1-front', 'v1', 'Front', '前门'), ('v1-back', 'v1', 'Back', '后门'), ('v2-door', 'v2', 'Door', '门')",
    ),
  ]);
}

export async function count(table: string): Promise<number> {
  const row = await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${table}`).first<{ n: number }>();
  return row?.n ?? -1;
}
