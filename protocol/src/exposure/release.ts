/**
 * Releases of partial identity keys for a logged exposure query (PROTOCOL.md §11.3).
 *
 * A release answers with one slot per scope identity (scope.ts), in scope order: the 96-byte
 * partial key D_i = s_i·H2(id) (§4.5), or null where the holder withholds it — the day has left
 * retention (a trustee, by its clock) or its secret is gone (the log, once e_d was destroyed).
 * What the log records (`trustee-release`, §10.3) is the count and a commitment to every key:
 *
 *   c_i             = SHA-256(k_i), or 32 zero bytes where the holder had no key when it logged
 *   partialKeysHash = SHA-256( c_1 ‖ c_2 ‖ … ‖ c_n )
 *
 * A key withheld later (its day left retention after the release was logged) comes with its c_i
 * in `withheld`, so the release still shows it is the one the log recorded, without the key.
 *
 * The JSON form, as the trustee and the log serve it:
 *
 *   {"format": "lintel-release/1", "trusteeId": "<id>", "queryIndex": "<decimal u64>",
 *    "releaseIndex": "<decimal u64>", "partialKeys": ["<base64url of 96 bytes>" | null, …],
 *    "withheld": ["<base64url of 32 bytes>" | null, …]}        (optional; null where a key is given)
 *
 * `releaseIndex` is the leaf index of the `trustee-release` entry. The trustee id `log` is
 * reserved for the log's epoch share (§10.4).
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { decodeBase64url, encodeBase64url } from "../encoding/base64url.ts";
import { ProtocolError } from "../errors.ts";
import { LOG_TRUSTEE_ID } from "../log/entries/policy.ts";
import { PARTIAL_KEY_BYTES } from "../tibe/curve.ts";

export { LOG_TRUSTEE_ID };
export const RELEASE_FORMAT = "lintel-release/1";

export interface Release {
  readonly trusteeId: string;
  readonly queryIndex: bigint;
  readonly releaseIndex: bigint;
  readonly partialKeys: ReadonlyArray<Uint8Array | null>;
  /** Per position: the commitment c_i of a key withheld now, else null (absent: none given). */
  readonly withheld?: ReadonlyArray<Uint8Array | null>;
}

export const COMMITMENT_BYTES = 32;
const NO_KEY = new Uint8Array(COMMITMENT_BYTES);

/** c_i of a partial key: SHA-256 of its 96 bytes; 32 zero bytes for a key the holder lacks. */
export function keyCommitment(key: Uint8Array | null): Uint8Array {
  if (key === null) return NO_KEY.slice();
  if (key.length !== PARTIAL_KEY_BYTES)
    throw new ProtocolError("bad-length", "a partial key is 96 bytes");
  return sha256(key);
}

/** SHA-256( c_1 ‖ … ‖ c_n ). */
export function commitmentsHash(commitments: readonly Uint8Array[]): Uint8Array {
  const all = new Uint8Array(commitments.length * COMMITMENT_BYTES);
  commitments.forEach((c, i) => {
    if (c.length !== COMMITMENT_BYTES)
      throw new ProtocolError("bad-length", "a key commitment is 32 bytes");
    all.set(c, i * COMMITMENT_BYTES);
  });
  return sha256(all);
}

/** The partialKeysHash a holder logs for the keys it has (null: none). */
export function partialKeysHash(keys: ReadonlyArray<Uint8Array | null>): Uint8Array {
  return commitmentsHash(keys.map(keyCommitment));
}

/**
 * The partialKeysHash a release answers for: each given key's commitment, and for a withheld
 * key the commitment the holder gives for it (zeros if none). Compare with the logged one.
 */
export function releaseHash(r: Release): Uint8Array {
  return commitmentsHash(
    r.partialKeys.map((k, i) => (k === null ? (r.withheld?.[i] ?? NO_KEY) : keyCommitment(k))),
  );
}

export interface ReleaseJson {
  readonly format: typeof RELEASE_FORMAT;
  readonly trusteeId: string;
  readonly queryIndex: string;
  readonly releaseIndex: string;
  readonly partialKeys: ReadonlyArray<string | null>;
  readonly withheld?: ReadonlyArray<string | null>;
}

export function releaseToJson(r: Release): ReleaseJson {
  const withheld = r.withheld?.some((c) => c !== null)
    ? { withheld: r.withheld.map((c) => (c === null ? null : encodeBase64url(c))) }
    : {};
  return {
    format: RELEASE_FORMAT,
    trusteeId: r.trusteeId,
    queryIndex: r.queryIndex.toString(),
    releaseIndex: r.releaseIndex.toString(),
    partialKeys: r.partialKeys.map((k) => (k === null ? null : encodeBase64url(k))),
    ...withheld,
  };
}

const U64 = /^(0|[1-9][0-9]{0,19})$/;

function u64(value: unknown, what: string): bigint {
  if (typeof value !== "string" || !U64.test(value) || BigInt(value) >= 1n << 64n) {
    throw new ProtocolError("bad-value", `${what} is a decimal u64 string`);
  }
  return BigInt(value);
}

/**
 * Parses a release answer. Checks the shape only: whether each key verifies against its share is
 * the authority's next step (verifyPartialKey / combinePartialKeys), and the count against the
 * scope is checked when `expectedCount` is given.
 */
export function parseRelease(value: unknown, expectedCount?: number): Release {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ProtocolError("bad-value", "a release is a JSON object");
  }
  const v = value as Record<string, unknown>;
  if (v.format !== RELEASE_FORMAT)
    throw new ProtocolError("unknown-version", "not a lintel-release/1");
  if (typeof v.trusteeId !== "string" || v.trusteeId.length === 0 || v.trusteeId.length > 32) {
    throw new ProtocolError("bad-value", "a release names its trustee");
  }
  if (!Array.isArray(v.partialKeys)) throw new ProtocolError("bad-value", "partialKeys is a list");
  if (expectedCount !== undefined && v.partialKeys.length !== expectedCount) {
    throw new ProtocolError(
      "bad-value",
      `the release has ${v.partialKeys.length} partial keys, the scope ${expectedCount}`,
    );
  }
  const partialKeys = v.partialKeys.map((k) => {
    if (k === null) return null;
    if (typeof k !== "string")
      throw new ProtocolError("bad-value", "a partial key is base64url or null");
    return decodeBase64url(k, PARTIAL_KEY_BYTES);
  });
  let withheld: Array<Uint8Array | null> | undefined;
  if (v.withheld !== undefined) {
    if (!Array.isArray(v.withheld) || v.withheld.length !== partialKeys.length) {
      throw new ProtocolError("bad-value", "withheld is a list as long as partialKeys");
    }
    withheld = v.withheld.map((c, i) => {
      if (c === null) return null;
      if (typeof c !== "string" || partialKeys[i] !== null) {
        throw new ProtocolError(
          "bad-value",
          "withheld gives a base64url commitment only where the key is null",
        );
      }
      return decodeBase64url(c, COMMITMENT_BYTES);
    });
  }
  return {
    trusteeId: v.trusteeId,
    queryIndex: u64(v.queryIndex, "queryIndex"),
    releaseIndex: u64(v.releaseIndex, "releaseIndex"),
    partialKeys,
    ...(withheld ? { withheld } : {}),
  };
}
