/**
 * A venue opening the contact records of its own approved request granting contacts (PROTOCOL.md
 * §11.7), on the operator's device — the same steps as an authority's query (§11.3–§11.5):
 *
 *   1. the approval's tlog-proof, verified: a `venue-request` of this venue granting contacts,
 *      sealed to the key this device made when it filed (refused before anything is read else);
 *   2. the releases an officer fetched and the service kept, each opened with that key — one per
 *      trustee of the signed record and one of the log, for this entry, with a slot per identity;
 *   3. the log audited: the request is the entry the replay accepted, and each release is the one
 *      logged (its commitments against the `trustee-release` entry);
 *   4. the partial keys checked by pairing and combined, then the scope's ciphertexts fetched
 *      and decrypted page by page;
 *   5. identical records merged. A citizen card stays sealed to the health authority's box key:
 *      it is listed as a sealed card, never opened here.
 *
 * Nothing decrypted leaves this function except in its return value.
 */
import { venueRequestRoutes } from "@lintel/contract";
import {
  type EntryBody,
  LOG_TRUSTEE_ID,
  type LogSource,
  openSealedRelease,
  queryScope,
  type Release,
  type ScopeIdentity,
} from "@lintel/protocol";
import type { ExposureAuditStore } from "../audit/log-store.ts";
import { signedCall } from "../auth/signed-fetch.ts";
import { SLOT_CIPHERTEXT_BYTES, venueRequestCiphertextPages } from "../authority/ciphertexts.ts";
import { type ReleaseSecretKey, releaseSecretKeyFor } from "../authority/decrypt.ts";
import type { AuthorityDeployment } from "../authority/deployment.ts";
import { combineLoggedKeys } from "../authority/keys.ts";
import { auditedLogHolding } from "../authority/log.ts";
import { type OfficerOptions, signedOptions } from "../authority/officer.ts";
import { type DecryptPool, inThreadPool } from "../authority/pool.ts";
import { fetchProof, verifyEntryProof } from "../authority/proof.ts";
import type { FoundContact } from "../authority/results.ts";
import { decryptStream } from "../authority/stream.ts";
import { LintelError } from "../errors.ts";

type RequestBody = Extract<EntryBody, { kind: "venue-request" }>;

export interface OpenVenueContactsOptions {
  /** The operator's signing device (same shape as an officer's: a device key and the service). */
  readonly operator: OfficerOptions;
  readonly deployment: AuthorityDeployment;
  readonly venueId: string;
  readonly requestId: string;
  /** The approval's log index (decimal), from the request's view. */
  readonly logIndex: string;
  /** The secret half of the request's release key, or a lookup (a key store). */
  readonly releaseSecretKey: ReleaseSecretKey;
  readonly pool?: DecryptPool;
  readonly logSource?: LogSource;
  readonly logStore?: ExposureAuditStore;
}

export interface VenueContactsResult {
  readonly request: RequestBody;
  readonly contacts: readonly FoundContact[];
  /** Identities no one can decrypt any more: their day left retention. */
  readonly expired: readonly ScopeIdentity[];
  readonly ciphertexts: number;
  readonly failures: Readonly<Record<string, number>>;
}

/** The kept releases, opened, in share order (the record's trustees), and the log's. */
async function openedReleases(
  options: OpenVenueContactsOptions,
  queryIndex: bigint,
  count: number,
  secretKey: Uint8Array,
): Promise<{ trustees: Release[]; log: Release }> {
  const { releases } = await signedCall(
    signedOptions(options.operator),
    venueRequestRoutes.venueRequestReleases,
    { params: { id: options.venueId, rid: options.requestId } },
  );
  const byHolder = new Map<string, Release>();
  for (const answer of releases) {
    let release: Release;
    try {
      release = await openSealedRelease(answer, {
        deployment: options.deployment.id,
        releaseSecretKey: secretKey,
        expectedCount: count,
      });
    } catch (e) {
      throw new LintelError(
        "bad-release",
        `The release of ${answer.trusteeId} does not open: ${e instanceof Error ? e.message : e}`,
      );
    }
    if (release.queryIndex !== queryIndex) {
      throw new LintelError("bad-release", `A release is for entry ${release.queryIndex}.`);
    }
    byHolder.set(release.trusteeId, release);
  }
  const holder = (id: string): Release => {
    const r = byHolder.get(id);
    if (!r) {
      throw new LintelError(
        "release-missing",
        `No release of ${id === LOG_TRUSTEE_ID ? "the log" : `trustee ${id}`} yet: ask the authority to fetch the releases.`,
      );
    }
    return r;
  };
  return {
    trustees: options.deployment.trustees.map((t) => holder(t.id)),
    log: holder(LOG_TRUSTEE_ID),
  };
}

export async function openVenueContacts(
  options: OpenVenueContactsOptions,
): Promise<VenueContactsResult> {
  const { operator, deployment } = options;
  const queryIndex = BigInt(options.logIndex);
  const proof = await fetchProof(
    operator,
    queryIndex,
    { deployment: deployment.id, logKey: deployment.logKey, witnesses: deployment.witnesses },
    { cosignatures: 0 },
    verifyEntryProof,
  );
  const body = proof.entry.body;
  if (
    body.kind !== "venue-request" ||
    body.venueId !== options.venueId ||
    !body.grants.includes("contacts")
  ) {
    throw new LintelError("bad-proof", "The logged entry is not this venue's contacts request.");
  }
  const secretKey = await releaseSecretKeyFor(options.releaseSecretKey, body.releaseKey);
  const scope = queryScope(deployment.id, body);
  const releases = await openedReleases(options, queryIndex, scope.length, secretKey);

  const log = await auditedLogHolding(
    deployment,
    {
      baseUrl: operator.baseUrl,
      ...(operator.fetch ? { fetch: operator.fetch } : {}),
      ...(options.logSource ? { source: options.logSource } : {}),
      ...(options.logStore ? { store: options.logStore } : {}),
    },
    { index: queryIndex, entryBytes: proof.entryBytes, what: "request" },
    [...releases.trustees, releases.log],
    scope.length,
  );

  const pool = options.pool ?? inThreadPool();
  const keys = await combineLoggedKeys(deployment, log, scope, releases, pool);
  const ready = keys.flatMap((k) => (k.status === "ready" ? [k] : []));
  const merged = await decryptStream({
    pool,
    identities: ready,
    pages: (identity) =>
      venueRequestCiphertextPages(operator, options.venueId, options.requestId, identity),
    ciphertextBytes: SLOT_CIPHERTEXT_BYTES,
  });
  return {
    request: body,
    // No box key: a citizen card is the health authority's to open, never the venue's.
    contacts: await merged.contacts(),
    expired: keys.flatMap((k) => (k.status === "expired" ? [k.identity] : [])),
    ciphertexts: merged.ciphertexts,
    failures: merged.failures(),
  };
}
