/**
 * Asking for the partial keys of a logged query (PROTOCOL.md §11.3): every trustee of the
 * registry-signed record at `POST <url>/release`, and the log's epoch share at
 * `POST /api/queries/<queryIndex>/release` on the main service. Each request is signed by the
 * officer and carries the verified proof; each answer is parsed strictly, must come from the
 * holder it was asked of, for this query, with one slot per scope identity. Each answer's keys
 * are sealed (HPKE) to the query's release key and opened here with its secret half, which only
 * the filing device holds. Whether the keys are right is checked later, by pairing, against the
 * signed share keys (keys.ts).
 *
 * For a venue request granting contacts (§11.7) the officer asks the same holders the same way,
 * but the answers are sealed to the venue's key: collectSealedReleases checks only who answered
 * for what, and hands them on unopened.
 */
import { queryRoutes } from "@lintel/contract";
import {
  LOG_TRUSTEE_ID,
  openSealedRelease,
  type Release,
  SEALED_RELEASE_FORMAT,
  type SealedReleaseJson,
} from "@lintel/protocol";
import { signedCall, signedJson } from "../auth/signed-fetch.ts";
import { LintelError } from "../errors.ts";
import type { AuthorityDeployment } from "./deployment.ts";
import { type OfficerOptions, signedOptions } from "./officer.ts";
import type { VerifiedEntryProof } from "./proof.ts";

/** What a release is asked with: the proof text (to forward) and the entry's index. */
type ProofRef = Pick<VerifiedEntryProof, "text" | "queryIndex">;

/** Releases in share order: the record's trustees, then the log ("log"). */
export interface CollectedReleases {
  readonly trustees: readonly Release[];
  readonly log: Release;
}

/** What opens the answers: the deployment (in the seal's info) and the release secret key. */
export interface ReleaseOpening {
  readonly deployment: string;
  readonly releaseSecretKey: Uint8Array;
  readonly count: number;
}

async function checked(
  answer: unknown,
  holder: string,
  queryIndex: bigint,
  opening: ReleaseOpening,
): Promise<Release> {
  let release: Release;
  try {
    release = await openSealedRelease(answer, {
      deployment: opening.deployment,
      releaseSecretKey: opening.releaseSecretKey,
      expectedCount: opening.count,
    });
  } catch (e) {
    throw new LintelError(
      "bad-release",
      `${holder}'s release is malformed: ${e instanceof Error ? e.message : e}`,
    );
  }
  if (release.queryIndex !== queryIndex) {
    throw new LintelError("bad-release", `${holder} answered for query ${release.queryIndex}.`);
  }
  return release;
}

/** POST <url>/release at one trustee: its answer as it came (sealed). */
function askTrustee(
  officer: OfficerOptions,
  trustee: AuthorityDeployment["trustees"][number],
  proof: ProofRef,
): Promise<unknown> {
  const url = new URL(`${trustee.url}/release`);
  // A statement goes only to the origin it is made for, and names the trustee it is for: no
  // other trustee accepts it, whoever forwards it.
  return signedJson<unknown>(
    { ...signedOptions(officer, url.origin), audience: { id: trustee.id, origin: url.origin } },
    "POST",
    url.pathname,
    { proof: proof.text },
  ).catch((e: unknown) => {
    if (e instanceof LintelError) {
      throw new LintelError(e.code, `Trustee ${trustee.id}: ${e.message}`, e.status);
    }
    throw e;
  });
}

/** POST /api/queries/<index>/release: the log's answer as it came (sealed). */
function askLog(officer: OfficerOptions, proof: ProofRef): Promise<unknown> {
  return signedCall(
    { ...signedOptions(officer), audience: { id: LOG_TRUSTEE_ID, origin: "" } },
    queryRoutes.releaseEpochShare,
    { params: { queryIndex: String(proof.queryIndex) } },
  );
}

