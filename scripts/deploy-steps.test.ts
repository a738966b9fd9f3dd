/**
 * DEPLOY.md followed step by step against local wrangler, in a temporary folder: every `sh step`
 * block, in the document's order, read out of the document itself (scripts/lib/deploy-steps.ts),
 * so that a command changed there is the command run here. Each party's keys go under a temporary
 * HOME (`~/lintel-keys/…` as the document writes it); the `example.org` URLs point at 127.0.0.1;
 * `--remote` becomes `--local --persist-to` a folder per worker; `wrangler deploy` becomes a dry
 * run; what needs a real account is checked for syntax against wrangler's help. Then the main
 * service runs (`wrangler dev`) with the secrets the document sets and the state it migrated,
 * takes the genesis, and must publish this deployment and let its first reviewer sign in; a
 * trustee and the witness, given their parts of the genesis's settings, must answer and cosign.
 */
import type { ChildProcess } from "node:child_process";
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { callRoute, deviceKeyFromSeed, signedCall } from "@lintel/client-sdk";
import { accountRoutes, citizenRoutes } from "@lintel/contract";
import {
  decodeBase64url,
  deviceKeyName,
  encodeBase64url,
  verifyDeploymentRecord,
} from "@lintel/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  classify,
  editedConfig,
  type StepCommand,
  stepCommands,
  words,
} from "./lib/deploy-steps.ts";
import { repoRoot } from "./lib/paths.ts";
import { freePort } from "./lib/ports.ts";
import { runCaptured } from "./lib/run-captured.ts";
import { roleConfig, spawnWranglerDev, waitUntilHealthy, wranglerEnv } from "./lib/wrangler.ts";

/** Each command starts npm, tsx or wrangler: many seconds each on a busy machine. */
const STEPS_TIMEOUT = 1_200_000;
const CHECK_TIMEOUT = 240_000;

const doc = readFileSync(path.join(repoRoot, "DEPLOY.md"), "utf8");
const TRUSTEES = ["trustee-a", "trustee-b"] as const;
/** The trustee id the document's `each-trustee` blocks are written for. */
const DOC_TRUSTEE = "trustee-a";

describe("DEPLOY.md's steps as the test reads them", () => {
  it("joins continued lines, drops comments and skips blocks not marked `sh step`", () => {
    const md = [
      "```toml",
      'routes = [{ pattern = "x" }]',
      "```",
      "```sh step each-trustee",
      "npx wrangler d1 create lintel    # note",
      "# a comment line",
      'npm run bootstrap -- reviewer --label "A #1" \\',
      "  --out ~/k",
      "```",
      "```sh",
      "npm run dev",
      "```",
    ].join("\n");
    expect(stepCommands(md)).toEqual([
      { text: "npx wrangler d1 create lintel", line: 5, eachTrustee: true },
      {
        text: 'npm run bootstrap -- reviewer --label "A #1" --out ~/k',
        line: 7,
        eachTrustee: true,
      },
    ]);
    expect(words('a --label "A #1" b')).toEqual(["a", "--label", "A #1", "b"]);
  });

  it("knows every command of the document, and refuses one it does not", () => {
    for (const c of stepCommands(doc)) expect(() => classify(c.text), c.text).not.toThrow();
    expect(() => classify("npx wrangler d1 migrations apply DB")).toThrow(/--remote/);
    expect(() => classify("curl https://example.org")).toThrow(/not a step/);
    expect(() => classify("npx wrangler tail")).toThrow(/not a wrangler step/);
  });

  it("walks the parties through the bootstrap in the order the keys are needed", () => {
    const steps = stepCommands(doc)
      .map((c) => classify(c.text))
      .flatMap((k) => (k.kind === "bootstrap" ? [k.step] : []));
    expect(steps).toEqual(["trustee", "witness", "authority", "service", "genesis", "reviewer"]);
  });
});

/** Where the test's parties keep their files and the workers their local state. */
const root = mkdtempSync(path.join(os.tmpdir(), "lintel-deploy-steps-"));
const home = path.join(root, "home");
const keys = (...p: string[]) => path.join(home, "lintel-keys", ...p);
const stateOf = (worker: string) => path.join(root, "state", worker);
const configOf = (worker: string) => path.join(root, "config", `${worker}.wrangler.toml`);

