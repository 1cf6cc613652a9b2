import type {OnIgnoredError, Persister} from '@x/persister';
import {createCustomPersister} from '@x/persister';
import type {Store} from '@x/store';
import {createIdbStorage} from './indexedDb/idbStorage';

/** A persister on an IndexedDB database. */
export type IndexedDbPersister = Persister & {
  /** The name of the IndexedDB database. */
  getDbName(): string;
};

/**
 * A persister that keeps `store` in the IndexedDB database `dbName`, one record
 * per row (key `[tableId, rowId]`) and per value, so a one-cell change writes
 * one row. Each save is one IndexedDB transaction (all or nothing, also when
 * the tab closes mid-save) that merges the changed cells into the stored rows,
 * so tabs editing different cells of one row keep both edits. Other tabs on the
 * same database hear of each save through a BroadcastChannel and apply it
 * without reloading everything.
 *
 * @example
 * ```ts
 * const persister = createIndexedDbPersister(createStore(), 'todos');
 * await persister.startAutoPersisting({todos: {}});
 * ```
 */
export const createIndexedDbPersister = (
  store: Store,
  dbName: string,
  onIgnoredError?: OnIgnoredError,
): IndexedDbPersister => {
  if (typeof dbName !== 'string') {
    throw new TypeError(`dbName must be a string, got ${typeof dbName}`);
  }
  const storage = createIdbStorage(store, dbName, onIgnoredError);
  // Not createIncrementalPersister: its operations carry whole rows, and a
  // merge needs the changed cells, which the core's incremental saves give.
  const persister = createCustomPersister(
    store,
    storage.getPersisted,
    storage.setPersisted,
    storage.addPersisterListener,
    storage.delPersisterListener,
    onIgnoredError,
  );
  const destroyPersister = persister.destroy.bind(persister);
  return Object.assign(persister, {
    getDbName: () => dbName,
    // After the last save, release the connection so other tabs can upgrade or delete.
    destroy: async () => {
      await destroyPersister();
      storage.close();
      return persister;
    },
  });
};
