/**
 * Starts one real `npm run dev` for the e2e project in a throw-away LINTEL_HOME, and stops it
 * afterwards. Tests read its address with inject("baseUrl").
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startDevServer } from "../../scripts/lib/dev-server.ts";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    lintelHome: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const home = mkdtempSync(path.join(os.tmpdir(), "lintel-e2e-"));
  const server = await startDevServer(home);
  project.provide("baseUrl", server.baseUrl);
  project.provide("lintelHome", home);
  return async () => {
    await server.stop();
    rmSync(home, { recursive: true, force: true });
  };
}
