/**
 * Keeping device keys in the browser: IndexedDB database "lintel", object store "device-keys",
 * one record per name (a role or account, e.g. "registry" or "venue:harbour-library"). The record
 * holds the WebCrypto CryptoKeyPair itself: structured cloning keeps a non-extractable key
 * non-extractable, so the private key never exists as bytes, in the page or on disk in a form
 * script could read. Beside it sits what the key is for: its account, role and expiry.
 *
 * The database is opened by storage/database.ts, the one opener that also creates the citizen
 * diary's stores in one upgrade, so no part of the SDK leaves another's store out.
 *
 * Browser-only (IndexedDB). Every failure is a LintelError: "key-storage-unavailable" where there
 * is no IndexedDB, "key-storage" when the database refuses, "device-key-unsupported" for a key
 * that is not a non-extractable Ed25519 pair.
 */
import { LintelError } from "../errors.ts";
import { LINTEL_DATABASE, type StorageErrors, withStore } from "../storage/database.ts";
import { deviceKeyFromCryptoKeyPair, type WebCryptoDeviceKey } from "./device-key.ts";

export const KEY_DATABASE = LINTEL_DATABASE;
export const KEY_STORE = "device-keys";

export interface DeviceKeyMeta {
  /** The account the key was enrolled for. */
  readonly accountId: string;
  /** The role it signs as (registry staff, venue operator, venue staff, …). */
  readonly role: string;
  /** When the service stops accepting it, Unix seconds. */
  readonly expiresAt: number;
}

export interface StoredDeviceKey extends WebCryptoDeviceKey {
  readonly meta: DeviceKeyMeta;
}

/** What one record of the object store holds. */
interface DeviceKeyRecord {
  readonly pair: CryptoKeyPair;
  readonly meta: DeviceKeyMeta;
}

function isMeta(value: unknown): value is DeviceKeyMeta {
  if (typeof value !== "object" || value === null) return false;
  const { accountId, role, expiresAt } = value as Partial<Record<keyof DeviceKeyMeta, unknown>>;
  return typeof accountId === "string" && typeof role === "string" && Number.isFinite(expiresAt);
}

function isRecord(value: unknown): value is DeviceKeyRecord {
  if (typeof value !== "object" || value === null) return false;
  const { pair, meta } = value as Partial<Record<keyof DeviceKeyRecord, unknown>>;
  if (typeof pair !== "object" || pair === null) return false;
  const { privateKey, publicKey } = pair as Partial<Record<keyof CryptoKeyPair, unknown>>;
  return privateKey instanceof CryptoKey && publicKey instanceof CryptoKey && isMeta(meta);
}

const KEY_STORAGE: StorageErrors = {
  unavailable: "key-storage-unavailable",
  failed: "key-storage",
  what: "keys",
};

function withKeyStore<T>(
  mode: IDBTransactionMode,
  use: (store: IDBObjectStore) => IDBRequest<T>,
): Promise<T> {
  return withStore(KEY_STORE, mode, KEY_STORAGE, use);
}

/**
 * Keeps `pair` under `name`, replacing whatever was there. Only a non-extractable Ed25519 key
 * pair is kept: an extractable private key is refused ("device-key-unsupported").
 */
export async function saveDeviceKey(
  name: string,
  pair: CryptoKeyPair,
  meta: DeviceKeyMeta,
): Promise<void> {
  if (pair.privateKey.extractable) {
    throw new LintelError("device-key-unsupported", "A stored device key must be non-extractable.");
  }
  await deviceKeyFromCryptoKeyPair(pair); // checks that it is an Ed25519 signing pair
  if (!isMeta(meta)) throw new LintelError("key-storage", "The key's metadata is incomplete.");
  const record: DeviceKeyRecord = {
    pair,
    meta: { accountId: meta.accountId, role: meta.role, expiresAt: meta.expiresAt },
  };
  await withKeyStore("readwrite", (store) => store.put(record, name));
}

/**
 * The device key kept under `name` with its metadata, or undefined when there is none (or the
 * record is not one this SDK wrote). An expired key is returned too: check `meta.expiresAt`.
 */
export async function loadDeviceKey(name: string): Promise<StoredDeviceKey | undefined> {
  const value: unknown = await withKeyStore("readonly", (store) => store.get(name));
  if (!isRecord(value)) return undefined;
  return { ...(await deviceKeyFromCryptoKeyPair(value.pair)), meta: value.meta };
}

/** Deletes the key kept under `name` (nothing happens when there is none). */
export async function forgetDeviceKey(name: string): Promise<void> {
  await withKeyStore("readwrite", (store) => store.delete(name));
}