const DEPLOYMENT = "harbour-city";
const LOG_ORIGIN = "checkin.example.org/log";
/** Hosts the document names → local ports (only the main service is started). */
const ports = new Map<string, number>();
const local = (host: string) => `http://127.0.0.1:${ports.get(host)}`;

/** Secrets each worker got from `secret bulk` and the names it got from `secret put`. */
const secrets = new Map<string, Record<string, string>>();
const puts = new Map<string, string[]>();
/** What each step did, by worker: the kinds of scripts/lib/deploy-steps.ts's classify. */
const ran: Array<{ readonly kind: string; readonly worker: string }> = [];
let reviewerOutput = "";

async function run(command: string): Promise<string> {
  const { code, output } = await runCaptured("bash", ["-c", command], {
    cwd: repoRoot,
    // npm asks the registry whether it is current unless told not to: these steps are offline.
    env: { ...wranglerEnv(), HOME: home, npm_config_update_notifier: "false" },
  });
  if (code !== 0) throw new Error(`${command}\nexit ${code}:\n${output}`);
  return output;
}

/** The worker a wrangler command is for: its config names the role, the trustee is the one at hand. */
function workerOf(config: string | undefined, trustee: string): string {
  if (config === undefined || config === "wrangler.toml") return "main";
  if (config === "worker/roles/trustee.wrangler.toml") return trustee;
  if (config === "worker/roles/witness.wrangler.toml") return "witness";
  throw new Error(`a config DEPLOY.md does not describe: ${config}`);
}

/** The command with the test's substitutions: local URLs, the edited config, local state. */
function localised(text: string, worker: string): string {
  const config = `-c ${JSON.stringify(configOf(worker))}`;
  let out = text.replace(/https:\/\/([a-z0-9-]+)\.example\.org/g, (_, host: string) => {
    if (!ports.has(host)) throw new Error(`a host the test does not know: ${host}`);
    return local(host);
  });
  out = out.replace(/ --config wrangler\.toml\b/, ` --config ${JSON.stringify(configOf("main"))}`);
  if (!out.startsWith("npx wrangler")) return out;
  out = / -c \S+/.test(out) ? out.replace(/ -c \S+/, ` ${config}`) : `${out} ${config}`;
  return out.replace(" --remote", ` --local --persist-to ${JSON.stringify(stateOf(worker))}`);
}

/** `~/…` as bash expands it with the test's HOME. */
const expandHome = (p: string) => (p.startsWith("~/") ? path.join(home, p.slice(2)) : p);

async function checkSyntax(subcommand: readonly string[], flags: readonly string[]) {
  const help = await run(`npx wrangler ${subcommand.join(" ")} --help`);
  // wrangler answers --help of an unknown subcommand with its parent's help: the usage line says.
  expect(help.split("\n")[0]).toMatch(new RegExp(`^wrangler ${subcommand.join(" ")}\\b`));
  for (const flag of flags)
    expect(help, `${subcommand.join(" ")} ${flag}`).toMatch(
      new RegExp(`(^|[\\s,])${flag}\\b`, "m"),
    );
}

/** The public files each party hands to the service's operator, where the document keeps them. */
function handOverPublicFiles(): void {
  mkdirSync(keys("received"), { recursive: true });
  for (const party of readdirSync(keys())) {
    if (party === "service" || party === "received") continue;
    for (const f of readdirSync(keys(party)).filter((f) => f.endsWith(".public.json")))
      copyFileSync(keys(party, f), keys("received", f));
  }
}

const readJson = <T>(file: string) => JSON.parse(readFileSync(file, "utf8")) as T;

