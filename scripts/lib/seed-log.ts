/**
 * The demo log's first entries, made once when the log is empty: a real deployment's first entries
 * (scripts/lib/bootstrap/genesis.ts: the deployment entry, the two trustees and the demo witness),
 * then the demo's own — the registry's enrolment of the two officers and the issuance of the demo
 * venue's entrances (queries may name only entrances the log shows issued). The officers' keys are
 * enrolled here so that the log names them by their demo labels; their accounts are made through
 * the service afterwards (seed-accounts.ts), whose enrolment of the same keys the log then finds
 * already done. Everything goes in one POST, which the log writes as one atomic batch — a restart
 * never finds half a history. Entries are signed here, with the demo registry key, exactly as
 * `npm run bootstrap -- genesis` signs them on the registry's own machine.
 */
import {
  decodeBase64url,
  decodeEntry,
  decodeEntryBundle,
  type EntryBody,
  encodeBase64url,
} from "@lintel/protocol";
import { type DeploymentPolicy, genesisEntries } from "./bootstrap/genesis.ts";
import { serviceKeys, witnessKeys } from "./bootstrap/keys.ts";
import type { DemoIdentities } from "./demo-identities.ts";
import { mainLogOrigin } from "./local-deployment.ts";
import { demoTrusteesPublic } from "./seed.ts";

export type { DeploymentPolicy };

export const DEMO_POLICY: DeploymentPolicy = {
  id: "demo",
  retentionDays: 21,
  approvalsRequired: 2,
  maxWindowHours: 48,
  maxEntrancesPerQuery: 20,
  // As wrangler.toml's [vars.LINTEL_DEPLOYMENT.officerPolicy]: the service and the log agree.
  maxEntranceHoursPerQuery: 12,
  wideQueryApprovals: 3,
  maxEntranceHoursWide: 48,
  maxEntranceHoursPerCase: 96,
  maxQueriesPerCase: 4,
  draftLifetimeSeconds: 86_400,
};

export function demoLogEntries(
  ids: DemoIdentities,
  policy: DeploymentPolicy,
  trusteeUrls: Readonly<Record<string, string>>,
  now = new Date(),
): Uint8Array[] {
  const b = (s: string) => decodeBase64url(s);
  const service = serviceKeys(policy.id, mainLogOrigin(), {
    registry: ids.registry,
    log: ids.log,
    receipt: ids.receipt,
    dataKey: ids.dataKey,
  }).public;
  const demoOnly: EntryBody[] = [
    ...ids.officers.map(
      (o): EntryBody => ({ kind: "officer-enrolment", publicKey: b(o.publicKey), label: o.label }),
    ),
    // The demo venue is approved at seeding (scripts/lib/seed.ts), so its entrances are issued here.
    ...ids.venue.entrances.map(
      (e): EntryBody => ({ kind: "entrance-issued", venueId: ids.venue.id, entranceId: e.id }),
    ),
  ];
  return genesisEntries({
    registrySecretKey: ids.registry.secretKey,
    service,
    policy,
    trustees: demoTrusteesPublic(ids, trusteeUrls),
    witnesses: [witnessKeys(ids.witness.id, "", ids.witness).public],
    more: demoOnly,
    now,
  });
}

/**
 * A local log kept from an older protocol version (e.g. a deployment entry without the sweep
 * limits) can no longer be replayed: say so, rather than let every append fail later.
 */
async function checkFirstEntryDecodes(base: string): Promise<void> {
  const res = await fetch(`${base}/log/tile/entries/000.p/1`);
  if (res.status !== 200) return;
  try {
    const [first] = decodeEntryBundle(new Uint8Array(await res.arrayBuffer()), 1);
    decodeEntry(first!);
  } catch (e) {
    throw new Error(
      `the local log was made by an older Lintel version (${e instanceof Error ? e.message : e}): ` +
        "delete the local state (.wrangler/ and .lintel/, or LINTEL_HOME) and start again",
    );
  }
}

/** Appends the demo history if the log at `base` is empty; returns what it did. */
export async function seedLog(
  base: string,
  ids: DemoIdentities,
  trusteeUrls: Readonly<Record<string, string>>,
): Promise<"seeded" | "kept"> {
  const checkpoint = await fetch(`${base}/log/checkpoint`);
  if (checkpoint.status === 200) {
    await checkFirstEntryDecodes(base);
    return "kept";
  }
  if (checkpoint.status !== 404)
    throw new Error(`log checkpoint: ${checkpoint.status} ${await checkpoint.text()}`);
  const res = await fetch(`${base}/log/entries`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      entries: demoLogEntries(ids, DEMO_POLICY, trusteeUrls).map(encodeBase64url),
    }),
  });
  if (res.status !== 201)
    throw new Error(`seeding the log failed: ${res.status} ${await res.text()}`);
  return "seeded";
}
