/** Signed log entries for worker tests, made with the test deployment's own registry and log keys. */

import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import {
  decodeBase64url,
  type EntryBody,
  ed25519PublicKey,
  encodeEntry,
  formatVerifierKey,
  generateEd25519KeyPair,
  parseVerifierKey,
  signEntry,
  type VerifierKey,
} from "@lintel/protocol";
import { loadDeployment } from "../../worker/src/config/deployment.ts";
import { type LogWriter, logWriterStub } from "../../worker/src/log/writer.ts";

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
  const deployment = loadDeployment(env.LINTEL_DEPLOYMENT);
  const registry = registrySecret();
  const log = logSecret();
  return entry(
    {
      kind: "deployment",
      registryKey: generateEd25519KeyPair(registry).publicKey,
      logKey: generateEd25519KeyPair(log).publicKey,
      // The limits of the test deployment's configuration: the service and the log agree.
      retentionDays: deployment.retentionDays,
      ...deployment.officerPolicy,
    },
    [registry],
  );
}

/** The registry's issuance of an entrance (what approving its venue logs). */
export function issuance(entranceId: string, venueId = "v1"): Uint8Array {
  return entry({ kind: "entrance-issued", venueId, entranceId }, [registrySecret()]);
}

/** A registry-signed enrolment of a fresh officer: a cheap, always-valid entry. */
export function enrolment(label = "Officer"): Uint8Array {
  const officer = generateEd25519KeyPair();
  return entry({ kind: "officer-enrolment", publicKey: officer.publicKey, label }, [
    registrySecret(),
  ]);
}

/** The test deployment's log verifier key (C2SP signed-note form, parsed). */
export function logVerifierKey(): VerifierKey {
  const origin = loadDeployment(env.LINTEL_DEPLOYMENT).logOrigin;
  return parseVerifierKey(formatVerifierKey(origin, ed25519PublicKey(logSecret())));
}

/** The deployment's own log object, which the HTTP routes use. */
export function deploymentLog(): DurableObjectStub<LogWriter> {
  return logWriterStub(env, loadDeployment(env.LINTEL_DEPLOYMENT).id);
}

/** Empties the deployment's log and appends its first entry (the deployment): each test's start. */
export async function startDeploymentLog(): Promise<void> {
  await wipeDeploymentLog();
  const started = await deploymentLog().append([genesis()]);
  if (!started.ok) throw new Error(started.reason);
}

/** Empties the deployment's log (it is shared by every test in a file) and its witness state. */
export async function wipeDeploymentLog(): Promise<void> {
  await runInDurableObject(deploymentLog(), async (instance, state) => {
    for (const t of [
      "leaves",
      "nodes",
      "checkpoints",
      "witness_sizes",
      "cosignatures",
      "epoch_keys",
      "epoch_releases",
      "policy_state",
    ]) {
      // Every table exists: the writer's migrations ran when the object started.
      state.storage.sql.exec(`DELETE FROM ${t}`);
    }
    (instance as unknown as { loadState(): void }).loadState();
  });
}

/**
 * Starts the deployment's log with its deployment entry if it is empty: approving a venue logs
 * its entrances' issuance, which the log takes only after entry 0.
 */
export async function ensureLogStarted(): Promise<void> {
  if ((await deploymentLog().checkpoint()) !== null) return;
  const outcome = await deploymentLog().append([genesis()]);
  if (!outcome.ok) throw new Error(`starting the log failed: ${JSON.stringify(outcome)}`);
}
