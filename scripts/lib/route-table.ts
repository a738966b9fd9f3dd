/**
 * The worker README's table of HTTP routes, made from the contract so that the document people
 * read and the OpenAPI document the service serves list the same routes. The table sits between
 * two HTML comments in worker/README.md; `npm run docs:routes` rewrites it and
 * scripts/route-table.test.ts fails when it is stale.
 */
import type { RouteContract } from "@lintel/contract";

export const TABLE_BEGIN = "<!-- routes:begin (npm run docs:routes writes this table) -->";
export const TABLE_END = "<!-- routes:end -->";

/** `|` would end a Markdown table cell. */
const cell = (text: string) => text.replaceAll("|", "\\|");

/** One row per route, in the contract's order (the OpenAPI document's). */
export function routeTable(routes: readonly RouteContract[]): string {
  const rows = routes.map(
    (r) =>
      `| \`${r.method} ${r.path}\` | ${r.auth === "signed" ? "signed" : "public"} | ${cell(r.summary)} |`,
  );
  return ["| route | caller | what it does |", "|---|---|---|", ...rows].join("\n");
}

/** `readme` with the text between the markers replaced by `table`. */
export function withRouteTable(readme: string, table: string): string {
  const begin = readme.indexOf(TABLE_BEGIN);
  const end = readme.indexOf(TABLE_END);
  if (begin < 0 || end < begin) {
    throw new Error(`worker/README.md lacks the markers ${TABLE_BEGIN} … ${TABLE_END}`);
  }
  return `${readme.slice(0, begin + TABLE_BEGIN.length)}\n${table}\n${readme.slice(end)}`;
}

/**
 * Every `METHOD /path` a document names in backticks, as written, for paths the service answers
 * under the API's prefixes (pages and static assets are not routes of the contract).
 */
export function namedRoutes(markdown: string): string[] {
  const found = new Set<string>();
  const pattern =
    /`(GET|POST|PUT|PATCH|DELETE) (\/(?:api|log|trustee|witness|healthz|problems)[^`\s?]*)/g;
  for (const m of markdown.matchAll(pattern)) found.add(`${m[1]} ${m[2]}`);
  return [...found];
}
