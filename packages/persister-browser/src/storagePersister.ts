// The shared body of the session and local storage persisters: one key holds
// JSON.stringify([tables, values]); other tabs are heard through 'storage' events.

import type {OnIgnoredError, Persister, PersisterListener} from '@x/persister';
import {createCustomPersister} from '@x/persister';
import type {Store} from '@x/store';

/** A persister on a Web Storage area (session or local storage). */
export type StoragePersister = Persister & {
  /** The storage key that holds the store's content. */
  getStorageName(): string;
};

type StorageHandle = (event: StorageEvent) => void;

/** Finds `sessionStorage` or `localStorage`, with a clear error where there is none. */
export const getStorageArea = (areaName: 'sessionStorage' | 'localStorage'): Storage => {
  let storage: Storage | undefined;
  try {
    storage = (globalThis as {[key: string]: unknown})[areaName] as Storage | undefined;
  } catch (error) {
    // A browser with storage disabled throws a SecurityError on access.
    throw new Error(`${areaName} is not available here: ${String(error)}`);
  }
  if (storage == null || typeof storage.getItem !== 'function') {
    throw new Error(`${areaName} is not available here (not a browser-like environment?)`);
  }
  return storage;
};

export const createStoragePersister = (
  store: Store,
  storageName: string,
  storage: Storage,
  onIgnoredError?: OnIgnoredError,
): StoragePersister => {
  if (typeof storageName !== 'string') {
    throw new TypeError(`storageName must be a string, got ${typeof storageName}`);
  }

  // Unparseable JSON throws here: the core reports it and leaves store and storage alone.
  const getPersisted = async () => {
    const json = storage.getItem(storageName);
    return json === null ? undefined : JSON.parse(json);
  };

  // A full quota throws a QuotaExceededError here: the core reports it and keeps
  // the changes pending. Nothing is written in part: setItem is all or nothing.
  const setPersisted = async (getContent: () => unknown) => {
    storage.setItem(storageName, JSON.stringify(getContent()));
  };

  const addPersisterListener = (listener: PersisterListener): StorageHandle => {
    const onStorage = (event: StorageEvent) => {
      // `key` is null when another tab cleared the whole area: that, like a
      // removed key, must not wipe the store, so only a present value counts.
      if (event.storageArea !== storage || event.key !== storageName) {
        return;
      }
      if (storage.getItem(storageName) === null) {
        return;
      }
      // No arguments: the core re-reads through getPersisted, which validates.
      listener();
    };
    globalThis.addEventListener?.('storage', onStorage);
    return onStorage;
  };

  const delPersisterListener = (onStorage: StorageHandle) => {
    globalThis.removeEventListener?.('storage', onStorage);
  };

  const persister = createCustomPersister(
    store,
    getPersisted,
    setPersisted,
    addPersisterListener,
    delPersisterListener,
    onIgnoredError,
  );
  return Object.assign(persister, {getStorageName: () => storageName});
};