/** The settings the genesis wrote for every worker (`settings.json`), once it has run. */
interface Settings {
  readonly main: Readonly<Record<string, string>>;
  readonly trustees: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly witness: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** The value DEPLOY.md says to paste for `secret put NAME` on a worker; undefined before it exists. */
function putValue(worker: string, name: string): string | undefined {
  if (name === "LINTEL_AUTHORITY_BOX_KEY")
    return readJson<{ boxPublicKey: string }>(keys("received", "authority.public.json"))
      .boxPublicKey;
  let settings: Settings;
  try {
    settings = readJson<Settings>(keys("service", "settings.json"));
  } catch {
    return undefined;
  }
  if (worker === "main") return settings.main[name];
  if (worker === "witness") return Object.values(settings.witness)[0]?.[name];
  return settings.trustees[worker]?.[name];
}

/** The local workers started so far, by worker. */
const running = new Map<string, ChildProcess>();

function stopWorker(worker: string): Promise<void> {
  const child = running.get(worker);
  running.delete(worker);
  if (!child || child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

/**
 * A worker as `wrangler deploy` and its secrets would run it: `wrangler dev` with the edited
 * config, the migrated state, and as env file every secret the document set on it so far.
 */
async function startWorker(worker: string): Promise<void> {
  const vars = path.join(root, `${worker}.vars`);
  const env: Record<string, string> = { ...secrets.get(worker) };
  for (const name of puts.get(worker) ?? []) {
    const value = putValue(worker, name);
    if (value !== undefined) env[name] = value;
  }
  writeFileSync(
    vars,
    Object.entries(env)
      .map(([k, v]) => `${k}=${v}`)
      .join("\n"),
    { mode: 0o600 },
  );
  const host = worker === "main" ? "checkin" : worker;
  const child = spawnWranglerDev({
    port: ports.get(host)!,
    persistTo: stateOf(worker),
    envFile: vars,
    config: configOf(worker),
    inspectorPort: await freePort(new Set(ports.values())),
  });
  running.set(worker, child);
  let output = "";
  child.stdout?.on("data", (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on("data", (d: Buffer) => {
    output += d.toString();
  });
  try {
    await waitUntilHealthy(local(host), child);
  } catch (e) {
    throw new Error(`${worker}: ${e instanceof Error ? e.message : e}\n${output}`);
  }
}

async function runStep(c: StepCommand, trustee: string): Promise<void> {
  const text = c.eachTrustee ? c.text.replaceAll(DOC_TRUSTEE, trustee) : c.text;
  const step = classify(text);
  const config = "config" in step ? step.config : undefined;
  ran.push({ kind: step.kind, worker: workerOf(config, trustee) });
  switch (step.kind) {
    case "bootstrap": {
      if (step.step === "genesis") handOverPublicFiles();
      if (text.includes("https://checkin.example.org") && step.step !== "service") {
        handOverPublicFiles();
        if (!running.has("main")) await startWorker("main");
      }
      const output = await run(localised(text, "main"));
      if (step.step === "reviewer") reviewerOutput = output;
      return;
    }
    case "migrate":
    case "execute": {
      await run(localised(text, workerOf(step.config, trustee)));
      return;
    }
    case "deploy": {
      const worker = workerOf(step.config, trustee);
      const out = path.join(root, "out", worker);
      const output = await run(
        `${localised(text, worker)} --dry-run --outdir ${JSON.stringify(out)}`,
      );
      expect(output).toMatch(/--dry-run: exiting now/);
      return;
    }
    case "account-only": {
      const worker = workerOf(step.config, trustee);
      await checkSyntax(step.subcommand, step.flags);
      const args = words(text).slice(2 + step.subcommand.length);
      if (step.subcommand.join(" ") === "secret bulk") {
        const file = expandHome(args[0]!);
        const values = readJson<Record<string, unknown>>(file);
        for (const v of Object.values(values)) expect(typeof v).toBe("string");
        secrets.set(worker, { ...secrets.get(worker), ...(values as Record<string, string>) });
      }
      if (step.subcommand.join(" ") === "secret put")
        puts.set(worker, [...(puts.get(worker) ?? []), args[0]!]);
      return;
    }
    case "build-web":
      // npm test builds the pages before vitest starts; a second build here would race it.
      return;
  }
}

describe("DEPLOY.md followed against local wrangler", () => {
  beforeAll(async () => {
    for (const host of ["checkin", "witness", ...TRUSTEES]) {
      ports.set(host, await freePort(new Set(ports.values())));
    }
    mkdirSync(path.join(root, "config"), { recursive: true });
    const trusteeUrls = Object.fromEntries(TRUSTEES.map((t) => [t, `${local(t)}/trustee`]));
    // The edits the document asks each party to make to its config.
    const edit = (role: "main" | "trustee" | "witness", worker: string, name: string) =>
      writeFileSync(
        configOf(worker),
        editedConfig(
          readFileSync(roleConfig(role), "utf8"),
          path.dirname(roleConfig(role)),
          {
            name,
            deployment: role === "witness" ? "witness-example-org" : DEPLOYMENT,
            logOrigin: role === "witness" ? "witness.example.org/log" : LOG_ORIGIN,
            trusteeUrls: role === "witness" ? {} : trusteeUrls,
          },
          (dir, p) => path.resolve(dir, p),
        ),
      );
    edit("main", "main", "lintel");
    for (const t of TRUSTEES) edit("trustee", t, `lintel-${t}`);
    edit("witness", "witness", "lintel-witness");
  });

  afterAll(() => {
    for (const child of running.values()) if (child.exitCode === null) child.kill("SIGTERM");
    rmSync(root, { recursive: true, force: true });
  });

  it(
    "runs every step of the document in order",
    async () => {
      for (const c of stepCommands(doc)) {
        for (const trustee of c.eachTrustee ? TRUSTEES : [DOC_TRUSTEE]) await runStep(c, trustee);
      }
      // Every worker's database migrated and its deploy dry-run, the service's principals written.
      const did = (kind: string) =>
        ran
          .filter((r) => r.kind === kind)
          .map((r) => r.worker)
          .sort();
      const workers = ["main", ...TRUSTEES, "witness"].sort();
      expect(did("migrate")).toEqual(workers);
      expect(did("deploy")).toEqual(workers);
      expect(did("execute")).toEqual(["main"]);
    },
    STEPS_TIMEOUT,
  );

  it(
    "leaves every worker's database migrated to the newest schema",
    async () => {
      for (const worker of ["main", "witness", ...TRUSTEES]) {
        const out = await run(
          `npx wrangler d1 migrations list DB --local --persist-to ${JSON.stringify(stateOf(worker))} -c ${JSON.stringify(configOf(worker))}`,
        );
        expect(out, worker).toMatch(/No migrations to apply/);
      }
    },
    CHECK_TIMEOUT,
  );

  it(
    "gives every worker the secrets its role needs, from the files the document names",
    () => {
      expect(Object.keys(secrets.get("main") ?? {}).sort()).toEqual([
        "DATA_KEY",
        "LOG_SIGNING_KEY",
        "RECEIPT_SIGNING_KEY",
        "REGISTRY_SIGNING_KEY",
      ]);
      for (const t of TRUSTEES)
        expect(Object.keys(secrets.get(t) ?? {}).sort(), t).toEqual([
          "DATA_KEY",
          "TRUSTEE_SHARE_KEY",
          "TRUSTEE_SIGNING_KEY",
        ]);
      expect(Object.keys(secrets.get("witness") ?? {})).toEqual(["WITNESS_SIGNING_KEY"]);
      // Every `secret put` names a value the genesis or the authority handed over.
      const settings = readJson<{
        main: Record<string, string>;
        trustees: Record<string, Record<string, string>>;
        witness: Record<string, Record<string, string>>;
      }>(keys("service", "settings.json"));
      expect(puts.get("main")?.sort()).toEqual(["LINTEL_AUTHORITY_BOX_KEY", "LINTEL_WITNESSES"]);
      expect(Object.keys(settings.main)).toEqual(["LINTEL_WITNESSES"]);
      for (const t of TRUSTEES) {
        expect(puts.get(t)).toEqual(["LINTEL_TRUSTEE"]);
        expect(JSON.parse(settings.trustees[t]!.LINTEL_TRUSTEE!)).toMatchObject({
          id: t,
          url: `${local(t)}/trustee`,
          logUrl: `${local("checkin")}/log`,
        });
      }
      expect(puts.get("witness")).toEqual(["LINTEL_WITNESS"]);
      expect(Object.keys(settings.witness)).toEqual(["witness.example.org/w1"]);
    },
    CHECK_TIMEOUT,
  );

  it(
    "runs the main service, which publishes the bootstrapped deployment and its signed record",
    async () => {
      expect((await fetch(`${local("checkin")}/healthz`)).status).toBe(200);
      const d = await callRoute({ baseUrl: local("checkin") }, citizenRoutes.deployment);
      const pub = readJson<{ registryKey: string; logVerifierKey: string }>(
        keys("service", "service.public.json"),
      );
      const trusteePublic = (t: string) =>
        readJson<{ shareKey: string }>(keys(t, `trustee-${t}.public.json`));
      expect(d.id).toBe(DEPLOYMENT);
      expect(d.logOrigin).toBe(LOG_ORIGIN);
      expect(d.log.verifierKey).toBe(pub.logVerifierKey);
      expect(d.registry?.publicKey).toBe(pub.registryKey);
      expect(d.authority?.boxPublicKey).toBe(
        readJson<{ boxPublicKey: string }>(keys("authority", "authority.public.json")).boxPublicKey,
      );
      expect(d.trustees.map((t) => [t.id, t.url, t.publicKey])).toEqual(
        TRUSTEES.map((t) => [t, `${local(t)}/trustee`, trusteePublic(t).shareKey]),
      );
      expect(d.record).not.toBeNull();
      const record = verifyDeploymentRecord(
        decodeBase64url(d.record!),
        decodeBase64url(pub.registryKey, 32),
        DEPLOYMENT,
      );
      expect(record.trustees.map((t) => encodeBase64url(t.publicKey))).toEqual(
        TRUSTEES.map((t) => trusteePublic(t).shareKey),
      );
      // The genesis: the deployment entry, both trustees' and the witness's enrolments.
      const checkpoint = await (await fetch(`${local("checkin")}/log/checkpoint`)).text();
      expect(checkpoint.split("\n").slice(0, 2)).toEqual([LOG_ORIGIN, "4"]);
    },
    CHECK_TIMEOUT,
  );

  it(
    "lets the first reviewer enrol a device with the printed code and sign requests with it",
    async () => {
      const code = /one-time code, valid until \S+: (\S+)/.exec(reviewerOutput)?.[1];
      if (code === undefined) throw new Error(`no one-time code in: ${reviewerOutput}`);
      const key = deviceKeyFromSeed(crypto.getRandomValues(new Uint8Array(32)));
      const device = {
        baseUrl: local("checkin"),
        deployment: DEPLOYMENT,
        keyName: deviceKeyName(DEPLOYMENT),
        key,
      };
      await signedCall(device, accountRoutes.enrol, {
        body: { code, publicKey: encodeBase64url(key.publicKey) },
      });
      const me = await signedCall(device, accountRoutes.me);
      expect(me).toMatchObject({ role: "registry", label: "Chan Tai Man (registry)" });
      // The code was for one device only.
      const again = deviceKeyFromSeed(crypto.getRandomValues(new Uint8Array(32)));
      await expect(
        signedCall({ ...device, key: again }, accountRoutes.enrol, {
          body: { code, publicKey: encodeBase64url(again.publicKey) },
        }),
      ).rejects.toThrow();
    },
    CHECK_TIMEOUT,
  );

  it(
    "runs a trustee and the witness with their settings; the witness cosigns once the service knows it",
    async () => {
      // `secret put LINTEL_WITNESSES` on the service takes effect with its next version.
      await stopWorker("main");
      await startWorker("witness");
      await startWorker("trustee-a");
      await startWorker("main");
      const trustee = await (await fetch(`${local("trustee-a")}/trustee`)).json();
      expect(trustee).toMatchObject({
        trusteeId: "trustee-a",
        shareKey: readJson<{ shareKey: string }>(keys("trustee-a", "trustee-trustee-a.public.json"))
          .shareKey,
        logOrigin: LOG_ORIGIN,
      });
      // The log offers its checkpoint to the witness by alarm, with backoff: poll, no tight limit.
      const deadline = Date.now() + CHECK_TIMEOUT / 2;
      let checkpoint = "";
      while (Date.now() < deadline && !checkpoint.includes("\u2014 witness.example.org/w1 ")) {
        await new Promise((r) => setTimeout(r, 1000));
        checkpoint = await (await fetch(`${local("checkin")}/log/checkpoint`)).text();
      }
      expect(checkpoint).toContain("\u2014 witness.example.org/w1 ");
    },
    CHECK_TIMEOUT,
  );
});
