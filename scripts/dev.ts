/**
 * `npm run dev` — the whole service locally: builds the pages, prepares the demo deployment
 * (identities made on first run and kept, D1 migrated, demo rows seeded idempotently; each step
 * skipped when its inputs are the ones it last ran on: scripts/lib/input-stamp.ts), starts
 * `wrangler dev` on 127.0.0.1, gives the log its first entries and makes the demo's accounts
 * through the service as a real deployment's bootstrap does, and prints what the demo contains.
 *
 * Four wrangler devs, the same worker code in four roles: the main service, the demo witness and
 * the two trustees, each trustee with its own env file (its key share) and its own local state.
 *
 * Settings: LINTEL_PORT (default 8787), LINTEL_WITNESS_PORT (default the next one),
 * LINTEL_TRUSTEE_PORTS ("a,b"; default the two after), LINTEL_INSPECTOR_PORTS
 * ("main,witness,trustee-a,trustee-b"; tests set it), LINTEL_HOME (keep identities, secrets and
 * local state in that folder instead of .lintel/, .dev.vars and .wrangler/),
 * LINTEL_VENUE_REQUEST_GRANTS ("warning,contacts": the policy's grants for an approved venue
 * request instead of wrangler.toml's; lib/grants-config.ts).
 */
import path from "node:path";
import { callRoute } from "@lintel/client-sdk";
import { citizenRoutes } from "@lintel/contract";
import { decodeBase64url, formatCosignatureVerifierKey, formatVerifierKey } from "@lintel/protocol";
import { buildWebUnlessBuilt } from "./build-web.ts";
import { DEMO_TRUSTEES, type DemoIdentities } from "./lib/demo-identities.ts";
import { markDevRunning } from "./lib/dev-marker.ts";
import { grantsSetting, mainConfigFor } from "./lib/grants-config.ts";
import { mainLogOrigin, prepareLocalDeployment } from "./lib/local-deployment.ts";
import { localPaths, repoRoot } from "./lib/paths.ts";
import { freePort } from "./lib/ports.ts";
import { seedAccounts } from "./lib/seed-accounts.ts";
import { DEMO_POLICY, seedLog } from "./lib/seed-log.ts";
import { roleConfig, spawnWranglerDev, waitUntilHealthy } from "./lib/wrangler.ts";

const port = Number(process.env.LINTEL_PORT ?? 8787);
const witnessPort = Number(process.env.LINTEL_WITNESS_PORT ?? port + 1);
/** "trustee-a,trustee-b" ports; unset, the two after the witness's. */
const trusteePorts = (process.env.LINTEL_TRUSTEE_PORTS ?? `${witnessPort + 1},${witnessPort + 2}`)
  .split(",")
  .map(Number);
/**
 * "main,witness,trustee-a,trustee-b" inspector ports. Unset, the witness gets wrangler's default
 * (9229) and the others free ports picked here: wrangler devs starting together would otherwise
 * all reach for the same next port.
 */
const inspectorSetting = (process.env.LINTEL_INSPECTOR_PORTS ?? "")
  .split(",")
  .map((p) => (p === "" ? undefined : Number(p)));
const pickedInspectors = new Set<number>([port, witnessPort, ...trusteePorts]);
const pickInspector = async () => {
  const p = await freePort(pickedInspectors);
  pickedInspectors.add(p);
  return p;
};
const [mainInspector, witnessInspector, ...trusteeInspectors] = [
  inspectorSetting[0] ?? (await pickInspector()),
  inspectorSetting[1],
  inspectorSetting[2] ?? (await pickInspector()),
  inspectorSetting[3] ?? (await pickInspector()),
];
const paths = localPaths();
const rel = (p: string) => path.relative(repoRoot, p) || p;

function banner(
  base: string,
  ids: DemoIdentities,
  created: boolean,
  log: "seeded" | "kept",
  keys: { log: string; witness: string; witnessBase: string },
  codes: ReadonlyArray<{ entranceId: string; url: string; manualCode: string }>,
  registryEnrolmentCode: string,
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
    `  Pages       ${base}/  ·  operators: ${base}/operator/  ·  registry: ${base}/registry/`,
    `  Health      ${base}/healthz`,
    `  Deployment  ${base}/api/deployment`,
    `  Venues      ${base}/api/venues`,
    `  Log         ${base}/log/checkpoint  (${log === "seeded" ? "demo history written now" : "existing history kept"}; C2SP tlog-tiles under /log)`,
    `  Witness     ${keys.witnessBase}/witness/add-checkpoint  (cosigns every new checkpoint of the log)`,
    ...ids.trustees.map(
      (t, i) =>
        `  ${t.id.padEnd(11)} http://127.0.0.1:${trusteePorts[i]}/trustee  (its own process and secrets; releases only for logged queries)`,
    ),
    `  Authority   ${base}/authority/  ·  CLI: npm run lintel-authority -- --help`,
    "",
    "Entrance codes (registry-signed; what each poster's QR holds, and its manual-entry code):",
    ...codes.map((c) => `  ${c.entranceId.padEnd(10)} ${c.manualCode}  ${c.url}`),
    "",
    `Sign in as the demo registry reviewer at ${base}/registry/ with this one-time code`,
    `(valid 3 days; a new one is printed on every start):  ${registryEnrolmentCode}`,
    "",
    "Audit the log (every entry's signatures and policy, the witness's cosignature):",
    `  npm run lintel-audit -- verify --log ${base}/log --key '${keys.log}' \\`,
    `    --witness '${keys.witness}' --quorum 1 --state .lintel/audit-state.json`,
    "",
    "Press Ctrl+C to stop; the data and identities stay for the next run.",
    "",
  ];
  return lines.join("\n");
}

