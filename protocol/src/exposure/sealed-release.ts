/**
 * Releases travel sealed (PROTOCOL.md §11.3, §4.8): each holder — a trustee, or the log for its
 * epoch share — seals its partial keys with HPKE to the release key the logged query names, so
 * only the authority that filed the query opens them. A release seen by anyone else (another
 * trustee, a proxy, a forwarded answer) carries nothing usable.
 *
 *   plaintext = for each scope identity, in scope order:
 *                 u8 1 ‖ fixed(96) D_i      (the key)
 *               | u8 0 ‖ fixed(96) zeros    (withheld)
 *   info      = "LINTEL-V1 release" ‖ 0x00 ‖ text8 deployment ‖ u64 queryIndex ‖ text8 holderId
 *   aad       = empty
 *   sealedKeys = HPKE SealBase(releaseKey, info, aad, plaintext) = enc ‖ ct
 *
 * The JSON answer, `lintel-release/2`, is the release of release.ts with `sealedKeys` (base64url)
 * in place of `partialKeys`; `withheld` stays in the clear (commitments reveal no key). The log
 * still records c_i = SHA-256(k_i) of every key, so the opened release is checked against it
 * exactly as before.
 */
import { decodeBase64url, encodeBase64url } from "../encoding/base64url.ts";
import { Writer } from "../encoding/binary.ts";
import { concatBytes, utf8 } from "../encoding/bytes.ts";
import { ProtocolError } from "../errors.ts";
import { hpkeOpen, hpkeSeal } from "../hpke/hpke.ts";
import { PARTIAL_KEY_BYTES } from "../tibe/curve.ts";
import { parseRelease, type Release, releaseToJson } from "./release.ts";

export const SEALED_RELEASE_FORMAT = "lintel-release/2";
const SLOT_BYTES = 1 + PARTIAL_KEY_BYTES;
const NO_AAD = new Uint8Array(0);

export interface SealedReleaseJson {
  readonly format: typeof SEALED_RELEASE_FORMAT;
  readonly trusteeId: string;
  readonly queryIndex: string;
  readonly releaseIndex: string;
  readonly sealedKeys: string;
  readonly withheld?: ReadonlyArray<string | null>;
}

/** The HPKE info of a release: who sealed it, for which query of which deployment. */
export function releaseInfo(deployment: string, queryIndex: bigint, holderId: string): Uint8Array {
  return concatBytes(
    utf8("LINTEL-V1 release"),
    new Uint8Array([0]),
    new Writer()
      .text8(deployment, 32, "deployment")
      .u64(queryIndex)
      .text8(holderId, 32, "holderId")
      .finish(),
  );
}

function keysPlaintext(keys: ReadonlyArray<Uint8Array | null>): Uint8Array {
  const out = new Uint8Array(keys.length * SLOT_BYTES);
  keys.forEach((k, i) => {
    if (k === null) return;
    if (k.length !== PARTIAL_KEY_BYTES)
      throw new ProtocolError("bad-length", "a partial key is 96 bytes");
    out[i * SLOT_BYTES] = 1;
    out.set(k, i * SLOT_BYTES + 1);
  });
  return out;
}

function keysOf(plaintext: Uint8Array): Array<Uint8Array | null> {
  if (plaintext.length % SLOT_BYTES !== 0)
    throw new ProtocolError("bad-length", "sealed keys are 49 bytes each");
  return Array.from({ length: plaintext.length / SLOT_BYTES }, (_, i) => {
    const slot = plaintext.subarray(i * SLOT_BYTES, (i + 1) * SLOT_BYTES);
    if (slot[0] === 1) return slot.slice(1);
    if (slot[0] !== 0 || slot.some((b) => b !== 0))
      throw new ProtocolError("bad-value", "a withheld key is 49 zero bytes");
    return null;
  });
}

/** The answer a holder gives: its release with the keys sealed to the query's release key. */
export async function sealRelease(
  release: Release,
  deployment: string,
  releaseKey: Uint8Array,
): Promise<SealedReleaseJson> {
  const info = releaseInfo(deployment, release.queryIndex, release.trusteeId);
  const plaintext = keysPlaintext(release.partialKeys);
  const sealed = await hpkeSeal(releaseKey, info, NO_AAD, plaintext);
  const { partialKeys: _keys, format: _format, ...rest } = releaseToJson(release);
  return { format: SEALED_RELEASE_FORMAT, ...rest, sealedKeys: encodeBase64url(sealed) };
}

export interface OpenReleaseOptions {
  readonly deployment: string;
  /** The secret half of the query's release key. */
  readonly releaseSecretKey: Uint8Array;
  /** The scope's size: the release must have one slot per identity (checked when given). */
  readonly expectedCount?: number;
}

/**
 * Parses a `lintel-release/2` answer and opens its keys: the plain {@link Release} it seals.
 * Throws "unknown-version" for another format, "decryption-failed" when the keys were not sealed
 * to this release key for this deployment, query and holder, "bad-value" for a wrong count.
 */
export async function openSealedRelease(
  value: unknown,
  options: OpenReleaseOptions,
): Promise<Release> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ProtocolError("bad-value", "a release is a JSON object");
  }
  const { format, sealedKeys, ...rest } = value as Record<string, unknown>;
  if (format !== SEALED_RELEASE_FORMAT)
    throw new ProtocolError("unknown-version", "not a lintel-release/2");
  if (typeof sealedKeys !== "string")
    throw new ProtocolError("bad-value", "sealedKeys is base64url");
  // The clear fields first (holder, query: they are in the info), by the plain release's parser.
  const clear = {
    format: "lintel-release/1",
    trusteeId: rest.trusteeId,
    queryIndex: rest.queryIndex,
    releaseIndex: rest.releaseIndex,
  };
  const header = parseRelease({ ...clear, partialKeys: [] });
  const plaintext = await hpkeOpen(
    options.releaseSecretKey,
    releaseInfo(options.deployment, header.queryIndex, header.trusteeId),
    NO_AAD,
    decodeBase64url(sealedKeys),
  );
  return parseRelease(
    {
      ...clear,
      partialKeys: keysOf(plaintext).map((k) => (k === null ? null : encodeBase64url(k))),
      ...(rest.withheld !== undefined ? { withheld: rest.withheld } : {}),
    },
    options.expectedCount,
  );
}
