/**
 * Officers' keys in the transparency log (PROTOCOL.md §11.2). An officer's device key signs their
 * exposure queries and warnings, and the log policy accepts only keys the registry enrolled there;
 * so enrolling an officer's device appends a registry-signed `officer-enrolment` of its public key,
 * and signing it out appends an `officer-removal`. Anyone replaying the log — trustees before they
 * release, auditors, citizens — sees exactly which keys could sign queries, and when.
 */
import { decodeBase64url, type EntryBody, encodeEntry, signEntry } from "@lintel/protocol";
import { loadDeployment } from "../config/deployment.ts";
import { secretSeed } from "../config/secrets.ts";
import type { Env } from "../env.ts";
import { logWriterStub } from "../log/writer.ts";
import { ProblemError } from "../problems/problem.ts";

/** Log labels are public: the account's self-chosen label, cut to the entry's 64 bytes. */
function logLabel(label: string): string {
  let out = label;
  while (new TextEncoder().encode(out).length > 64) out = out.slice(0, -1);
  return out.trim() === "" ? "officer" : out;
}

async function appendRegistryEntry(env: Env, body: EntryBody, alreadyDone: RegExp): Promise<void> {
  const deployment = loadDeployment(env.LINTEL_DEPLOYMENT).id;
  const entry = encodeEntry(
    signEntry({ deployment, issuedAt: Math.floor(Date.now() / 1000), body }, [
      secretSeed(env, "REGISTRY_SIGNING_KEY"),
    ]),
  );
  const outcome = await logWriterStub(env, deployment).append([entry]);
  if (outcome.ok || (outcome.kind === "refused" && alreadyDone.test(outcome.reason))) return;
  console.error("officer key: log append failed");
  throw new ProblemError("log-unavailable");
}

export function enrolOfficerKey(env: Env, publicKey: string, label: string): Promise<void> {
  return appendRegistryEntry(
    env,
    {
      kind: "officer-enrolment",
      publicKey: decodeBase64url(publicKey, 32),
      label: logLabel(label),
    },
    /already enrolled/,
  );
}

export async function removeOfficerKeys(env: Env, publicKeys: readonly string[]): Promise<void> {
  for (const publicKey of publicKeys) {
    await appendRegistryEntry(
      env,
      { kind: "officer-removal", publicKey: decodeBase64url(publicKey, 32) },
      /no such officer/,
    );
  }
}
