/**
 * `LINTEL_VENUE_REQUEST_GRANTS` ("warning,contacts"): a dev server whose deployment policy gives
 * an approved venue request other grants than wrangler.toml's. The main service then runs from a
 * copy of wrangler.toml beside it (so its relative paths still hold) with only the
 * `[vars.LINTEL_DEPLOYMENT.venueRequests]` grants line rewritten; unset, wrangler.toml itself.
 * The e2e test of contacts requests starts its own server this way; the default keeps none.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { VENUE_REQUEST_GRANTS } from "@lintel/protocol";
import { repoRoot } from "./paths.ts";

const GRANTS_LINE = /^(\[vars\.LINTEL_DEPLOYMENT\.venueRequests\][^[]*?^grants = )\[[^\]\n]*\]$/m;

/** The grants the setting names, checked against the protocol's; undefined when unset. */
export function grantsSetting(raw: string | undefined): string[] | undefined {
  if (raw === undefined || raw.trim() === "") return undefined;
  const grants = raw.split(",").map((g) => g.trim());
  const unknown = grants.find((g) => !(VENUE_REQUEST_GRANTS as readonly string[]).includes(g));
  if (unknown !== undefined || new Set(grants).size !== grants.length) {
    throw new Error(
      `LINTEL_VENUE_REQUEST_GRANTS: distinct grants of ${VENUE_REQUEST_GRANTS.join(", ")}`,
    );
  }
  return grants;
}

/** wrangler.toml's text with the venue request grants replaced. */
export function withGrants(toml: string, grants: readonly string[]): string {
  if (!GRANTS_LINE.test(toml)) throw new Error("wrangler.toml: no venueRequests grants line");
  return toml.replace(GRANTS_LINE, `$1${JSON.stringify(grants).replace(/,/g, ", ")}`);
}

/**
 * The main service's config for these grants: a copy named after `home` next to wrangler.toml,
 * and how to remove it. Undefined grants: wrangler.toml, nothing to remove.
 */
export function mainConfigFor(
  grants: readonly string[] | undefined,
  home: string,
): { config: string | undefined; remove: () => void } {
  if (!grants) return { config: undefined, remove: () => {} };
  const name = `wrangler.dev-${path.basename(home).replace(/[^A-Za-z0-9_-]/g, "_")}.toml`;
  const config = path.join(repoRoot, name);
  writeFileSync(
    config,
    withGrants(readFileSync(path.join(repoRoot, "wrangler.toml"), "utf8"), grants),
  );
  return { config, remove: () => rmSync(config, { force: true }) };
}
