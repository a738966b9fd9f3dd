/**
 * Prepares the local demo deployment: identities (made once, then reused), secrets in .dev.vars,
 * the local D1 migrated to the newest schema, and the demo rows seeded (idempotently).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  type DemoIdentities,
  loadOrCreateDemoIdentities,
  writeDevVars,
} from "./demo-identities.ts";
import type { LocalPaths } from "./paths.ts";
import { seedSql } from "./seed.ts";
import { applyLocalMigrations, executeLocalSqlFile } from "./wrangler.ts";

export interface PreparedDeployment {
  readonly identities: DemoIdentities;
  readonly createdIdentities: boolean;
}

export async function prepareLocalDeployment(paths: LocalPaths): Promise<PreparedDeployment> {
  const { identities, created } = loadOrCreateDemoIdentities(paths.identities);
  writeDevVars(paths.devVars, identities);
  await applyLocalMigrations(paths.persistTo);
  const dir = mkdtempSync(path.join(os.tmpdir(), "lintel-seed-"));
  try {
    const file = path.join(dir, "seed.sql");
    writeFileSync(file, seedSql(identities));
    await executeLocalSqlFile(file, paths.persistTo);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { identities, createdIdentities: created };
}
