import type {OnIgnoredError, Persister, PersisterOptions} from '@x/persister';
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
 * without reloading everything. `options` are the persister's (autosave
 * tuning, `version` and `migrate`); the version is kept in the database's
 * `meta` object store, under the key `'contentVersion'`.
 *
 * @example
 * ```ts
 * const persister = createIndexedDbPersister(createStore(), 'todos', console.warn, {
 *   version: 2,
 *   migrate: ([tables, values]) => [{todos: tables.tasks ?? {}}, values], // v1 called it 'tasks'
 * });
 * await persister.startAutoPersisting({todos: {}});
 * ```
 */
export function createIndexedDbPersister(
  store: Store,
  dbName: string,
  onIgnoredError?: OnIgnoredError,
  options?: PersisterOptions,
): IndexedDbPersister;
/**
 * TinyBase 10's form, `(store, dbName, autoLoadIntervalSeconds, onIgnoredError)`,
 * with the persister's `options` added last: accepted so that TinyBase code
 * runs unchanged. The interval is not used: this persister does not poll,
 * other tabs tell of their saves through a BroadcastChannel.
 *
 * @example
 * ```ts
 * const persister = createIndexedDbPersister(store, 'todos', 1, console.warn, {version: 1});
 * ```
 */
export function createIndexedDbPersister(
  store: Store,
  dbName: string,
  autoLoadIntervalSeconds: number | undefined,
  onIgnoredError?: OnIgnoredError,
  options?: PersisterOptions,
): IndexedDbPersister;
export function createIndexedDbPersister(
  store: Store,
  dbName: string,
  third?: OnIgnoredError | number,
  fourth?: OnIgnoredError | PersisterOptions,
  fifth?: PersisterOptions,
): IndexedDbPersister {
  if (typeof dbName !== 'string') {
    throw new TypeError(`dbName must be a string, got ${typeof dbName}`);
  }
  // TinyBase's form has a number (or undefined) third and a function (or nothing) fourth.
  const tinyBaseForm = typeof third === 'number' || typeof fourth === 'function';
  const onIgnoredError = (tinyBaseForm ? fourth : third) as OnIgnoredError | undefined;
  const options = (tinyBaseForm ? fifth : fourth) as PersisterOptions | undefined;
  const storage = createIdbStorage(store, dbName, onIgnoredError, () => persister.getRejected());
  // Not createIncrementalPersister: its operations carry whole rows, and a
  // merge needs the changed cells, which the core's incremental saves give.
  const persister = createCustomPersister(
    store,
    storage.getPersisted,
    storage.setPersisted,
    storage.addPersisterListener,
    storage.delPersisterListener,
    onIgnoredError,
    options,
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
}
