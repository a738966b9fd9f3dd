/** Signed log entries for worker tests, made with the test deployment's own registry and log keys. */

import { env } from "cloudflare:workers";
import {
  decodeBase64url,
  type EntryBody,
  encodeEntry,
  generateEd25519KeyPair,
  signEntry,
} from "@lintel/protocol";

export const registrySecret = () => decodeBase64url(env.REGISTRY_SIGNING_KEY!, 32);
export const logSecret = () => decodeBase64url(env.LOG_SIGNING_KEY!, 32);

export function entry(
  body: EntryBody,
  signers: Uint8Array[],
  issuedAt = Math.floor(Date.now() / 1000),
): Uint8Array {
  return encodeEntry(signEntry({ deployment: "demo", issuedAt, body }, signers));
}

export function genesis(): Uint8Array {
  const registry = registrySecret();
  const log = logSecret();
  return entry(
    {
      kind: "deployment",
      registryKey: generateEd25519KeyPair(registry).publicKey,
      logKey: generateEd25519KeyPair(log).publicKey,
      retentionDays: 21,
      approvalsRequired: 2,
      maxWindowHours: 48,
      maxEntrancesPerQuery: 20,
    },
    [registry],
  );
}

/** A registry-signed enrolment of a fresh officer: a cheap, always-valid entry. */
export function enrolment(label = "Officer"): Uint8Array {
  const officer = generateEd25519KeyPair();
  return entry({ kind: "officer-enrolment", publicKey: officer.publicKey, label }, [
    registrySecret(),
  ]);
}
