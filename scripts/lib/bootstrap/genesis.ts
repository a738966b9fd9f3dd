/**
 * A deployment's first log entries (PROTOCOL.md §10.3), signed by the registry key: the
 * deployment entry with the officer policy, then the enrolment of every trustee and witness from
 * the public material they handed over. The log refuses anything before its deployment entry, so
 * these go in one `POST /log/entries`, which the log writes as one batch. Also the settings each
 * party's worker needs to find the others.
 */
import {
  assertProofOfPossession,
  type DeploymentLimits,
  decodeBase64url,
  type EntryBody,
  ed25519PublicKey,
  encodeBase64url,
  encodeEntry,
  signEntry,
} from "@lintel/protocol";
import type { ServicePublic, TrusteePublic, WitnessPublic } from "./keys.ts";

export interface DeploymentPolicy extends DeploymentLimits {
  readonly id: string;
}

export interface GenesisInput {
  readonly registrySecretKey: string;
  readonly service: ServicePublic;
  readonly policy: DeploymentPolicy;
  readonly trustees: readonly TrusteePublic[];
  readonly witnesses: readonly WitnessPublic[];
  /** Entries the registry signs in the same batch (the demo's officers and entrances). */
  readonly more?: readonly EntryBody[];
  readonly now?: Date;
}

export function genesisEntries(input: GenesisInput): Uint8Array[] {
  const registry = decodeBase64url(input.registrySecretKey, 32);
  const b = (s: string) => decodeBase64url(s);
  if (encodeBase64url(ed25519PublicKey(registry)) !== input.service.registryKey)
    throw new Error("the registry secret key is not the one the service's public file names");
  if (input.policy.id !== input.service.deployment)
    throw new Error(
      `the policy is for deployment ${input.policy.id}, the keys for ${input.service.deployment}`,
    );
  for (const t of input.trustees) assertProofOfPossession(b(t.shareKey), b(t.proofOfPossession));
  const p = input.policy;
  const bodies: EntryBody[] = [
    {
      kind: "deployment",
      registryKey: b(input.service.registryKey),
      logKey: b(input.service.logKey),
      retentionDays: p.retentionDays,
      approvalsRequired: p.approvalsRequired,
      maxWindowHours: p.maxWindowHours,
      maxEntrancesPerQuery: p.maxEntrancesPerQuery,
      maxEntranceHoursPerQuery: p.maxEntranceHoursPerQuery,
      wideQueryApprovals: p.wideQueryApprovals,
      maxEntranceHoursWide: p.maxEntranceHoursWide,
      maxEntranceHoursPerCase: p.maxEntranceHoursPerCase,
      maxQueriesPerCase: p.maxQueriesPerCase,
      draftLifetimeSeconds: p.draftLifetimeSeconds,
    },
    ...input.trustees.map(
      (t): EntryBody => ({
        kind: "trustee-enrolment",
        trusteeId: t.id,
        url: t.url,
        shareKey: b(t.shareKey),
        proofOfPossession: b(t.proofOfPossession),
        signingKey: b(t.signingKey),
      }),
    ),
    ...input.witnesses.map(
      (w): EntryBody => ({ kind: "witness-enrolment", name: w.name, publicKey: b(w.publicKey) }),
    ),
    ...(input.more ?? []),
  ];
  const issuedAt = Math.floor((input.now ?? new Date()).getTime() / 1000);
  return bodies.map((body) =>
    encodeEntry(signEntry({ deployment: p.id, issuedAt, body }, [registry])),
  );
}

/** The settings (vars) that tell each party's worker where the others are and which keys to pin. */
export function roleSettings(input: {
  readonly service: ServicePublic;
  readonly logUrl: string;
  readonly trustees: readonly TrusteePublic[];
  readonly witnesses: readonly WitnessPublic[];
  /** How many witness cosignatures a trustee requires on a query's checkpoint. */
  readonly quorum: number;
}) {
  return {
    main: {
      LINTEL_WITNESSES: JSON.stringify(
        input.witnesses.map((w) => ({ name: w.name, key: w.verifierKey, url: w.url })),
      ),
    },
    trustees: Object.fromEntries(
      input.trustees.map((t) => [
        t.id,
        {
          LINTEL_TRUSTEE: JSON.stringify({
            id: t.id,
            url: t.url,
            logUrl: input.logUrl,
            logKey: input.service.logVerifierKey,
            witnesses: input.witnesses.map((w) => w.verifierKey),
            quorum: input.quorum,
            registryKey: input.service.registryKey,
          }),
        },
      ]),
    ),
    witness: Object.fromEntries(
      input.witnesses.map((w) => [
        w.name,
        {
          LINTEL_WITNESS: JSON.stringify({
            name: w.name,
            logs: [{ origin: input.service.logOrigin, key: input.service.logVerifierKey }],
          }),
        },
      ]),
    ),
  };
}
