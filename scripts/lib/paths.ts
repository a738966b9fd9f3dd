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
  /** Written by `npm run dev` while it runs (its pid and port): `npm run retention` waits for it to stop. */
  readonly devMarker: string;
  /** Each demo trustee's env file (its key share) and local state: nothing shared with the main service. */
  readonly trustee: (id: string) => { readonly vars: string; readonly persistTo: string };
}

export function localPaths(home = process.env.LINTEL_HOME): LocalPaths {
  if (home) {
    const root = path.resolve(home);
    return {
      identities: path.join(root, "identities.json"),
      devVars: path.join(root, ".dev.vars"),
      witnessVars: path.join(root, ".dev.vars.witness"),
      persistTo: path.join(root, "state"),
      devMarker: path.join(root, "dev-running.json"),
      trustee: (id) => ({
        vars: path.join(root, `.dev.vars.${id}`),
        persistTo: path.join(root, `state-${id}`),
      }),
    };
  }
  return {
    identities: path.join(repoRoot, ".lintel/demo/identities.json"),
    devVars: path.join(repoRoot, ".dev.vars"),
    witnessVars: path.join(repoRoot, ".lintel/demo/witness.vars"),
    persistTo: undefined,
    devMarker: path.join(repoRoot, ".lintel/demo/dev-running.json"),
    trustee: (id) => ({
      vars: path.join(repoRoot, `.lintel/demo/${id}.vars`),
      persistTo: path.join(repoRoot, `.wrangler/${id}`),
    }),
  };
}
