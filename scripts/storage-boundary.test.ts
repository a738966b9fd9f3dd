/**
 * One storage layer: SQL lives only in the worker's store modules (worker/README.md, "Storage").
 * Fails when a worker file that is not a store runs SQL itself — `.prepare(` or `.batch(` on D1,
 * `.exec(` on a Durable Object's SQLite — or imports drizzle.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "./lib/paths.ts";

const WORKER_SRC = path.join(repoRoot, "worker/src");

/**
 * Store modules: `store.ts` or `<name>-store.ts` in a domain folder, a Durable Object's
 * `schema.ts` (its migrations), and `db/` (the shared D1 and migration helpers).
 */
function isStoreModule(file: string): boolean {
  const base = path.posix.basename(file);
  return (
    base === "store.ts" ||
    base.endsWith("-store.ts") ||
    base === "schema.ts" ||
    file.startsWith("db/")
  );
}

const SQL_CALL = /\.(prepare|batch|exec)\(|from "drizzle-orm/g;

/** Every SQL call or drizzle import in `text`, with its line number. */
function sqlUses(text: string): string[] {
  const found: string[] = [];
  for (const [i, line] of text.split("\n").entries()) {
    for (const m of line.matchAll(SQL_CALL)) found.push(`${i + 1}: ${m[0]}`);
  }
  return found;
}

function workerFiles(dir = WORKER_SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return workerFiles(full);
    return e.name.endsWith(".ts") && !e.name.endsWith(".test.ts") ? [full] : [];
  });
}

describe("the worker's storage boundary", () => {
  const files = workerFiles().map((full) => ({
    file: path.relative(WORKER_SRC, full).split(path.sep).join("/"),
    uses: sqlUses(readFileSync(full, "utf8")),
  }));

  it("finds SQL calls and drizzle imports, and nothing else", () => {
    expect(sqlUses('const a = db.prepare("SELECT 1");\nctx.storage.sql.exec("x");')).toEqual([
      "1: .prepare(",
      "2: .exec(",
    ]);
    expect(sqlUses('await db.batch([s]);\nimport { eq } from "drizzle-orm";')).toEqual([
      "1: .batch(",
      '2: from "drizzle-orm',
    ]);
    expect(sqlUses("const prepared = prepare(x); batch.push(y);")).toEqual([]);
    expect(isStoreModule("venues/store.ts")).toBe(true);
    expect(isStoreModule("venues/document-store.ts")).toBe(true);
    expect(isStoreModule("routes/venues.ts")).toBe(false);
  });

  it("has SQL only in store modules", () => {
    const outside = files
      .filter((f) => f.uses.length > 0 && !isStoreModule(f.file))
      .map((f) => `${f.file} ${f.uses.join(", ")}`);
    expect(outside, "move these statements into the domain's store module").toEqual([]);
    // The scan sees the stores at all (a wrong folder would pass the check above vacuously).
    expect(files.filter((f) => isStoreModule(f.file) && f.uses.length > 0).length).toBeGreaterThan(
      5,
    );
  });
});
