/**
 * The SDK's one IndexedDB database, "lintel", and the one function that opens it. Every object
 * store the SDK keeps is listed in {@link LINTEL_STORES}; whichever part of the SDK opens the
 * database first creates all of them in one upgrade, so no part can leave the database at a
 * version without another part's store.
 *
 * The database is opened at whatever version it has. When a store is missing (a database made
 * by an older release, which had only "device-keys"), it is closed and reopened one version up,
 * and the upgrade adds what is missing. Every connection closes itself when another tab upgrades.
 *
 * Browser-only. Failures are LintelErrors with the codes the caller names (device keys keep
 * their documented "key-storage-unavailable" and "key-storage").
 */
import { LintelError } from "../errors.ts";

export const LINTEL_DATABASE = "lintel";

/** Every object store of the "lintel" database; all are keyed by out-of-line string keys. */
export const LINTEL_STORES = [
  "device-keys",
  "visits",
  "check-in-queue",
  "exposure-audit",
  "release-keys",
] as const;
export type LintelStore = (typeof LINTEL_STORES)[number];

/** The error codes and wording for one user of the database. */
export interface StorageErrors {
  /** There is no IndexedDB at all (Node, some private modes). */
  readonly unavailable: string;
  /** The database refused or failed. */
  readonly failed: string;
  /** What is kept, for messages: "keys", "visits". */
  readonly what: string;
}

function failure(errors: StorageErrors, error: DOMException | null): LintelError {
  return new LintelError(
    errors.failed,
    error?.message || `The browser's storage for ${errors.what} failed.`,
  );
}

/** The result of one request, with its failure as a LintelError. */
export function requestResult<T>(request: IDBRequest<T>, errors: StorageErrors): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(failure(errors, request.error));
  });
}

/** Resolves when the transaction commits; rejects when it fails or aborts. */
export function transactionDone(tx: IDBTransaction, errors: StorageErrors): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(failure(errors, tx.error));
    tx.onabort = () => reject(failure(errors, tx.error));
  });
}

function openAt(version: number | undefined, errors: StorageErrors): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request =
      version === undefined
        ? indexedDB.open(LINTEL_DATABASE)
        : indexedDB.open(LINTEL_DATABASE, version);
    let settled = false;
    request.onupgradeneeded = () => {
      const db = request.result;
      for (const store of LINTEL_STORES) {
        if (!db.objectStoreNames.contains(store)) db.createObjectStore(store);
      }
    };
    request.onsuccess = () => {
      const db = request.result;
      // Let another tab (or another part of the app) upgrade the database.
      db.onversionchange = () => db.close();
      if (settled) db.close();
      else resolve(db);
      settled = true;
    };
    request.onerror = () => {
      settled = true;
      reject(failure(errors, request.error));
    };
    request.onblocked = () => {
      // A connection that ignores versionchange holds the old version. Give up now; should the
      // open still succeed later, onsuccess closes that connection at once.
      settled = true;
      reject(new LintelError(errors.failed, `Another tab holds the ${errors.what} database open.`));
    };
  });
}

/** Opens "lintel" with every store of {@link LINTEL_STORES} in it. */
export async function openLintelDatabase(errors: StorageErrors): Promise<IDBDatabase> {
  if (typeof indexedDB === "undefined") {
    throw new LintelError(
      errors.unavailable,
      `This browser has no IndexedDB to keep ${errors.what} in.`,
    );
  }
  const db = await openAt(undefined, errors);
  if (LINTEL_STORES.every((store) => db.objectStoreNames.contains(store))) return db;
  const next = db.version + 1;
  db.close();
  return openAt(next, errors);
}

/** Runs one request in a transaction on `store` and returns its result once committed. */
export async function withStore<T>(
  store: LintelStore,
  mode: IDBTransactionMode,
  errors: StorageErrors,
  use: (objectStore: IDBObjectStore) => IDBRequest<T>,
): Promise<T> {
  const db = await openLintelDatabase(errors);
  try {
    const tx = db.transaction(store, mode);
    const [value] = await Promise.all([
      requestResult(use(tx.objectStore(store)), errors),
      transactionDone(tx, errors),
    ]);
    return value;
  } finally {
    db.close();
  }
}
