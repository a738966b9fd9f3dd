/**
 * Signs the log's checkpoints: C2SP tlog-checkpoint bodies as C2SP signed notes, under the key
 * whose name is the log's origin (the convention the tlog specs use). The key is the Worker secret
 * LOG_SIGNING_KEY (a base64url Ed25519 seed); without it the log cannot be written and the
 * service says so as a `misconfigured` problem.
 */
import { decodeBase64url, ed25519NoteSigner, formatCheckpoint, signNote } from "@lintel/protocol";
import { loadDeployment } from "../config/deployment.ts";
import type { Env } from "../env.ts";
import { ProblemError } from "../problems/problem.ts";

export interface CheckpointSigner {
  readonly origin: string;
  sign(size: bigint, rootHash: Uint8Array): string;
}

export function checkpointSignerFrom(env: Env): CheckpointSigner {
  const { logOrigin } = loadDeployment(env.LINTEL_DEPLOYMENT);
  let secret: Uint8Array;
  try {
    secret = decodeBase64url(env.LOG_SIGNING_KEY ?? "", 32);
  } catch {
    throw new ProblemError(
      "misconfigured",
      "LOG_SIGNING_KEY is missing or is not a base64url Ed25519 seed.",
    );
  }
  const signer = ed25519NoteSigner(logOrigin, secret);
  return {
    origin: logOrigin,
    sign: (size, rootHash) =>
      signNote(formatCheckpoint({ origin: logOrigin, size, rootHash }), [signer]),
  };
}
