import type {OnIgnoredError} from '@x/persister';
import type {Store} from '@x/store';
import {createStoragePersister, getStorageArea, type StoragePersister} from './storagePersister';

/**
 * A persister that keeps `store` in the browser's session storage under the key
 * `storageName`, as `JSON.stringify([tables, values])`.
 *
 * @example
 * ```ts
 * const persister = createSessionPersister(createStore().setValues({employees: 3}), 'petStore');
 * await persister.save();
 * sessionStorage.getItem('petStore'); // '[{},{"employees":3}]'
 * ```
 */
export const createSessionPersister = (
  store: Store,
  storageName: string,
  onIgnoredError?: OnIgnoredError,
): StoragePersister =>
  createStoragePersister(store, storageName, getStorageArea('sessionStorage'), onIgnoredError);
