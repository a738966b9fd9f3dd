/**
 * `npm run bootstrap -- <step> …` — a real deployment's keys, first log entries and first
 * registry reviewer, each step run by the party that holds the keys, on its own machine
 * (DEPLOY.md walks through them):
 *
 *   service  --deployment <id> --log-origin <origin> --out <dir>     the main service's operator
 *   trustee  --id <id> --url <https://…/trustee> --out <dir>          each trustee
 *   witness  --name <name> --url <https://…/witness> --out <dir>      the witness
 *   authority --out <dir>                                              the health authority
 *   genesis  --out <dir> --config wrangler.toml --log-url <https://…/log> [--quorum n]
 *            --trustee <file.public.json>… --witness <file.public.json>… [--post <service URL>]
 *                                                                      the registry key's holder
 *   reviewer --out <dir> --url <service URL> --label <name>           the registry key's holder
 *
 * Key steps write `<name>.secrets.json` (mode 0600, the format `wrangler secret bulk` reads; it
 * never leaves that machine) and `<name>.public.json` (the only thing handed to the others).
 * `genesis` reads the service's files from --out, checks every trustee's proof of possession,
 * signs the first log entries with the registry key into `genesis.json` (POSTed to the service's
 * /log/entries with --post) and writes `settings.json`, the vars each party's worker needs, and
 * `principals.sql`, the public keys the service's D1 publishes (`wrangler d1 execute --file`).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { encodeBase64url } from "@lintel/protocol";
import { unstable_readConfig } from "wrangler";
import { type DeploymentPolicy, genesisEntries, roleSettings } from "./lib/bootstrap/genesis.ts";
import {
  authorityBoxKeys,
  type ServiceKeys,
  type ServicePublic,
  serviceKeys,
  type TrusteePublic,
  trusteeKeys,
  type WitnessPublic,
  witnessKeys,
} from "./lib/bootstrap/keys.ts";
import { principalsSql } from "./lib/bootstrap/principals.ts";
import { requestReviewer } from "./lib/bootstrap/reviewer.ts";

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    out: { type: "string" },
    deployment: { type: "string" },
    "log-origin": { type: "string" },
    id: { type: "string" },
    name: { type: "string" },
    url: { type: "string" },
    label: { type: "string" },
    config: { type: "string", default: "wrangler.toml" },
    "log-url": { type: "string" },
    quorum: { type: "string", default: "1" },
    trustee: { type: "string", multiple: true, default: [] },
    witness: { type: "string", multiple: true, default: [] },
    post: { type: "string" },
  },
});

function need(name: keyof typeof values): string {
  const v = values[name];
  if (typeof v !== "string" || v === "") throw new Error(`--${name} is required for this step`);
  return v;
}

function outDir(): string {
  const dir = path.resolve(need("out"));
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/** Writes a party's secrets (never over an existing file) and public material. */
function writeParty(
  dir: string,
  name: string,
  keys: { secrets: object; public: object },
  use = "wrangler secret bulk reads it",
): void {
  const secrets = path.join(dir, `${name}.secrets.json`);
  if (existsSync(secrets)) throw new Error(`${secrets} exists: keys are made once, never replaced`);
  writeFileSync(secrets, `${JSON.stringify(keys.secrets, null, 2)}\n`, { mode: 0o600, flag: "wx" });
  writeFileSync(path.join(dir, `${name}.public.json`), `${JSON.stringify(keys.public, null, 2)}\n`);
  console.log(`secrets: ${secrets} (keep on this machine; ${use})`);
  console.log(`public:  ${path.join(dir, `${name}.public.json`)} (hand this over)`);
}

function readJson<T>(file: string, format: string): T {
  const value = JSON.parse(readFileSync(file, "utf8")) as { format?: string };
  if (value.format !== format) throw new Error(`${file} is not a ${format} file`);
  return value as T;
}

function serviceFiles(dir: string): { secrets: ServiceKeys["secrets"]; public: ServicePublic } {
  return {
    secrets: JSON.parse(
      readFileSync(path.join(dir, "service.secrets.json"), "utf8"),
    ) as ServiceKeys["secrets"],
    public: readJson<ServicePublic>(
      path.join(dir, "service.public.json"),
      "lintel-service-public/1",
    ),
  };
}

/**
 * The deployment id, officer policy and trustee names from the main service's wrangler config.
 * The trustees handed over must be exactly those the config names: the service signs its
 * deployment record only when every configured trustee's key is known.
 */
