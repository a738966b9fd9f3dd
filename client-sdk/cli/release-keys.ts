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
import { UsageError } from "./failure.ts";

export function releaseKeysFile(keyFile: string, override: string | undefined): string {
  return override ?? path.join(path.dirname(keyFile), "release-keys.json");
}

const notAFile = (file: string, why: string) =>
  new UsageError(
    `release keys ${file} ${why}: it is the file lintel-authority file writes; name another with --release-keys`,
  );

function readKeys(file: string): Record<string, string> {
  if (!existsSync(file)) return {};
  let json: { keys?: unknown };
  try {
    json = JSON.parse(readFileSync(file, "utf8")) as { keys?: unknown };
  } catch {
    throw notAFile(file, "cannot be read as JSON");
  }
  if (typeof json?.keys !== "object" || json.keys === null || Array.isArray(json.keys)) {
    throw notAFile(file, 'has no "keys" object');
  }
  return json.keys as Record<string, string>;
}

/** Adds one key pair; written before the query is filed, so a filed query's key is never lost. */
export function rememberReleaseKey(file: string, pair: HpkeKeyPair): void {
  const keys = {
    ...readKeys(file),
    [encodeBase64url(pair.publicKey)]: encodeBase64url(pair.secretKey),
  };
  try {
    writeFileSync(file, `${JSON.stringify({ keys }, null, 2)}\n`, { mode: 0o600 });
  } catch (e) {
    const why = e instanceof Error && "code" in e ? String(e.code) : String(e);
    throw notAFile(file, `cannot be written (${why})`);
  }
}

/** The secret key for a query's public release key, if this file holds it. */
export function releaseKeyLookup(file: string): (publicKey: Uint8Array) => Uint8Array | undefined {
  return (publicKey) => {
    const secret = readKeys(file)[encodeBase64url(publicKey)];
    if (secret === undefined) return undefined;
    try {
      return decodeBase64url(secret, 32);
    } catch {
      throw notAFile(file, "holds a malformed key");
    }
  };
}
