/**
 * The keys a citizen's device needs from the deployment answer (GET /api/deployment) beyond the
 * trustee keys fetchDeployment already checked: the log's verifier key, under which every epoch
 * statement must verify, and the receipt key, under which every check-in receipt must verify.
 *
 * `DeploymentInfo` does not declare these fields yet, so they are read here from the answer as
 * served and checked strictly; a deployment without them cannot be used for check-ins and fails
 * with "deployment-incomplete" before anything is encrypted or sent.
 */
import {
  constantTimeEqual,
  decodeBase64url,
  ED25519_PUBLIC_KEY_BYTES,
  parseVerifierKey,
  type VerifierKey,
} from "@lintel/protocol";
import type { DeploymentInfo } from "../deployment/index.ts";
import { LintelError } from "../errors.ts";
import { objectField } from "./fields.ts";

/** What GET /api/deployment says about the log and the receipt key. */
export interface CitizenDeploymentKeys {
  readonly log?: { readonly verifierKey?: string | null } | null;
  readonly receipt?: {
    readonly publicKey?: string | null;
    readonly verifierKey?: string | null;
  } | null;
}

/** A deployment answer, possibly carrying the citizen keys. */
export type CitizenDeployment = DeploymentInfo & CitizenDeploymentKeys;

function incomplete(message: string): LintelError {
  return new LintelError("deployment-incomplete", message);
}

/** The log's verifier key (`log.verifierKey`): epoch statements verify under it. */
export function logVerifierKey(deployment: CitizenDeployment): VerifierKey {
  const text = objectField(objectField(deployment, "log"), "verifierKey");
  if (typeof text !== "string" || text === "") {
    throw incomplete("The deployment publishes no log key; epoch keys cannot be checked.");
  }
  try {
    return parseVerifierKey(text);
  } catch {
    throw incomplete("The deployment's log key is not a valid verifier key.");
  }
}

/**
 * The receipt (server) public key (`receipt.publicKey`, base64url, and/or `receipt.verifierKey`,
 * C2SP form). When both are given they must name the same key.
 */
export function receiptPublicKey(deployment: CitizenDeployment): Uint8Array {
  const receipt = objectField(deployment, "receipt");
  const raw = objectField(receipt, "publicKey");
  const text = objectField(receipt, "verifierKey");
  let fromRaw: Uint8Array | undefined;
  let fromText: Uint8Array | undefined;
  try {
    if (typeof raw === "string" && raw !== "")
      fromRaw = decodeBase64url(raw, ED25519_PUBLIC_KEY_BYTES);
    if (typeof text === "string" && text !== "") fromText = parseVerifierKey(text).publicKey;
  } catch {
    throw incomplete("The deployment's receipt key is malformed.");
  }
  if (fromRaw && fromText && !constantTimeEqual(fromRaw, fromText)) {
    throw incomplete("The deployment names two different receipt keys.");
  }
  const key = fromRaw ?? fromText;
  if (!key) {
    throw incomplete(
      "The deployment publishes no receipt key; a check-in could not be confirmed, so none is made.",
    );
  }
  return key;
}
