/**
 * Prepares the local demo deployment: identities (made once, then reused), secrets and settings
 * of the main service (.dev.vars) and of the demo witness, both local D1 databases migrated to
 * the newest schema, and the demo rows no API makes seeded (idempotently). The accounts come
 * later, through the running service (seed-accounts.ts).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  decodeBase64url,
  ed25519PublicKey,
  encodeBase64url,
  formatCosignatureVerifierKey,
  formatVerifierKey,
} from "@lintel/protocol";
import { sha256 } from "@noble/hashes/sha2.js";
import {
  type DemoIdentities,
  loadOrCreateDemoIdentities,
  writeEnvFile,
} from "./demo-identities.ts";
import { inputStamp } from "./input-stamp.ts";
import { type LocalPaths, repoRoot } from "./paths.ts";
import { seedSql } from "./seed.ts";
import { applyLocalMigrations, executeLocalSqlFileOnce } from "./wrangler.ts";

const MIGRATIONS_STAMP_DIR = path.join(repoRoot, "worker/migrations");
/** Any fixed time at which a code can be signed. */
const SEED_STAMP_TIME = new Date("2026-01-01T00:00:00Z");

export interface PreparedDeployment {
  readonly identities: DemoIdentities;
  readonly createdIdentities: boolean;
}

/** The main service's log origin, from [vars.LINTEL_DEPLOYMENT] in wrangler.toml. */
export function mainLogOrigin(): string {
  const toml = readFileSync(path.join(repoRoot, "wrangler.toml"), "utf8");
  const match = /^logOrigin = "([^"]+)"$/m.exec(toml);
  if (!match) throw new Error("wrangler.toml: no logOrigin in [vars.LINTEL_DEPLOYMENT]");
  return match[1]!;
}

/** Secrets and settings for the main service and the demo witness, in their env files. */
export function writeLocalSettings(
  paths: LocalPaths,
  ids: DemoIdentities,
  witnessUrl: string,
  urls: LocalUrls,
): void {
  const witnessPublic = ed25519PublicKey(decodeBase64url(ids.witness.secretKey, 32));
  const logKey = formatVerifierKey(mainLogOrigin(), decodeBase64url(ids.log.publicKey, 32));
  writeEnvFile(paths.devVars, {
    REGISTRY_SIGNING_KEY: ids.registry.secretKey,
    LOG_SIGNING_KEY: ids.log.secretKey,
    DATA_KEY: ids.dataKey,
    RECEIPT_SIGNING_KEY: ids.receipt.secretKey,
    LINTEL_AUTHORITY_BOX_KEY: ids.authorityBox.publicKey,
    LINTEL_TRUSTEE_URLS: JSON.stringify(urls.trustees),
    LINTEL_WITNESSES: JSON.stringify([
      {
        name: ids.witness.id,
        key: formatCosignatureVerifierKey(ids.witness.id, witnessPublic),
        url: witnessUrl,
      },
    ]),
  });
  // Each trustee gets its own secrets only: its share, its release key, its own data key.
  const witnessKey = formatCosignatureVerifierKey(ids.witness.id, witnessPublic);
  for (const t of ids.trustees) {
    writeEnvFile(paths.trustee(t.id).vars, {
      TRUSTEE_SHARE_KEY: t.secretShare,
      TRUSTEE_SIGNING_KEY: t.signingSecretKey,
      DATA_KEY: encodeBase64url(
        sha256(new TextEncoder().encode(`lintel demo trustee data key ${t.signingSecretKey}`)),
      ),
      LINTEL_TRUSTEE: JSON.stringify({
        id: t.id,
        logUrl: `${urls.main}/log`,
        logKey,
        witnesses: [witnessKey],
        quorum: 1,
        registryKey: ids.registry.publicKey,
      }),
    });
  }
  writeEnvFile(paths.witnessVars, {
    WITNESS_SIGNING_KEY: ids.witness.secretKey,
    LINTEL_WITNESS: JSON.stringify({
      name: ids.witness.id,
      logs: [{ origin: mainLogOrigin(), key: logKey }],
    }),
  });
}

/** Where the demo's parts answer: the main service and each trustee (id → URL prefix). */
export interface LocalUrls {
  readonly main: string;
  readonly trustees: Readonly<Record<string, string>>;
}

export async function prepareLocalDeployment(
  paths: LocalPaths,
  witnessUrl: string,
  urls: LocalUrls,
): Promise<PreparedDeployment> {
  const { identities, created } = loadOrCreateDemoIdentities(paths.identities);
  writeLocalSettings(paths, identities, witnessUrl, urls);
  await applyLocalMigrations(paths.persistTo);
  await applyLocalMigrations(paths.persistTo, "witness");
  for (const t of identities.trustees) {
    await applyLocalMigrations(paths.trustee(t.id).persistTo, "trustee");
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), "lintel-seed-"));
  try {
    const file = path.join(dir, "seed.sql");
    writeFileSync(file, seedSql(identities, mainLogOrigin()));
    // Seeding again changes nothing while the statements are the same but for the signing time
    // inside the codes (INSERT OR IGNORE keeps the first run's): stamped at a fixed time, with
    // the migrations whose tables they fill.
    const stamp = inputStamp({
      paths: [MIGRATIONS_STAMP_DIR],
      extra: [seedSql(identities, mainLogOrigin(), SEED_STAMP_TIME)],
    });
    await executeLocalSqlFileOnce(file, paths.persistTo, "seeded", stamp);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { identities, createdIdentities: created };
}
