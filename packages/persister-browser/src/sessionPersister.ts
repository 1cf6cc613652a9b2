import type {OnIgnoredError, PersisterOptions} from '@x/persister';
import type {Store} from '@x/store';
import {createStoragePersister, getStorageArea, type StoragePersister} from './storagePersister';

/**
 * A persister that keeps `store` in the browser's session storage under the key
 * `storageName`, as `JSON.stringify([tables, values])`. `options` are the
 * persister's (autosave tuning, `version` and `migrate`); with `{version: n}`
 * (n ≥ 1) the key holds `JSON.stringify([tables, values, {version: n}])`.
 *
 * @example
 * ```ts
 * const persister = createSessionPersister(createStore().setValues({employees: 3}), 'petStore');
 * await persister.save();
 * sessionStorage.getItem('petStore'); // '[{},{"employees":3}]'
 *
 * const versioned = createSessionPersister(createStore(), 'draft', undefined, {version: 1});
 * await versioned.save();
 * sessionStorage.getItem('draft'); // '[{},{},{"version":1}]'
 * ```
 */
export const createSessionPersister = (
  store: Store,
  storageName: string,
  onIgnoredError?: OnIgnoredError,
  options?: PersisterOptions,
): StoragePersister =>
  createStoragePersister(
    store,
    storageName,
    getStorageArea('sessionStorage'),
    onIgnoredError,
    undefined,
    options,
  );
