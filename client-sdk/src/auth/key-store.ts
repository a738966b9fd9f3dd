/**
 * Keeping device keys in the browser: IndexedDB database "lintel", object store "device-keys",
 * one record per name (a role or account, e.g. "registry" or "venue:harbour-library"). The record
 * holds the WebCrypto CryptoKeyPair itself: structured cloning keeps a non-extractable key
 * non-extractable, so the private key never exists as bytes, in the page or on disk in a form
 * script could read. Beside it sits what the key is for: its account, role and expiry.
 *
 * Browser-only (IndexedDB). Every failure is a LintelError: "key-storage-unavailable" where there
 * is no IndexedDB, "key-storage" when the database refuses, "device-key-unsupported" for a key
 * that is not a non-extractable Ed25519 pair.
 */
import { LintelError } from "../errors.ts";
import { deviceKeyFromCryptoKeyPair, type WebCryptoDeviceKey } from "./device-key.ts";

export const KEY_DATABASE = "lintel";
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

function storageError(error: DOMException | null): LintelError {
  return new LintelError("key-storage", error?.message || "The browser's key storage failed.");
}

function result<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(storageError(request.error));
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(storageError(tx.error));
    tx.onabort = () => reject(storageError(tx.error));
  });
}

function open(version?: number): Promise<IDBDatabase> {
  if (typeof indexedDB === "undefined") {
    return Promise.reject(
      new LintelError("key-storage-unavailable", "This browser has no IndexedDB to keep keys in."),
    );
  }
  return new Promise((resolve, reject) => {
    const request =
      version === undefined ? indexedDB.open(KEY_DATABASE) : indexedDB.open(KEY_DATABASE, version);
    request.onupgradeneeded = () => {
      if (!request.result.objectStoreNames.contains(KEY_STORE)) {
        request.result.createObjectStore(KEY_STORE);
      }
    };
    request.onsuccess = () => {
      const db = request.result;
      // Let another tab (or another part of the app) upgrade the database.
      db.onversionchange = () => db.close();
      resolve(db);
    };
    request.onerror = () => reject(storageError(request.error));
    request.onblocked = () =>
      reject(new LintelError("key-storage", "Another tab holds the key database open."));
  });
}

/**
 * Opens the database with the key store in it. Other parts of the app may keep their own stores
 * in "lintel", so the store is added by an upgrade when the database exists without it.
 */
async function openStore(): Promise<IDBDatabase> {
  const db = await open();
  if (db.objectStoreNames.contains(KEY_STORE)) return db;
  const next = db.version + 1;
  db.close();
  return open(next);
}

async function withStore<T>(
  mode: IDBTransactionMode,
  use: (store: IDBObjectStore) => IDBRequest<T>,
): Promise<T> {
  const db = await openStore();
  try {
    const tx = db.transaction(KEY_STORE, mode);
    const [value] = await Promise.all([result(use(tx.objectStore(KEY_STORE))), done(tx)]);
    return value;
  } finally {
    db.close();
  }
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
  await withStore("readwrite", (store) => store.put(record, name));
}

/**
 * The device key kept under `name` with its metadata, or undefined when there is none (or the
 * record is not one this SDK wrote). An expired key is returned too: check `meta.expiresAt`.
 */
export async function loadDeviceKey(name: string): Promise<StoredDeviceKey | undefined> {
  const value: unknown = await withStore("readonly", (store) => store.get(name));
  if (!isRecord(value)) return undefined;
  return { ...(await deviceKeyFromCryptoKeyPair(value.pair)), meta: value.meta };
}

/** Deletes the key kept under `name` (nothing happens when there is none). */
export async function forgetDeviceKey(name: string): Promise<void> {
  await withStore("readwrite", (store) => store.delete(name));
}
