/**
 * Where local state lives. By default: demo identities in .lintel/demo/, wrangler's local D1, R2
 * and Durable Object state in .wrangler/state/, secrets in .dev.vars (all git-ignored). Setting
 * LINTEL_HOME moves all three into that folder, which is how tests run isolated deployments.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export interface LocalPaths {
  readonly identities: string;
  readonly devVars: string;
  /** Secrets and settings of the demo witness instance. */
  readonly witnessVars: string;
  /** undefined: wrangler's default (.wrangler/state), shared with plain `wrangler dev`. */
  readonly persistTo: string | undefined;
}

export function localPaths(home = process.env.LINTEL_HOME): LocalPaths {
  if (home) {
    const root = path.resolve(home);
    return {
      identities: path.join(root, "identities.json"),
      devVars: path.join(root, ".dev.vars"),
      witnessVars: path.join(root, ".dev.vars.witness"),
      persistTo: path.join(root, "state"),
    };
  }
  return {
    identities: path.join(repoRoot, ".lintel/demo/identities.json"),
    devVars: path.join(repoRoot, ".dev.vars"),
    witnessVars: path.join(repoRoot, ".lintel/demo/witness.vars"),
    persistTo: undefined,
  };
}