async function trusteeRelease(
  officer: OfficerOptions,
  trustee: AuthorityDeployment["trustees"][number],
  proof: ProofRef,
  opening: ReleaseOpening,
): Promise<Release> {
  const answer = await askTrustee(officer, trustee, proof);
  const release = await checked(answer, `Trustee ${trustee.id}`, proof.queryIndex, opening);
  if (release.trusteeId !== trustee.id) {
    throw new LintelError(
      "bad-release",
      `The trustee at ${trustee.url} answered as ${release.trusteeId}, not ${trustee.id}.`,
    );
  }
  return release;
}

async function logRelease(
  officer: OfficerOptions,
  proof: ProofRef,
  opening: ReleaseOpening,
): Promise<Release> {
  const answer = await askLog(officer, proof);
  const release = await checked(answer, "The log", proof.queryIndex, opening);
  if (release.trusteeId !== LOG_TRUSTEE_ID) {
    throw new LintelError("bad-release", `The log's release names ${release.trusteeId}.`);
  }
  return release;
}

/** A sealed answer, checked for its holder and entry only: the keys inside are not ours. */
function sealedFrom(
  answer: unknown,
  holder: string,
  trusteeId: string,
  queryIndex: bigint,
): SealedReleaseJson {
  const a = answer as Partial<Record<keyof SealedReleaseJson, unknown>> | null;
  if (
    typeof a !== "object" ||
    a === null ||
    a.format !== SEALED_RELEASE_FORMAT ||
    a.trusteeId !== trusteeId ||
    a.queryIndex !== String(queryIndex) ||
    typeof a.releaseIndex !== "string" ||
    typeof a.sealedKeys !== "string"
  ) {
    throw new LintelError(
      "bad-release",
      `${holder} did not answer a sealed release of ${trusteeId} for entry ${queryIndex}.`,
    );
  }
  return a as SealedReleaseJson;
}

/**
 * Every holder's release of a venue request granting contacts (§11.7), asked for at once and
 * kept sealed: they open only with the venue's key. The log's first, then the record's trustees.
 */
export async function collectSealedReleases(
  officer: OfficerOptions,
  deployment: AuthorityDeployment,
  proof: ProofRef,
  onAnswer: (answered: number, of: number) => void = () => {},
): Promise<SealedReleaseJson[]> {
  const of = deployment.trustees.length + 1;
  let answered = 0;
  const heard = (release: SealedReleaseJson): SealedReleaseJson => {
    onAnswer(++answered, of);
    return release;
  };
  return Promise.all([
    askLog(officer, proof).then((a) =>
      heard(sealedFrom(a, "The log", LOG_TRUSTEE_ID, proof.queryIndex)),
    ),
    ...deployment.trustees.map((t) =>
      askTrustee(officer, t, proof).then((a) =>
        heard(sealedFrom(a, `Trustee ${t.id}`, t.id, proof.queryIndex)),
      ),
    ),
  ]);
}

/**
 * All releases, asked for at once; the first failure (naming its holder) rejects. `onAnswer`
 * hears each holder's opened release as it arrives (holders take seconds for a large scope).
 */
export async function collectReleases(
  officer: OfficerOptions,
  deployment: AuthorityDeployment,
  proof: ProofRef,
  scopeLength: number,
  releaseSecretKey: Uint8Array,
  onAnswer: (answered: number, of: number) => void = () => {},
): Promise<CollectedReleases> {
  const opening = { deployment: deployment.id, releaseSecretKey, count: scopeLength };
  const of = deployment.trustees.length + 1;
  let answered = 0;
  const heard = (release: Release): Release => {
    onAnswer(++answered, of);
    return release;
  };
  const [log, ...trustees] = await Promise.all([
    logRelease(officer, proof, opening).then(heard),
    ...deployment.trustees.map((t) => trusteeRelease(officer, t, proof, opening).then(heard)),
  ]);
  return { trustees, log: log! };
}
