// The shared body of the session and local storage persisters: one key holds
// JSON.stringify([tables, values]) (with a `version` option:
// JSON.stringify([tables, values, {version}])); other tabs are heard through
// 'storage' events.
// A save is a compare-and-set: another tab that wrote since this persister last
// read or wrote the key makes it a conflict, which the core answers by
// reloading, putting local changes back on top and saving again.

import type {
  LegacyContent,
  OnIgnoredError,
  PersistedContent,
  Persister,
  PersisterListener,
  PersisterOptions,
} from '@x/persister';
import {createCustomPersister, PersisterConflictError} from '@x/persister';
import type {Store} from '@x/store';

/** A persister on a Web Storage area (session or local storage). */
export type StoragePersister = Persister & {
  /** The storage key that holds the store's content. */
  getStorageName(): string;
};

type StorageHandle = (event: StorageEvent) => void;

/** How long a tab keeps the Web Lock after its write, so that other tabs' copies catch up. */
const LOCK_SETTLE_MS = 25;

/** Where 'storage' events arrive: the window whose tab this persister lives in. */
export type StorageEventTarget = Pick<Window, 'addEventListener' | 'removeEventListener'>;

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
  // Tests give a second window here: two tabs that share one storage area.
  events: StorageEventTarget | undefined = globalThis as unknown as StorageEventTarget,
  options?: PersisterOptions,
): StoragePersister => {
  if (typeof storageName !== 'string') {
    throw new TypeError(`storageName must be a string, got ${typeof storageName}`);
  }

  // The string this persister last read or wrote under the key (`null`: the key
  // was absent); `undefined` before the first of either. A save compares it with
  // what the key holds, in the same step as setItem: a difference is a conflict.
  let known: string | null | undefined;

  // Unparseable JSON, or JSON that is not [tables, values] (or [tables], as older
  // versions wrote, or [tables, values, {version}]; the core checks the version),
  // is another program's data under our key: it throws here, the
  // core reports it, leaves store and storage alone, and writes over it only when
  // asked to (save({overwrite: true})). It was read, though: a later change of the
  // key by someone else is still a conflict.
  const getPersisted = async () => {
    const json = storage.getItem(storageName);
    known = json;
    const content: unknown = json === null ? undefined : JSON.parse(json);
    if (json !== null && (!Array.isArray(content) || content.length < 1 || content.length > 3)) {
      throw new TypeError(
        `Storage key "${storageName}" holds something that is not [tables, values]: ${json.slice(0, 40)}`,
      );
    }
    // Shape checked; the core validates every cell and the version.
    return content as PersistedContent | LegacyContent | undefined;
  };

  // One synchronous step, so no other tab can write in between: compare what
  // is stored with what this persister knows, then write. A full quota throws a
  // QuotaExceededError from setItem: the core reports it and keeps the changes
  // pending; setItem is all or nothing.
  const compareAndSet = (getContent: () => PersistedContent) => {
    const stored = storage.getItem(storageName);
    if (known !== undefined && stored !== known) {
      throw new PersisterConflictError(
        `Storage key "${storageName}" was changed by another tab since this persister read it`,
      );
    }
    const json = JSON.stringify(getContent());
    storage.setItem(storageName, json);
    known = json;
  };

  // Where the browser has Web Locks, tabs take turns: a tab in another process
  // sees a write only once the browser has passed it on, so the lock is held a
  // little after each write (the save itself resolves at once).
  const locks = (globalThis as {navigator?: {locks?: LockManager}}).navigator?.locks;
  const setPersisted = async (getContent: () => PersistedContent) => {
    if (!locks) return compareAndSet(getContent);
    await new Promise<void>((resolve, reject) => {
      locks
        .request(`@x/persister-browser:${storageName}`, async () => {
          try {
            compareAndSet(getContent);
            resolve();
          } catch (error) {
            reject(error);
            return;
          }
          await new Promise((settle) => setTimeout(settle, LOCK_SETTLE_MS));
        })
        .catch(reject);
    });
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
    events?.addEventListener?.('storage', onStorage);
    return onStorage;
  };

  const delPersisterListener = (onStorage: StorageHandle) => {
    events?.removeEventListener?.('storage', onStorage);
  };

  const persister = createCustomPersister(
    store,
    getPersisted,
    setPersisted,
    addPersisterListener,
    delPersisterListener,
    onIgnoredError,
    options,
  );
  return Object.assign(persister, {getStorageName: () => storageName});
};
