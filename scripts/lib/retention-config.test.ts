import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "./paths.ts";
import { withoutAssets, writeRetentionConfig } from "./retention-config.ts";

describe("the retention run's wrangler config", () => {
  it("is wrangler.toml without [assets] and with everything else, paths pointing back", () => {
    const original = readFileSync(path.join(repoRoot, "wrangler.toml"), "utf8");
    const { file, dir } = writeRetentionConfig();
    try {
      const toml = readFileSync(file, "utf8");
      expect(toml).not.toMatch(/^\[assets\]/m);
      expect(toml).not.toMatch(/^binding = "ASSETS"/m);
      // The same worker name and bindings: the run sees npm run dev's D1 and Durable Objects.
      expect(toml).toMatch(/^name = "lintel"$/m);
      for (const line of original.split("\n").filter((l) => /class_name|database_id|crons/.test(l)))
        expect(toml).toContain(line);
      const main = /^main = "([^"]+)"/m.exec(toml)![1]!;
      expect(path.resolve(dir, main)).toBe(path.join(repoRoot, "worker/src/entry/main.ts"));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses a config that has no [assets] table to leave out", () => {
    expect(() => withoutAssets('name = "x"\n[triggers]\ncrons = []\n')).toThrow(/no top-level/);
  });
});
