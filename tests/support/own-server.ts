/**
 * A dev server of a test file's own, with its demo registry reviewer's signer: for e2e files
 * that make venues, which would change what the files sharing the seeded demo server expect of
 * it (one venue). Start it in beforeAll (DEV_SERVER_HOOK_MS) and stop it in afterAll.
 */
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { callRoute, deviceKeyFromSeed, type SignedServiceOptions } from "@lintel/client-sdk";
import { citizenRoutes } from "@lintel/contract";
import { decodeBase64url } from "@lintel/protocol";
import type { DemoIdentities } from "../../scripts/lib/demo-identities.ts";
import { type DevServer, startDevServer } from "../../scripts/lib/dev-server.ts";
import { preparedHome } from "./home.ts";
import { signerFor } from "./venue.ts";

export { DEV_SERVER_HOOK_MS } from "../../scripts/lib/dev-server.ts";

export interface OwnServer {
  readonly server: DevServer;
  readonly base: string;
  /** The deployment's time zone, as GET /api/deployment states it. */
  readonly timezone: string;
  readonly ids: DemoIdentities;
  /** The demo registry reviewer's device. */
  readonly registry: SignedServiceOptions;
  stop(): Promise<void>;
}

/**
 * Starts a dev server in a fresh temporary home named after `name`; `settings` are scripts/dev.ts
 * settings (e.g. LINTEL_VENUE_REQUEST_GRANTS).
 */
export async function ownServer(
  name: string,
  settings: Readonly<Record<string, string>> = {},
): Promise<OwnServer> {
  const home = preparedHome(name);
  const server = await startDevServer(home, undefined, settings);
  const base = server.baseUrl;
  const deployment = await callRoute({ baseUrl: base }, citizenRoutes.deployment);
  const ids = JSON.parse(
    readFileSync(path.join(home, "identities.json"), "utf8"),
  ) as DemoIdentities;
  const registry = signerFor(
    base,
    deployment.id,
    deviceKeyFromSeed(decodeBase64url(ids.registryStaff.deviceSecretKey, 32)),
  );
  return {
    server,
    base,
    timezone: deployment.timezone,
    ids,
    registry,
    async stop() {
      await server.stop();
      rmSync(home, { recursive: true, force: true });
    },
  };
}
