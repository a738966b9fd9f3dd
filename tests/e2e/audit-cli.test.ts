/**
 * lintel-audit against the log of a running `npm run dev`: the real CLI verifies it; a mirror of
 * the log in a directory verifies too, and fails with a clear reason after any single byte of a
 * mirrored checkpoint, tile or entry bundle is changed.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { callRoute } from "@lintel/client-sdk";
import { citizenRoutes } from "@lintel/contract";
import {
  formatEntryBundlePath,
  formatTilePath,
  newEntryBundles,
  parseCheckpoint,
  parseNote,
  tilesForSize,
} from "@lintel/protocol";
import { afterAll, describe, expect, inject, it } from "vitest";
import { runCli } from "../../client-sdk/cli/lintel-audit.ts";
import { repoRoot } from "../../scripts/lib/paths.ts";
import { waitForCosignature } from "../support/cosigned.ts";

const base = inject("baseUrl");
const work = mkdtempSync(path.join(os.tmpdir(), "lintel-audit-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function deployment() {
  return callRoute({ baseUrl: base }, citizenRoutes.deployment);
}

async function logKey(): Promise<string> {
  const key = (await deployment()).log.verifierKey;
  if (key === null) throw new Error("the demo log publishes no verifier key");
  return key;
}

async function mirror(dir: string): Promise<string[]> {
  const note = await (await fetch(`${base}/log/checkpoint`)).text();
  const size = parseCheckpoint(parseNote(note).text).size;
  const files: Record<string, Uint8Array> = { checkpoint: new TextEncoder().encode(note) };
  for (const tile of tilesForSize(size))
    files[formatTilePath(tile)] = new Uint8Array(
      await (await fetch(`${base}/log/${formatTilePath(tile)}`)).arrayBuffer(),
    );
  for (const bundle of newEntryBundles(0n, size)) {
    const p = formatEntryBundlePath(bundle);
    files[p] = new Uint8Array(await (await fetch(`${base}/log/${p}`)).arrayBuffer());
  }
  for (const [p, bytes] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
    writeFileSync(path.join(dir, p), bytes);
  }
  return Object.keys(files);
}

async function witnessKey(): Promise<string> {
  return (await deployment()).log.witnesses[0]!.verifierKey;
}

describe("lintel-audit against the local log", () => {
  it("requires the demo witness's cosignature with --quorum 1, and fails with another witness key", async () => {
    const key = await logKey();
    const witness = await witnessKey();
    // The log offers each new checkpoint to the witness right after writing it.
    await waitForCosignature(base, "lintel.localhost/demo/witness");
    const withWitness = (witnessKeyText: string, state: string) =>
      runCli(
        [
          "verify",
          "--log",
          `${base}/log`,
          "--key",
          key,
          "--witness",
          witnessKeyText,
          "--quorum",
          "1",
        ].concat(["--state", path.join(work, state), "--json"]),
      );
    const ok = await withWitness(witness, "w.json");
    expect(JSON.parse(ok.output), ok.output).toMatchObject({
      ok: true,
      cosigners: ["lintel.localhost/demo/witness"],
    });
    const { ed25519PublicKey, formatCosignatureVerifierKey } = await import("@lintel/protocol");
    const impostor = formatCosignatureVerifierKey(
      "lintel.localhost/demo/witness",
      ed25519PublicKey(crypto.getRandomValues(new Uint8Array(32))),
    );
    const bad = await withWitness(impostor, "w2.json");
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.output).reason).toMatch(/quorum|cosign/i);
  });

  it("verifies the demo log with the real command and saves its state", async () => {
    const key = await logKey();
    const state = path.join(work, "cli-state.json");
    const run = spawnSync(
      "npm",
      [
        "run",
        "--silent",
        "lintel-audit",
        "--",
        "verify",
        "--log",
        `${base}/log`,
        "--key",
        key,
        "--state",
        state,
      ],
      {
        cwd: repoRoot,
        encoding: "utf8",
      },
    );
    expect(run.stderr.replace(/npm warn.*\n/g, "")).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^OK lintel\.localhost\/demo\/log: \d+ entries .*policy checked/);
    expect(JSON.parse(readFileSync(state, "utf8")).format).toBe("lintel-audit-state/1");
  });

  it("refuses a wrong key with a usage error, and a key of another log as a verification failure", async () => {
    const usage = await runCli([
      "verify",
      "--log",
      `${base}/log`,
      "--key",
      "nonsense",
      "--state",
      path.join(work, "x.json"),
    ]);
    expect(usage.code).toBe(2);
    const other = "lintel.localhost/demo/log+00000000+AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    const bad = await runCli([
      "verify",
      "--log",
      `${base}/log`,
      "--key",
      other,
      "--state",
      path.join(work, "x.json"),
    ]);
    expect(bad.code).not.toBe(0);
  });

  it("fails with a reason after any single byte of a mirrored log changes", async () => {
    const key = await logKey();
    const dir = path.join(work, "mirror");
    const files = await mirror(dir);
    const ok = await runCli([
      "verify",
      "--log",
      dir,
      "--key",
      key,
      "--state",
      path.join(work, "mirror-state.json"),
      "--json",
    ]);
    expect(JSON.parse(ok.output), ok.output).toMatchObject({ ok: true });
    expect(ok.code).toBe(0);
    for (const file of files) {
      const full = path.join(dir, file);
      const original = readFileSync(full);
      for (const at of [0, Math.floor(original.length / 2), original.length - 2]) {
        const changed = Buffer.from(original);
        changed[at]! ^= 0x01;
        writeFileSync(full, changed);
        const result = await runCli([
          "verify",
          "--log",
          dir,
          "--key",
          key,
          "--state",
          path.join(work, `fresh-${file.replaceAll("/", "_")}-${at}.json`),
          "--json",
        ]);
        expect(result.code, `${file} byte ${at}`).toBe(1);
        expect(JSON.parse(result.output).reason, `${file} byte ${at}`).toMatch(/^[a-z].{20,}/);
      }
      writeFileSync(full, original);
    }
  });
});
