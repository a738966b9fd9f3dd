import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { grantsSetting, withGrants } from "./grants-config.ts";
import { repoRoot } from "./paths.ts";

describe("LINTEL_VENUE_REQUEST_GRANTS", () => {
  it("rewrites only the venue request grants of wrangler.toml", () => {
    const toml = readFileSync(path.join(repoRoot, "wrangler.toml"), "utf8");
    const out = withGrants(toml, ["warning", "contacts"]);
    expect(out).toContain('grants = ["warning", "contacts"]');
    expect(out.replace('grants = ["warning", "contacts"]', 'grants = ["warning", "counts"]')).toBe(
      toml,
    );
  });

  it("takes distinct known grants, and nothing when unset", () => {
    expect(grantsSetting(undefined)).toBeUndefined();
    expect(grantsSetting("")).toBeUndefined();
    expect(grantsSetting("warning, contacts")).toEqual(["warning", "contacts"]);
    expect(() => grantsSetting("warning,names")).toThrow(/distinct grants/);
    expect(() => grantsSetting("counts,counts")).toThrow(/distinct grants/);
  });
});
