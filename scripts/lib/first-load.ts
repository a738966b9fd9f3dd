/**
 * A page's first load: the bytes of its entry's JavaScript and of every chunk that entry imports
 * statically, transitively — what the browser fetches before the page runs. Chunks reached only
 * through `import()` are counted apart, as lazy. Read from esbuild's metafile of a build with
 * code splitting (scripts/build-web.ts); gzip at level 9, as BENCHMARKS.md's bundle figures.
 */
import path from "node:path";
import { gzipSync } from "node:zlib";
import type { Metafile, OutputFile } from "esbuild";

export interface PageWeight {
  /** Output paths (relative to the working directory, as esbuild's metafile names them). */
  readonly files: readonly string[];
  readonly bytes: number;
  readonly gzipBytes: number;
}

export interface FirstLoad {
  readonly initial: PageWeight;
  /** What `import()` can add later, beyond the initial files. */
  readonly lazy: PageWeight;
}

export function firstLoad(
  build: { readonly outputFiles: readonly OutputFile[]; readonly metafile: Metafile },
  entryOutput: string,
): FirstLoad {
  const outputs = build.metafile.outputs;
  const initial = closure([entryOutput], outputs, ["import-statement"]);
  const all = closure([entryOutput], outputs, ["import-statement", "dynamic-import"]);
  const lazy = [...all].filter((f) => !initial.has(f));
  return { initial: weigh([...initial], build.outputFiles), lazy: weigh(lazy, build.outputFiles) };
}

function closure(
  start: readonly string[],
  outputs: Metafile["outputs"],
  kinds: readonly string[],
): Set<string> {
  const seen = new Set<string>();
  const queue = [...start];
  for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
    if (seen.has(file)) continue;
    const output = outputs[file];
    if (!output) throw new Error(`first-load: ${file} is not an output of this build`);
    seen.add(file);
    for (const i of output.imports) if (!i.external && kinds.includes(i.kind)) queue.push(i.path);
  }
  return seen;
}

function weigh(files: readonly string[], outputFiles: readonly OutputFile[]): PageWeight {
  let bytes = 0;
  let gzipBytes = 0;
  for (const file of files) {
    const absolute = path.resolve(file);
    const out = outputFiles.find((o) => o.path === absolute);
    if (!out) throw new Error(`first-load: no contents for ${file}`);
    bytes += out.contents.length;
    gzipBytes += gzipSync(out.contents, { level: 9 }).length;
  }
  return { files, bytes, gzipBytes };
}
