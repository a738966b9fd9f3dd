/**
 * The person's language choice (language.ts keeps it in localStorage) copied into IndexedDB, the
 * one store the service worker can read: a periodic check runs while no page is open, and its
 * notification must speak the language the pages speak. Every citizen page's background check
 * copies it (exposure-watch-entry.ts), so a choice made on one of them reaches the worker on
 * that page's reload. One value, "zh" or "en"; nothing leaves the device.
 */
import { DEFAULT_LANGUAGE, type Language } from "./language.ts";

export const LANGUAGE_DATABASE = "lintel-language";
const STORE = "choice";
const KEY = "language";

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(LANGUAGE_DATABASE, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => {
      // "Delete everything" deletes this database while a worker may hold it open.
      request.result.onversionchange = () => request.result.close();
      resolve(request.result);
    };
    request.onerror = () => reject(request.error);
  });
}

/** Keeps `lang` for the service worker. */
export async function keepLanguage(lang: Language): Promise<void> {
  const db = await open();
  try {
    await new Promise<void>((resolve, reject) => {
      const tx = db.transaction(STORE, "readwrite");
      tx.objectStore(STORE).put(lang, KEY);
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

/** The language a page kept last; the deployment's default when none did or storage fails. */
export async function keptLanguage(): Promise<Language> {
  try {
    const db = await open();
    try {
      const value = await new Promise<unknown>((resolve, reject) => {
        const request = db.transaction(STORE, "readonly").objectStore(STORE).get(KEY);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      return value === "en" || value === "zh" ? value : DEFAULT_LANGUAGE;
    } finally {
      db.close();
    }
  } catch {
    return DEFAULT_LANGUAGE;
  }
}
