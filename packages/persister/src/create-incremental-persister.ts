// Row-level persistence: each save's Changes become per-table batches of
// putRows / delRows / delTable plus putValues / delValues, so storage work is
// proportional to what changed, not to the size of the store. Storages that
// can write atomically get a full save as one replaceAll and an incremental
// save as one applyBatch; the core still owns ordering, coalescing and retries.
import type {Changes, Content, Id, Row, Store, Values} from '@x/store';
import {createCustomPersister} from './create-custom-persister';
import {setOwn} from './own-property';
import {persistedRow} from './rejected-data';
import type {
  IncrementalOperation,
  IncrementalStorage,
  OnIgnoredError,
  PersistedContent,
  Persister,
  PersisterOptions,
} from './types';

/**
 * A full save: `replaceAll` when the storage has it (one atomic step), else
 * clear, then one putRows per table and one putValues (not atomic).
 */
const saveAll = async <Handle>(storage: IncrementalStorage<Handle>, content: PersistedContent) => {
  if (storage.replaceAll) return storage.replaceAll(content);
  const [tables, values] = content;
  await storage.clear();
  for (const tableId of Object.keys(tables)) await storage.putRows(tableId, tables[tableId]);
  if (Object.keys(values).length > 0) await storage.putValues(values);
};

/**
 * Per table: one delRows with the changed rows the store no longer has (never a
 * delTable for a table emptied here: another writer's rows in it survive) and
 * one putRows with every changed row, whole, as the store holds it now, with the
 * refused stored cells kept in it (`rejected`). Then one putValues and one delValues.
 */
const toOperations = (store: Store, [changedTables, changedValues]: Changes, rejected: Content) => {
  const rejectedValues = rejected[1];
  const operations: IncrementalOperation[] = [];
  for (const tableId of Object.keys(changedTables)) {
    const changedTable = changedTables[tableId];
    if (changedTable === undefined) {
      operations.push({type: 'delTable', tableId});
      continue;
    }
    const rowIds: Id[] = [];
    const rows: {[rowId: string]: Row} = {};
    for (const rowId of Object.keys(changedTable)) {
      const row = persistedRow(store, rejected, tableId, rowId);
      if (row) setOwn(rows, rowId, row);
      else rowIds.push(rowId);
    }
    if (rowIds.length > 0) operations.push({type: 'delRows', tableId, rowIds});
    if (Object.keys(rows).length > 0) operations.push({type: 'putRows', tableId, rows});
  }
  const values: Values = {};
  const valueIds: Id[] = [];
  for (const valueId of Object.keys(changedValues)) {
    const value = Object.hasOwn(rejectedValues, valueId)
      ? rejectedValues[valueId]
      : store.getValue(valueId);
    if (value === undefined) valueIds.push(valueId);
    else setOwn(values, valueId, value);
  }
  if (Object.keys(values).length > 0) operations.push({type: 'putValues', values});
  if (valueIds.length > 0) operations.push({type: 'delValues', valueIds});
  return operations;
};

const applyOperation = <Handle>(
  storage: IncrementalStorage<Handle>,
  operation: IncrementalOperation,
): Promise<void> => {
  switch (operation.type) {
    case 'putRows':
      return storage.putRows(operation.tableId, operation.rows);
    case 'delRows':
      return storage.delRows(operation.tableId, operation.rowIds);
    case 'delTable':
      return storage.delTable(operation.tableId);
    case 'putValues':
      return storage.putValues(operation.values);
    case 'delValues':
      return storage.delValues(operation.valueIds);
  }
};

/** An incremental save: one `applyBatch` when the storage has it (atomic), else one call per batch, in order. */
const saveChanges = async <Handle>(
  storage: IncrementalStorage<Handle>,
  store: Store,
  changes: Changes,
  rejected: Content,
) => {
  const operations = toOperations(store, changes, rejected);
  if (operations.length === 0) return;
  if (storage.applyBatch) return storage.applyBatch(operations);
  for (const operation of operations) await applyOperation(storage, operation);
};

/**
 * Creates a persister for storage that writes rows one by one (IndexedDB, SQL,
 * a REST API). It keeps every guarantee of createCustomPersister. A full save
 * is `replaceAll(content)` when the storage has it, else `clear()` plus puts
 * (not atomic); an incremental save is `applyBatch(operations)` when the
 * storage has it, else one call per table and for values.
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
): Persister => {
  if (options?.version && !storage.replaceAll)
    throw new TypeError(
      'A persister with a version needs storage with replaceAll (to store the version)',
    );
  const persister: Persister = createCustomPersister<Handle | undefined>(
    store,
    () => storage.getPersisted(),
    (getContent, changes) =>
      changes
        ? saveChanges(storage, store, changes, persister.getRejected())
        : saveAll(storage, getContent()),
    (listener) => storage.addPersisterListener?.(listener),
    (handle) => {
      if (handle !== undefined) return storage.delPersisterListener?.(handle);
    },
    onIgnoredError,
    options,
  );
  return persister;
};
