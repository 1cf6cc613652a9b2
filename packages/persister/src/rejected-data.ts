// Data read from storage that the store's schema refused (or replaced by a
// default), kept so that no save removes it from storage: a full save writes it
// back beside the store's content, an incremental one never deletes it. An
// entry goes when the app writes that cell or value itself, deletes its row or
// table, or when storage itself no longer holds it. Plain functions over two
// Maps (not a class: minified bundles keep method names, not function names).
import type {Cell, Changes, Content, Id, Row, Store, Tables, Values} from '@x/store';
import {type CellTree, setInTree} from './nested-map';
import {setOwn} from './own-property';
import {changesView, sameCell, UNKNOWN} from './storage-view';

/** Storage's cells and values that the store does not hold as they are stored. */
export type Kept = {tables: CellTree<Cell>; values: Map<Id, Cell>};

export const newKept = (): Kept => ({tables: new Map(), values: new Map()});

export const isKeptEmpty = (kept: Kept): boolean =>
  kept.tables.size === 0 && kept.values.size === 0;

/** Whether a kept place is the app's own data (never saved yet): storage news never forgets those. */
export type IsLocal = (tableOrValueId: Id, rowId?: Id, cellId?: Id) => boolean;

const nothingLocal: IsLocal = () => false;

/** Forgets what storage was said to hold (it is read anew), keeping the app's own data. */
export const clearKept = (kept: Kept, isLocal: IsLocal = nothingLocal): void => {
  for (const [tableId, rows] of kept.tables)
    for (const [rowId, cells] of rows)
      for (const cellId of cells.keys())
        if (!isLocal(tableId, rowId, cellId)) dropCell(kept, tableId, rowId, cellId);
  for (const valueId of kept.values.keys()) if (!isLocal(valueId)) kept.values.delete(valueId);
};

export const keepCell = (kept: Kept, tableId: Id, rowId: Id, cellId: Id, cell: Cell): void =>
  setInTree(kept.tables, tableId, rowId, cellId, cell);

/** The kept cell (never `undefined` when one is kept: cells are never undefined). */
export const keptCell = (kept: Kept, tableId: Id, rowId: Id, cellId: Id): Cell | undefined =>
  kept.tables.get(tableId)?.get(rowId)?.get(cellId);

export const dropCell = (kept: Kept, tableId: Id, rowId: Id, cellId: Id): void => {
  const table = kept.tables.get(tableId);
  const row = table?.get(rowId);
  if (!row?.delete(cellId) || row.size > 0) return;
  table!.delete(rowId);
  if (table!.size === 0) kept.tables.delete(tableId);
};

/** Forgets a row; returns the ids of the cells it held. */
export const dropRow = (kept: Kept, tableId: Id, rowId: Id): Id[] => {
  const table = kept.tables.get(tableId);
  const row = table?.get(rowId);
  if (!row) return [];
  table!.delete(rowId);
  if (table!.size === 0) kept.tables.delete(tableId);
  return [...row.keys()];
};

/**
 * Forgets what `changes` (heard from storage) set or deleted: storage holds
 * something else there now. The app's own data stays.
 */
export const dropChanged = (kept: Kept, [tables, values]: Changes, isLocal: IsLocal): void => {
  const view = changesView([tables, values, 1]);
  for (const [tableId, rows] of kept.tables)
    for (const [rowId, cells] of rows)
      for (const cellId of cells.keys())
        if (view.cell(tableId, rowId, cellId) !== UNKNOWN && !isLocal(tableId, rowId, cellId))
          dropCell(kept, tableId, rowId, cellId);
  for (const valueId of kept.values.keys())
    if (view.value(valueId) !== UNKNOWN && !isLocal(valueId)) kept.values.delete(valueId);
};

/** Writes the kept data over `content` (the store's: a fresh copy) and returns it. */
export const overlayContent = (kept: Kept, content: Content): Content => {
  const [tables, values] = content;
  for (const [tableId, rows] of kept.tables) {
    if (!Object.hasOwn(tables, tableId)) setOwn(tables, tableId, {});
    const table = tables[tableId];
    for (const [rowId, cells] of rows) {
      if (!Object.hasOwn(table, rowId)) setOwn(table, rowId, {});
      const row = table[rowId];
      for (const [cellId, cell] of cells) setOwn(row, cellId, cell);
    }
  }
  for (const [valueId, value] of kept.values) setOwn(values, valueId, value);
  return content;
};

