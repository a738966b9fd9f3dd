// The worker never loads libsodium (its WebAssembly does not load in workerd), so only
// protocol/src/seal/ may import it.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const src = path.resolve(import.meta.dirname, "..");

describe("libsodium boundary", () => {
  it("is imported only under protocol/src/seal/", () => {
    const offenders = readdirSync(src, { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".ts") && !f.startsWith(`seal${path.sep}`))
      .filter((f) => /from\s+["']libsodium/.test(readFileSync(path.join(src, f), "utf8")));
    expect(offenders).toEqual([]);
  });
});