async function main(): Promise<void> {
  markDevRunning(paths.devMarker, port);
  await buildWebUnlessBuilt();
  console.log("lintel: preparing the local demo deployment…");
  const witnessBase = `http://127.0.0.1:${witnessPort}`;
  const base = `http://127.0.0.1:${port}`;
  const trusteeUrls = Object.fromEntries(
    DEMO_TRUSTEES.map((t, i) => [t.id, `http://127.0.0.1:${trusteePorts[i]}/trustee`]),
  );
  const { identities: prepared, createdIdentities } = await prepareLocalDeployment(
    paths,
    `${witnessBase}/witness`,
    { main: base, trustees: trusteeUrls },
  );
  // The witness first: the log offers it the checkpoint of its very first batch.
  const witness = spawnWranglerDev({
    ...(witnessInspector ? { inspectorPort: witnessInspector } : {}),
    port: witnessPort,
    persistTo: paths.persistTo,
    envFile: paths.witnessVars,
    config: roleConfig("witness"),
  });
  witness.stderr?.pipe(process.stderr);
  // Started only once the witness is up: two wrangler devs starting together both reach for the
  // same inspector port, while one starting later sees it taken and picks another.
  try {
    await waitUntilHealthy(witnessBase, witness);
  } catch (e) {
    if (witness.exitCode === null) witness.kill("SIGTERM");
    throw e;
  }
  const mainConfig = mainConfigFor(
    grantsSetting(process.env.LINTEL_VENUE_REQUEST_GRANTS),
    process.env.LINTEL_HOME ?? "local",
  );
  const child = spawnWranglerDev({
    ...(mainInspector ? { inspectorPort: mainInspector } : {}),
    port,
    persistTo: paths.persistTo,
    envFile: paths.devVars,
    ...(mainConfig.config ? { config: mainConfig.config } : {}),
  });
  child.stdout?.pipe(process.stdout);
  child.stderr?.pipe(process.stderr);
  // The trustees: each its own process, env file and state; they read the log over HTTP.
  const trusteeChildren = prepared.trustees.map((t, i) => {
    const inspector = trusteeInspectors[i];
    const c = spawnWranglerDev({
      ...(inspector ? { inspectorPort: inspector } : {}),
      port: trusteePorts[i]!,
      persistTo: paths.trustee(t.id).persistTo,
      envFile: paths.trustee(t.id).vars,
      config: roleConfig("trustee"),
    });
    c.stderr?.pipe(process.stderr);
    return c;
  });
  const stop = () => {
    for (const c of [child, witness, ...trusteeChildren])
      if (c.exitCode === null) c.kill("SIGTERM");
    mainConfig.remove();
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  child.on("exit", (code) => {
    stop();
    process.exit(code ?? 0);
  });
  witness.on("exit", (code) => {
    if (child.exitCode === null)
      console.error(`lintel: the witness stopped (exit ${code}); the log will go uncosigned`);
  });
  for (const [i, c] of trusteeChildren.entries()) {
    c.on("exit", (code) => {
      if (child.exitCode === null)
        console.error(
          `lintel: ${prepared.trustees[i]!.id} stopped (exit ${code}); queries cannot be released`,
        );
    });
  }
  try {
    await waitUntilHealthy(base, child);
    for (const [i, c] of trusteeChildren.entries()) {
      await waitUntilHealthy(`http://127.0.0.1:${trusteePorts[i]}`, c);
    }
    const log = await seedLog(base, prepared, trusteeUrls);
    // After the log's first batch: enrolling an officer's device appends to the log.
    const { identities, registryEnrolmentCode } = await seedAccounts(
      base,
      DEMO_POLICY.id,
      prepared,
      paths.identities,
    );
    const witnessKey = formatCosignatureVerifierKey(
      identities.witness.id,
      decodeBase64url(identities.witness.publicKey, 32),
    );
    const logKey = formatVerifierKey(
      mainLogOrigin(),
      decodeBase64url(identities.log.publicKey, 32),
    );
    const codes = await Promise.all(
      identities.venue.entrances.map((e) =>
        callRoute({ baseUrl: base }, citizenRoutes.entranceCode, { params: { id: e.id } }),
      ),
    );
    const keys = { log: logKey, witness: witnessKey, witnessBase };
    console.log(
      banner(base, identities, createdIdentities, log, keys, codes, registryEnrolmentCode),
    );
  } catch (e) {
    // Never leave wrangler processes behind holding the ports.
    stop();
    throw e;
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
