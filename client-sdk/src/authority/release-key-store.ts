/**
 * Where a filing device keeps its queries' release keys (PROTOCOL.md §11.3): one record per
 * query, its public key (base64url) as the id and the 32-byte X25519 secret key. The secret never
 * leaves the device; decryptQuery finds it by the logged query's public release key, so only the
 * device that filed a query opens the holders' sealed releases.
 *
 * In the browser: database "lintel", object store "release-keys" (the CLI keeps a file instead).
 */
import { encodeBase64url, type HpkeKeyPair } from "@lintel/protocol";
import { indexedDbStore, type KeyedStore, memoryStore } from "../citizen/store.ts";

export interface ReleaseKeyRecord {
  /** The public release key, base64url: what the query names. */
  readonly id: string;
  readonly secretKey: Uint8Array;
}

export interface ReleaseKeyStore {
  /** Kept before the query is filed, so that a filed query's key is never lost. */
  remember(pair: HpkeKeyPair): Promise<void>;
  /** The secret key for a query's public release key, if this device filed it. */
  find(publicKey: Uint8Array): Promise<Uint8Array | undefined>;
}

function isReleaseKeyRecord(value: unknown): value is ReleaseKeyRecord {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.id === "string" && v.secretKey instanceof Uint8Array && v.secretKey.length === 32;
}

function releaseKeyStore(store: KeyedStore<ReleaseKeyRecord>): ReleaseKeyStore {
  return {
    remember: (pair) =>
      store.put({ id: encodeBase64url(pair.publicKey), secretKey: new Uint8Array(pair.secretKey) }),
    async find(publicKey) {
      const id = encodeBase64url(publicKey);
      return (await store.list()).find((r) => r.id === id)?.secretKey;
    },
  };
}

export function indexedDbReleaseKeyStore(): ReleaseKeyStore {
  return releaseKeyStore(indexedDbStore("release-keys", isReleaseKeyRecord));
}

export function memoryReleaseKeyStore(): ReleaseKeyStore {
  return releaseKeyStore(memoryStore<ReleaseKeyRecord>());
}
