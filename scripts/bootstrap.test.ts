import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { decodeBase64url, decodeEntry, LogPolicy } from "@lintel/protocol";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot } from "./lib/paths.ts";
import { type Captured, runCaptured } from "./lib/run-captured.ts";

/** Each step starts tsx and wrangler's config reader: seconds each on a busy machine. */
const TIMEOUT = 240_000;

const root = mkdtempSync(path.join(os.tmpdir(), "lintel-bootstrap-"));
const folder = (party: string) => path.join(root, party);
afterAll(() => rmSync(root, { recursive: true, force: true }));

function bootstrap(args: readonly string[]): Promise<Captured> {
  return runCaptured(
    path.join(repoRoot, "node_modules/.bin/tsx"),
    ["scripts/bootstrap.ts", ...args],
    {
      cwd: repoRoot,
      env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
    },
  );
}

async function step(args: readonly string[]): Promise<string> {
  const { code, output } = await bootstrap(args);
  expect(code, output).toBe(0);
  return output;
}

const json = (file: string) => JSON.parse(readFileSync(file, "utf8")) as Record<string, string>;

describe("npm run bootstrap", () => {
  it(
    "makes each party's keys apart and a genesis the log accepts",
    async () => {
      await step([
        "service",
        "--deployment",
        "demo",
        "--log-origin",
        "lintel.example/log",
        "--out",
        folder("service"),
      ]);
      for (const id of ["trustee-a", "trustee-b"])
        await step([
          "trustee",
          "--id",
          id,
          "--url",
          `https://${id}.example/trustee`,
          "--out",
          folder(id),
        ]);
      await step([
        "witness",
        "--name",
        "witness.example/w1",
        "--url",
        "https://w.example/witness",
        "--out",
        folder("witness"),
      ]);

      // What each party handed over: only the .public.json files.
      const publics = [
        "--trustee",
        path.join(folder("trustee-a"), "trustee-trustee-a.public.json"),
        "--trustee",
        path.join(folder("trustee-b"), "trustee-trustee-b.public.json"),
        "--witness",
        path.join(folder("witness"), "witness.public.json"),
      ];
      await step([
        "genesis",
        "--out",
        folder("service"),
        "--log-url",
        "https://lintel.example/log",
        ...publics,
      ]);

      const service = json(path.join(folder("service"), "service.public.json"));
      const { entries } = JSON.parse(
        readFileSync(path.join(folder("service"), "genesis.json"), "utf8"),
      ) as { entries: string[] };
      const policy = new LogPolicy(
        decodeBase64url(service.registryKey!, 32),
        decodeBase64url(service.logKey!, 32),
      );
      const applied = policy.applyAll(entries.map((e) => decodeBase64url(e)));
      expect(applied.map((e) => e.entry.body.kind)).toEqual([
        "deployment",
        "trustee-enrolment",
        "trustee-enrolment",
        "witness-enrolment",
      ]);
      expect(applied.every((e) => e.entry.deployment === "demo")).toBe(true);
      // The policy in the deployment entry is wrangler.toml's.
      expect(decodeEntry(decodeBase64url(entries[0]!)).entry.body).toMatchObject({
        retentionDays: 21,
        approvalsRequired: 2,
        maxEntranceHoursPerQuery: 12,
      });

      // The service's D1 gets the public keys it publishes and signs its deployment record from.
      const principals = readFileSync(path.join(folder("service"), "principals.sql"), "utf8");
      const trusteeA = json(path.join(folder("trustee-a"), "trustee-trustee-a.public.json"));
      expect(principals).toContain(
        `'registry', 'registry', 'demo registry', '${service.registryKey}'`,
      );
      expect(principals).toContain(
        `'trustee-a', 'trustee', 'Trustee A (civil liberties council)', '${trusteeA.shareKey}', '${trusteeA.proofOfPossession}'`,
      );
      expect(principals.trim().split("\n")).toHaveLength(4);

      // The health authority's box key: its public half for the service, the secret kept.
      await step(["authority", "--out", folder("authority")]);
      const box = json(path.join(folder("authority"), "authority.public.json"));
      expect(decodeBase64url(box.boxPublicKey!, 32)).toHaveLength(32);

      // Secret files are the owner's alone; no secret value appears in anything handed over.
      const secretFiles = [
        path.join(folder("authority"), "authority.secrets.json"),
        path.join(folder("service"), "service.secrets.json"),
        path.join(folder("trustee-a"), "trustee-trustee-a.secrets.json"),
        path.join(folder("trustee-b"), "trustee-trustee-b.secrets.json"),
        path.join(folder("witness"), "witness.secrets.json"),
      ];
      const secrets = secretFiles.flatMap((f) => {
        expect(statSync(f).mode & 0o077).toBe(0);
        return Object.values(json(f));
      });
      // The authority's file holds its public half too (the CLI's key file), so that one is public.
      const secretValues = secrets.filter((s) => s !== box.boxPublicKey);
      expect(secretValues).toHaveLength(1 + 4 + 3 + 3 + 1);
      const handedOver = [
        ...publics.filter((p) => p.endsWith(".json")),
        path.join(folder("service"), "service.public.json"),
        path.join(folder("service"), "genesis.json"),
        path.join(folder("service"), "settings.json"),
        path.join(folder("service"), "principals.sql"),
        path.join(folder("authority"), "authority.public.json"),
      ]
        .map((f) => readFileSync(f, "utf8"))
        .join("\n");
      for (const s of secretValues) expect(handedOver).not.toContain(s);

      // Each trustee's settings name the log it audits and the keys it pins.
      const settings = JSON.parse(
        readFileSync(path.join(folder("service"), "settings.json"), "utf8"),
      ) as { trustees: Record<string, { LINTEL_TRUSTEE: string }> };
      expect(JSON.parse(settings.trustees["trustee-a"]!.LINTEL_TRUSTEE)).toMatchObject({
        id: "trustee-a",
        logUrl: "https://lintel.example/log",
        logKey: service.logVerifierKey,
        registryKey: service.registryKey,
        quorum: 1,
      });
    },
    TIMEOUT,
  );

  it(
    "never replaces keys, and refuses a trustee whose proof of possession fails",
    async () => {
      const again = await bootstrap([
        "witness",
        "--name",
        "w",
        "--url",
        "https://w.example/witness",
        "--out",
        folder("witness"),
      ]);
      expect(again.code).not.toBe(0);
      expect(again.output).toMatch(/never replaced/);

      const file = path.join(folder("trustee-a"), "trustee-trustee-a.public.json");
      const forged = path.join(root, "forged.public.json");
      const a = json(file);
      const b = json(path.join(folder("trustee-b"), "trustee-trustee-b.public.json"));
      // Trustee B's proof with trustee A's key: a key its sender does not hold.
      writeFileSync(forged, JSON.stringify({ ...a, proofOfPossession: b.proofOfPossession }));
      const genesis = (...trustees: string[]) =>
        bootstrap([
          "genesis",
          "--out",
          folder("service"),
          "--log-url",
          "https://lintel.example/log",
          ...trustees.flatMap((t) => ["--trustee", t]),
        ]);
      const refused = await genesis(
        forged,
        path.join(folder("trustee-b"), "trustee-trustee-b.public.json"),
      );
      expect(refused.code).not.toBe(0);
      expect(refused.output).toMatch(/proof of possession/);
      // wrangler.toml names two trustees: a genesis with one would leave the other's key unknown,
      // and the service would sign no deployment record.
      const short = await genesis(file);
      expect(short.code).not.toBe(0);
      expect(short.output).toMatch(/names the trustees trustee-a, trustee-b.*must be the same/s);
    },
    TIMEOUT,
  );
});
