/**
 * Signs the log's checkpoints: C2SP tlog-checkpoint bodies as C2SP signed notes, under the key
 * whose name is the log's origin (the convention the tlog specs use). The key is the Worker secret
 * LOG_SIGNING_KEY (a base64url Ed25519 seed); without it the log cannot be written and the
 * service says so as a `misconfigured` problem.
 */
import { ed25519NoteSigner, formatCheckpoint, signNote } from "@lintel/protocol";
import { loadDeployment } from "../config/deployment.ts";
import { secretSeed } from "../config/secrets.ts";
import type { Env } from "../env.ts";

export interface CheckpointSigner {
  readonly origin: string;
  sign(size: bigint, rootHash: Uint8Array): string;
}

export function checkpointSignerFrom(env: Env): CheckpointSigner {
  const { logOrigin } = loadDeployment(env.LINTEL_DEPLOYMENT);
  const secret = secretSeed(env, "LOG_SIGNING_KEY");
  const signer = ed25519NoteSigner(logOrigin, secret);
  return {
    origin: logOrigin,
    sign: (size, rootHash) =>
      signNote(formatCheckpoint({ origin: logOrigin, size, rootHash }), [signer]),
  };
}
