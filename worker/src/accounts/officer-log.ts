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

/**
 * The officer's name in the log: `<account label> (<account id>)`, public, the same for every
 * device of the account — the policy counts distinct labels as distinct officers (§10.4).
 */
export function officerLogLabel(label: string, accountId: string): string {
  const suffix = ` (${accountId})`;
  // Whole code points only: a lone surrogate is not text (§1.2).
  const chars = Array.from(label.trim() === "" ? "officer" : label.trim());
  const bytes = (t: string) => new TextEncoder().encode(t).length;
  while (bytes(chars.join("")) + bytes(suffix) > 64) chars.pop();
  return chars.join("").trimEnd() + suffix;
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

export function enrolOfficerKey(
  env: Env,
  publicKey: Uint8Array,
  label: string,
  accountId: string,
): Promise<void> {
  return appendRegistryEntry(
    env,
    {
      kind: "officer-enrolment",
      publicKey,
      label: officerLogLabel(label, accountId),
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
