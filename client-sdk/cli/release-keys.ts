/**
 * The CLI's release keys (PROTOCOL.md §11.3): `file` makes a fresh X25519 key pair per query,
 * puts the public half in the query and keeps the secret half here; `decrypt` finds it by the
 * logged query's public key and opens the holders' sealed releases with it.
 *
 * The file sits next to the officer's key file (`release-keys.json`, or `--release-keys <file>`),
 * mode 0600, as {"keys": {"<base64url public key>": "<base64url secret key>"}}: whoever can read
 * the officer's key file can read this one, and nobody else.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { decodeBase64url, encodeBase64url, type HpkeKeyPair } from "@lintel/protocol";

export function releaseKeysFile(keyFile: string, override: string | undefined): string {
  return override ?? path.join(path.dirname(keyFile), "release-keys.json");
}

function readKeys(file: string): Record<string, string> {
  if (!existsSync(file)) return {};
  const json = JSON.parse(readFileSync(file, "utf8")) as { keys?: unknown };
  if (typeof json.keys !== "object" || json.keys === null || Array.isArray(json.keys)) {
    throw new Error(`${file} is not a release-key file`);
  }
  return json.keys as Record<string, string>;
}

/** Adds one key pair; written before the query is filed, so a filed query's key is never lost. */
export function rememberReleaseKey(file: string, pair: HpkeKeyPair): void {
  const keys = {
    ...readKeys(file),
    [encodeBase64url(pair.publicKey)]: encodeBase64url(pair.secretKey),
  };
  writeFileSync(file, `${JSON.stringify({ keys }, null, 2)}\n`, { mode: 0o600 });
}

/** The secret key for a query's public release key, if this file holds it. */
export function releaseKeyLookup(file: string): (publicKey: Uint8Array) => Uint8Array | undefined {
  return (publicKey) => {
    const secret = readKeys(file)[encodeBase64url(publicKey)];
    return secret === undefined ? undefined : decodeBase64url(secret, 32);
  };
}
