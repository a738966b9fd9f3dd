/**
 * Releases of partial identity keys for a logged exposure query (PROTOCOL.md §11.3).
 *
 * A release answers with one slot per scope identity (scope.ts), in scope order: the 48-byte
 * partial key D_i = s_i·H1(id) (§4.5), or null where the holder no longer has the share for that
 * identity — only the log's epoch share can be missing, once the day's secret e_d was destroyed
 * at the end of retention. What the log records (`trustee-release`, §10.3) is the count and
 *
 *   partialKeysHash = SHA-256( k_1 ‖ k_2 ‖ … ‖ k_n )     k_i = the 48-byte key, or 48 zero bytes for null
 *
 * so that anyone holding a release can show it is the one the log recorded.
 *
 * The JSON form, as the trustee and the log serve it:
 *
 *   {"format": "lintel-release/1", "trusteeId": "<id>", "queryIndex": "<decimal u64>",
 *    "releaseIndex": "<decimal u64>", "partialKeys": ["<base64url of 48 bytes>" | null, …]}
 *
 * `releaseIndex` is the leaf index of the `trustee-release` entry. The trustee id `log` is
 * reserved for the log's epoch share (§10.4).
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { decodeBase64url, encodeBase64url } from "../encoding/base64url.ts";
import { ProtocolError } from "../errors.ts";
import { LOG_TRUSTEE_ID } from "../log/entries/policy.ts";
import { G1_BYTES } from "../tibe/curve.ts";

export { LOG_TRUSTEE_ID };
export const RELEASE_FORMAT = "lintel-release/1";

export interface Release {
  readonly trusteeId: string;
  readonly queryIndex: bigint;
  readonly releaseIndex: bigint;
  readonly partialKeys: ReadonlyArray<Uint8Array | null>;
}

export function partialKeysHash(keys: ReadonlyArray<Uint8Array | null>): Uint8Array {
  const all = new Uint8Array(keys.length * G1_BYTES);
  keys.forEach((k, i) => {
    if (k === null) return;
    if (k.length !== G1_BYTES) throw new ProtocolError("bad-length", "a partial key is 48 bytes");
    all.set(k, i * G1_BYTES);
  });
  return sha256(all);
}

export interface ReleaseJson {
  readonly format: typeof RELEASE_FORMAT;
  readonly trusteeId: string;
  readonly queryIndex: string;
  readonly releaseIndex: string;
  readonly partialKeys: ReadonlyArray<string | null>;
}

export function releaseToJson(r: Release): ReleaseJson {
  return {
    format: RELEASE_FORMAT,
    trusteeId: r.trusteeId,
    queryIndex: r.queryIndex.toString(),
    releaseIndex: r.releaseIndex.toString(),
    partialKeys: r.partialKeys.map((k) => (k === null ? null : encodeBase64url(k))),
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
    return decodeBase64url(k, G1_BYTES);
  });
  return {
    trusteeId: v.trusteeId,
    queryIndex: u64(v.queryIndex, "queryIndex"),
    releaseIndex: u64(v.releaseIndex, "releaseIndex"),
    partialKeys,
  };
}
