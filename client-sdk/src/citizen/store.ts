/**
 * A small keyed store of plain records, in memory or in one object store of the "lintel"
 * IndexedDB database (storage/database.ts). The diary and the offline queue each keep their
 * records in one. Records read back from IndexedDB are checked with a guard and skipped when they
 * are not what this SDK wrote.
 */
import type { LintelStore, StorageErrors } from "../storage/database.ts";
import { withStore } from "../storage/database.ts";

export interface KeyedStore<T extends { readonly id: string }> {
  /** Every record, in no particular order. */
  list(): Promise<T[]>;
  /** Adds or replaces the record with this id. */
  put(value: T): Promise<void>;
  /** Deletes the record with this id (nothing happens when there is none). */
  remove(id: string): Promise<void>;
}

/** A store that lives as long as the page (or the Node process). Records are kept as given. */
export function memoryStore<T extends { readonly id: string }>(): KeyedStore<T> {
  const records = new Map<string, T>();
  return {
    async list() {
      return [...records.values()];
    },
    async put(value) {
      records.set(value.id, value);
    },
    async remove(id) {
      records.delete(id);
    },
  };
}

const CITIZEN_STORAGE: StorageErrors = {
  unavailable: "storage-unavailable",
  failed: "storage",
  what: "visits",
};

/**
 * A store in one object store of the "lintel" database (browser only). Fails with
 * LintelError("storage-unavailable") without IndexedDB and "storage" when the database refuses.
 * `upgrade` turns a record an earlier SDK wrote into today's form before it is checked.
 */
export function indexedDbStore<T extends { readonly id: string }>(
  store: LintelStore,
  isRecord: (value: unknown) => value is T,
  upgrade: (value: unknown) => unknown = (value) => value,
): KeyedStore<T> {
  return {
    async list() {
      const values: unknown[] = await withStore(store, "readonly", CITIZEN_STORAGE, (s) =>
        s.getAll(),
      );
      return values.map(upgrade).filter(isRecord);
    },
    async put(value) {
      await withStore(store, "readwrite", CITIZEN_STORAGE, (s) => s.put(value, value.id));
    },
    async remove(id) {
      await withStore(store, "readwrite", CITIZEN_STORAGE, (s) => s.delete(id));
    },
  };
}
