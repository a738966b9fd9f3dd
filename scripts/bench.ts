/**
 * `npm run bench` — prints a table of figures and writes bench-results.json at the repo root:
 * a JSON object keyed by figure name, each `{ "value": number, "unit": string }`. Figures from
 * earlier runs that this run did not measure are kept. Results belong in BENCHMARKS.md with the
 * machine and date.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ingestBenchmarks } from "./bench/ingest.ts";
import { logBenchmarks } from "./bench/log.ts";
import { pageBenchmarks } from "./bench/pages.ts";
import { posterBenchmarks } from "./bench/poster.ts";
import { type Figure, protocolBenchmarks } from "./bench/protocol.ts";
import { queryBenchmarks } from "./bench/query.ts";
import { releaseBenchmarks } from "./bench/release.ts";
import { scanBenchmarks } from "./bench/scan.ts";
import { sideBySideBenchmarks } from "./bench/side-by-side.ts";
import type { DemoIdentities } from "./lib/demo-identities.ts";
import { startDevServer } from "./lib/dev-server.ts";
import { repoRoot } from "./lib/paths.ts";

const outFile = path.join(repoRoot, "bench-results.json");

async function main(): Promise<void> {
  console.log(
    `bench: ${os.cpus()[0]?.model ?? "unknown CPU"} ×${os.cpus().length}, Node ${process.version}`,
  );
  const figures: Record<string, Figure> = {};
  const only = process.env.LINTEL_BENCH_ONLY;
  const say = (line: string) => console.log(line);
  if (!only || only === "protocol") Object.assign(figures, await protocolBenchmarks(say));
  if (!only || only === "sbs") Object.assign(figures, await sideBySideBenchmarks(say));
  if (!only || only === "poster") Object.assign(figures, await posterBenchmarks(say));
  if (!only || only === "pages") Object.assign(figures, await pageBenchmarks(say));
  if (!only || only === "query") Object.assign(figures, await queryBenchmarks(say));
  // The log part's figures that need no server: proofs and audits over in-memory logs.
  if (only === "audit") Object.assign(figures, await logBenchmarks(say));
  if (!only || ["log", "scan", "ingest", "release"].includes(only)) {
    // A throw-away local deployment, so benchmark entries never land in the developer's log.
    const home = mkdtempSync(path.join(os.tmpdir(), "lintel-bench-"));
    const server = await startDevServer(home);
    try {
      const ids = JSON.parse(
        readFileSync(path.join(home, "identities.json"), "utf8"),
      ) as DemoIdentities;
      if (!only || only === "log") {
        Object.assign(figures, await logBenchmarks(say, server.baseUrl, ids));
      }
      if (!only || only === "release") {
        Object.assign(figures, await releaseBenchmarks(say, server.baseUrl, ids));
      }
      // Before ingest, which fills the demo entrances' hourly capacity.
      if (!only || only === "scan") {
        Object.assign(figures, await scanBenchmarks(say, server.baseUrl));
      }
      if (!only || only === "ingest") {
        const entrances = ids.venue.entrances.map((e) => e.id);
        Object.assign(figures, await ingestBenchmarks(say, server.baseUrl, entrances));
      }
    } finally {
      await server.stop();
      rmSync(home, { recursive: true, force: true });
    }
  }

  const previous = existsSync(outFile)
    ? (JSON.parse(readFileSync(outFile, "utf8")) as Record<string, Figure>)
    : {};
  const merged = { ...previous, ...figures };
  writeFileSync(outFile, `${JSON.stringify(merged, null, 2)}\n`);

  const width = Math.max(...Object.keys(figures).map((k) => k.length));
  console.log(`\n${"figure".padEnd(width)}  value`);
  for (const [name, f] of Object.entries(figures)) {
    console.log(
      `${name.padEnd(width)}  ${Number.isInteger(f.value) ? f.value : f.value.toFixed(3)} ${f.unit}`,
    );
  }
  console.log(`\nbench: wrote ${path.relative(process.cwd(), outFile)}`);
}

await main();
