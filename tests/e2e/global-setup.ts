/**
 * Prepares one LINTEL_HOME as a template (demo identities, migrated and seeded local databases:
 * what `npm run dev` does before it starts its servers) for the files that start a server of
 * their own (tests/support/home.ts), then starts one real `npm run dev` for the e2e project from
 * a copy of it, and stops it afterwards. Tests read its address with inject("baseUrl").
 */
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { DEMO_TRUSTEES } from "../../scripts/lib/demo-identities.ts";
import { startDevServer } from "../../scripts/lib/dev-server.ts";
import { prepareLocalDeployment } from "../../scripts/lib/local-deployment.ts";
import { localPaths } from "../../scripts/lib/paths.ts";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    lintelHome: string;
    homeTemplate: string;
  }
}

/** Never answers: each server writes its own addresses into the copy when it starts. */
const NOWHERE = "http://127.0.0.1:9";

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const template = mkdtempSync(path.join(os.tmpdir(), "lintel-e2e-template-"));
  const home = mkdtempSync(path.join(os.tmpdir(), "lintel-e2e-"));
  let server: Awaited<ReturnType<typeof startDevServer>>;
  try {
    await prepareLocalDeployment(localPaths(template), `${NOWHERE}/witness`, {
      main: NOWHERE,
      trustees: Object.fromEntries(DEMO_TRUSTEES.map((t) => [t.id, `${NOWHERE}/trustee`])),
    });
    cpSync(template, home, { recursive: true });
    server = await startDevServer(home);
  } catch (e) {
    for (const dir of [template, home]) rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  project.provide("baseUrl", server.baseUrl);
  project.provide("lintelHome", home);
  project.provide("homeTemplate", template);
  return async () => {
    await server.stop();
    rmSync(home, { recursive: true, force: true });
    rmSync(template, { recursive: true, force: true });
  };
}
