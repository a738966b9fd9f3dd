/**
 * `npm run dev` — the whole service locally: builds the pages, prepares the demo deployment
 * (identities made on first run and kept, D1 migrated, demo rows seeded idempotently), starts
 * `wrangler dev` on 127.0.0.1 and prints what the demo contains.
 *
 * Settings: LINTEL_PORT (default 8787), LINTEL_HOME (keep identities, secrets and local state in
 * that folder instead of .lintel/, .dev.vars and .wrangler/state).
 */
import path from "node:path";
import { buildWeb } from "./build-web.ts";
import type { DemoIdentities } from "./lib/demo-identities.ts";
import { prepareLocalDeployment } from "./lib/local-deployment.ts";
import { localPaths, repoRoot } from "./lib/paths.ts";
import { seedLog } from "./lib/seed-log.ts";
import { spawnWranglerDev, waitUntilHealthy } from "./lib/wrangler.ts";

const port = Number(process.env.LINTEL_PORT ?? 8787);
const paths = localPaths();
const rel = (p: string) => path.relative(repoRoot, p) || p;

function banner(
  base: string,
  ids: DemoIdentities,
  created: boolean,
  log: "seeded" | "kept",
): string {
  const short = (k: string) => `${k.slice(0, 12)}…`;
  const lines = [
    "",
    `Lintel is running at ${base}/`,
    "",
    `Demo deployment (${created ? "identities created now" : "identities reused"}; secrets in ${rel(paths.identities)}):`,
    `  Registry     ${short(ids.registry.publicKey)}  approves venues and signs entrance codes (signing key in ${rel(paths.devVars)})`,
    `  Log          ${short(ids.log.publicKey)}  signs checkpoints of the transparency log`,
    ...ids.trustees.map(
      (t) =>
        `  ${t.label.padEnd(40)} ${short(t.publicKey)}  holds a key share; releases only for logged queries`,
    ),
    ...ids.officers.map((o) => `  ${o.label.padEnd(40)} ${short(o.publicKey)}`),
    `  ${ids.auditor.label.padEnd(40)} ${short(ids.auditor.publicKey)}  verifies the log`,
    `  Venue        ${ids.venue.nameEn} / ${ids.venue.nameZh} (approved), entrances: ${ids.venue.entrances
      .map((e) => `${e.labelEn} (${e.id})`)
      .join(", ")}`,
    "",
    `  Pages       ${base}/`,
    `  Health      ${base}/healthz`,
    `  Deployment  ${base}/api/deployment`,
    `  Venues      ${base}/api/venues`,
    `  Log         ${base}/log/checkpoint  (${log === "seeded" ? "demo history written now" : "existing history kept"}; C2SP tlog-tiles under /log)`,
    "",
    "Press Ctrl+C to stop; the data and identities stay for the next run.",
    "",
  ];
  return lines.join("\n");
}

async function main(): Promise<void> {
  await buildWeb();
  console.log("lintel: preparing the local demo deployment…");
  const { identities, createdIdentities } = await prepareLocalDeployment(paths);
  const base = `http://127.0.0.1:${port}`;
  const child = spawnWranglerDev({ port, persistTo: paths.persistTo, envFile: paths.devVars });
  child.stdout?.pipe(process.stdout);
  child.stderr?.pipe(process.stderr);
  const stop = () => {
    if (child.exitCode === null) child.kill("SIGTERM");
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  child.on("exit", (code) => process.exit(code ?? 0));
  let log: "seeded" | "kept";
  try {
    await waitUntilHealthy(base, child);
    log = await seedLog(base, identities);
  } catch (e) {
    stop();
    throw e;
  }
  console.log(banner(base, identities, createdIdentities, log));
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
