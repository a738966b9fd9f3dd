/**
 * A LINTEL_HOME for a test's own dev server, as `npm run dev` leaves one after its first
 * preparation: demo identities made and the four local databases migrated and seeded
 * (tests/e2e/global-setup.ts prepares it once per run). Starting from a copy skips the minute of
 * key generation and wrangler runs each fresh home would cost a busy machine; everything after
 * (the log's history, the accounts, the servers themselves) is made by that server as on any
 * developer's first start. A test of the first start itself makes an empty home instead.
 */
import { cpSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { inject } from "vitest";

export function preparedHome(name: string): string {
  const home = mkdtempSync(path.join(os.tmpdir(), `lintel-e2e-${name}-`));
  cpSync(inject("homeTemplate"), home, { recursive: true });
  return home;
}