/** `changes` (the store's, read for a save) with the kept cells and values written over them. */
export const overlayChanges = (kept: Kept, changes: Changes): Changes => {
  const [tables, values] = changes;
  for (const [tableId, rows] of kept.tables) {
    const table = Object.hasOwn(tables, tableId) ? tables[tableId] : undefined;
    if (!table) continue;
    for (const [rowId, cells] of rows) {
      const row = Object.hasOwn(table, rowId) ? table[rowId] : undefined;
      if (!row) continue;
      for (const [cellId, cell] of cells) if (Object.hasOwn(row, cellId)) setOwn(row, cellId, cell);
    }
  }
  for (const [valueId, value] of kept.values)
    if (Object.hasOwn(values, valueId)) setOwn(values, valueId, value);
  return changes;
};

/** A copy (JSON cells too), as `[tables, values]`, without what `except` holds with the same value. */
export const keptContent = (kept: Kept, except?: Kept): Content => {
  const copy = newKept();
  for (const [tableId, rows] of kept.tables)
    for (const [rowId, cells] of rows)
      for (const [cellId, cell] of cells)
        if (!except || !sameCell(keptCell(except, tableId, rowId, cellId), cell))
          keepCell(copy, tableId, rowId, cellId, copyCell(cell));
  for (const [valueId, value] of kept.values)
    if (!except || !sameCell(except.values.get(valueId), value))
      copy.values.set(valueId, copyCell(value));
  return overlayContent(copy, [{} as Tables, {} as Values]);
};

const copyCell = (cell: Cell): Cell =>
  typeof cell === 'object' && cell !== null ? JSON.parse(JSON.stringify(cell)) : cell;

/** An independent copy. */
export const copyKept = (kept: Kept): Kept => {
  const copy = newKept();
  for (const [tableId, rows] of kept.tables)
    copy.tables.set(tableId, new Map([...rows].map(([rowId, cells]) => [rowId, new Map(cells)])));
  for (const [valueId, value] of kept.values) copy.values.set(valueId, value);
  return copy;
};

/**
 * The row a backend that writes whole rows stores for `rowId`: the store's row
 * with the refused stored cells the persister keeps (`rejected`, from
 * `persister.getRejected()`) written over it; the kept cells alone when the
 * store no longer has the row; `undefined` (delete it) when there is neither.
 *
 * @example
 * ```ts
 * const row = persistedRow(store, persister.getRejected(), 'pets', 'fido');
 * if (row) putRow('pets', 'fido', row);
 * else deleteRow('pets', 'fido');
 * ```
 */
export const persistedRow = (
  store: Store,
  [rejectedTables]: Content,
  tableId: Id,
  rowId: Id,
): Row | undefined => {
  const row = store.hasRow(tableId, rowId) ? store.getRow(tableId, rowId) : undefined;
  const keptRows = Object.hasOwn(rejectedTables, tableId) ? rejectedTables[tableId] : undefined;
  const kept = keptRows && Object.hasOwn(keptRows, rowId) ? keptRows[rowId] : undefined;
  if (!kept) return row;
  const merged: Row = {};
  for (const from of row ? [row, kept] : [kept])
    for (const cellId of Object.keys(from)) setOwn(merged, cellId, from[cellId]);
  return merged;
};

/**
 * Reported when data read from storage (or already in the store, when a schema
 * is set) is refused by the store's schema: `rejected` holds every refused
 * cell and value as `[tables, values]`, and the message lists them, one
 * `tables/pets/rex/legs: "three"` line each. That data stays in storage (see
 * `persister.getRejected()`).
 *
 * @example
 * ```ts
 * createFilePersister(store, path, (error) => {
 *   if (error instanceof PersisterRejectedError) console.warn(error.rejected);
 * });
 * ```
 */
export class PersisterRejectedError extends Error {
  /** Every refused cell and value, as `[tables, values]`. */
  readonly rejected: Content;
  constructor(rejected: Content) {
    const [tables, values] = rejected;
    const lines: string[] = [];
    for (const tableId of Object.keys(tables))
      for (const rowId of Object.keys(tables[tableId]))
        for (const [cellId, cell] of Object.entries(tables[tableId][rowId]))
          lines.push(`tables/${tableId}/${rowId}/${cellId}: ${JSON.stringify(cell)}`);
    for (const [valueId, value] of Object.entries(values))
      lines.push(`values/${valueId}: ${JSON.stringify(value)}`);
    super(
      `The store's schema refused ${lines.length} stored cell(s) or value(s); they stay in storage ` +
        `until the app writes or deletes them:\n${lines.join('\n')}`,
    );
    this.name = 'PersisterRejectedError';
    this.rejected = rejected;
  }
}
