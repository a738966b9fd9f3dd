/**
 * Log entries the registry signs alone (PROTOCOL.md §10.3), made here with the deployment's
 * registry key so that every route writes them the same way.
 */
import { type EntryBody, encodeEntry, signEntry } from "@lintel/protocol";
import { loadDeployment } from "../config/deployment.ts";
import { secretSeed } from "../config/secrets.ts";
import type { Env } from "../env.ts";

export function registryEntry(env: Env, body: EntryBody, issuedAt: number): Uint8Array {
  return encodeEntry(
    signEntry({ deployment: loadDeployment(env.LINTEL_DEPLOYMENT).id, issuedAt, body }, [
      secretSeed(env, "REGISTRY_SIGNING_KEY"),
    ]),
  );
}
