import type {OnIgnoredError} from '@x/persister';
import type {Store} from '@x/store';
import {createStoragePersister, getStorageArea, type StoragePersister} from './storagePersister';

/**
 * A persister that keeps `store` in the browser's local storage under the key
 * `storageName`, as `JSON.stringify([tables, values])`. With autoload on, it
 * follows what other tabs write to that key.
 *
 * @example
 * ```ts
 * const persister = createLocalPersister(createStore(), 'todos');
 * await persister.startAutoPersisting({todos: {}});
 * ```
 */
export const createLocalPersister = (
  store: Store,
  storageName: string,
  onIgnoredError?: OnIgnoredError,
): StoragePersister =>
  createStoragePersister(store, storageName, getStorageArea('localStorage'), onIgnoredError);
