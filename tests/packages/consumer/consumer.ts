// A TypeScript application against the installed packages' declarations (checked with
// moduleResolution "bundler" and "node16", strict, without skipLibCheck).
import {
  auditLog,
  type CheckInOptions,
  contactsCsv,
  createBrowserDecryptPool,
  createNodeDecryptPool,
  type DecryptPool,
  type DeploymentInfo,
  fetchDeployment,
  httpLogSource,
  LintelError,
  readCode,
} from "@lintel/client-sdk";
import {
  decodeBase64url,
  isProtocolError,
  type KeyShare,
  ProtocolError,
  parseVerifierKey,
  type VerifierKey,
} from "@lintel/protocol";
import { type AuthorityBoxKeyPair, ready, xchacha20poly1305 } from "@lintel/protocol/seal";

export async function deployment(baseUrl: string): Promise<DeploymentInfo> {
  return fetchDeployment({ baseUrl });
}

export async function nodePool(): Promise<DecryptPool> {
  return createNodeDecryptPool({ threads: 2 });
}

export function browserPool(url: URL): DecryptPool {
  return createBrowserDecryptPool(() => new Worker(url, { type: "module" }));
}

export function describe(error: unknown): string {
  if (error instanceof LintelError) return `sdk: ${error.code}`;
  if (isProtocolError(error)) return `protocol: ${error.code}`;
  return error instanceof ProtocolError ? "impossible" : String(error);
}

export const pieces = {
  auditLog,
  contactsCsv,
  httpLogSource,
  readCode,
  decodeBase64url,
  ready,
  xchacha20poly1305,
};
export type Used = [CheckInOptions, KeyShare, VerifierKey, AuthorityBoxKeyPair];
export function logKey(text: string): VerifierKey {
  return parseVerifierKey(text);
}
