// Row-level persistence: each save's Changes become per-table batches of
// putRows / delRows / delTable plus putValues / delValues, so storage work is
// proportional to what changed, not to the size of the store.
import type {Changes, Content, Id, Row, Store, Values} from '@x/store';
import {createCustomPersister} from './create-custom-persister';
import {setOwn} from './own-property';
import type {IncrementalStorage, OnIgnoredError, Persister, PersisterOptions} from './types';

/** Clear, then one putRows per table and one putValues. */
const saveAll = async <Handle>(storage: IncrementalStorage<Handle>, [tables, values]: Content) => {
  await storage.clear();
  for (const tableId of Object.keys(tables)) await storage.putRows(tableId, tables[tableId]);
  if (Object.keys(values).length > 0) await storage.putValues(values);
};

/**
 * Per table: delTable when the table is gone, else one delRows with the rows
 * that are gone and one putRows with every changed row, whole, as the store
 * holds it now. Then one putValues and one delValues.
 */
const saveChanges = async <Handle>(
  storage: IncrementalStorage<Handle>,
  store: Store,
  [changedTables, changedValues]: Changes,
) => {
  for (const tableId of Object.keys(changedTables)) {
    const changedTable = changedTables[tableId];
    if (changedTable === undefined || !store.hasTable(tableId)) {
      await storage.delTable(tableId);
      continue;
    }
    const deletedRowIds: Id[] = [];
    const rows: {[rowId: string]: Row} = {};
    for (const rowId of Object.keys(changedTable)) {
      if (store.hasRow(tableId, rowId)) setOwn(rows, rowId, store.getRow(tableId, rowId));
      else deletedRowIds.push(rowId);
    }
    if (deletedRowIds.length > 0) await storage.delRows(tableId, deletedRowIds);
    if (Object.keys(rows).length > 0) await storage.putRows(tableId, rows);
  }
  const values: Values = {};
  const deletedValueIds: Id[] = [];
  for (const valueId of Object.keys(changedValues)) {
    const value = store.getValue(valueId);
    if (value === undefined) deletedValueIds.push(valueId);
    else setOwn(values, valueId, value);
  }
  if (Object.keys(values).length > 0) await storage.putValues(values);
  if (deletedValueIds.length > 0) await storage.delValues(deletedValueIds);
};

/**
 * Creates a persister for storage that writes rows one by one (IndexedDB, SQL,
 * a REST API). It keeps every guarantee of createCustomPersister; a full save
 * is `clear()` plus puts.
 *
 * @example
 * ```ts
 * const rows = new Map<string, Row>();
 * const persister = createIncrementalPersister(store, {
 *   getPersisted: async () => undefined,
 *   putRows: async (tableId, newRows) => {
 *     for (const [rowId, row] of Object.entries(newRows)) rows.set(`${tableId}/${rowId}`, row);
 *   },
 *   delRows: async (tableId, rowIds) => rowIds.forEach((rowId) => rows.delete(`${tableId}/${rowId}`)),
 *   delTable: async () => {},
 *   putValues: async () => {},
 *   delValues: async () => {},
 *   clear: async () => rows.clear(),
 * });
 * await persister.startAutoSave();
 * ```
 */
export const createIncrementalPersister = <Handle = unknown>(
  store: Store,
  storage: IncrementalStorage<Handle>,
  onIgnoredError?: OnIgnoredError,
  options?: PersisterOptions,
): Persister =>
  createCustomPersister<Handle | undefined>(
    store,
    () => storage.getPersisted(),
    (getContent, changes) =>
      changes ? saveChanges(storage, store, changes) : saveAll(storage, getContent()),
    (listener) => storage.addPersisterListener?.(listener),
    (handle) => {
      if (handle !== undefined) return storage.delPersisterListener?.(handle);
    },
    onIgnoredError,
    options,
  );
