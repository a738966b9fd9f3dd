/**
 * Page weight, exact (no timing): bytes the browser fetches before the check-in page runs, and
 * what the fast BLS12-381 backend adds when a page `import()`s it. From the pages' real build
 * (scripts/build-web.ts, in memory); gzip level 9.
 *
 *   web.checkin_first_load_bytes / _gzip_bytes — assets/gen/checkin.js and the chunks it imports
 *                                               statically; _kb the same gzip in KiB (the
 *                                               camera's QR reader and the pass's QR encoder
 *                                               are lazy: a poster's link needs neither)
 *   web.checkin_lazy_bytes                      — what the page's `import()`s can add later
 *   web.fast_curves_lazy_bytes / _gzip_bytes    — mcl-wasm's chunk as protocol/src/fast-curves/
 *                                               load-mcl.ts loads it (its wasm inside, as base64)
 */
import path from "node:path";
import { build } from "esbuild";
import { bundlePages, GEN_DIR, pageBuildOptions } from "../build-web.ts";
import { firstLoad } from "../lib/first-load.ts";
import { repoRoot } from "../lib/paths.ts";
import type { Figure } from "./protocol.ts";

const output = (name: string) => path.relative(process.cwd(), path.join(GEN_DIR, name));

export async function pageBenchmarks(say: (line: string) => void): Promise<Record<string, Figure>> {
  const checkin = firstLoad(await bundlePages(), output("checkin.js"));
  const loader = firstLoad(
    await build(
      pageBuildOptions(
        [{ in: path.join(repoRoot, "protocol/src/fast-curves/load-mcl.ts"), out: "load-mcl" }],
        GEN_DIR,
      ),
    ),
    output("load-mcl.js"),
  );
  say(
    `pages: check-in first load ${checkin.initial.bytes} bytes (${checkin.initial.gzipBytes} gzip) ` +
      `in ${checkin.initial.files.length} file(s); fast-curves chunk ${loader.lazy.bytes} ` +
      `(${loader.lazy.gzipBytes} gzip)`,
  );
  return {
    "web.checkin_first_load_bytes": { value: checkin.initial.bytes, unit: "bytes" },
    "web.checkin_first_load_gzip_bytes": { value: checkin.initial.gzipBytes, unit: "bytes" },
    "web.checkin_first_load_kb": {
      value: Math.round((checkin.initial.gzipBytes / 1024) * 10) / 10,
      unit: "KiB gzip (before the form is usable; target ≤ 120)",
    },
    "web.checkin_lazy_bytes": { value: checkin.lazy.bytes, unit: "bytes" },
    "web.fast_curves_lazy_bytes": { value: loader.lazy.bytes, unit: "bytes" },
    "web.fast_curves_lazy_gzip_bytes": { value: loader.lazy.gzipBytes, unit: "bytes" },
  };
}
