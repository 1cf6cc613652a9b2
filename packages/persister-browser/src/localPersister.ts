import type {OnIgnoredError, PersisterOptions} from '@x/persister';
import type {Store} from '@x/store';
import {createStoragePersister, getStorageArea, type StoragePersister} from './storagePersister';

/**
 * A persister that keeps `store` in the browser's local storage under the key
 * `storageName`, as `JSON.stringify([tables, values])`. With autoload on, it
 * follows what other tabs write to that key. `options` are the persister's
 * (autosave tuning, `version` and `migrate`); with `{version: n}` (n ≥ 1) the
 * key holds `JSON.stringify([tables, values, {version: n}])`.
 *
 * @example
 * ```ts
 * const persister = createLocalPersister(createStore(), 'todos', console.warn, {
 *   version: 2,
 *   migrate: ([tables, values]) => [{todos: tables.tasks ?? {}}, values], // v1 called it 'tasks'
 * });
 * await persister.startAutoPersisting({todos: {}});
 * ```
 */
export const createLocalPersister = (
  store: Store,
  storageName: string,
  onIgnoredError?: OnIgnoredError,
  options?: PersisterOptions,
): StoragePersister =>
  createStoragePersister(
    store,
    storageName,
    getStorageArea('localStorage'),
    onIgnoredError,
    undefined,
    options,
  );
