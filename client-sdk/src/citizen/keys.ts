/**
 * The keys a check-in is encrypted to (PROTOCOL.md §4.3, §4.6): for each UTC day d,
 *
 *   mpk_d = P_1 + … + P_n + E_d
 *
 * with P_i the deployment's trustee keys (each proof of possession verified by fetchDeployment,
 * and again here) and E_d the day's epoch key. Epoch keys come from GET /api/epoch-keys as
 * statements signed by the log key; each is verified here, on the device, under the log's
 * verifier key from the deployment answer, with its proof of possession, its deployment and its
 * day — so the service cannot slip in a key of its own choosing. A tampered statement refuses
 * the whole answer: a service that serves one forged key is not trusted for the others.
 *
 * The statements are published a week ahead so that a device that goes offline can still
 * encrypt: keep `keys.statements` and rebuild with {@link encryptionKeysFromStatements}.
 *
 * Proofs of possession cost pairings, so a load checks only today's epoch key's proof (and the
 * trustees', which the protocol remembers once they held); every other day's is checked when that
 * day's master key is first made — PreparedMasterKey.fromShares never sums a key whose proof it
 * has not seen verify.
 */

import { citizenRoutes, type RouteAnswer } from "@lintel/contract";
import {
  decodeBase64url,
  epochDay,
  type KeyShare,
  PreparedMasterKey,
  verifyEpochStatement,
  verifyProofsOfPossession,
} from "@lintel/protocol";
import { LintelError } from "../errors.ts";
import { callRoute, type ServiceOptions } from "../http.ts";
import { checked } from "./protocol-error.ts";
import { type CitizenDeployment, logVerifierKey } from "./trust.ts";

/** One entry of GET /api/epoch-keys: a UTC day and its signed statement (base64url). */
export type EpochKeyEntry = RouteAnswer<typeof citizenRoutes.epochKeys>["keys"][number];

export interface EncryptionKeys {
  /** The deployment these keys belong to. */
  readonly deployment: string;
  /** UTC day numbers with a verified epoch key, ascending. */
  readonly days: readonly number[];
  /** The statements as served, to keep for offline use. */
  readonly statements: readonly EpochKeyEntry[];
  /**
   * The checked master key of UTC day `day` (cached). A day without an epoch key throws
   * LintelError("no-epoch-key").
   */
  masterKeyForDay(day: number): PreparedMasterKey;
}

function trusteeShares(deployment: CitizenDeployment): KeyShare[] {
  // Without a trustee the epoch key alone would be the master key: whoever holds it could read
  // every check-in of the day. Never encrypt to such a set.
  if (deployment.trustees.length === 0) {
    throw new LintelError("deployment-incomplete", "The deployment names no trustee keys.");
  }
  return deployment.trustees.map((t) =>
    checked(`Trustee ${t.id}'s key`, () => ({
      publicKey: decodeBase64url(t.publicKey),
      proofOfPossession: decodeBase64url(t.proofOfPossession),
    })),
  );
}

/**
 * Verifies epoch statements (as GET /api/epoch-keys serves them, or as kept from an earlier
 * answer) and returns the keys to encrypt with. Throws a LintelError with the protocol's code
 * ("bad-signature", "bad-proof-of-possession", …) for a statement that does not verify,
 * "unknown-key" for one of another deployment, "bad-value" for one filed under another day or a
 * day served twice.
 */
export function encryptionKeysFromStatements(
  deployment: CitizenDeployment,
  entries: readonly EpochKeyEntry[],
  now: Date = new Date(),
): EncryptionKeys {
  const logKey = logVerifierKey(deployment);
  const trustees = trusteeShares(deployment);
  const epochKeys = new Map<number, KeyShare>();
  for (const entry of entries) {
    const statement = checked(`The epoch key of day ${entry.day}`, () =>
      verifyEpochStatement(decodeBase64url(entry.statement), logKey.publicKey, {
        checkProofOfPossession: false,
      }),
    );
    if (statement.deployment !== deployment.id) {
      throw new LintelError(
        "unknown-key",
        `The epoch key of day ${entry.day} is for another deployment.`,
      );
    }
    if (statement.day !== entry.day) {
      throw new LintelError(
        "bad-value",
        `The epoch key served for day ${entry.day} is for day ${statement.day}.`,
      );
    }
    if (epochKeys.has(statement.day)) {
      throw new LintelError("bad-value", `Two epoch keys were served for day ${statement.day}.`);
    }
    epochKeys.set(statement.day, {
      publicKey: statement.publicKey,
      proofOfPossession: statement.proofOfPossession,
    });
  }
  const today = epochKeys.get(epochDay(now.getTime() / 1000));
  if (today && verifyProofsOfPossession([today]) !== -1) {
    throw new LintelError(
      "bad-proof-of-possession",
      `The epoch key of day ${epochDay(now.getTime() / 1000)} has no valid proof of possession.`,
    );
  }
  const prepared = new Map<number, PreparedMasterKey>();
  const kept = entries.map((e) => ({ day: e.day, statement: e.statement }));
  return {
    deployment: deployment.id,
    days: [...epochKeys.keys()].sort((a, b) => a - b),
    statements: kept,
    masterKeyForDay(day: number): PreparedMasterKey {
      let mpk = prepared.get(day);
      if (mpk) return mpk;
      const epoch = epochKeys.get(day);
      if (!epoch) {
        throw new LintelError("no-epoch-key", `There is no epoch key for day ${day} yet.`);
      }
      // Share order (§4.3): the trustees in the deployment's order, then the epoch key. Every
      // proof of possession is checked again and duplicates are refused.
      mpk = checked(`The master key of day ${day}`, () =>
        PreparedMasterKey.fromShares([...trustees, epoch]),
      );
      prepared.set(day, mpk);
      return mpk;
    },
  };
}

/** GET /api/epoch-keys, every statement verified; see {@link encryptionKeysFromStatements}. */
export async function loadEncryptionKeys(
  service: ServiceOptions,
  deployment: CitizenDeployment,
  now: Date = new Date(),
): Promise<EncryptionKeys> {
  // Fail on a deployment without a log key before asking the service for anything.
  logVerifierKey(deployment);
  const { keys } = await callRoute(service, citizenRoutes.epochKeys);
  return encryptionKeysFromStatements(deployment, keys, now);
}
