/**
 * The pages' build keeps lazy code out of a page's first load: an entry that `import()`s the fast
 * BLS12-381 backend (the check-in page does, and a test entry) gets mcl-wasm as a chunk of its
 * own, and the check-in page's first load holds none of it, byte for byte as when bundled alone.
 */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { bundleEntries, GEN_DIR } from "./build-web.ts";
import { firstLoad } from "./lib/first-load.ts";
import { repoRoot } from "./lib/paths.ts";

const output = (name: string) => path.relative(process.cwd(), path.join(GEN_DIR, name));
const MCL = /node_modules\/mcl-wasm\//;

describe("the pages' build", () => {
  it("puts what an entry import()s in a lazy chunk and leaves the other entries' first load alone", async () => {
    const checkin = { in: path.join(repoRoot, "web/src/pages/checkin.ts"), out: "checkin" };
    const lazyEntry = {
      in: path.join(repoRoot, "tests/e2e/fast-curves-entry.ts"),
      out: "fast-curves-entry",
    };
    const both = await bundleEntries([checkin, lazyEntry]);
    const alone = await bundleEntries([checkin]);
    const inputsOf = (files: readonly string[]) =>
      files.flatMap((f) => Object.keys(both.metafile.outputs[f]!.inputs));

    // The check-in page imports the fast curves lazily too: mcl is in its lazy chunks only, and
    // bundling another lazy entry beside it leaves its first load as it was.
    const page = firstLoad(both, output("checkin.js"));
    expect(page.initial.files[0]).toBe(output("checkin.js"));
    expect(page.initial.bytes).toBe(firstLoad(alone, output("checkin.js")).initial.bytes);
    expect(inputsOf(page.initial.files).filter((i) => MCL.test(i))).toEqual([]);
    expect(inputsOf(page.lazy.files).some((i) => i.endsWith("mcl-wasm/dist/mcl_c.js"))).toBe(true);

    const lazy = firstLoad(both, output("fast-curves-entry.js"));
    expect(inputsOf(lazy.initial.files).filter((i) => MCL.test(i))).toEqual([]);
    expect(inputsOf(lazy.lazy.files).some((i) => i.endsWith("mcl-wasm/dist/mcl_c.js"))).toBe(true);
    expect(lazy.lazy.files.every((f) => f.startsWith(output("chunks/")))).toBe(true);
    expect(lazy.initial.bytes).toBeLessThan(lazy.lazy.bytes / 100);
  });
});