function deploymentFrom(
  config: string,
  trustees: readonly TrusteePublic[],
): { policy: DeploymentPolicy; trusteeNames: Record<string, string> } {
  const vars = unstable_readConfig({ config }).vars as Record<string, unknown>;
  const d = vars.LINTEL_DEPLOYMENT as {
    id: string;
    retentionDays: number;
    officerPolicy: Omit<DeploymentPolicy, "id" | "retentionDays">;
    trustees?: ReadonlyArray<{ id: string; name: string }>;
  };
  if (!d?.id || !d.officerPolicy) throw new Error(`${config}: no [vars.LINTEL_DEPLOYMENT]`);
  const configured = (d.trustees ?? []).map((t) => t.id).sort();
  const handed = trustees.map((t) => t.id).sort();
  if (configured.join(",") !== handed.join(","))
    throw new Error(
      `${config} names the trustees ${configured.join(", ") || "(none)"}, ` +
        `the --trustee files ${handed.join(", ") || "(none)"}: they must be the same`,
    );
  return {
    policy: { id: d.id, retentionDays: d.retentionDays, ...d.officerPolicy },
    trusteeNames: Object.fromEntries((d.trustees ?? []).map((t) => [t.id, t.name])),
  };
}

async function main(): Promise<void> {
  const step = positionals[0];
  switch (step) {
    case "service": {
      writeParty(outDir(), "service", serviceKeys(need("deployment"), need("log-origin")));
      return;
    }
    case "trustee": {
      const id = need("id");
      writeParty(outDir(), `trustee-${id}`, trusteeKeys(id, need("url")));
      return;
    }
    case "witness": {
      const name = need("name");
      writeParty(outDir(), "witness", witnessKeys(name, need("url")));
      return;
    }
    case "authority": {
      writeParty(
        outDir(),
        "authority",
        authorityBoxKeys(),
        "lintel-authority --authority-box-key-file reads it",
      );
      return;
    }
    case "genesis": {
      const dir = outDir();
      const service = serviceFiles(dir);
      const trustees = values.trustee.map((f) =>
        readJson<TrusteePublic>(f, "lintel-trustee-public/1"),
      );
      const witnesses = values.witness.map((f) =>
        readJson<WitnessPublic>(f, "lintel-witness-public/1"),
      );
      const { policy, trusteeNames } = deploymentFrom(values.config, trustees);
      const entries = genesisEntries({
        registrySecretKey: service.secrets.REGISTRY_SIGNING_KEY,
        service: service.public,
        policy,
        trustees,
        witnesses,
      });
      const body = JSON.stringify({ entries: entries.map(encodeBase64url) });
      writeFileSync(path.join(dir, "genesis.json"), `${body}\n`);
      const settings = roleSettings({
        service: service.public,
        logUrl: need("log-url"),
        trustees,
        witnesses,
        quorum: Number(values.quorum),
      });
      writeFileSync(path.join(dir, "settings.json"), `${JSON.stringify(settings, null, 2)}\n`);
      writeFileSync(
        path.join(dir, "principals.sql"),
        principalsSql({ service: service.public, trustees, trusteeNames }),
      );
      console.log(`${entries.length} entries in ${path.join(dir, "genesis.json")}`);
      console.log(`each worker's settings in ${path.join(dir, "settings.json")}`);
      console.log(`the service's public keys for its D1 in ${path.join(dir, "principals.sql")}`);
      if (values.post) {
        const res = await fetch(new URL("/log/entries", values.post), {
          method: "POST",
          headers: { "content-type": "application/json" },
          body,
        });
        if (res.status !== 201) throw new Error(`/log/entries: ${res.status} ${await res.text()}`);
        console.log(`the log at ${values.post} now starts with them`);
      }
      return;
    }
    case "reviewer": {
      const service = serviceFiles(outDir());
      const reviewer = await requestReviewer(
        need("url"),
        service.public.deployment,
        service.secrets.REGISTRY_SIGNING_KEY,
        need("label"),
      );
      console.log(
        `registry account ${reviewer.accountId} (${reviewer.label}); one-time code, valid until ` +
          `${new Date(reviewer.codeExpiresAt * 1000).toISOString()}: ${reviewer.enrolmentCode}`,
      );
      return;
    }
    default:
      throw new Error(
        "steps: service, trustee, witness, authority, genesis, reviewer (see the header of scripts/bootstrap.ts)",
      );
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
