/**
 * Asks a running service for a registry reviewer account (POST /api/registry/reviewers), signed
 * with the registry key on the machine that holds it; returns the account and its one-time
 * enrolment code, which the reviewer types into /registry/ on their own device.
 */
import {
  decodeBase64url,
  deviceKeyId,
  ed25519PublicKey,
  encodeBase64url,
  signRequest,
} from "@lintel/protocol";

export interface NewReviewer {
  readonly accountId: string;
  readonly label: string;
  readonly enrolmentCode: string;
  readonly codeExpiresAt: number;
}

export async function requestReviewer(
  serviceUrl: string,
  deployment: string,
  registrySecretKey: string,
  label: string,
): Promise<NewReviewer> {
  const path = "/api/registry/reviewers";
  const secret = decodeBase64url(registrySecretKey, 32);
  const body = new TextEncoder().encode(JSON.stringify({ label }));
  const statement = signRequest(
    {
      deployment,
      keyId: deviceKeyId(deployment, ed25519PublicKey(secret)),
      method: "POST",
      path,
      body,
      now: new Date(),
    },
    secret,
  );
  const res = await fetch(new URL(path, serviceUrl), {
    method: "POST",
    headers: { "content-type": "application/json", "lintel-statement": encodeBase64url(statement) },
    body,
  });
  if (res.status !== 201) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as NewReviewer;
}
